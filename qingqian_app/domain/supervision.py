"""督办 (工作方案二（三）“转办、督促、核查、反馈”，三（二）督导检查): which time limits are
watched, when a reminder is due, when a missed limit is supervised and when supervision
escalates.

Each time limit keeps the unit its rule counts in (the deadlines themselves are computed
where they arise: a lead's in domain.complaints, in working days for the transfer and in days
for the result; an item's repay deadline is a date the office sets). The windows around them
are working days of the calendar: a reminder so many working days before, escalation so many
working days after the 督办函's own deadline.
Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .calendar import Calendar


@dataclass(frozen=True)
class TimeLimit:
	label: str  # as Supervision.time_limit stores it (the DocType's options are these)
	what: str  # the step that is due, as the letter says it


LEAD_TRANSFER = TimeLimit("线索转办", "转办投诉线索")
LEAD_RESULT = TimeLimit("线索核查反馈", "核查并反馈投诉线索办理结果")
ITEM_REPAY = TimeLimit("台账清偿", "清偿台账欠款")
UNIT_REPORT = TimeLimit("单位定期报告", "报送单位定期报告")
AUDIT_RECTIFY = TimeLimit("审计整改", "完成审计发现问题的整改")
ANNUAL_DISCLOSURE = TimeLimit("年度拖欠信息公开", "公开上年度逾期未支付合同的数量和金额")
# 工作方案二（六）严防新增拖欠: a registered contract's payment, warned before it falls due
CONTRACT_PAYMENT = TimeLimit("合同付款", "按合同约定向民营企业付款")
# 条例第十六条: a request to confirm a receivable answered within 30 days
RECEIVABLE_CONFIRM = TimeLimit("应收账款确权", "答复民营企业的应收账款确权申请")
# 回访: an enterprise's 不满意 reviewed by the clearing office (domain.portal.REVIEW_WORKING_DAYS)
RATING_REVIEW = TimeLimit("回访复核", "复核企业不满意的回访评价")
TIME_LIMITS = (
	LEAD_TRANSFER, LEAD_RESULT, ITEM_REPAY, UNIT_REPORT, AUDIT_RECTIFY, ANNUAL_DISCLOSURE,
	CONTRACT_PAYMENT, RECEIVABLE_CONFIRM, RATING_REVIEW,
)  # fmt: skip

# Supervision.status
OPEN, ESCALATED, RESOLVED = "督办中", "已升级", "已办结"
STATUSES = (OPEN, ESCALATED, RESOLVED)


@dataclass(frozen=True)
class Windows:
	"""From Qingqian Settings."""

	remind_working_days: int = 3  # remind this many working days before a deadline
	reply_days: int = 15  # the 督办函's own limit: 自收到本函之日起十五日内
	escalate_working_days: int = 5  # escalate this many working days after the letter's limit


def stage(deadline: date | None, today: date, calendar: Calendar, w: Windows) -> str | None:
	"""'past' from the first day after the deadline, 'near' within the reminder window
	(the deadline itself included), else None."""
	if deadline is None:
		return None
	if today > deadline:
		return "past"
	if calendar.working_days_between(today, deadline) <= w.remind_working_days:
		return "near"
	return None


def reply_deadline(opened_on: date, w: Windows) -> date:
	return opened_on + timedelta(days=w.reply_days)


def escalation_due(reply_by: date, today: date, calendar: Calendar, w: Windows) -> bool:
	"""Still not done ``escalate_working_days`` working days after the letter's limit."""
	return calendar.working_days_between(reply_by, today) >= w.escalate_working_days and today > reply_by


def key(reference_doctype: str, reference_name: str, limit: TimeLimit, deadline: date) -> str:
	"""One supervision per missed time limit: a new deadline (an extension, a new period) is a
	new limit, the same one missed again is not."""
	return f"{reference_doctype}|{reference_name}|{limit.label}|{deadline.isoformat()}"
