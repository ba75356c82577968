"""Dates a person typed, checked for plausibility: a year mistyped (2005 for 2025, 2205 for
2025) changes 应付款日期, 逾期天数 and 逾期利息 silently, so such a date is refused with the
reason, naming the field, on every path (form, REST, import).

The rule applies to every date field a user types in the app's DocTypes (input_guard reads it);
dates the server computes are not checked.
"""

from __future__ import annotations

from datetime import date

# the ledger's matters arose under the payment regulation (2020) and the work plan (2023-27);
# a date before 2000 is a mistyped year
EARLIEST = date(2000, 1, 1)
# a deadline, a plan, a maturity: at most this many years ahead
YEARS_AHEAD = 10
# fields that record what has happened (a contract signed, goods delivered, a complaint
# received): never after today. Repayment dates have their own rule (domain/ledger.py).
HAPPENED = frozenset(
	{
		"contract_date",
		"delivery_date",
		"delivered_on",
		"accepted_on",
		"settled_on",
		"paid_on",
		"confirmation_date",
		"received_on",
		"requested_on",
		"audit_date",
		"reported_on",
		"feasibility_approved_on",
		"found_at",
		"responded_on",
		"rectified_on",
		"update_date",
		"inspected_from",
	}
)


def latest(today: date) -> date:
	"""The latest plausible date: YEARS_AHEAD years after today (28 February for 29 February)."""
	year = today.year + YEARS_AHEAD
	return date(year, today.month, min(today.day, 28 if today.month == 2 else today.day))


def problem(fieldname: str, day: date, today: date) -> str | None:
	"""Why ``day`` is implausible for the field (None: plausible), in Chinese."""
	if day < EARLIEST:
		return f"{day} 早于 {EARLIEST.year} 年，请核对年份（如 2025 误输成 2005）"
	if fieldname in HAPPENED and day > today:
		return f"{day} 晚于今天（{today}）：这里登记已经发生的日期，不能是将来"
	if day > latest(today):
		return f"{day} 在 {YEARS_AHEAD} 年之后，请核对年份"
	return None
