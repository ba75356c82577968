"""应报尽报: each day the scheduler makes sure every debtor unit has its report for the latest
period that has ended (made once: the report's key is unique); a unit that has not reported
by the due date is supervised like any other time limit (oversight/supervision.py)."""

from __future__ import annotations

import frappe
from frappe.utils import getdate, nowdate

from qingqian_app.domain import unit_reports


def generate(today=None) -> int:
	today = getdate(today or nowdate())
	frequency = frappe.db.get_single_value("Qingqian Settings", "unit_report_frequency") or "月度"
	period = unit_reports.last_closed_period(today, frequency)
	have = set(
		frappe.get_all(
			"Unit Report",
			filters={"period_start": period.start},
			pluck="debtor_unit",
			ignore_permissions=True,
		)
	)
	units = frappe.get_all("Debtor Unit", filters={"is_suspended": 0}, pluck="name", ignore_permissions=True)
	made = 0
	for unit in units:
		if unit in have:
			continue
		doc = frappe.get_doc({"doctype": "Unit Report", "debtor_unit": unit, "period_start": period.start})
		doc.insert(ignore_permissions=True)
		made += 1
	return made
