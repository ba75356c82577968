"""舆情周报、月报 (附件 网信办“定期归纳整理相关舆情信息”; 工作方案三（三）): the events of the week or
month containing the chosen day, the summary in sentences above them and a chart by source.
Read through the user's permissions (qingqian_app/prevention/opinion.py)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from qingqian_app.domain import opinion as rules
from qingqian_app.oversight.figures import column
from qingqian_app.prevention import opinion


@frappe.read_only()
def execute(filters=None):
	filters = frappe._dict(filters or {})
	kind = filters.period if filters.period in rules.PERIODS else rules.WEEKLY
	start, end = rules.period(kind, getdate(filters.day or nowdate()))
	events = opinion.rows(start, end)
	s = opinion.summary(events)
	data = [{**e, "units": "、".join(e.unit_names), "items": len(e.item_names)} for e in events]
	message = "".join(f"<p>{t}</p>" for t in rules.sentences(kind, start, end, s))
	chart = {
		"data": {
			"labels": list(s.by_source),
			"datasets": [{"name": _("舆情"), "values": list(s.by_source.values())}],
		},
		"type": "bar",
	}
	cards = [
		{"value": s.total, "label": _("舆情总数"), "datatype": "Int", "indicator": "Blue"},
		{"value": s.by_heat.get(rules.HIGH, 0), "label": _("高热度"), "datatype": "Int", "indicator": "Red"},
		{"value": s.responded, "label": _("已回应"), "datatype": "Int", "indicator": "Green"},
		{"value": s.to_leads, "label": _("转为投诉线索"), "datatype": "Int", "indicator": "Orange"},
		{"value": s.linked_items, "label": _("关联台账"), "datatype": "Int", "indicator": "Grey"},
	]
	return columns(), data, message, chart if s.total else None, cards


def columns() -> list[dict]:
	return [
		column("found_at", "发现时间", "Datetime", 150),
		column("name", "舆情", "Link", 130, "Public Opinion Event"),
		column("title", "标题", "Data", 240),
		column("source", "来源", "Data", 90),
		column("heat_level", "热度", "Data", 70),
		column("units", "涉及单位", "Data", 200),
		column("workflow_state", "状态", "Data", 80),
		column("responded_on", "回应日期", "Date", 100),
		column("complaint_lead", "投诉线索", "Link", 130, "Complaint Lead"),
		column("items", "关联台账", "Int", 80),
	]
