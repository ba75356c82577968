"""化解进度排名: the debtor units a user may see, ranked by clearance rate by amount and then by
overdue outstanding (domain.bulletins.rank), with the change since the last issued bulletin.
Figures from the aggregates kept up to date and the overdue ages (qingqian_app.oversight)."""

from __future__ import annotations

import frappe
from frappe import _

from qingqian_app.domain import bulletins
from qingqian_app.domain.money import yuan
from qingqian_app.oversight import figures
from qingqian_app.oversight.bulletins import last_issued, ranking_of


def execute(filters=None):
	filters = frappe._dict(filters or {})
	by_unit = figures.tallies("debtor_unit", filters)
	overdue = {
		unit: sum((amount for _n, amount in ages.values()), yuan(0))
		for unit, ages in figures.ageing("debtor_unit", filters).items()
	}
	last = last_issued()
	ranking = bulletins.rank(by_unit, overdue, ranking_of(last))
	measures = figures.measures_of([r.unit for r in ranking])
	rows = [
		{
			"rank": r.rank,
			"unit": r.unit,
			"amount_rate": r.amount_rate,
			"rate_change": r.rate_change,
			"rank_change": r.rank_change,
			"outstanding": r.outstanding,
			"overdue_outstanding": r.overdue_outstanding,
			"items": by_unit[r.unit].items,
			"measures_in_force": measures.get(r.unit),
		}
		for r in ranking
	]
	message = _("变化与已签发的通报 {0} 相比").format(last.name) if last else _("尚无已签发的通报可比较")
	return columns(), figures.numbers(rows), message, chart(rows), summary(rows)


def columns() -> list[dict]:
	return [
		{"fieldname": "rank", "label": _("名次"), "fieldtype": "Int", "width": 70},
		{
			"fieldname": "unit",
			"label": _("欠款单位"),
			"fieldtype": "Link",
			"options": "Debtor Unit",
			"width": 220,
		},
		{"fieldname": "amount_rate", "label": _("化解率（按金额）"), "fieldtype": "Percent", "width": 140},
		{
			"fieldname": "rate_change",
			"label": _("较上期（百分点）"),
			"fieldtype": "Float",
			"precision": 2,
			"width": 140,
		},
		{"fieldname": "rank_change", "label": _("名次变化"), "fieldtype": "Int", "width": 100},
		{
			"fieldname": "overdue_outstanding",
			"label": _("逾期未清偿金额"),
			"fieldtype": "Currency",
			"width": 150,
		},
		{"fieldname": "outstanding", "label": _("未清偿金额"), "fieldtype": "Currency", "width": 140},
		{"fieldname": "items", "label": _("事项数"), "fieldtype": "Int", "width": 90},
		figures.measures_column(),
	]


def chart(rows) -> dict | None:
	top = rows[:15]
	if not top:
		return None
	return {
		"data": {"labels": [r["unit"] for r in top], "datasets": [{"name": _("化解率（按金额）"), "values": [float(r["amount_rate"] or 0) for r in top]}]},
		"type": "bar",
	}  # fmt: skip


def summary(rows) -> list[dict]:
	up = sum(1 for r in rows if (r["rank_change"] or 0) > 0)
	down = sum(1 for r in rows if (r["rank_change"] or 0) < 0)
	return [
		{"value": len(rows), "label": _("参与排名的单位"), "datatype": "Int", "indicator": "Blue"},
		{"value": up, "label": _("名次上升"), "datatype": "Int", "indicator": "Green"},
		{"value": down, "label": _("名次下降"), "datatype": "Int", "indicator": "Red"},
	]
