"""应收账款确权 (条例第十六条: a confirmation of the debt requested by an SME for financing is given
within 30 days; 附件 城投公司“制定所属企业对民营企业应收账款确权机制”): the request, its 30
calendar days, and what an answer must say. Pure Python.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from .ledger import Problem
from .money import fmt, yuan

# States and actions of workflows/receivable_confirmation.json that the rules name
REQUESTED, ANSWERED = "已受理", "已答复"
ANSWER = "答复"
# Receivable Confirmation.answer
CONFIRMED, PARTLY, REFUSED = "确认", "部分确认", "不予确认"
ANSWERS = (CONFIRMED, PARTLY, REFUSED)
DAYS = 30  # 条例第十六条: calendar days (Qingqian Settings: receivable_confirmation_days)


def deadline(requested_on: date, days: int = DAYS) -> date:
	return requested_on + timedelta(days=days)


def problems(values: dict, today: date) -> list[Problem]:
	out = []
	requested_on = values.get("requested_on")
	if requested_on and requested_on > today:
		out.append(Problem("requested_on", "申请日期不能晚于今天"))
	if yuan(values.get("requested_amount") or 0) <= 0:
		out.append(Problem("requested_amount", "申请确权金额须大于零"))
	return out


def answer_problems(values: dict) -> list[Problem]:
	"""An answer says what is confirmed, or why not."""
	out = []
	answer = values.get("answer")
	requested = yuan(values.get("requested_amount") or 0)
	confirmed = yuan(values.get("confirmed_amount") or 0)
	if answer not in ANSWERS:
		return [Problem("answer", "请选择答复结论（确认、部分确认或不予确认）")]
	if answer == CONFIRMED and confirmed != requested:
		out.append(Problem("confirmed_amount", f"全部确认时确认金额须等于申请金额 {fmt(requested)} 元"))
	if answer == PARTLY and not (Decimal(0) < confirmed < requested):
		out.append(
			Problem("confirmed_amount", f"部分确认时确认金额须大于零且小于申请金额 {fmt(requested)} 元")
		)
	if answer == REFUSED and confirmed:
		out.append(Problem("confirmed_amount", "不予确认时确认金额应为零"))
	if answer in (PARTLY, REFUSED) and not (values.get("answer_reason") or "").strip():
		out.append(Problem("answer_reason", f"{answer}须写明理由"))
	if answer in (CONFIRMED, PARTLY) and not values.get("payment_due_date"):
		out.append(Problem("payment_due_date", "确认应收账款须写明付款期限"))
	return out
