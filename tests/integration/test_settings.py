"""Every setting shown is a setting used: each value of Qingqian Settings is changed and its
effect seen (rolled back after each test)."""

import frappe
import pytest
from frappe.utils import add_days, getdate, nowdate

from qingqian_app.jinja import qingqian_issued
from qingqian_app.qingqian.doctype.complaint_lead.complaint_lead import limits as lead_limits
from qingqian_app.qingqian.doctype.issued_document.issued_document import draft, sign

from .factories import act, item, lead, set_state, user

SETTINGS = "Qingqian Settings"


def change(**values):
	doc = frappe.get_single(SETTINGS)
	doc.update(values)
	doc.save(ignore_permissions=True)
	frappe.clear_document_cache(SETTINGS, SETTINGS)
	frappe.flags.qingqian_test_settings = doc = frappe.get_doc(SETTINGS)  # read in this transaction
	keep_in_this_process(doc)


def keep_in_this_process(doc):
	"""The settings as this test changed them, in this process's cache only (never in Redis,
	where the bench's workers would read values not committed)."""
	frappe.local.cache[frappe.cache.make_key(frappe.get_document_cache_key(SETTINGS, SETTINGS))] = doc


@pytest.fixture(autouse=True)
def own_settings(monkeypatch):
	"""This test's settings, changed and not committed, stay in this process's cache.

	``frappe.set_user`` empties the process's cache, and the next read goes to Redis, where a
	background job of the bench that read the settings meanwhile may have put the committed
	(old) values: seen in CI, where the 通知书 printed after the head signed it showed the old
	office name. The cache is filled again with the changed settings after each change of user."""
	set_user = frappe.set_user

	def keep(username):
		set_user(username)
		if doc := frappe.flags.qingqian_test_settings:
			keep_in_this_process(doc)

	monkeypatch.setattr(frappe, "set_user", keep)
	yield
	frappe.flags.qingqian_test_settings = None


def test_every_field_of_the_settings_is_covered_here():
	"""A field added to Settings without a test of its effect fails this test."""
	covered = {
		"district_name", "office_name", "office_short_name", "letter_prefix", "bulletin_prefix", "cc_list",
		"agency_payment_days", "agency_max_agreed_days", "large_enterprise_payment_days",
		"complaint_transfer_working_days", "complaint_result_days", "complaint_result_max_days",
		"overdue_interest_daily_rate", "remind_working_days", "supervision_reply_days", "escalate_working_days",
		"unit_report_frequency", "unit_report_due_working_days", "receivable_confirmation_days", "lpr_rates",
	}  # fmt: skip
	fields = {
		df.fieldname
		for df in frappe.get_meta(SETTINGS).fields
		if df.fieldtype not in ("Section Break", "Column Break")
	}
	assert fields == covered


def test_payment_terms_and_the_interest_rate(district):
	delivered = add_days(nowdate(), -40)
	assert str(item(district.agency, delivery_date=delivered).due_date) == add_days(delivered, 30)
	change(agency_payment_days=20, large_enterprise_payment_days=45)
	assert str(item(district.agency, delivery_date=delivered).due_date) == add_days(delivered, 20)
	assert str(item(district.soe, delivery_date=delivered).due_date) == add_days(delivered, 45)

	overdue = item(district.agency, due_date=add_days(nowdate(), -10))
	assert overdue.overdue_interest == 100000 * 0.0005 * 10  # 万分之五 a day
	change(overdue_interest_daily_rate=0.1)
	assert item(district.agency, due_date=add_days(nowdate(), -10)).overdue_interest == 100000 * 0.001 * 10

	assert item(district.agency, agreed_payment_days=50).term_exceeds_limit == 0
	change(agency_max_agreed_days=45)
	frappe.message_log = []
	assert item(district.agency, agreed_payment_days=50).term_exceeds_limit == 1
	assert any("45 日上限" in str(m) for m in frappe.message_log)


def test_complaint_time_limits(district):
	change(complaint_transfer_working_days=5, complaint_result_days=20, complaint_result_max_days=40)
	terms = lead_limits()
	assert (terms.transfer_working_days, terms.result_days, terms.result_max_days) == (5, 20, 40)
	doc = lead(district.agency)
	frappe.db.set_value(
		"Complaint Lead", doc.name, {"accepted_on": "2026-03-02", "transferred_on": "2026-03-02"}
	)
	doc = frappe.get_doc("Complaint Lead", doc.name)
	doc.save()
	assert str(doc.transfer_deadline) == "2026-03-09"  # 5 working days
	assert str(doc.handling_deadline) == "2026-03-22"  # 20 days
	from qingqian_app.domain import complaints

	assert "最多还可延长 20 日" in complaints.extension_problems(0, 21, terms)[0].message


@pytest.fixture
def notice(district):
	"""A 限期清偿通知书 drafted by office staff and signed by the office head."""
	doc = set_state(item(district.agency, repay_deadline="2026-12-31"), "清偿中")
	staff = user("it.settings.staff", ["Qingqian Office Staff"])
	head = user("it.settings.head", ["Qingqian Office Head"])
	return frappe._dict(doc=doc, staff=staff, head=head)


def signed_html(n, kind="限期清偿通知书"):
	frappe.set_user(n.staff)
	draft(kind, n.doc.doctype, n.doc.name)
	frappe.set_user(n.head)
	number = sign(kind, n.doc.doctype, n.doc.name)
	frappe.set_user("Administrator")
	html = frappe.get_print(n.doc.doctype, n.doc.name, kind)
	return number, html


