"""年度公开情况 (条例第十八条; 纳入政府信息公开考核): each 机关 and 事业单位's record of a year —
its figures from the ledger, whether and when it published them — by default those that have
not published yet (待公开, 逾期未公开)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from qingqian_app.domain import disclosure
from qingqian_app.oversight.figures import column


@frappe.read_only()
def execute(filters=None):
	filters = frappe._dict(filters or {})
	year = int(filters.year or getdate(nowdate()).year - 1)
	conds = {"year": year}
	if not filters.show_all:
		conds["status"] = ["in", [disclosure.NOT_YET, disclosure.MISSED]]
	if filters.competent_unit:
		conds["competent_unit"] = filters.competent_unit
	rows = frappe.get_list(
		"Unit Annual Disclosure",
		filters=conds,
		fields=["name", "debtor_unit", "unit_type", "competent_unit", "overdue_contract_count", "overdue_amount",
			"due_date", "status", "published_on", "published_where"],
		order_by="status desc, debtor_unit asc",
	)  # fmt: skip
	return columns(), rows


def columns() -> list[dict]:
	return [
		column("debtor_unit", "单位", "Link", 200, "Debtor Unit"),
		column("unit_type", "单位类型", "Data", 90),
		column("competent_unit", "主管部门", "Link", 110, "Member Unit"),
		column("overdue_contract_count", "逾期未支付合同数", "Int", 120),
		column("overdue_amount", "逾期未支付金额", "Currency", 140),
		column("due_date", "公开期限", "Date", 100),
		column("status", "状态", "Data", 100),
		column("published_on", "公开日期", "Date", 100),
		column("published_where", "公开渠道", "Data", 200),
		column("name", "记录", "Link", 160, "Unit Annual Disclosure"),
	]
