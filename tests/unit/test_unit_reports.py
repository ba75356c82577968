"""应报尽报: periods, due dates and what a report needs before 报送."""

from datetime import date

import pytest

from qingqian_app.domain.calendar import Calendar
from qingqian_app.domain.unit_reports import due_date, last_closed_period, period_containing, submit_problems


@pytest.mark.parametrize(
	"day, frequency, start, end, label",
	[
		(date(2026, 11, 27), "月度", date(2026, 11, 1), date(2026, 11, 30), "2026年11月"),
		(date(2026, 12, 31), "月度", date(2026, 12, 1), date(2026, 12, 31), "2026年12月"),
		(date(2024, 2, 10), "月度", date(2024, 2, 1), date(2024, 2, 29), "2024年2月"),
		(date(2026, 11, 27), "季度", date(2026, 10, 1), date(2026, 12, 31), "2026年第4季度"),
		(date(2026, 2, 1), "季度", date(2026, 1, 1), date(2026, 3, 31), "2026年第1季度"),
	],
)
def test_periods(day, frequency, start, end, label):
	p = period_containing(day, frequency)
	assert (p.start, p.end, p.label) == (start, end, label)


def test_the_period_to_report_is_the_last_one_ended():
	assert last_closed_period(date(2026, 11, 27), "月度").label == "2026年10月"
	assert last_closed_period(date(2026, 1, 1), "月度").label == "2025年12月"
	assert last_closed_period(date(2026, 11, 27), "季度").label == "2026年第3季度"


def test_due_in_working_days_after_the_period():
	cal = Calendar(
		holidays=frozenset({date(2026, 10, d) for d in range(1, 9)}), workdays=frozenset({date(2026, 10, 10)})
	)
	# September 2026 ends on a Wednesday; 1–8 October off, Saturday the 10th a make-up day
	september = period_containing(date(2026, 9, 5), "月度")
	assert due_date(september, cal, 2) == date(2026, 10, 10)  # Friday the 9th, then the make-up Saturday
	assert due_date(september, cal, 3) == date(2026, 10, 12)


def fields(found):
	return sorted(p.fieldname for p in found)


def test_what_a_report_needs_before_it_is_submitted():
	assert submit_problems(False, "", new_items=2, open_items=3, updated=3) == []
	assert submit_problems(True, "经排查无新增", new_items=0, open_items=0, updated=0) == []
	assert fields(submit_problems(True, "说明", new_items=1, open_items=1, updated=1)) == ["is_zero_report"]
	assert fields(submit_problems(False, "", new_items=0, open_items=0, updated=0)) == ["is_zero_report"]
	assert fields(submit_problems(True, " ", new_items=0, open_items=0, updated=0)) == ["statement"]
	found = submit_problems(False, "", new_items=1, open_items=5, updated=3)
	assert fields(found) == ["updated_items"] and "2 条" in found[0].message
