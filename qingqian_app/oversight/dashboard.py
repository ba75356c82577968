"""The workspace's number cards and charts (清欠工作台), each scoped to the user.

Frappe caches a Dashboard Chart's data under the chart's name for every user, and counts a
Document Type card over the whole table: both would show one unit's figures to another or
the office's to a unit. So every card here is a Custom card and every chart a Custom chart
source whose method the desk calls directly: no shared cache, the user's scope applied by
the figures module (the same queries as the reports)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import add_months, get_first_day, getdate, nowdate

from qingqian_app.domain import supervision, unit_reports
from qingqian_app.domain.oversight import Tally
from qingqian_app.oversight import figures


def _total() -> Tally:
	frappe.has_permission("Arrears Item", "read", throw=True)
	return sum(figures.tallies("competent_unit").values(), Tally())


def _card(value, fieldtype: str, report: str | None = None, route: list | None = None) -> dict:
	return {
		"value": value,
		"fieldtype": fieldtype,
		"route": route or (["query-report", report] if report else None),
	}


@frappe.whitelist()
def outstanding_amount(filters=None) -> dict:
	"""未清偿金额: counted items the user may see."""
	return _card(_total().outstanding_amount, "Currency", "Arrears Summary")


@frappe.whitelist()
def clearance_rate(filters=None) -> dict:
	"""化解率（按金额）."""
	return _card(_total().amount_rate or 0, "Percent", "Arrears Summary")


@frappe.whitelist()
def overdue_items(filters=None) -> dict:
	"""逾期未清偿的台账事项."""
	frappe.has_permission("Arrears Item", "read", throw=True)
	by_group = figures.ageing("competent_unit")
	return _card(sum(n for ages in by_group.values() for n, _amount in ages.values()), "Int", "Overdue Aging")


@frappe.whitelist()
def overdue_leads(filters=None) -> dict:
	"""超期未转办或未反馈核查结果的投诉线索."""
	frappe.has_permission("Complaint Lead", "read", throw=True)
	return _card(sum(t.overdue_now for t in figures.lead_tallies("channel").values()), "Int", "Lead Handling")


@frappe.whitelist()
def repaid_by_month(chart_name=None, filters=None, **kwargs) -> dict:
	"""Chart: amounts repaid each month, last 12 months, on the counted items the user may see."""
	frappe.has_permission("Arrears Item", "read", throw=True)
	start = get_first_day(add_months(getdate(nowdate()), -11))
	cond, values = figures.where({})
	rows = frappe.db.sql(
		f"""select date_format(r.payment_date, '%%Y-%%m') as month, sum(r.amount) as amount
		from `tabArrears Repayment` r join `tabArrears Item` i on i.name = r.parent
			and r.parenttype = 'Arrears Item' and r.parentfield = 'repayments'
		where {cond} and r.payment_date >= %(start)s
		group by month order by month""",
		{**values, "start": start},
		as_dict=True,
	)
	by_month = {r.month: float(r.amount) for r in rows}
	months = [add_months(start, i) for i in range(12)]
	period = _("{0}年{1}月至{2}年{3}月").format(
		months[0].year, months[0].month, months[-1].year, months[-1].month
	)
	return {
		# the axis has room for 12月, not for a year beside it (it ran into the next label): the
		# months' span is in the series' name, which the legend and the tooltip show
		"labels": [f"{m.month}月" for m in months],
		"datasets": [
			{
				"name": _("清偿金额（{0}）").format(period),
				"values": [by_month.get(m.strftime("%Y-%m"), 0) for m in months],
			}
		],
	}


@frappe.whitelist()
def outstanding_by_unit_type(chart_name=None, filters=None, **kwargs) -> dict:
	"""Chart: outstanding and repaid by debtor type (机关/事业单位/国有企业)."""
	frappe.has_permission("Arrears Item", "read", throw=True)
	by_type = figures.tallies("debtor_unit_type")
	types = sorted(by_type, key=lambda t: -by_type[t].outstanding_amount)
	return {
		"labels": [t or _("（未填）") for t in types],
		"datasets": [
			{"name": _("未清偿金额"), "values": [float(by_type[t].outstanding_amount) for t in types]},
			{"name": _("已清偿金额"), "values": [float(by_type[t].repaid_amount) for t in types]},
		],
	}


@frappe.whitelist()
def units_not_reported(filters=None) -> dict:
	"""未报送单位: units whose report of the latest period is not yet submitted."""
	frappe.has_permission("Unit Report", "read", throw=True)
	latest = frappe.get_list("Unit Report", fields=["max(period_start) as p"])[0].p
	count = (
		frappe.get_list(
			"Unit Report",
			filters={"period_start": latest, "workflow_state": ["in", unit_reports.NOT_SUBMITTED]},
			fields=["count(*) as n"],
		)[0].n
		if latest
		else 0
	)
	return _card(
		count,
		"Int",
		route=["List", "Unit Report", {"period_start": latest, "workflow_state": unit_reports.FIRST_STATE}],
	)


@frappe.whitelist()
def open_supervisions(filters=None) -> dict:
	"""督办中: supervisions open or escalated, of the units the user may see."""
	frappe.has_permission("Supervision", "read", throw=True)
	count = frappe.get_list(
		"Supervision",
		filters={"status": ["in", [supervision.OPEN, supervision.ESCALATED]]},
		fields=["count(*) as n"],
	)[0].n
	return _card(count, "Int", "Supervision List")
