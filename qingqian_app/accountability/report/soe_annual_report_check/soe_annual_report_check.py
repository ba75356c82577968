"""国企年报核对: each SOE's annual report against the ledger at the year's end — the figures
both ways and the difference; by default only those that disagree (for 市场监管局 to act on:
列入经营异常名录 through an accountability action)."""

from __future__ import annotations

import frappe
from frappe import _

from qingqian_app.oversight.figures import column


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
		column("name", "核对记录", "Link", 200, "SOE Annual Report"),
		column("debtor_unit", "国有企业", "Link", 200, "Debtor Unit"),
		column("uscc", "统一社会信用代码", "Data", 170),
		column("year", "年度", "Int", 70),
		column("disclosed_count", "年报披露笔数", "Int", 110),
		column("ledger_count", "台账年末笔数", "Int", 110),
		column("disclosed_amount", "年报披露金额", "Currency", 140),
		column("ledger_amount", "台账年末金额", "Currency", 140),
		column("difference", "差异", "Data", 240),
		column("accountability_action", "惩戒决定", "Link", 120, "Accountability Action"),
	]
