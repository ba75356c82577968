"""The enterprise answers on the portal: it confirms or disputes each repayment the unit recorded
(every one confirmed is 企业已确认收款, recorded as the enterprise's; a dispute takes it back,
returns an item awaiting 销号 to 清偿中 and goes to the office), rates a closed matter (不满意:
the office reviews it, or is supervised), and is mailed at the steps it should know of."""

import frappe
import pytest
from frappe.utils import add_days, getdate, nowdate

from qingqian_app.domain import ledger, portal
from qingqian_app.domain import supervision as rules
from qingqian_app.enterprise_portal import api
from qingqian_app.enterprise_portal.report.handling_rating_summary import handling_rating_summary
from qingqian_app.oversight import bulletins, supervision

from .factories import (
	account,
	act,
	as_user,
	enterprise,
	enterprise_login,
	item,
	lead,
	queued_mail,
	set_state,
	user,
)
from .factories import valid_uscc as valid


@pytest.fixture
def mail():
	with queued_mail():
		yield


@pytest.fixture
def matter(district, mail):
	"""A verified enterprise's lead that went into the ledger, its item repaid in two payments."""
	login = enterprise_login()
	office = user("it-office", ["Qingqian Office Staff"])
	days_ago = add_days(nowdate(), -5)
	doc = item(
		district.agency,
		arrears_amount=100000,
		repayments=[{"payment_date": days_ago, "amount": 60000}, {"payment_date": days_ago, "amount": 40000}],
	)
	doc = set_state(doc, ledger.REPAYING)
	claim = lead(district.agency)
	frappe.db.set_value("Complaint Lead", claim.name, "arrears_item", doc.name)
	return frappe._dict(
		login=login, office=office, item=doc, lead=claim, rows=[r.name for r in doc.repayments]
	)


def subject(mime: str) -> str:
	from email import message_from_string
	from email.header import decode_header, make_header

	return str(make_header(decode_header(message_from_string(mime)["Subject"])))


def body(mime: str) -> str:
	from email import message_from_string

	parts = message_from_string(mime).walk()
	return "".join(
		p.get_payload(decode=True).decode(p.get_content_charset() or "utf-8")
		for p in parts
		if p.get_content_type() == "text/html"
	)


def answer(m, row, response, reason=None):
	as_user(m.login)
	try:
		return api.answer_repayment(m.item.name, m.rows[row], response, reason)
	finally:
		as_user("Administrator")


def test_every_repayment_confirmed_is_the_enterprises_confirmation(matter):
	assert answer(matter, 0, portal.CONFIRMED)["enterprise_confirmed"] == 0  # one still open
	assert answer(matter, 1, portal.CONFIRMED)["enterprise_confirmed"] == 1
	doc = frappe.get_doc("Arrears Item", matter.item.name)
	assert doc.confirmation_method == ledger.ONLINE and doc.confirmation_recorded_by == matter.login
	assert doc.confirmation_contact == "王经理" and getdate(doc.confirmation_date) == getdate(nowdate())
	assert {r.enterprise_responded_by for r in doc.repayments} == {matter.login}
	# the office cannot choose the enterprise's own confirmation for it
	doc.repayments[1].enterprise_response = ""
	assert ledger.confirmation_problems({"confirmation_method": ledger.ONLINE, "responses": doc.responses()})


def test_a_dispute_takes_the_confirmation_back_and_reopens_to_the_office(matter):
	answer(matter, 0, portal.CONFIRMED)
	answer(matter, 1, portal.CONFIRMED)
	set_state(matter.item, ledger.AWAITING_CLOSURE)
	with pytest.raises(frappe.ValidationError, match="异议理由"):
		answer(matter, 1, portal.DISPUTED, "")
	assert answer(matter, 1, portal.DISPUTED, "第二笔四万元至今未到账") == {
		"enterprise_confirmed": 0,
		"state": ledger.REPAYING,
	}
	doc = frappe.get_doc("Arrears Item", matter.item.name)
	assert doc.workflow_state == ledger.REPAYING and not doc.enterprise_confirmed
	assert (
		not doc.confirmation_method
		and doc.repayments[1].enterprise_response_reason == "第二笔四万元至今未到账"
	)
	assert frappe.db.get_value("Complaint Lead", matter.lead.name, "arrears_item_state") == ledger.REPAYING
	todo = frappe.get_all(
		"ToDo",
		filters={"reference_name": doc.name, "allocated_to": matter.office, "status": "Open"},
		pluck="description",
	)
	assert todo and "未到账" in todo[0]
	# while disputed, no confirmation by any means
	doc.update({"confirmation_method": ledger.CALLBACK, "confirmation_contact": "财务经理",
		"confirmation_means": "电话", "confirmation_date": nowdate()})  # fmt: skip
	doc.save()
	assert not doc.enterprise_confirmed


def test_another_enterprise_cannot_answer_or_rate_or_fetch(matter):
	other = enterprise_login("qita@it.qingqian.example.com", valid("91140500MA0K9ABD1"), "另一家民营企业")
	set_state(matter.lead, "已办结")
	as_user(other)
	with pytest.raises(frappe.DoesNotExistError):
		api.answer_repayment(matter.item.name, matter.rows[0], portal.CONFIRMED)
	with pytest.raises(frappe.DoesNotExistError):
		api.rate(matter.lead.name, portal.DISSATISFIED, "不满意的理由写在这里")
	assert not frappe.db.get_value("Arrears Repayment", matter.rows[0], "enterprise_response")
	assert not frappe.db.exists("Handling Rating", {"complaint_lead": matter.lead.name})