def test_names_prefixes_and_copies_in_the_documents(notice):
	change(office_name="某区清欠工作组办公室", office_short_name="某清欠办", district_name="某区",
		letter_prefix="某清欠函", cc_list="区委办公室")  # fmt: skip
	number, html = signed_html(notice)
	assert number.startswith("某清欠函〔") and number in html
	assert "某区清欠工作组办公室" in html and "报送某清欠办" in html and "《某区防范和化解" in html
	assert "抄送：区委办公室。" in html
	assert qingqian_issued("限期清偿通知书", notice.doc)["date"] == getdate(nowdate())


def test_a_bulletin_is_numbered_under_its_own_prefix(monkeypatch):
	from qingqian_app.domain import docnumber
	from qingqian_app.qingqian.doctype.issued_document import issued_document

	change(bulletin_prefix="某清欠发")
	assert docnumber.PREFIX_FIELD["清欠工作进展情况通报"] == "bulletin_prefix"
	assert issued_document.prefix_of("清欠工作进展情况通报") == "某清欠发"
	assert issued_document.prefix_of("督办函") == frappe.db.get_single_value(SETTINGS, "letter_prefix")


def test_the_workflow_action_matches_the_settings_limits(district):
	"""申请延期 is refused beyond the settings' maximum (the controller reads the same limits)."""
	change(complaint_result_days=30, complaint_result_max_days=35)
	head = user("it.settings.dhead", ["Debtor Unit Head"], debtor_unit=district.agency)
	doc = set_state(lead(district.agency, transferred_to=district.agency), "核查中")
	frappe.db.set_value(
		"Complaint Lead", doc.name, {"requested_extension_days": 10, "transferred_on": nowdate()}
	)
	with pytest.raises(frappe.ValidationError, match="最多还可延长 5 日"):
		act("Complaint Lead", doc.name, "申请延期", head)


def test_reminder_and_supervision_windows(district):
	from qingqian_app.oversight import supervision

	head = user("it.set.head", ["Debtor Unit Head"], debtor_unit=district.agency)
	today = getdate(nowdate())

	def overdue_item(deadline):
		return set_state(
			item(district.agency, responsible_unit=district.agency, repay_deadline=deadline), "清偿中"
		)

	soon = overdue_item(add_days(today, 20))  # more than 3 working days ahead, even across a holiday
	supervision.daily(today)
	assert not frappe.db.exists("ToDo", {"reference_name": soon.name, "allocated_to": head})
	change(remind_working_days=20)
	supervision.daily(today)
	assert frappe.db.exists("ToDo", {"reference_name": soon.name, "allocated_to": head})

	change(supervision_reply_days=20, escalate_working_days=1)
	past = overdue_item(add_days(today, -2))
	supervision.daily(today)
	s = frappe.get_doc("Supervision", {"reference_name": past.name})
	assert getdate(s.reply_deadline) == getdate(add_days(today, 20))
	html = frappe.get_print("Supervision", s.name, "督办函")
	assert "二十日内" in html
	# a working day after the letter's limit (ten days on is past any weekend or holiday)
	supervision.daily(add_days(s.reply_deadline, 10))
	assert frappe.db.get_value("Supervision", s.name, "status") == "已升级"


def test_unit_report_period_and_due_date(district):
	from datetime import date

	def report(start):
		doc = frappe.get_doc(
			{"doctype": "Unit Report", "debtor_unit": district.agency, "period_start": start}
		)
		return doc.insert()

	monthly = report(date(2001, 5, 1))
	assert (monthly.period_label, str(monthly.period_end)) == ("2001年5月", "2001-05-31")
	change(unit_report_frequency="季度", unit_report_due_working_days=10)
	quarterly = report(date(2001, 8, 15))
	assert (quarterly.period_label, str(quarterly.period_start), str(quarterly.period_end)) == (
		"2001年第3季度", "2001-07-01", "2001-09-30")  # fmt: skip
	# five, then ten working days after the period (2001: no holiday data, weekdays only)
	assert getdate(monthly.due_date) == date(2001, 6, 7) and getdate(quarterly.due_date) == date(2001, 10, 12)


def test_the_days_to_confirm_a_receivable_and_the_lpr_table_are_the_ones_used(district):
	from .factories import enterprise

	change(receivable_confirmation_days=20)
	today = getdate(nowdate())
	request = frappe.get_doc({"doctype": "Receivable Confirmation", "enterprise": enterprise(),
		"debtor_unit": district.agency, "requested_on": today, "requested_amount": 1000}).insert()  # fmt: skip
	assert getdate(request.deadline) == add_days(today, 20)
	terms = {"doctype": "Contract Review", "contract_name": "设置测试合同", "paying_unit": district.agency,
		"enterprise": enterprise(), "arrears_category": "服务", "contract_amount": 1000, "contract_date": "2026-03-01",
		"agreed_annual_rate": 3.65}  # fmt: skip
	assert frappe.get_doc(terms).insert().finding_count == 0
	change(lpr_rates=[{"effective_date": "2026-01-01", "one_year_rate": 4.0}])
	review = frappe.get_doc(terms).insert()
	assert [f.article for f in review.findings] == ["条例第十七条"] and "4.00%" in review.findings[0].finding
