"""逾期账龄分析: outstanding overdue amounts of the counted items a user may see, by the
overdue age groups of domain.oversight.AGES, per competent unit, debtor type or debtor unit."""

from __future__ import annotations

from decimal import Decimal

import frappe
from frappe import _

from qingqian_app.domain.oversight import AGES
from qingqian_app.oversight import figures


def execute(filters=None):
	filters = frappe._dict(filters or {})
	group_by = figures.chosen_grouping(filters, figures.GROUPS, "competent_unit")
	by_group = figures.ageing(group_by, filters)
	rows = [_row(g or _("（未填）"), ages) for g, ages in by_group.items()]
	rows.sort(key=lambda r: (-r["outstanding"], r["group"]))
	total = {}
	for _low, _high, label in AGES:
		total[label] = (
			sum(a.get(label, (0, 0))[0] for a in by_group.values()),
			sum((a.get(label, (0, Decimal(0)))[1] for a in by_group.values()), Decimal("0.00")),
		)
	total_row = {**_row(_("合计"), total), "bold": 1}
	rows = figures.numbers([*rows, total_row])
	return columns(group_by), rows, None, chart(total_row), figures.numbers(summary(total_row))


def _key(i: int) -> str:
	return f"age_{i}"


def _row(group: str, ages: dict) -> dict:
	row = {"group": group, "items": 0, "outstanding": Decimal("0.00")}
	for i, (_low, _high, label) in enumerate(AGES):
		items, amount = ages.get(label, (0, Decimal("0.00")))
		row[_key(i)] = amount
		row[_key(i) + "_items"] = items
		row["items"] += items
		row["outstanding"] += amount
	return row


def columns(group_by: str) -> list[dict]:
	cols = [
		figures.group_column(*figures.GROUP_COLUMNS[group_by]),
		{"fieldname": "items", "label": _("逾期事项数"), "fieldtype": "Int", "width": 90},
		{"fieldname": "outstanding", "label": _("逾期未清偿金额"), "fieldtype": "Currency", "width": 140},
	]
	for i, (_low, _high, label) in enumerate(AGES):
		cols.append({"fieldname": _key(i), "label": _(label), "fieldtype": "Currency", "width": 120})
		cols.append(
			{
				"fieldname": _key(i) + "_items",
				"label": _("{0}（笔）").format(_(label)),
				"fieldtype": "Int",
				"width": 90,
			}
		)
	return cols


def chart(total_row: dict) -> dict:
	return {
		"data": {
			"labels": [_(label) for _low, _high, label in AGES],
			"datasets": [
				{"name": _("逾期未清偿金额"), "values": [float(total_row[_key(i)]) for i in range(len(AGES))]}
			],
		},
		"type": "bar",
		"fieldtype": "Currency",
	}


def summary(total_row: dict) -> list[dict]:
	longest = len(AGES) - 1
	return [
		{"value": total_row["items"], "label": _("逾期事项"), "datatype": "Int", "indicator": "Red"},
		{
			"value": total_row["outstanding"],
			"label": _("逾期未清偿金额"),
			"datatype": "Currency",
			"indicator": "Red",
		},
		{
			"value": total_row[_key(longest)],
			"label": _("其中：{0}").format(_(AGES[longest][2])),
			"datatype": "Currency",
			"indicator": "Orange",
		},
	]
