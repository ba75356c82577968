"""惩戒措施执行情况: every measure in force today (or on a date), by unit, with the member unit
that implements it — filtered to 限制参与政府采购 it is the list the procurement office takes
(导出 Excel). Each user sees the actions permissions.py lets them see."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from qingqian_app.accountability import actions


@frappe.read_only()
def execute(filters=None):
	filters = frappe._dict(filters or {})
	visible = frappe.get_list("Accountability Action", pluck="name")
	rows = actions.rows_in_force(getdate(filters.date or nowdate()), visible, filters.measure or None)
	if filters.implementing_unit:
		rows = [r for r in rows if r.implementing_unit == filters.implementing_unit]
	return columns(), [{k: v for k, v in r.items() if k != "facts"} for r in rows]


def columns() -> list[dict]:
	return [
		{
			"fieldname": "target_unit",
			"label": _("单位"),
			"fieldtype": "Link",
			"options": "Debtor Unit",
			"width": 200,
		},
		{"fieldname": "unit_type", "label": _("单位类型"), "fieldtype": "Data", "width": 90},
		{"fieldname": "uscc", "label": _("统一社会信用代码"), "fieldtype": "Data", "width": 170},
		{"fieldname": "measure", "label": _("惩戒措施"), "fieldtype": "Data", "width": 150},
		{
			"fieldname": "implementing_unit",
			"label": _("实施单位"),
			"fieldtype": "Link",
			"options": "Member Unit",
			"width": 120,
		},
		{"fieldname": "start_date", "label": _("执行起日"), "fieldtype": "Date", "width": 100},
		{"fieldname": "end_date", "label": _("执行止日"), "fieldtype": "Date", "width": 100},
		{"fieldname": "target_person_title", "label": _("责任人职务"), "fieldtype": "Data", "width": 100},
		{
			"fieldname": "action",
			"label": _("惩戒决定"),
			"fieldtype": "Link",
			"options": "Accountability Action",
			"width": 120,
		},
		{"fieldname": "decided_on", "label": _("决定日期"), "fieldtype": "Date", "width": 100},
		{
			"fieldname": "competent_unit",
			"label": _("主管部门"),
			"fieldtype": "Link",
			"options": "Member Unit",
			"width": 110,
		},
	]
