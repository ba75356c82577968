"""The daily reminders and 督办 (scheduler_events in hooks.py), by the rules of
domain.supervision, counted in working days of the site's calendar:

- a time limit near (Settings: 提前提醒): the responsible unit's users are assigned the record
  (a ToDo, a Notification Log and the mail Frappe sends with an assignment);
- past, from its first day: a Supervision record is opened for the unit's head, its 督办函
  ready to draft and sign, the clearing office notified;
- still not done so many working days after the 督办函's own limit (Settings: 逾期升级): it is
  escalated to the competent unit's head and the office head, and the unit listed for 约谈;
- done: the supervision is closed and the reminders with it.

Run twice on a day, it sends nothing twice: an assignment is made once per record and user,
a supervision once per missed limit (its key is unique).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import frappe
from frappe import _
from frappe.desk.form.assign_to import add as assign
from frappe.utils import getdate, nowdate

from qingqian_app import settings
from qingqian_app.domain import (
	audit,
	complaints,
	contracts,
	ledger,
	members,
	portal,
	receivables,
	unit_reports,
)
from qingqian_app.domain import supervision as rules
from qingqian_app.permissions import users_of_unit
from qingqian_app.working_calendar import site_calendar

OFFICE_HEAD, OFFICE_STAFF = "Qingqian Office Head", "Qingqian Office Staff"
UNIT_HEAD, MEMBER_HEAD = "Debtor Unit Head", "Member Unit Head"
INTAKE = "Complaint Intake Officer"
REMINDER_PREFIX = "时限将至："


def windows() -> rules.Windows:
	return settings.limits(
		rules.Windows,
		{
			"remind_working_days": "remind_working_days",
			"reply_days": "supervision_reply_days",
			"escalate_working_days": "escalate_working_days",
		},
	)


@dataclass
class Due:
	"""One time limit of one record, and who answers for it."""

	limit: rules.TimeLimit
	doctype: str
	name: str
	deadline: date
	summary: str
	responsible_unit: str | None = None  # a debtor unit
	member_unit: str | None = None  # a member unit's own step (the lead's transfer)
	competent_unit: str | None = None


def open_limits(until: date) -> list[Due]:
	"""Every time limit not yet met whose deadline falls on or before ``until``."""
	out: list[Due] = []
	# the unit whose duty is to transfer leads (民营经济), whoever registered the lead
	intake_unit = unit_with_duty(members.PRIVATE_ECONOMY)
	leads = frappe.db.sql(
		"""select l.name, l.workflow_state, l.transfer_deadline, l.handling_deadline, l.transferred_to,
			l.enterprise, l.owner, u.qingqian_member_unit as intake_unit, d.competent_unit
		from `tabComplaint Lead` l
		left join `tabUser` u on u.name = l.owner
		left join `tabDebtor Unit` d on d.name = l.transferred_to
		where ifnull(l.duplicate_of, '') = '' and (
			(l.workflow_state = %(accepted)s and l.transfer_deadline <= %(until)s)
			or (l.workflow_state in %(handling)s and l.handling_deadline <= %(until)s))""",
		{"until": until, "accepted": complaints.ACCEPTED, "handling": complaints.HANDLING},
		as_dict=True,
	)
	for lead in leads:
		if lead.workflow_state == complaints.ACCEPTED:
			intake = intake_unit or lead.intake_unit
			out.append(
				Due(rules.LEAD_TRANSFER, "Complaint Lead", lead.name, lead.transfer_deadline,
					_("投诉线索 {0}（{1}）应于 {2} 前转办").format(lead.name, lead.enterprise, lead.transfer_deadline),
					member_unit=intake, competent_unit=intake)
			)  # fmt: skip
		else:
			out.append(
				Due(rules.LEAD_RESULT, "Complaint Lead", lead.name, lead.handling_deadline,
					_("投诉线索 {0}（{1}）应于 {2} 前核查并反馈办理结果").format(lead.name, lead.enterprise, lead.handling_deadline),
					responsible_unit=lead.transferred_to, competent_unit=lead.competent_unit)
			)  # fmt: skip
	# a unit's own time limits: each query gives name, unit, competent_unit, deadline and what
	# the summary says
	out += _unit_limits(
		rules.ITEM_REPAY, "Arrears Item",
		"""select name, enterprise, outstanding_amount, repay_deadline as deadline, competent_unit,
			ifnull(responsible_unit, debtor_unit) as unit
		from `tabArrears Item`
		where repay_deadline <= %(until)s and outstanding_amount > 0 and counted_in_ledger = 1
			and workflow_state not in %(final)s""",
		{"until": until, "final": tuple(ledger.FINAL_STATES)},
		lambda r: _("台账 {0}：欠{1}款项未清偿 {2} 元，清偿期限 {3}").format(
			r.name, r.enterprise, f"{r.outstanding_amount:,.2f}", r.deadline),
	)  # fmt: skip
	out += _unit_limits(
		rules.UNIT_REPORT, "Unit Report",
		"""select name, debtor_unit as unit, competent_unit, period_label, due_date as deadline
		from `tabUnit Report` where workflow_state in %(unsubmitted)s and due_date <= %(until)s""",
		{"until": until, "unsubmitted": unit_reports.NOT_SUBMITTED},
		lambda r: _("{0} {1}定期报告应于 {2} 前报送").format(r.unit, r.period_label, r.deadline),
	)  # fmt: skip
	out += _unit_limits(
		rules.AUDIT_RECTIFY, "Audit Finding",
		"""select name, audited_unit as unit, competent_unit, rectification_deadline as deadline, source_document
		from `tabAudit Finding` where workflow_state = %(rectifying)s and rectification_deadline <= %(until)s""",
		{"until": until, "rectifying": audit.RECTIFYING},
		lambda r: _("审计发现 {0}（{1}）应于 {2} 前整改完毕").format(r.name, r.source_document, r.deadline),
	)  # fmt: skip
	out += _unit_limits(
		rules.ANNUAL_DISCLOSURE, "Unit Annual Disclosure",
		"""select name, debtor_unit as unit, competent_unit, year, due_date as deadline
		from `tabUnit Annual Disclosure` where ifnull(published_on, '') = '' and due_date <= %(until)s""",
		{"until": until},
		lambda r: _("{0} 应于 {1} 前公开 {2} 年度逾期未支付民营企业合同的数量和金额").format(r.unit, r.deadline, r.year),
	)  # fmt: skip
	out += _unit_limits(
		rules.CONTRACT_PAYMENT, "Contract Review",
		"""select name, paying_unit as unit, competent_unit, payment_due_date as deadline, contract_name, enterprise
		from `tabContract Review` where workflow_state = %(reviewed)s and payment_due_date <= %(until)s
			and ifnull(paid_on, '') = '' and ifnull(arrears_item, '') = ''""",
		{"until": until, "reviewed": contracts.REVIEWED},
		lambda r: _("合同 {0}（{1}，{2}）应于 {3} 前付款").format(r.name, r.contract_name, r.enterprise, r.deadline),
	)  # fmt: skip
	out += _unit_limits(
		rules.RECEIVABLE_CONFIRM, "Receivable Confirmation",
		"""select name, debtor_unit as unit, competent_unit, deadline, enterprise
		from `tabReceivable Confirmation` where workflow_state = %(requested)s and deadline <= %(until)s""",
		{"until": until, "requested": receivables.REQUESTED},
		lambda r: _("{0} 的应收账款确权申请 {1} 应于 {2} 前答复").format(r.enterprise, r.name, r.deadline),
	)  # fmt: skip
	# an enterprise's 不满意: the clearing office's own limit
	office = unit_with_duty(members.CLEARING_OFFICE)
	for r in frappe.db.sql(
		"""select name, enterprise, unit, review_deadline from `tabHandling Rating`
		where review_status = %(to_review)s and review_deadline <= %(until)s""",
		{"until": until, "to_review": portal.TO_REVIEW},
		as_dict=True,
	):
		out.append(
			Due(rules.RATING_REVIEW, "Handling Rating", r.name, r.review_deadline,
				_("{0} 对 {1} 的办理不满意（回访评价 {2}），应于 {3} 前复核").format(r.enterprise, r.unit, r.name, r.review_deadline),
				member_unit=office, competent_unit=office)
		)  # fmt: skip
	return out


def _unit_limits(limit: rules.TimeLimit, doctype: str, sql: str, values: dict, summary) -> list[Due]:
	return [
		Due(
			limit,
			doctype,
			r.name,
			r.deadline,
			summary(r),
			responsible_unit=r.unit,
			competent_unit=r.competent_unit,
		)
		for r in frappe.db.sql(sql, values, as_dict=True)
	]


def unit_with_duty(duty: str) -> str | None:
	"""The member unit holding ``duty`` (the first, should a district give it to two)."""
	units = frappe.get_all("Member Unit", filters={"duty": duty}, pluck="name", order_by="creation asc")
	return units[0] if units else None


def daily(today: date | None = None) -> dict[str, int]:
	"""The scheduler's entry point; returns what it did (reminded, opened, escalated, closed)."""
	today = getdate(today or nowdate())
	w, calendar = windows(), site_calendar()
	horizon, _unknown = calendar.add_working_days(today, w.remind_working_days)
	counts = {"reminded": 0, "opened": 0, "escalated": 0, "closed": 0}
	due = {rules.key(d.doctype, d.name, d.limit, d.deadline): d for d in open_limits(horizon)}
	opened = set(
		frappe.get_all(
			"Supervision", filters={"supervision_key": ["in", list(due) or [""]]}, pluck="supervision_key"
		)
	)
	for key, d in due.items():
		stage = rules.stage(d.deadline, today, calendar, w)
		if stage == "near":
			counts["reminded"] += remind(d)
		elif stage == "past" and key not in opened:
			open_supervision(d, key, today, w)
			counts["opened"] += 1
	for s in frappe.get_all(
		"Supervision",
		filters={"status": ["in", [rules.OPEN, rules.ESCALATED]]},
		fields=["name", "supervision_key", "status", "reply_deadline"],
	):
		if s.supervision_key not in due:
			close(s.name, today)
			counts["closed"] += 1
		elif s.status == rules.OPEN and rules.escalation_due(getdate(s.reply_deadline), today, calendar, w):
			escalate(s.name, today)
			counts["escalated"] += 1
	return counts


