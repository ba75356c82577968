"""应报尽报 on a real site: one report per unit and period, made once; a zero report only
with no new items and with a statement; every open item updated before 报送; approved by the
unit's head, reviewed by the competent unit; a late report supervised."""

from datetime import date

import frappe
import pytest
from frappe.utils import getdate, nowdate

from qingqian_app.domain import unit_reports as rules
from qingqian_app.oversight import supervision, unit_reports

from .factories import act, as_user, item, user


@pytest.fixture
def people(district):
	return frappe._dict(
		reporter=user("it.ur.rep", ["Debtor Unit Reporter"], debtor_unit=district.agency),
		head=user("it.ur.head", ["Debtor Unit Head"], debtor_unit=district.agency),
		member=user("it.ur.finance", ["Member Unit Head"], member_unit="区财政局"),
		other=user("it.ur.other", ["Debtor Unit Reporter"], debtor_unit=district.school),
	)


def report_of(unit, period_start):
	return frappe.get_doc("Unit Report", {"debtor_unit": unit, "period_start": period_start})


def test_each_unit_gets_one_report_per_period(district):
	period = rules.last_closed_period(getdate(nowdate()), "月度")
	first = unit_reports.generate()
	assert unit_reports.generate() == 0
	assert first >= 1
	units = frappe.get_all("Debtor Unit", filters={"is_suspended": 0}, pluck="name")
	assert frappe.db.count("Unit Report", {"period_start": period.start}) == len(units)
	r = report_of(district.agency, period.start)
	assert (r.workflow_state, r.period_end, r.competent_unit) == ("待填报", period.end, "区财政局")
	assert getdate(r.due_date) > period.end
	assert not frappe.db.exists(
		"Unit Report", {"debtor_unit": district.suspended, "period_start": period.start}
	)


def test_a_report_says_what_the_period_brought_and_is_submitted_only_when_true(district, people):
	today = getdate(nowdate())
	period = rules.period_containing(today, "月度")  # this month: the items made now fall in it
	open_item = item(district.agency, arrears_amount=5000)
	as_user(people.reporter)
	r = frappe.get_doc(
		{"doctype": "Unit Report", "debtor_unit": district.agency, "period_start": period.start}
	).insert()
	assert r.new_items_count >= 1 and open_item.name in r.new_items
	assert r.open_items >= 1 and r.updated_items < r.open_items and open_item.name in r.not_updated
	r.is_zero_report = 1
	r.save()
	with pytest.raises(frappe.ValidationError, match="不能报零报告"):
		act("Unit Report", r.name, "报送", people.reporter)
	r.reload()
	r.is_zero_report = 0
	r.save()
	with pytest.raises(frappe.ValidationError, match="未更新进展"):
		act("Unit Report", r.name, "报送", people.reporter)
	# every open item of the unit gets its progress for the period
	as_user("Administrator")
	for name in frappe.get_all("Arrears Item", filters={"debtor_unit": district.agency,
		"workflow_state": ["not in", ["已销号", "不予列入", "重复"]]}, pluck="name"):  # fmt: skip
		doc = frappe.get_doc("Arrears Item", name)
		doc.append("progress_updates", {"update_date": today, "content": "已拟订清偿计划"})
		doc.save()
	as_user(people.reporter)
	r = frappe.get_doc("Unit Report", r.name)
	r.save()  # counts again
	assert r.updated_items == r.open_items
	assert act("Unit Report", r.name, "报送", people.reporter).workflow_state == "待审批"
	assert act("Unit Report", r.name, "批准", people.head).workflow_state == "待审核"
	assert act("Unit Report", r.name, "审核通过", people.member).workflow_state == "已汇总"
	# another unit's reporter does not see it
	as_user(people.other)
	assert not frappe.has_permission("Unit Report", "read", doc=r.name)


def test_a_zero_report_needs_its_statement(district, people):
	as_user(people.reporter)
	r = frappe.get_doc(
		{"doctype": "Unit Report", "debtor_unit": district.school, "period_start": date(2001, 1, 1)}
	)
	as_user("Administrator")
	r.insert()
	assert (r.new_items_count, r.open_items) == (0, 0)
	r.is_zero_report = 1
	r.save()
	with pytest.raises(frappe.ValidationError, match="零报告须说明"):
		act("Unit Report", r.name, "报送")
	r.reload()
	r.statement = "经排查，本期无新增拖欠"
	r.save()
	assert act("Unit Report", r.name, "报送").workflow_state == "待审批"


def test_a_late_report_is_supervised(district, people):
	r = frappe.get_doc(
		{"doctype": "Unit Report", "debtor_unit": district.agency, "period_start": date(2001, 2, 1)}
	)
	r.insert()
	assert getdate(r.due_date) < getdate(nowdate())
	supervision.daily()
	s = frappe.get_doc("Supervision", {"reference_name": r.name})
	assert (s.time_limit, s.responsible_unit, s.head_user) == ("单位定期报告", district.agency, people.head)
	assert getdate(s.deadline) == getdate(r.due_date)
