"""督办清单: every item, lead and unit report past or near its deadline (the reminder window of
Qingqian Settings, in working days), with the unit that answers for it, its head, and the
supervision opened for it. The limits are those the daily job watches
(qingqian_app/oversight/supervision.py); each user sees those of the units permissions.py
lets them see."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from qingqian_app.domain import supervision as rules
from qingqian_app.oversight import supervision
from qingqian_app.permissions import supervision_permission
from qingqian_app.working_calendar import site_calendar

STAGES = {"past": "已逾期", "near": "将到期"}


@frappe.read_only()
def execute(filters=None):
	filters = frappe._dict(filters or {})
	today = getdate(nowdate())
	w, calendar = supervision.windows(), site_calendar()
	horizon, _unknown = calendar.add_working_days(today, w.remind_working_days)
	rows = []
	dues = [d for d in supervision.open_limits(horizon) if _visible(d)]
	opened = _supervisions(dues)
	for d in dues:
		stage = rules.stage(d.deadline, today, calendar, w)
		if not stage or (filters.stage and STAGES[stage] != filters.stage):
			continue
		if filters.time_limit and d.limit.label != filters.time_limit:
			continue
		if filters.competent_unit and d.competent_unit != filters.competent_unit:
			continue
		s = opened.get(rules.key(d.doctype, d.name, d.limit, d.deadline)) or {}
		rows.append(
			{
				"time_limit": d.limit.label,
				"reference_doctype": d.doctype,
				"reference_name": d.name,
				"summary": d.summary,
				"deadline": d.deadline,
				"stage": STAGES[stage],
				"days_over": (today - d.deadline).days if stage == "past" else 0,
				"unit": d.responsible_unit or d.member_unit,
				"head": s.get("head_user") or supervision.head_of(d),
				"competent_unit": d.competent_unit,
				"supervision": s.get("name"),
				"supervision_status": s.get("status"),
				"listed_for_interview": s.get("listed_for_interview") or 0,
			}
		)
	rows.sort(key=lambda r: (r["stage"] != "已逾期", -r["days_over"], str(r["deadline"])))
	return columns(), rows, None, chart(rows), summary(rows)


def _visible(d) -> bool:
	"""As the supervision it would open: the same rule as for the Supervision records."""
	limit = frappe._dict(responsible_unit=d.responsible_unit, competent_unit=d.competent_unit)
	return supervision_permission(limit) is not False


def _supervisions(dues) -> dict:
	keys = [rules.key(d.doctype, d.name, d.limit, d.deadline) for d in dues]
	if not keys:
		return {}
	rows = frappe.get_all(
		"Supervision",
		filters={"supervision_key": ["in", keys]},
		fields=["name", "supervision_key", "status", "head_user", "listed_for_interview"],
		ignore_permissions=True,  # the dues are already those of the user's units
	)
	return {r.supervision_key: r for r in rows}


def columns() -> list[dict]:
	return [
		{"fieldname": "time_limit", "label": _("督办事项"), "fieldtype": "Data", "width": 110},
		{"fieldname": "stage", "label": _("状态"), "fieldtype": "Data", "width": 80},
		{"fieldname": "days_over", "label": _("逾期（日）"), "fieldtype": "Int", "width": 90},
		# Data, not a Link to DocType: Frappe filters a report's rows by every linked DocType's
		# permissions, and units' users may not read DocType
		{"fieldname": "reference_doctype", "label": _("类型"), "fieldtype": "Data", "hidden": 1},
		{"fieldname": "reference_name", "label": _("对象"), "fieldtype": "Dynamic Link", "options": "reference_doctype", "width": 140},
		{"fieldname": "deadline", "label": _("时限"), "fieldtype": "Date", "width": 100},
		{"fieldname": "unit", "label": _("责任单位"), "fieldtype": "Data", "width": 180},
		{"fieldname": "head", "label": _("负责人"), "fieldtype": "Data", "width": 160},
		{"fieldname": "competent_unit", "label": _("主管部门"), "fieldtype": "Link", "options": "Member Unit", "width": 110},
		{"fieldname": "supervision", "label": _("督办"), "fieldtype": "Link", "options": "Supervision", "width": 120},
		{"fieldname": "supervision_status", "label": _("督办状态"), "fieldtype": "Data", "width": 90},
		{"fieldname": "listed_for_interview", "label": _("列入约谈"), "fieldtype": "Check", "width": 80},
		{"fieldname": "summary", "label": _("情况"), "fieldtype": "Data", "width": 360},
	]  # fmt: skip


def chart(rows) -> dict | None:
	if not rows:
		return None
	labels = [t.label for t in rules.TIME_LIMITS]
	return {
		"data": {
			"labels": labels,
			"datasets": [
				{"name": _(stage), "values": [sum(1 for r in rows if r["time_limit"] == lb and r["stage"] == stage) for lb in labels]}
				for stage in STAGES.values()
			],
		},
		"type": "bar",
		"barOptions": {"stacked": 1},
	}  # fmt: skip


def summary(rows) -> list[dict]:
	count = lambda f: sum(1 for r in rows if f(r))  # noqa: E731
	return [
		{"value": count(lambda r: r["stage"] == "已逾期"), "label": _("已逾期"), "datatype": "Int", "indicator": "Red"},
		{"value": count(lambda r: r["stage"] == "将到期"), "label": _("将到期"), "datatype": "Int", "indicator": "Orange"},
		{"value": count(lambda r: r["supervision_status"] == rules.ESCALATED), "label": _("已升级"), "datatype": "Int", "indicator": "Red"},
		{"value": count(lambda r: r["listed_for_interview"]), "label": _("列入约谈"), "datatype": "Int", "indicator": "Red"},
	]  # fmt: skip
