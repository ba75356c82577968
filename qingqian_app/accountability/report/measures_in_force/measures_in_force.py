"""惩戒措施执行情况: every measure in force today (or on a date), by unit, with the member unit
that implements it — filtered to 限制参与政府采购 it is the list the procurement office takes
(导出 Excel). Each user sees the actions permissions.py lets them see."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from qingqian_app.accountability import actions
from qingqian_app.oversight.figures import column


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
		column("target_unit", "单位", "Link", 200, "Debtor Unit"),
		column("unit_type", "单位类型", "Data", 90),
		column("uscc", "统一社会信用代码", "Data", 170),
		column("measure", "惩戒措施", "Data", 150),
		column("implementing_unit", "实施单位", "Link", 120, "Member Unit"),
		column("start_date", "执行起日", "Date", 100),
		column("end_date", "执行止日", "Date", 100),
		column("target_person_title", "责任人职务", "Data", 100),
		column("action", "惩戒决定", "Link", 120, "Accountability Action"),
		column("decided_on", "决定日期", "Date", 100),
		column("competent_unit", "主管部门", "Link", 110, "Member Unit"),
	]
