"""Jinja methods for the app's print formats (hooks.py ``jinja``), and their templates compiled
once per process (:func:`install`)."""

import hashlib
import marshal
import sys
from collections import OrderedDict

import frappe
import jinja2
from frappe import _
from frappe.utils import getdate, nowdate

from qingqian_app.domain.documents import number_in_words
from qingqian_app.domain.rmb import capitals


def qingqian_capitals(amount, prefix: bool = False) -> str:
	"""{{ qingqian_capitals(doc.outstanding_amount, True) }} → 人民币…元…角…分"""
	return capitals(amount, prefix)


def qingqian_days_in_words(days) -> str:
	"""{{ qingqian_days_in_words(15) }} → 十五"""
	return number_in_words(int(days))


def qingqian_json(value) -> dict:
	"""{{ qingqian_json(doc.statistics) }}: a JSON field's value as a mapping (a string or one already)."""
	return value if isinstance(value, dict) else frappe.parse_json(value or "{}")


def qingqian_issued(kind: str, doc) -> dict:
	"""The register's entry of a document: its number once signed (签发), and its date —
	the day it was signed (成文日期), or today for a draft."""
	row = (
		frappe.db.get_value(
			"Issued Document",
			{"document_kind": kind, "reference_doctype": doc.doctype, "reference_name": doc.name},
			["document_number", "issued_on"],
			as_dict=True,
		)
		or frappe._dict()
	)
	return {
		"number": row.get("document_number"),
		"date": getdate(row.issued_on) if row.get("issued_on") else getdate(nowdate()),
	}


def qingqian_linked_doc(doctype: str, name: str):
	"""{{ qingqian_linked_doc(doc.reference_doctype, doc.reference_name) }}: a record a print
	format shows (the 督办函's item), loaded only when the reader may read it — a template
	never shows another unit's record to whoever may read the outer one. Nothing named: None."""
	if not (doctype and name):
		return None
	linked = frappe.get_doc(doctype, name)
	if not frappe.has_permission(doctype, "read", linked):
		frappe.throw(
			_("您无权查看{0}“{1}”，不能打印引用它的公文").format(_(doctype), name),
			frappe.PermissionError,
			title=_("没有权限"),
		)
	return linked


# --- templates compiled once, for every process ---------------------------------------------

COMPILED_MAX = 256  # templates kept in each process (print formats, mail templates)
COMPILED_SECONDS = 7 * 24 * 3600  # kept in Redis for the processes to come
_compiled: OrderedDict = OrderedDict()
_SETTINGS = ("block_start_string", "block_end_string", "variable_start_string", "variable_end_string",
	"comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix",
	"trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized",
	"autoescape")  # fmt: skip


def install(**kwargs):
	"""Frappe compiles its templates anew in each request and each background job: a print
	format (given as a string, ``jenv.from_string``) for each print, ~25 ms of the ~65 ms the
	台账登记表's HTML takes; the mail templates for each mail job; its environment is made anew
	each time (globals such as the user go with it). A compiled template cannot be kept, but
	its code can, as jinja's own bytecode cache keeps it for templates read from files: here by
	the source and the environment's settings, in the process and in Redis, so that a background
	job (a process forked for it, that starts with nothing) finds it too. For the environments
	Frappe renders with (``SandboxedEnvironment``). hooks.py before_request and before_job; once
	per process."""
	from jinja2.sandbox import SandboxedEnvironment

	if getattr(SandboxedEnvironment.compile, "qingqian", False):
		return
	own = SandboxedEnvironment.compile

	def compile(self, source, name=None, filename=None, raw=False, defer_init=False):
		key = None if raw or not isinstance(source, str) else _key(self, source, name, filename, defer_init)
		if key is None:
			return own(self, source, name, filename, raw, defer_init)
		code = _compiled.get(key)
		if code is None:
			code = _stored(key)
			if code is None:
				code = own(self, source, name, filename, raw, defer_init)
				_store(key, code)
			_compiled[key] = code
			if len(_compiled) > COMPILED_MAX:
				_compiled.popitem(last=False)
		else:
			_compiled.move_to_end(key)
		return code

	compile.qingqian = True
	SandboxedEnvironment.compile = compile


def _key(env, source: str, name, filename, defer_init: bool) -> str | None:
	settings = [getattr(env, s, None) for s in _SETTINGS]
	if any(callable(v) for v in settings):
		return None  # an autoescape chosen by template name: left to jinja
	what = repr((sys.version_info[:3], jinja2.__version__, [c.__qualname__ for c in type(env).__mro__[1:]],
		env.code_generator_class.__qualname__, name, filename, defer_init, settings,
		sorted(env.extensions), sorted(env.filters), sorted(env.tests)))  # fmt: skip
	digest = hashlib.sha256(what.encode() + b"\0" + source.encode("utf-8", "surrogatepass"))
	return "qingqian:jinja:" + digest.hexdigest()


def _redis() -> bool:
	"""A site's Redis to keep code in (not before frappe.init)."""
	return bool(getattr(frappe.local, "site", None)) and frappe.cache is not None


def _stored(key: str):
	if not _redis():
		return None
	data = frappe.cache.get_value(key, expires=True)  # (Redis out of reach: None)
	try:
		return marshal.loads(data) if isinstance(data, bytes) else None
	except (EOFError, ValueError, TypeError):
		return None  # not code this Python reads: compiled here instead


def _store(key: str, code) -> None:
	if _redis():
		frappe.cache.set_value(key, marshal.dumps(code), expires_in_sec=COMPILED_SECONDS)
