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
	# what a test changed in the settings is rolled back: so are the values cached from them
	frappe.db.value_cache.pop("Qingqian Settings", None)
	frappe.clear_document_cache("Qingqian Settings", "Qingqian Settings")
	frappe.set_user("Administrator")
	frappe.local.qingqian_scopes = {}
	frappe.local.lang = frappe.db.get_default("lang") or "zh"


@pytest.fixture
def district():
	"""Debtor units of every kind: an agency, a school, an SOE with a subsidiary and a
	grandchild, a suspended SOE; and a 事业单位's credit code."""
	from qingqian_app.domain.uscc import check_character

	from .factories import INSTITUTION_CODE, unit

	code = INSTITUTION_CODE[:17] + check_character(INSTITUTION_CODE[:17])
	return frappe._dict(
		agency=unit("测试机关甲"),
		school=unit("测试学校乙", "事业单位", "区教科局"),
		soe=unit("测试城投丙", "国有企业", "区城投公司", is_group=1),
		sub=unit(
			"测试城投子公司丁", "国有企业", "区城投公司", parent="测试城投丙", ownership="全资", is_group=1
		),
		grandchild=unit(
			"测试城投孙公司戊", "国有企业", "区城投公司", parent="测试城投子公司丁", ownership="控股"
		),
		suspended=unit("测试停产企业己", "国有企业", "区城投公司", is_suspended=1),
		institution_code=code,
	)
