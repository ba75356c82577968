"""回访评价统计: how the enterprises rated each unit's handling of their matters (满意 / 基本满意 /
不满意, counted by domain.portal.rating_summary), in a period, with how many 不满意 still wait
for the clearing office's review. Read by those who read the ratings themselves (Handling
Rating's permissions: the office, the leaders, 工商联)."""

from __future__ import annotations

import frappe
from frappe import _

from qingqian_app.domain import portal


@frappe.read_only()
def execute(filters=None):
	filters = frappe._dict(filters or {})
	conditions = {}
	if filters.from_date and filters.to_date:
		conditions["rated_on"] = ["between", [filters.from_date, filters.to_date]]
	if filters.competent_unit:
		conditions["competent_unit"] = filters.competent_unit
	ratings = frappe.get_list(
		"Handling Rating", filters=conditions, fields=["unit", "competent_unit", "rating", "review_status"]
	)
	competent = {r.unit: r.competent_unit for r in ratings}
	rows = [
		{"unit": unit, "competent_unit": competent.get(unit), **v}
		for unit, v in portal.rating_summary(ratings).items()
	]
	rows.sort(key=lambda r: (r["satisfied_share"], -r[portal.DISSATISFIED], r["unit"]))
	return columns(), rows, None, None, summary(rows)


def columns() -> list[dict]:
	return [
		{"fieldname": "unit", "label": _("被评价单位"), "fieldtype": "Link", "options": "Debtor Unit", "width": 200},
		{"fieldname": "competent_unit", "label": _("主管部门"), "fieldtype": "Link", "options": "Member Unit", "width": 110},
		{"fieldname": "total", "label": _("评价件数"), "fieldtype": "Int", "width": 90},
		*({"fieldname": r, "label": _(r), "fieldtype": "Int", "width": 80} for r in portal.RATINGS),
		{"fieldname": "satisfied_share", "label": _("满意率（%）"), "fieldtype": "Float", "precision": 1, "width": 100},
		{"fieldname": "to_review", "label": _("待复核"), "fieldtype": "Int", "width": 80},
	]  # fmt: skip


def summary(rows) -> list[dict]:
	total = lambda k: sum(r[k] for r in rows)  # noqa: E731
	return [
		{"value": total("total"), "label": _("评价件数"), "datatype": "Int"},
		{"value": total(portal.DISSATISFIED), "label": _("不满意"), "datatype": "Int", "indicator": "Red"},
		{"value": total("to_review"), "label": _("待复核"), "datatype": "Int", "indicator": "Orange"},
	]
