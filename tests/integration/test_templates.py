"""Templates given as strings (print formats, mail templates) compiled once per process
(qingqian_app/jinja.py), each render still with its own request's globals."""

import frappe
import jinja2
import pytest

from qingqian_app import jinja

from .factories import user


def test_a_template_is_compiled_once_and_rendered_with_each_requests_globals(monkeypatch):
	jinja.install()
	made = []
	own = jinja2.Environment._parse

	def counted(self, source, *args, **kwargs):
		made.append(source)
		return own(self, source, *args, **kwargs)

	monkeypatch.setattr(jinja2.Environment, "_parse", counted)
	source = "{{ frappe.session.user }}：" + frappe.generate_hash(length=12)
	seen, users = [], [user("it.tpl.one", []), user("it.tpl.two", [])]
	for name in users:
		frappe.set_user(name)
		frappe.local.jenv = None  # a new request: Frappe makes its environment anew
		seen.append(frappe.render_template(source, {}))
	frappe.set_user("Administrator")
	frappe.local.jenv = None
	assert [s.split("：")[0] for s in seen] == users
	assert made.count(source) == 1
	jinja._compiled.clear()  # a process that starts with nothing (a background job's): from Redis
	frappe.local.jenv = None
	assert frappe.render_template(source, {}).split("：")[0] == "Administrator"
	assert made.count(source) == 1


def test_a_template_that_does_not_compile_is_refused_each_time():
	jinja.install()
	for _ in range(2):
		frappe.local.jenv = None
		with pytest.raises(frappe.ValidationError, match="TemplateSyntaxError"):
			frappe.render_template("{% if %}", {})


def test_code_in_redis_that_this_python_cannot_read_is_compiled_anew():
	jinja.install()
	source = "{{ 1 + 1 }}" + frappe.generate_hash(length=12)
	frappe.local.jenv = None
	assert frappe.render_template(source, {}).startswith("2")
	for k in list(jinja._compiled):
		frappe.cache.set_value(k, b"not code", expires_in_sec=60)
	jinja._compiled.clear()
	frappe.local.jenv = None
	assert frappe.render_template(source, {}).startswith("2")
