"""企业账号: verifying an enterprise's login links it to the Enterprise of its code (made when
there is none) with the Enterprise User role; a refusal says why; a staff login never becomes
an enterprise's; what the enterprise reads of its matters is only what is written for it."""

import frappe
import pytest

from qingqian_app.domain import portal
from qingqian_app.enterprise_portal.api import enterprise_of, matters

from .factories import account, act, enterprise, lead, set_state, user
from .factories import valid_uscc as valid


def test_verifying_links_the_login_to_the_enterprise_of_its_code():
	existing = enterprise()
	doc = account()
	assert doc.workflow_state == portal.PENDING and doc.user == "qiye@it.qingqian.example.com"
	login = frappe.get_doc("User", doc.user)
	assert login.user_type == "Website User" and not login.roles and enterprise_of(doc.user) is None
	office = user("it-office", ["Qingqian Office Staff"])
	act("Enterprise Account", doc.name, portal.VERIFY, user=office)
	doc.reload()
	assert doc.workflow_state == portal.VERIFIED and doc.enterprise == existing and doc.verified_by == office
	login.reload()
	assert [r.role for r in login.roles] == [portal.ROLE] and login.user_type == "Website User"
	assert enterprise_of(doc.user) == existing


def test_a_new_code_makes_its_enterprise_and_a_refusal_needs_a_reason():
	code = valid("91140500MA0K9ABC1")
	doc = account("xin@it.qingqian.example.com", code, "晋城市新开建材有限公司")
	liaison = user("it-liaison", ["Enterprise Liaison"])
	act("Enterprise Account", doc.name, portal.VERIFY, user=liaison)
	made = frappe.db.get_value("Enterprise", {"uscc": code}, ["name", "enterprise_name"], as_dict=True)
	assert made.enterprise_name == "晋城市新开建材有限公司"
	other = account("bo@it.qingqian.example.com", valid("91140500MA0K9ABC2"), "晋城市驳回测试有限公司")
	with pytest.raises(frappe.ValidationError, match="驳回理由"):
		act("Enterprise Account", other.name, portal.REJECT, user=liaison)


def test_a_staff_login_never_becomes_an_enterprises():
	staff = user("it-staff", ["Debtor Unit Reporter"])
	doc = account(staff)
	with pytest.raises(frappe.ValidationError, match="机关工作人员"):
		act("Enterprise Account", doc.name, portal.VERIFY, user=user("it-office2", ["Qingqian Office Staff"]))


def test_a_bad_code_or_address_is_refused_naming_the_field():
	with pytest.raises(frappe.ValidationError, match="统一社会信用代码"):
		account(code="91310110666007217A")
	with pytest.raises(frappe.ValidationError, match="电子邮箱"):
		account(email="not-an-address")


def test_an_enterprise_reads_its_leads_and_items_only_as_written_for_it(district):
	mine = lead(district.agency, contract_no="HT-PORTAL-1", extension_reason="内部意见")
	set_state(mine, "已受理")
	theirs = lead(district.agency, enterprise=enterprise("另一家民营企业", valid("91140500MA0K9ABC3")))
	shown = matters(enterprise())
	names = [m["name"] for m in shown]
	assert mine.name in names and theirs.name not in names
	row = next(m for m in shown if m["name"] == mine.name)
	assert "extension_reason" not in row and "complainant_phone" not in row
	assert row["workflow_state"] == "已受理"