def test_a_closed_item_takes_no_answer(matter):
	frappe.db.set_value("Arrears Item", matter.item.name, "workflow_state", ledger.CLOSED)
	with pytest.raises(frappe.ValidationError, match="不能再确认"):
		answer(matter, 0, portal.DISPUTED, "款项未到账的说明")


def rate(m, rating, reasons=None):
	as_user(m.login)
	try:
		return api.rate(m.lead.name, rating, reasons)
	finally:
		as_user("Administrator")


def test_an_unsatisfied_rating_goes_to_the_office_and_is_reviewed_once(matter, district):
	with pytest.raises(frappe.ValidationError, match="办结后"):
		rate(matter, portal.SATISFIED)
	set_state(matter.lead, "已办结")
	with pytest.raises(frappe.ValidationError, match="写明理由"):
		rate(matter, portal.DISSATISFIED, "")
	made = rate(matter, portal.DISSATISFIED, "单位拖了半年才付款，催办无人回应")
	assert made["review_status"] == portal.TO_REVIEW
	doc = frappe.get_doc("Handling Rating", made["name"])
	assert doc.unit == district.agency and doc.enterprise == enterprise() and doc.rated_by == matter.login
	assert doc.arrears_item == matter.item.name and getdate(doc.review_deadline) > getdate(nowdate())
	assert frappe.db.exists(
		"ToDo", {"reference_name": doc.name, "allocated_to": matter.office, "status": "Open"}
	)
	with pytest.raises(frappe.ValidationError, match="已经评价过"):
		rate(matter, portal.SATISFIED)
	shown = next(m for m in api.matters(enterprise()) if m["name"] == matter.lead.name)
	assert shown["rating"]["rating"] == portal.DISSATISFIED and not shown["ratable"]

	as_user(matter.office)
	doc = frappe.get_doc("Handling Rating", doc.name)
	doc.rating = portal.SATISFIED
	with pytest.raises(frappe.ValidationError, match="不能修改"):
		doc.save()
	doc.reload()
	doc.review_result = "已约谈该单位财务负责人，责令建立付款台账"
	doc.save()
	assert doc.review_status == portal.REVIEWED and doc.reviewed_by == matter.office
	doc.review_result = "改写"
	with pytest.raises(frappe.ValidationError, match="不能再改"):
		doc.save()
	as_user("Administrator")
	mail = frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": "Handling Rating", "reference_name": doc.name},
		pluck="name",
	)
	assert mail


def test_a_review_not_written_in_time_is_supervised(matter):
	set_state(matter.lead, "已办结")
	made = rate(matter, portal.DISSATISFIED, "单位拖了半年才付款")
	deadline = getdate(frappe.db.get_value("Handling Rating", made["name"], "review_deadline"))
	supervision.daily(add_days(deadline, 1))
	s = frappe.get_all(
		"Supervision",
		filters={"reference_doctype": "Handling Rating", "reference_name": made["name"]},
		fields=["time_limit", "status"],
	)
	assert s and s[0].time_limit == rules.RATING_REVIEW.label and s[0].status == rules.OPEN


def test_ratings_count_per_unit_in_the_report_and_the_bulletin(matter, district):
	set_state(matter.lead, "已办结")
	rate(matter, portal.FAIRLY_SATISFIED)
	as_user(matter.office)
	_cols, rows, *_rest = handling_rating_summary.execute({})
	row = next(r for r in rows if r["unit"] == district.agency)
	assert row[portal.FAIRLY_SATISFIED] == 1 and row["satisfied_share"] == 100.0
	as_user("Administrator")
	today = getdate(nowdate())
	totals = bulletins.rating_totals(today.replace(day=1), today)
	assert totals[district.agency]["total"] == 1
	assert "基本满意 1 件" in bulletins._rating_sentence(totals)


def test_the_enterprise_is_mailed_when_its_sign_up_is_decided(mail):
	doc = account("xin@it.qingqian.example.com", valid("91140500MA0K9ABD2"), "晋城市新开建材有限公司")
	act("Enterprise Account", doc.name, portal.VERIFY)
	queued = frappe.get_all(
		"Email Queue", filters={"reference_doctype": "Enterprise Account", "reference_name": doc.name},
		fields=["name", "message"],
	)  # fmt: skip
	assert [subject(q.message) for q in queued] == ["企业账号：已核验"]
	assert "核验通过" in body(queued[0].message)


def test_the_enterprise_is_mailed_at_the_steps_it_should_know_of(matter, district):
	act("Complaint Lead", matter.lead.name, "受理")
	queued = frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": "Complaint Lead", "reference_name": matter.lead.name},
		fields=["name", "message"],
	)
	to = {
		subject(q.message): frappe.get_all(
			"Email Queue Recipient", filters={"parent": q.name}, pluck="recipient"
		)
		for q in queued
	}
	# the enterprise's own mail goes to its logins only (the intake officer gets Frappe's workflow mail)
	assert to[f"诉求 {matter.lead.name}：已受理"] == [matter.login]
	doc = frappe.get_doc("Arrears Item", matter.item.name)
	doc.append("repayments", {"payment_date": nowdate(), "amount": 1})
	doc.arrears_amount = 100001
	doc.save()
	queued = frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": "Arrears Item", "reference_name": doc.name},
		fields=["message"],
	)
	assert any("请在“我的诉求”中确认收款" in body(q.message) for q in queued)
