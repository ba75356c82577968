"""Reminders and 督办 on a real site: the daily job, run twice on a day, reminds and supervises
each missed time limit once; escalates once; closes what is done; the 督办函 is printed from
the supervision while it is open; only the office writes, and only its notes."""

import frappe
import pytest
from frappe.utils import add_days, getdate, nowdate

from qingqian_app.domain import supervision as rules
from qingqian_app.oversight import supervision

from .factories import as_user, item, lead, set_state, user


@pytest.fixture
def people(district):
	return frappe._dict(
		head=user("it.sv.head", ["Debtor Unit Head"], debtor_unit=district.agency),
		reporter=user("it.sv.rep", ["Debtor Unit Reporter"], debtor_unit=district.agency),
		other=user("it.sv.other", ["Debtor Unit Reporter"], debtor_unit=district.school),
		office=user("it.sv.office", ["Qingqian Office Staff"]),
		office_head=user("it.sv.office.head", ["Qingqian Office Head"]),
	)


def overdue_item(unit, deadline):
	doc = item(unit, responsible_unit=unit, repay_deadline=deadline, arrears_amount=80000)
	return set_state(doc, "清偿中")


def lead_in(unit, state, **dates):
	doc = lead(unit, transferred_to=unit)
	frappe.db.set_value("Complaint Lead", doc.name, {"workflow_state": state, **dates})
	return frappe.get_doc("Complaint Lead", doc.name).save()


def supervisions(name):
	return frappe.get_all(
		"Supervision", filters={"reference_name": name}, fields=["name", "status", "time_limit", "head_user",
		"listed_for_interview", "reply_deadline"])  # fmt: skip


def todos(doctype, name, user=None):
	filters = {"reference_type": doctype, "reference_name": name, "status": "Open"}
	if user:
		filters["allocated_to"] = user
	return frappe.get_all("ToDo", filters=filters, pluck="allocated_to")


def test_run_twice_a_day_it_reminds_and_supervises_each_limit_once(district, people):
	today = getdate(nowdate())
	past = overdue_item(district.agency, add_days(today, -3))
	near = overdue_item(district.agency, add_days(today, 1))
	later = overdue_item(district.agency, add_days(today, 40))
	late_lead = lead_in(
		district.agency, "核查中", accepted_on=add_days(today, -60), transferred_on=add_days(today, -50)
	)
	assert getdate(late_lead.handling_deadline) < today
	first = supervision.daily(today)
	second = supervision.daily(today)
	assert first["opened"] >= 2 and second["opened"] == 0 and second["reminded"] == 0
	# one supervision each, for the unit's head, the letter's limit set
	[s] = supervisions(past.name)
	assert (s.time_limit, s.status, s.head_user) == (rules.ITEM_REPAY.label, rules.OPEN, people.head)
	assert getdate(s.reply_deadline) == add_days(today, 15)
	[s_lead] = supervisions(late_lead.name)
	assert s_lead.time_limit == rules.LEAD_RESULT.label
	assert todos("Supervision", s.name) == [people.head]
	# the office is told, the near one reminded once to each of the unit's users, the far one not yet
	assert frappe.db.exists("Notification Log", {"document_type": "Supervision", "document_name": s.name,
		"for_user": people.office})  # fmt: skip
	assert sorted(todos("Arrears Item", near.name)) == sorted([people.head, people.reporter])
	assert supervisions(near.name) == [] and todos("Arrears Item", later.name) == []


