"""年度公开情况 (条例第十八条; 纳入政府信息公开考核): each 机关 and 事业单位's record of a year —
its figures from the ledger, whether and when it published them — by default those that have
not published yet (待公开, 逾期未公开)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from qingqian_app.domain import disclosure


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
		{
			"fieldname": "debtor_unit",
			"label": _("单位"),
			"fieldtype": "Link",
			"options": "Debtor Unit",
			"width": 200,
		},
		{"fieldname": "unit_type", "label": _("单位类型"), "fieldtype": "Data", "width": 90},
		{
			"fieldname": "competent_unit",
			"label": _("主管部门"),
			"fieldtype": "Link",
			"options": "Member Unit",
			"width": 110,
		},
		{
			"fieldname": "overdue_contract_count",
			"label": _("逾期未支付合同数"),
			"fieldtype": "Int",
			"width": 120,
		},
		{"fieldname": "overdue_amount", "label": _("逾期未支付金额"), "fieldtype": "Currency", "width": 140},
		{"fieldname": "due_date", "label": _("公开期限"), "fieldtype": "Date", "width": 100},
		{"fieldname": "status", "label": _("状态"), "fieldtype": "Data", "width": 100},
		{"fieldname": "published_on", "label": _("公开日期"), "fieldtype": "Date", "width": 100},
		{"fieldname": "published_where", "label": _("公开渠道"), "fieldtype": "Data", "width": 200},
		{
			"fieldname": "name",
			"label": _("记录"),
			"fieldtype": "Link",
			"options": "Unit Annual Disclosure",
			"width": 160,
		},
	]
