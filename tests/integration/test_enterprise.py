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


def test_only_the_clearing_office_may_mark_a_code_verified():
	email = "it.liaison@it.qingqian.example.com"
	frappe.get_doc(
		{"doctype": "User", "email": email, "first_name": "liaison", "send_welcome_email": 0,
		 "roles": [{"role": "Enterprise Liaison"}]}
	).insert(ignore_permissions=True)  # fmt: skip
	frappe.set_user(email)
	# the verification fields are not the liaison's to set: Frappe drops them, the check refuses
	with pytest.raises(frappe.ValidationError, match="统一社会信用代码"):
		enterprise("测试有限公司戊", PILOT, uscc_verified=1, uscc_verified_reason="自称已核实").insert()
	frappe.set_user("Administrator")
	assert not frappe.db.exists("Enterprise", "测试有限公司戊")
