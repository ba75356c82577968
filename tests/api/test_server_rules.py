"""What the form forbids cannot be done over REST either: the steps that once went through,
tried again as the demo users would (issue: server-side rules for every record, path and
step). Each is refused or scoped, and nothing changes."""

import json

import pytest

from .conftest import URL
from .helpers import DEBTOR, LEAD_ENTERPRISE, Actor, mark, message, new_item, state, to_state

LEAD = "Complaint Lead"
REGISTER = "qingqian_app.qingqian.doctype.issued_document.issued_document"
USERS = ("complaint.officer", "debtor.head", "debtor.reporter", "office.head", "office.staff", "finance.head",
	"school.reporter", "leader")  # fmt: skip


@pytest.fixture(scope="module")
def a():
	return {n: Actor(n) for n in USERS}


def lead_in_verification(a) -> str:
	o = a["complaint.officer"]
	r = o.create(
		LEAD, channel="12345热线", enterprise=LEAD_ENTERPRISE, respondent_unit=DEBTOR, claimed_amount=43210,
		contract_no=mark(), description="逾期未付", complainant_phone="0356-2000188",
	)  # fmt: skip
	assert r.status_code == 200, message(r)
	name = r.json()["data"]["name"]
	assert state(o.act(name, "受理", LEAD)) == "已受理"
	o.put(name, LEAD, transferred_to=DEBTOR)
	assert state(o.act(name, "转办", LEAD)) == "已转办"
	assert state(a["debtor.head"].act(name, "开始核查", LEAD)) == "核查中"
	return name


def test_refusing_an_extension_grants_nothing(a):
	"""Step 1: 不予延期 joins the same states as 批准延期; the action taken decides."""
	name = lead_in_verification(a)
	before = a["complaint.officer"].get(name, LEAD).json()["data"]
	a["debtor.head"].put(name, LEAD, requested_extension_days=10, extension_reason="需核实")
	assert state(a["debtor.head"].act(name, "申请延期", LEAD)) == "延期待批"
	assert state(a["office.head"].act(name, "不予延期", LEAD)) == "核查中"
	after = a["complaint.officer"].get(name, LEAD).json()["data"]
	assert (after["extension_days"], after["requested_extension_days"]) == (0, 0)
	assert after["handling_deadline"] == before["handling_deadline"]


def test_a_handling_unit_cannot_lengthen_its_own_deadline(a):
	"""Step 2: extension_days is computed at 批准延期, never typed."""
	name = lead_in_verification(a)
	before = a["complaint.officer"].get(name, LEAD).json()["data"]
	r = a["debtor.head"].put(name, LEAD, extension_days=60)
	assert r.status_code == 403 and "已批准延长" in message(r), message(r)
	r = a["debtor.head"].call(
		"frappe.client.set_value", doctype=LEAD, name=name, fieldname="extension_days", value=60
	)
	assert r.status_code == 403
	after = a["complaint.officer"].get(name, LEAD).json()["data"]
	assert (after["extension_days"], after["handling_deadline"], after["modified"]) == (
		0, before["handling_deadline"], before["modified"])  # fmt: skip


def count(actor, doctype, filters):
	r = actor.call("frappe.client.get_count", doctype=doctype, filters=json.dumps(filters))
	return r.status_code, (r.json().get("message") if r.status_code == 200 else message(r))


def test_counting_is_no_oracle(a):
	"""Step 3: another unit's user counts only what they may see; nobody filters on a field
	they may not read."""
	item = new_item(a["debtor.reporter"], arrears_amount=43210)
	mine = [
		["debtor_unit", "=", DEBTOR],
		["enterprise", "=", item["enterprise"]],
		["arrears_amount", "=", 43210],
	]
	assert count(a["debtor.reporter"], "Arrears Item", mine)[1] >= 1  # the unit counts its own
	assert count(a["school.reporter"], "Arrears Item", [["debtor_unit", "=", DEBTOR]]) == (200, 0)
	assert count(a["school.reporter"], "Arrears Item", mine) == (200, 0)
	assert count(a["school.reporter"], "Arrears Item", [*mine[:2], ["arrears_amount", "=", 43211]]) == (
		200,
		0,
	)

	lead = lead_in_verification(a)
	phone = [["complainant_phone", "like", "0356%"]]
	assert count(a["school.reporter"], LEAD, [["name", "=", lead], *phone]) == (200, 0)  # not its unit's lead
	assert count(a["debtor.head"], LEAD, phone)[1] >= 1  # the handling unit reads the phone
	status, text = count(a["leader"], LEAD, phone)  # reads every lead, not the phones
	assert status == 403 and "联系电话" in text
	# an enterprise's contacts: only those who handle enterprises read or filter on them
	status, text = count(a["school.reporter"], "Enterprise", [["contact_phone", "like", "0356%"]])
	assert status == 403 and "联系电话" in text
	ent = a["school.reporter"].get(LEAD_ENTERPRISE, "Enterprise").json()["data"]
	assert "contact_phone" not in ent and "contact_person" not in ent
	assert "contact_phone" in a["office.staff"].get(LEAD_ENTERPRISE, "Enterprise").json()["data"]


