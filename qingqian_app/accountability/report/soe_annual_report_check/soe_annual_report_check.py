"""国企年报核对: each SOE's annual report against the ledger at the year's end — the figures
both ways and the difference; by default only those that disagree (for 市场监管局 to act on:
列入经营异常名录 through an accountability action)."""

from __future__ import annotations

import frappe
from frappe import _


@frappe.read_only()
def execute(filters=None):
	filters = frappe._dict(filters or {})
	conds = {}
	if filters.year:
		conds["year"] = int(filters.year)
	if not filters.show_all:
		conds["matches"] = 0
	rows = frappe.get_list(
		"SOE Annual Report",
		filters=conds,
		fields=["name", "debtor_unit", "uscc", "year", "disclosed_count", "ledger_count", "disclosed_amount",
			"ledger_amount", "difference", "accountability_action"],
		order_by="year desc, debtor_unit asc",
	)  # fmt: skip
	return columns(), rows


def columns() -> list[dict]:
	return [
		{
			"fieldname": "name",
			"label": _("核对记录"),
			"fieldtype": "Link",
			"options": "SOE Annual Report",
			"width": 200,
		},
		{
			"fieldname": "debtor_unit",
			"label": _("国有企业"),
			"fieldtype": "Link",
			"options": "Debtor Unit",
			"width": 200,
		},
		{"fieldname": "uscc", "label": _("统一社会信用代码"), "fieldtype": "Data", "width": 170},
		{"fieldname": "year", "label": _("年度"), "fieldtype": "Int", "width": 70},
		{"fieldname": "disclosed_count", "label": _("年报披露笔数"), "fieldtype": "Int", "width": 110},
		{"fieldname": "ledger_count", "label": _("台账年末笔数"), "fieldtype": "Int", "width": 110},
		{"fieldname": "disclosed_amount", "label": _("年报披露金额"), "fieldtype": "Currency", "width": 140},
		{"fieldname": "ledger_amount", "label": _("台账年末金额"), "fieldtype": "Currency", "width": 140},
		{"fieldname": "difference", "label": _("差异"), "fieldtype": "Data", "width": 240},
		{
			"fieldname": "accountability_action",
			"label": _("惩戒决定"),
			"fieldtype": "Link",
			"options": "Accountability Action",
			"width": 120,
		},
	]