def _users(d: Due) -> list[str]:
	if d.limit == rules.RATING_REVIEW:
		return office_users()
	if d.responsible_unit:
		return users_of_unit(d.responsible_unit)
	if d.member_unit:
		return frappe.get_all(
			"User", filters={"qingqian_member_unit": d.member_unit, "enabled": 1}, pluck="name"
		)
	return users_with_role(INTAKE)  # a lead registered by the office itself: those who transfer leads


def _with_role(users, role: str) -> list[str]:
	return [u for u in users if role in frappe.get_roles(u)]


def office_users() -> list[str]:
	"""The clearing office's staff and head: who is told of a 督办, a 舆情, a summary."""
	return sorted(set(users_with_role(OFFICE_STAFF) + users_with_role(OFFICE_HEAD)))


def users_with_role(role: str) -> list[str]:
	"""The enabled users holding ``role``."""
	return frappe.db.sql(
		"""select u.name from `tabUser` u join `tabHas Role` r on r.parent = u.name and r.parenttype = 'User'
		where r.role = %s and u.enabled = 1 and u.name != 'Administrator'""",
		role,
		pluck=True,
	)


def head_of(d: Due, users: list[str] | None = None) -> str | None:
	"""Who answers for the limit: the responsible unit's head, or the member unit's."""
	users = _users(d) if users is None else users
	if d.responsible_unit:
		heads = _with_role(users, UNIT_HEAD)
	else:
		head = frappe.db.get_value("Member Unit", d.member_unit, "head_user") if d.member_unit else None
		heads = [head] if head else _with_role(users, MEMBER_HEAD) or _with_role(users, INTAKE)
	return heads[0] if heads else None


