"""Run inside a real site: the bench's Python imports Frappe, connects to the site named
by QINGQIAN_SITE in the bench QINGQIAN_BENCH (scripts/test.sh passes both), and every
test is rolled back."""

import os

import pytest

frappe = pytest.importorskip("frappe", reason="tests/integration runs in a Frappe bench's Python")


@pytest.fixture(scope="session", autouse=True)
def site():
	bench = os.environ.get("QINGQIAN_BENCH", "/home/frappe/frappe-bench")
	name = (
		os.environ.get("QINGQIAN_SITE")
		or frappe.get_file_json(f"{bench}/sites/common_site_config.json")["default_site"]
	)
	os.chdir(f"{bench}/sites")
	frappe.init(site=name, sites_path=".")
	frappe.connect()
	frappe.flags.in_test = True
	frappe.set_user("Administrator")
	for hook in frappe.get_hooks("before_request"):  # as every request does (qingqian_app.pdf)
		frappe.call(hook)
	yield name
	frappe.db.rollback()
	frappe.destroy()


@pytest.fixture(autouse=True)
def rollback(site):
	yield
	frappe.db.rollback()
	frappe.set_user("Administrator")
	frappe.local.qingqian_scopes = {}
	frappe.local.lang = frappe.db.get_default("lang") or "zh"
