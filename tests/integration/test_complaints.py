"""Leads and petitions in-process: the calendar seeded from chinese-calendar, a lead's
deadlines across the Spring Festival, a petition's notifications, contact data private."""

import frappe

from qingqian_app.working_calendar import seed_from_package, site_calendar

from .factories import act, enterprise, lead, user


def test_calendar_is_seeded_and_idempotent():
	assert frappe.db.get_value("Working Calendar Day", "2026-02-14", "day_type") == "调休工作日"
	assert frappe.db.get_value("Working Calendar Day", "2026-10-01", "holiday_name") == "国庆节"
	assert seed_from_package() == 0
	cal = site_calendar()
	assert {2023, 2024, 2025, 2026} <= set(cal.known_years)


def test_transfer_deadline_counts_working_days_across_the_spring_festival(district):
	doc = lead(district.agency)
	frappe.db.set_value("Complaint Lead", doc.name, "accepted_on", "2026-02-13")
	doc = frappe.get_doc("Complaint Lead", doc.name)
	doc.save()
	assert str(doc.transfer_deadline) == "2026-03-05"


def test_a_year_missing_from_the_calendar_is_flagged(district):
	doc = lead(district.agency)
	frappe.db.set_value("Complaint Lead", doc.name, "accepted_on", "2026-12-28")
	frappe.message_log = []
	doc = frappe.get_doc("Complaint Lead", doc.name)
	doc.save()
	assert any("2027" in str(m) and "补录" in str(m) for m in frappe.message_log)


def test_petition_transfer_notifies_the_unit_and_the_office(district):
	head = user("it.agency.head", ["Debtor Unit Head"], debtor_unit=district.agency)
	office = user("it.office", ["Qingqian Office Staff"])
	other = user("it.school.head", ["Debtor Unit Head"], debtor_unit=district.school)
	registrar = user("it.petition", ["Petition Officer"])
	frappe.set_user(registrar)
	p = frappe.get_doc(
		{
			"doctype": "Petition",
			"petition_no": "XF-IT-1",
			"petition_form": "来访",
			"involved_unit": district.agency,
			"content": "测试",
		}
	).insert()
	act("Petition", p.name, "转送", registrar)
	notified = set(frappe.get_all("Notification Log", filters={"document_name": "XF-IT-1"}, pluck="for_user"))
	assert {head, office} <= notified and other not in notified
	assert frappe.has_permission("Petition", "read", doc="XF-IT-1", user=head)
	assert not frappe.has_permission("Petition", "read", doc="XF-IT-1", user=other)


def test_contact_data_only_for_those_who_handle_the_lead(district):
	import frappe.client

	doc = lead(district.agency)
	frappe.db.set_value(
		"Complaint Lead", doc.name, {"transferred_to": district.agency, "workflow_state": "已转办"}
	)
	handler = user("it.rep", ["Debtor Unit Reporter"], debtor_unit=district.agency)
	leader = user("it.leader", ["Qingqian Leader"])  # reads every lead, handles none
	member = user("it.member", ["Member Unit Staff"], member_unit="区财政局")
	for who, phone in ((handler, "0356-1234567"), (leader, None)):
		frappe.set_user(who)
		frappe.local.qingqian_scopes = {}
		assert frappe.client.get("Complaint Lead", doc.name).get("complainant_phone") == phone, who
	frappe.set_user(member)
	frappe.local.qingqian_scopes = {}
	assert not frappe.has_permission("Complaint Lead", "read", doc=doc.name)
	frappe.set_user("Administrator")


def test_petition_opens_a_lead_or_joins_the_open_one(district):
	first = lead(district.agency, contract_no="HT-XF-1", enterprise=enterprise())
	p = frappe.get_doc(
		{
			"doctype": "Petition",
			"petition_no": "XF-IT-2",
			"petition_form": "来信",
			"involved_unit": district.agency,
			"enterprise": enterprise(),
			"claimed_amount": 50200,  # within 1 % of the open lead's 50,000
			"content": "反映同一笔欠款",
		}
	).insert()
	joined = frappe.get_doc("Petition", p.name).open_lead()
	assert joined == first.name
	channels = [r.channel for r in frappe.get_doc("Complaint Lead", first.name).reported_channels]
	assert channels == ["12345热线", "信访局转送"]
