"""应报尽报 (工作方案二（一）“做到应报尽报、避免漏报、严禁瞒报”，二（三）“定期报送更新进展”):
each debtor unit reports every period — its new ledger items, or a 零报告 stating it has none,
and a progress update on each of its open items — approved by its head and reviewed by its
competent unit, which 汇总上报s to the clearing office. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .calendar import Calendar
from .ledger import Problem

# months per period (Qingqian Settings: 报告周期)
FREQUENCIES = {"月度": 1, "季度": 3}
FIRST_STATE = "待填报"
# not yet submitted by the unit (filled in, or waiting for its head): late if past due
NOT_SUBMITTED = (FIRST_STATE, "待审批")
SUBMIT = "报送"


@dataclass(frozen=True)
class Period:
	start: date
	end: date
	label: str


def period_containing(day: date, frequency: str) -> Period:
	months = FREQUENCIES[frequency]
	first_month = (day.month - 1) // months * months + 1
	start = date(day.year, first_month, 1)
	next_start = date(start.year + (first_month + months - 1) // 12, (first_month + months - 1) % 12 + 1, 1)
	end = next_start - timedelta(days=1)
	label = (
		f"{start.year}年{start.month}月"
		if months == 1
		else f"{start.year}年第{(first_month - 1) // 3 + 1}季度"
	)
	return Period(start, end, label)


def last_closed_period(today: date, frequency: str) -> Period:
	"""The latest period that has ended before ``today`` (the one to report on now)."""
	current = period_containing(today, frequency)
	return period_containing(current.start - timedelta(days=1), frequency)


def due_date(period: Period, calendar: Calendar, working_days: int) -> date:
	"""Reported within so many working days after the period ends."""
	due, _unknown = calendar.add_working_days(period.end, working_days)
	return due


def submit_problems(
	is_zero_report: bool, statement: str, new_items: int, open_items: int, updated: int
) -> list[Problem]:
	"""What the unit must put right before it may 报送."""
	out = []
	if new_items and is_zero_report:
		out.append(Problem("is_zero_report", f"本期新增台账 {new_items} 条，不能报零报告"))
	if not new_items and not is_zero_report:
		out.append(Problem("is_zero_report", "本期没有新增台账：请勾选“零报告”并说明已排查的情况"))
	if is_zero_report and not (statement or "").strip():
		out.append(Problem("statement", "零报告须说明排查的范围和结果（严禁瞒报、漏报）"))
	if updated < open_items:
		out.append(
			Problem(
				"updated_items",
				f"尚有 {open_items - updated} 条未办结的台账本期未更新进展（定期报送更新进展，直至化解）",
			)
		)
	return out