def test_unresolved_after_the_letters_limit_it_escalates_once_then_closes_when_done(district, people):
	today = getdate(nowdate())
	frappe.db.set_value("Member Unit", "区财政局", "head_user", user("it.sv.finance", ["Member Unit Head"],
		member_unit="区财政局"))  # fmt: skip
	past = overdue_item(district.agency, add_days(today, -3))
	supervision.daily(today)
	[s] = supervisions(past.name)
	later = add_days(getdate(s.reply_deadline), 12)  # well past 5 working days after the letter's limit
	assert supervision.daily(later)["escalated"] >= 1
	assert supervision.daily(later)["escalated"] == 0
	[s] = supervisions(past.name)
	assert (s.status, s.listed_for_interview) == (rules.ESCALATED, 1)
	assert set(todos("Supervision", s.name)) >= {"it.sv.finance@it.qingqian.example.com", people.office_head}
	# repaid in full: closed, and the reminders with it
	doc = frappe.get_doc("Arrears Item", past.name)
	doc.append("repayments", {"payment_date": nowdate(), "amount": doc.outstanding_amount})
	doc.save()
	assert supervision.daily(later)["closed"] >= 1
	[s] = supervisions(past.name)
	assert s.status == rules.RESOLVED and todos("Supervision", s.name) == []


def test_the_letter_is_printed_from_an_open_supervision_only(district, people):
	from qingqian_app import documents

	today = getdate(nowdate())
	past = overdue_item(district.agency, add_days(today, -3))
	supervision.daily(today)
	[s] = supervisions(past.name)
	doc = frappe.get_doc("Supervision", s.name)
	assert documents.problem("督办函", doc) is None
	html = frappe.get_print("Supervision", s.name, "督办函")
	assert "关于督促清偿拖欠" in html and "十五日内" in html and district.agency in html
	supervision.close(s.name, today)
	assert "督办尚未办结" in documents.problem("督办函", frappe.get_doc("Supervision", s.name))


def test_only_the_office_writes_and_only_its_notes(district, people):
	today = getdate(nowdate())
	past = overdue_item(district.agency, add_days(today, -3))
	supervision.daily(today)
	[s] = supervisions(past.name)
	as_user(people.office)
	doc = frappe.get_doc("Supervision", s.name)
	doc.office_notes = "已电话督促"
	doc.save()
	doc.status = rules.RESOLVED
	with pytest.raises(frappe.PermissionError, match="督办状态"):
		doc.save()
	as_user(people.head)  # reads its unit's supervision, writes nothing
	assert frappe.has_permission("Supervision", "read", doc=s.name)
	assert not frappe.has_permission("Supervision", "write", doc=s.name)
	as_user(people.other)  # another unit's user does not see it
	assert not frappe.has_permission("Supervision", "read", doc=s.name)
	assert s.name not in frappe.get_list("Supervision", pluck="name")


def test_a_late_transfer_goes_to_the_unit_whose_duty_it_is(district):
	"""The lead's transfer is the 民营经济 unit's step, whoever registered the lead and
	whatever the district calls the unit."""
	today = getdate(nowdate())
	intake_head = user("it.sv.intake", ["Member Unit Head"], member_unit="区民营经济局")
	frappe.db.set_value("Member Unit", "区民营经济局", "head_user", intake_head)
	late = lead(district.agency)  # registered by Administrator, who belongs to no unit
	frappe.db.set_value(
		"Complaint Lead", late.name, {"workflow_state": "已受理", "accepted_on": add_days(today, -30)}
	)
	frappe.get_doc("Complaint Lead", late.name).save()
	supervision.daily(today)
	[s] = supervisions(late.name)
	doc = frappe.get_doc("Supervision", s.name)
	assert (doc.time_limit, doc.responsible_member_unit, doc.head_user) == (
		"线索转办",
		"区民营经济局",
		intake_head,
	)
	# the duty moves to another unit: so does the next late transfer
	frappe.db.set_value("Member Unit", "区民营经济局", "duty", None)
	frappe.db.set_value("Member Unit", "区工商联", "duty", "民营经济")
	other = lead(district.school)
	frappe.db.set_value(
		"Complaint Lead", other.name, {"workflow_state": "已受理", "accepted_on": add_days(today, -30)}
	)
	frappe.get_doc("Complaint Lead", other.name).save()
	supervision.daily(today)
	assert (
		frappe.db.get_value("Supervision", {"reference_name": other.name}, "responsible_member_unit")
		== "区工商联"
	)
