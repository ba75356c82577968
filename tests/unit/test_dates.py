"""Typed dates checked for plausibility (domain/dates.py)."""

from datetime import date

import pytest

from qingqian_app.domain import dates

TODAY = date(2026, 12, 3)


@pytest.mark.parametrize(
	"field,day,words",
	[
		("contract_date", date(2005, 3, 15), None),
		("contract_date", date(1999, 12, 31), "早于 2000 年"),
		("due_date", date(1925, 6, 30), "早于 2000 年"),
		("contract_date", date(2026, 12, 4), "晚于今天"),
		("received_on", TODAY, None),
		("due_date", date(2027, 1, 10), None),  # a deadline may lie ahead
		("due_date", date(2036, 12, 3), None),
		("due_date", date(2036, 12, 4), "10 年之后"),
		("repay_deadline", date(2205, 3, 15), "10 年之后"),
	],
)
def test_a_mistyped_year_is_named(field, day, words):
	found = dates.problem(field, day, TODAY)
	if words is None:
		assert found is None
	else:
		assert words in found and str(day) in found


def test_the_latest_date_of_a_leap_day():
	assert dates.latest(date(2028, 2, 29)) == date(2038, 2, 28)
	assert dates.latest(date(2026, 1, 31)) == date(2036, 1, 31)
