"""舆情 summaries (附件 网信办“定期归纳整理相关舆情信息”): the events of a week or month read
through the user's permissions, summarised by the domain core (domain/opinion.py); the report
Public Opinion Summary shows them, and on Mondays and the first of a month the office receives
the summary of the period just ended as an alert linking to that report."""

from __future__ import annotations

from datetime import date
from urllib.parse import urlencode

import frappe
from frappe.utils import add_days, getdate, nowdate

from qingqian_app.domain import opinion as rules
from qingqian_app.oversight.supervision import office_users

REPORT = "Public Opinion Summary"


def rows(start: date, end: date) -> list[dict]:
	"""The events found in the period (as the user may see them), with their units and items."""
	events = frappe.get_list(
		"Public Opinion Event",
		filters=[["found_at", ">=", start], ["found_at", "<", add_days(end, 1)]],
		fields=["name", "title", "source", "heat_level", "found_at", "workflow_state", "complaint_lead",
			"responded_on", "link"],
		order_by="found_at asc",
	)  # fmt: skip
	names = [e.name for e in events] or [""]
	children = {}
	for child, field in (("Public Opinion Unit", "debtor_unit"), ("Public Opinion Item", "arrears_item")):
		for r in frappe.get_all(child, filters={"parent": ["in", names], "parenttype": "Public Opinion Event"},
			fields=["parent", field], order_by="idx asc"):  # fmt: skip
			children.setdefault((r.parent, field), []).append(r[field])
	for e in events:
		e.unit_names = children.get((e.name, "debtor_unit"), [])
		e.item_names = children.get((e.name, "arrears_item"), [])
	return events


def summary(events: list[dict]) -> rules.Summary:
	return rules.summarise(
		[
			rules.Event(
				e.name,
				e.workflow_state,
				e.source,
				e.heat_level,
				tuple(e.unit_names),
				bool(e.complaint_lead),
				len(e.item_names),
			)
			for e in events
		]
	)


def daily(today: date | None = None) -> list[str]:
	"""The scheduler's entry point: the summaries due today, sent to the office."""
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	today = getdate(today or nowdate())
	sent = []
	for kind in rules.due_summaries(today):
		start, end = rules.previous(kind, today)
		text = rules.sentences(kind, start, end, summary(rows(start, end)))
		link = f"/app/query-report/{REPORT}?" + urlencode({"period": kind, "day": str(start)})
		make_notification_logs(
			{"type": "Alert", "subject": f"舆情{kind}：{text[0]}", "email_content": "".join(f"<p>{t}</p>" for t in text),
				"link": link, "from_user": "Administrator"},
			office_users(),
		)  # fmt: skip
		sent.append(kind)
	return sent
