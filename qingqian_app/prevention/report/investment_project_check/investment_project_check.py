"""政府投资项目检查 (工作方案二（六）; 附件 发改局“严把政府投资项目关”): the projects with arrears under
them, started (or found started) without every funding source confirmed, or — for a 机关 or
事业单位 — whose repayment is not in the budget. Read through the user's permissions; the
flags are the domain's (domain/projects.py), stored on each project as it is saved and daily."""

from __future__ import annotations

import frappe

from qingqian_app.domain import projects as rules
from qingqian_app.oversight.figures import column


@frappe.read_only()
def execute(filters=None):
	filters = frappe._dict(filters or {})
	conds = {}
	if filters.owner_unit:
		conds["owner_unit"] = filters.owner_unit
	if filters.flag:
		conds["project_flags"] = ["like", f"%{filters.flag}%"]
	elif not filters.show_all:
		conds["project_flags"] = ["is", "set"]
	rows = frappe.get_list(
		"Investment Project",
		filters=conds,
		fields=["name", "project_name", "owner_unit", "owner_unit_type", "workflow_state", "total_investment",
			"confirmed_amount", "funding_confirmed", "started_on", "repayment_in_budget", "arrears_count",
			"arrears_outstanding", "project_flags"],
		order_by="arrears_outstanding desc, name asc",
	)  # fmt: skip
	return columns(), rows


def columns() -> list[dict]:
	return [
		column("name", "项目", "Link", 120, "Investment Project"),
		column("project_name", "项目名称", "Data", 200),
		column("owner_unit", "项目单位", "Link", 160, "Debtor Unit"),
		column("workflow_state", "阶段", "Data", 80),
		column("total_investment", "总投资", "Currency", 130),
		column("confirmed_amount", "财政已确认", "Currency", 130),
		column("funding_confirmed", "资金已落实", "Check", 80),
		column("started_on", "开工日期", "Date", 100),
		column("repayment_in_budget", "还款纳入预算", "Check", 90),
		column("arrears_count", "拖欠台账", "Int", 80),
		column("arrears_outstanding", "未清偿金额", "Currency", 130),
		column("project_flags", "检查发现", "Data", 260),
	]


@frappe.whitelist()
def flag_options() -> list[str]:
	"""The filter's choices, as the domain names them."""
	return [rules.STARTED_UNFUNDED, rules.HAS_ARREARS, rules.REPAYMENT_NOT_BUDGETED]