def assignees(doctype: str, name: str) -> set[str]:
	"""Who has the record open on their to-do list."""
	return set(
		frappe.get_all(
			"ToDo",
			filters={"reference_type": doctype, "reference_name": name, "status": "Open"},
			pluck="allocated_to",
		)
	)


def _assign(doctype: str, name: str, users, description: str, date_=None) -> int:
	"""An assignment per user not yet assigned (Frappe skips those who are)."""
	open_ = assignees(doctype, name)
	new = sorted(set(users) - open_)
	if new:
		assign(
			{"doctype": doctype, "name": name, "assign_to": new, "description": description, "date": date_}
		)
	return len(new)


def assign_office(doctype: str, name: str, description: str, date_=None) -> int:
	"""The clearing office's staff and head get a record to handle (a ToDo each and a
	notification), whoever raised it: an enterprise on the portal may not read the record, and
	Frappe's assign_to checks the session user's read, so the assignment is made here."""
	users = office_users()
	open_ = assignees(doctype, name)
	new = sorted(set(users) - open_)
	for user in new:
		frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": user,
				"reference_type": doctype,
				"reference_name": name,
				"description": description,
				"date": date_,
				"assigned_by": "Administrator",
			}
		).insert(ignore_permissions=True)
	_notify(new, frappe._dict(doctype=doctype, name=name), description)
	return len(new)


