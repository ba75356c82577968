"""统一社会信用代码 on the server: a bad code is refused with the field named, and nothing
is saved; a pilot-area code needs the clearing office's recorded verification."""

import frappe
import pytest

PILOT = "91350100M0001TGQXM"


def enterprise(name, code, **kw):
	return frappe.get_doc({"doctype": "Enterprise", "enterprise_name": name, "uscc": code, **kw})


def test_valid_code_is_normalised_and_saved():
	doc = enterprise("测试有限公司甲", " 91310110666007217t ").insert()
	assert doc.uscc == "91310110666007217T"


def test_bad_check_character_is_refused_and_nothing_saved():
	with pytest.raises(frappe.ValidationError, match="统一社会信用代码.*校验码应为"):
		enterprise("测试有限公司乙", "91310110666007217A").insert()
	assert not frappe.db.exists("Enterprise", "测试有限公司乙")


def test_pilot_code_needs_verification_with_a_reason():
	with pytest.raises(frappe.ValidationError, match="统一社会信用代码"):
		enterprise("测试有限公司丙", PILOT).insert()
	with pytest.raises(frappe.ValidationError, match="核实理由"):
		enterprise("测试有限公司丙", PILOT, uscc_verified=1).insert()
	doc = enterprise(
		"测试有限公司丙", PILOT, uscc_verified=1, uscc_verified_reason="经市场监管局核实，早期试点赋码"
	).insert()
	assert doc.name == "测试有限公司丙"


def test_verification_does_not_excuse_a_malformed_code():
	with pytest.raises(frappe.ValidationError, match="应为 18 位"):
		enterprise("测试有限公司丁", "9135010", uscc_verified=1, uscc_verified_reason="x").insert()
