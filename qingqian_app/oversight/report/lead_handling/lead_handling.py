"""线索办理情况统计 (工作方案二（三）; 条例第二十五条): the leads a user may see, by channel or by
the unit they were transferred to: accepted or not, transferred and fed back on time and
late, the outcomes of the work plan, and the average working days each step took.
Totals and averages are computed from the sums (qingqian_app.domain.oversight.LeadTally)."""

from __future__ import annotations

import frappe
from frappe import _

from qingqian_app.domain.oversight import LEAD_STEPS, LeadTally
from qingqian_app.oversight import figures

GROUP_COLUMNS = {"channel": ("线索来源渠道", None), "transferred_to": ("承办单位", "Debtor Unit")}
COUNTS = (
	("received", "线索数"), ("rejected", "不予受理"), ("transferred", "已转办"), ("transferred_late", "逾期转办"), ("untransferred_overdue", "超期未转办"),
	("results", "已反馈核查结果"), ("results_late", "逾期反馈"), ("overdue_open", "超期未反馈"),
	("closed", "已办结"), ("out_of_scope", "不属于受理范围"), ("undisputed", "未清偿且无争议"),
	("disputed", "存在争议"), ("into_ledger", "纳入台账"),
)  # fmt: skip


def execute(filters=None):
	filters = frappe._dict(filters or {})
	group_by = figures.chosen_grouping(filters, figures.LEAD_GROUPS, "channel")
	by_group = figures.lead_tallies(group_by, filters)
	order = sorted(by_group, key=lambda g: (-by_group[g].received, g))
	rows = [_row(g or _("（未转办）"), by_group[g]) for g in order]
	total = sum(by_group.values(), LeadTally())
	rows.append({**_row(_("合计"), total), "bold": 1})
	return columns(group_by), figures.numbers(rows), None, chart(rows[:-1]), figures.numbers(summary(total))


def _row(group: str, t: LeadTally) -> dict:
	row = {"group": group, "on_time_rate": t.on_time_rate}
	row.update({name: getattr(t, name) for name, _label in COUNTS})
	for i, days in enumerate(t.average_days()):
		row[f"step_{i}"] = days
	return row


def columns(group_by: str) -> list[dict]:
	cols = [figures.group_column(*GROUP_COLUMNS[group_by], width=180)] + [
		{"fieldname": n, "label": _(label), "fieldtype": "Int", "width": 90} for n, label in COUNTS
	]
	cols.insert(
		9, {"fieldname": "on_time_rate", "label": _("按时反馈率"), "fieldtype": "Percent", "width": 100}
	)
	cols += [
		{"fieldname": f"step_{i}", "label": _("平均用时：{0}（工作日）").format(_(label)), "fieldtype": "Float", "precision": 1, "width": 150}
		for i, (label, _start, _end) in enumerate(LEAD_STEPS)
	]  # fmt: skip
	return cols


def chart(rows: list[dict]) -> dict | None:
	if not rows:
		return None
	return {
		"data": {
			"labels": [r["group"] for r in rows],
			"datasets": [
				{"name": _("已反馈核查结果"), "values": [r["results"] for r in rows]},
				{"name": _("逾期反馈"), "values": [r["results_late"] for r in rows]},
				{"name": _("超期未反馈"), "values": [r["overdue_open"] for r in rows]},
			],
		},
		"type": "bar",
	}


def summary(t: LeadTally) -> list[dict]:
	avg = t.average_days()
	return [
		{"value": t.received, "label": _("线索数"), "datatype": "Int", "indicator": "Blue"},
		{"value": t.untransferred_overdue, "label": _("超期未转办"), "datatype": "Int", "indicator": "Red"},
		{"value": t.overdue_open, "label": _("超期未反馈"), "datatype": "Int", "indicator": "Red"},
		{"value": t.on_time_rate or 0, "label": _("按时反馈率"), "datatype": "Percent", "indicator": "Green"},
		{
			"value": avg[0] or 0,
			"label": _("平均转办用时（工作日）"),
			"datatype": "Float",
			"indicator": "Blue",
		},
	]