def remind(d: Due) -> int:
	users = _users(d)
	text = REMINDER_PREFIX + d.summary
	return 1 if _assign(d.doctype, d.name, users, text, d.deadline) else 0


def open_supervision(d: Due, key: str, today: date, w: rules.Windows):
	users = _users(d)
	head = head_of(d, users)
	doc = frappe.get_doc(
		{
			"doctype": "Supervision",
			"time_limit": d.limit.label,
			"status": rules.OPEN,
			"reference_doctype": d.doctype,
			"reference_name": d.name,
			"summary": d.summary,
			"deadline": d.deadline,
			"opened_on": today,
			"reply_deadline": rules.reply_deadline(today, w),
			"responsible_unit": d.responsible_unit,
			"responsible_member_unit": d.member_unit,
			"competent_unit": d.competent_unit,
			"head_user": head,
			"supervision_key": key,
		}
	)
	doc.flags.qingqian_job = True
	doc.insert(ignore_permissions=True)
	text = _("督办：{0}（逾期未{1}），请于 {2} 前办结").format(d.summary, d.limit.what, doc.reply_deadline)
	_assign("Supervision", doc.name, [head] if head else users, text, doc.reply_deadline)
	_notify(office_users(), doc, _("已督办：{0}").format(d.summary))
	return doc


def escalate(name: str, today: date):
	doc = frappe.get_doc("Supervision", name)
	doc.status, doc.escalated_on, doc.listed_for_interview = rules.ESCALATED, today, 1
	doc.flags.qingqian_job = True
	doc.save(ignore_permissions=True)
	competent = (
		frappe.db.get_value("Member Unit", doc.competent_unit, "head_user") if doc.competent_unit else None
	)
	users = [u for u in [competent, *users_with_role(OFFICE_HEAD)] if u]
	text = _("督办升级：{0}，督办函期限 {1} 已过仍未办结，列入约谈名单").format(
		doc.summary, doc.reply_deadline
	)
	_assign("Supervision", doc.name, users, text)


def close(name: str, today: date):
	doc = frappe.get_doc("Supervision", name)
	doc.status, doc.resolved_on = rules.RESOLVED, today
	doc.flags.qingqian_job = True
	doc.save(ignore_permissions=True)
	# this job's assignments on the supervision and its record; others' stay as they are
	frappe.db.sql(
		"""update `tabToDo` set status = 'Closed'
		where status = 'Open' and ((reference_type = %s and reference_name = %s)
			or (reference_type = %s and reference_name = %s and description like %s))""",
		(doc.doctype, doc.name, doc.reference_doctype, doc.reference_name, REMINDER_PREFIX + "%"),
	)


def _notify(users, doc, subject: str):
	from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification

	if users:
		enqueue_create_notification(
			sorted(set(users)),
			{
				"type": "Alert",
				"document_type": doc.doctype,
				"document_name": doc.name,
				"subject": subject,
				"from_user": "Administrator",
			},
		)
