"""拖欠民营企业账款台账汇总表: the counted items a user may see, by competent unit, by
debtor type or by debtor unit (a tree: each unit with its subsidiaries rolled up), with
clearance rates by amount and by count, disputed and undisputed, migrant wages.
Totals and rates are computed here from the sums (qingqian_app.domain.oversight)."""

from __future__ import annotations

import frappe
from frappe import _

from qingqian_app.domain.oversight import Tally, roll_up
from qingqian_app.oversight import figures


def execute(filters=None):
	filters = frappe._dict(filters or {})
	group_by = figures.chosen_grouping(filters, figures.GROUPS, "competent_unit")
	# from the aggregates kept up to date; scan=1 totals the items themselves (a check)
	own = figures.tallies(group_by, filters, scan=bool(frappe.utils.cint(filters.get("scan"))))
	total = sum(own.values(), Tally())
	rows = _tree_rows(own) if group_by == "debtor_unit" else _flat_rows(own, group_by)
	rows.append({"group": _("合计"), "indent": 0, "bold": 1, **total.as_dict()})
	return (
		columns(group_by),
		figures.numbers(rows),
		None,
		chart(rows[:-1], group_by),
		figures.numbers(summary(total)),
	)


def _flat_rows(own: dict[str, Tally], group_by: str) -> list[dict]:
	order = sorted(own, key=lambda g: (-own[g].outstanding_amount, g))
	return [{"group": g or _("（未填）"), "indent": 0, **own[g].as_dict()} for g in order]


def _tree_rows(own: dict[str, Tally]) -> list[dict]:
	units = figures.units_tree(list(own))
	rolled = roll_up(own, {u.name: u.parent_debtor_unit for u in units})
	depth: dict[str, int] = {}
	rows = []
	for u in units:  # lft order: a parent before its subsidiaries
		depth[u.name] = depth.get(u.parent_debtor_unit, -1) + 1 if u.parent_debtor_unit else 0
		rows.append(
			{
				"group": u.name,
				"parent_group": u.parent_debtor_unit,
				"indent": depth[u.name],
				"unit_type": u.unit_type,
				"measures_in_force": u.measures_in_force,
				**rolled[u.name].as_dict(),
			}
		)
	return rows


def columns(group_by: str) -> list[dict]:
	cols = [figures.group_column(*figures.GROUP_COLUMNS[group_by], width=240)]
	if group_by == "debtor_unit":
		cols.append({"fieldname": "unit_type", "label": _("单位类型"), "fieldtype": "Data", "width": 90})
		cols.append(figures.measures_column())
	money = lambda name, label: {"fieldname": name, "label": _(label), "fieldtype": "Currency", "width": 130}  # noqa: E731
	count = lambda name, label: {"fieldname": name, "label": _(label), "fieldtype": "Int", "width": 110}  # noqa: E731
	percent = lambda name, label: {"fieldname": name, "label": _(label), "fieldtype": "Percent", "width": 140}  # noqa: E731
	return [
		*cols,
		count("items", "事项数"),
		money("arrears_amount", "欠款金额"),
		money("repaid_amount", "已清偿金额"),
		money("outstanding_amount", "未清偿金额"),
		percent("amount_rate", "化解率（按金额）"),
		count("cleared_items", "已化解事项数"),
		percent("count_rate", "化解率（按笔数）"),
		money("undisputed_amount", "其中：无分歧金额"),
		money("disputed_amount", "其中：有分歧金额"),
		count("disputed_items", "有分歧事项数"),
		money("migrant_wage_amount", "其中：农民工工资"),
		money("migrant_wage_repaid", "农民工工资已清偿"),
	]


def chart(rows: list[dict], group_by: str) -> dict | None:
	top = [r for r in rows if not r.get("indent")]
	top = sorted(top, key=lambda r: -r["outstanding_amount"])[:12]
	if not top:
		return None
	return {
		"data": {
			"labels": [r["group"] for r in top],
			"datasets": [
				{"name": _("已清偿金额"), "values": [float(r["repaid_amount"]) for r in top]},
				{"name": _("未清偿金额"), "values": [float(r["outstanding_amount"]) for r in top]},
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
		"fieldtype": "Currency",
	}


def summary(total: Tally) -> list[dict]:
	return [
		{"value": total.items, "label": _("计入统计的事项"), "datatype": "Int", "indicator": "Blue"},
		{"value": total.arrears_amount, "label": _("欠款金额"), "datatype": "Currency", "indicator": "Blue"},
		{
			"value": total.repaid_amount,
			"label": _("已清偿金额"),
			"datatype": "Currency",
			"indicator": "Green",
		},
		{
			"value": total.outstanding_amount,
			"label": _("未清偿金额"),
			"datatype": "Currency",
			"indicator": "Red",
		},
		{
			"value": total.amount_rate or 0,
			"label": _("化解率（按金额）"),
			"datatype": "Percent",
			"indicator": "Green",
		},
		{
			"value": total.count_rate or 0,
			"label": _("化解率（按笔数）"),
			"datatype": "Percent",
			"indicator": "Green",
		},
	]