def test_the_debtor_cannot_sign_or_number_its_own_notice(a):
	name = new_item(a["debtor.reporter"])["name"]
	args = {"document_kind": "限期清偿通知书", "reference_doctype": "Arrears Item", "reference_name": name}
	for method in ("draft", "sign"):
		r = a["debtor.reporter"].call(f"{REGISTER}.{method}", **args)
		assert r.status_code == 403, (method, message(r))
	# nor can the office, while the item is still the debtor's draft (the notice's words are not true)
	r = a["office.staff"].call(f"{REGISTER}.draft", **args)
	assert r.status_code == 403 and "清偿中" in message(r)
	assert a["office.staff"].listed("Issued Document", [["reference_name", "=", name]]) == []


def test_a_new_item_takes_no_computed_value(a):
	contract = mark()
	r = a["debtor.reporter"].create(
		debtor_unit=DEBTOR, enterprise=LEAD_ENTERPRISE, arrears_category="服务", contract_no=contract, arrears_amount=1000,
		repaid_amount=1000, enterprise_confirmed=1, transferred_on="2026-01-01",
		responsibility_history=[{"responsible_unit": DEBTOR, "responsible_person_title": "无"}],
	)  # fmt: skip
	assert r.status_code == 403 and "由系统计算或记录" in message(r), message(r)
	for field in ("已清偿金额", "企业已确认收款", "转办日期", "责任变更记录"):
		assert field in message(r)
	assert (
		a["debtor.reporter"].listed("Arrears Item", [["contract_no", "=", contract]]) == []
	)  # nothing half-saved


def test_history_and_confirmation_are_not_the_debtors_to_write(a):
	name = new_item(a["debtor.reporter"])["name"]
	to_state(a, name, "清偿中")
	r = a["office.staff"].put(name, responsible_person_title="分管副主任")  # a change of responsibility
	assert r.status_code == 200, message(r)
	doc = a["debtor.reporter"].get(name).json()["data"]
	titles = [h["responsible_person_title"] for h in doc["responsibility_history"]]
	assert titles == ["主任", "分管副主任"]  # who it was since registration, and who it is now
	forged = [{**doc["responsibility_history"][0], "responsible_person_title": "无人负责"}]
	r = a["debtor.reporter"].put(name, responsibility_history=forged)
	assert r.status_code == 403 and "责任变更记录" in message(r)
	r = a["office.staff"].put(name, responsibility_history=[])
	assert r.status_code == 403 and "责任变更记录" in message(r)
	for who in ("debtor.reporter", "debtor.head"):
		r = a[who].put(name, enterprise_confirmed=1)
		assert r.status_code == 403, message(r)
		r = a[who].put(name, confirmation_method="书面确认", confirmation_date="2026-11-20")
		assert r.status_code == 403 and "确认方式" in message(r)
	after = a["debtor.reporter"].get(name).json()["data"]
	assert (after["enterprise_confirmed"], after["modified"]) == (0, doc["modified"])


def test_past_its_first_state_nothing_is_deleted(a, admin):
	draft = new_item(a["debtor.reporter"])["name"]
	entered = new_item(a["debtor.reporter"])["name"]
	to_state(a, entered, "已入账")
	for who in (a["office.head"].s, admin):
		r = who.delete(f"{URL}/api/resource/Arrears Item/{entered}", timeout=30)
		assert r.status_code == 403 and "不能删除" in message(r), message(r)
	assert a["office.head"].get(entered).status_code == 200
	# a draft nobody has reported yet may be removed
	assert (
		a["office.head"].s.delete(f"{URL}/api/resource/Arrears Item/{draft}", timeout=30).status_code == 202
	)


def test_bulk_actions_and_set_value_go_through_the_same_rules(a):
	names = [new_item(a["debtor.reporter"])["name"] for _ in range(2)]
	r = a["debtor.reporter"].call(
		"frappe.model.workflow.bulk_workflow_approval",
		docnames=json.dumps(names),
		doctype="Arrears Item",
		action="报送",
	)
	assert r.status_code == 200, message(r)
	assert {a["debtor.reporter"].get(n).json()["data"]["workflow_state"] for n in names} == {"待审核"}
	# another unit's head, in bulk: nothing moves
	a["school.reporter"].call(
		"frappe.model.workflow.bulk_workflow_approval", docnames=json.dumps(names), doctype="Arrears Item",
		action="审核通过",
	)  # fmt: skip
	assert {a["debtor.reporter"].get(n).json()["data"]["workflow_state"] for n in names} == {"待审核"}
	r = a["debtor.reporter"].call("frappe.client.set_value", doctype="Arrears Item", name=names[0],
		fieldname="arrears_amount", value=1)  # fmt: skip
	assert r.status_code == 403 and "不能修改" in message(r)
	doc = a["finance.head"].get(names[0]).json()["data"]
	doc["arrears_amount"] = 1
	r = a["debtor.reporter"].call("frappe.client.save", doc=json.dumps(doc))
	assert r.status_code == 403 and "不能修改" in message(r)
	r = a["debtor.reporter"].call("frappe.client.set_value", doctype="Arrears Item", name=names[0],
		fieldname="workflow_state", value="已入账")  # fmt: skip
	assert r.status_code == 403 and "状态只能通过流程操作改变" in message(r)
