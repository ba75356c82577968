"""Working days: weekends, statutory holidays and make-up working days (调休).

The State Council publishes each year's holidays in a notice; the well-kept
``chinese-calendar`` package carries them (version 1.11.0 knows the years up to 2026) and
seeds the site's Working Calendar Day records, where the office enters a new year's days
from the notice. Counting through a year the calendar has no data for gives an answer by
weekends alone and says which years were missing, so the office is warned.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta


@dataclass(frozen=True)
class Calendar:
	holidays: frozenset = frozenset()  # statutory days off (法定节假日)
	workdays: frozenset = frozenset()  # make-up working days on weekends (调休上班)
	known_years: frozenset = field(default_factory=frozenset)

	def is_workday(self, day: date) -> bool:
		if day in self.workdays:
			return True
		if day in self.holidays:
			return False
		return day.weekday() < 5

	def add_working_days(self, start: date, days: int) -> tuple[date, list[int]]:
		"""The ``days``-th working day after ``start`` (the day itself not counted), and
		the years counted through that the calendar does not know."""
		day, left, unknown = start, days, set()
		while left > 0:
			day += timedelta(days=1)
			if day.year not in self.known_years:
				unknown.add(day.year)
			if self.is_workday(day):
				left -= 1
		return day, sorted(unknown)

	def working_days_between(self, start: date, end: date) -> int:
		"""Working days after ``start`` up to and including ``end`` (0 when end <= start):
		how long a step took, as add_working_days counts a time limit."""
		return sum(self.is_workday(start + timedelta(days=i)) for i in range(1, (end - start).days + 1))


def from_chinese_calendar(since_year: int = 2023) -> Calendar:
	"""The calendar the ``chinese-calendar`` package knows, from ``since_year`` on."""
	import chinese_calendar

	holidays = frozenset(d for d in chinese_calendar.holidays if d.year >= since_year)
	workdays = frozenset(d for d in chinese_calendar.workdays if d.year >= since_year)
	return Calendar(holidays, workdays, frozenset(d.year for d in holidays))


def holiday_name(day: date) -> str:
	"""The package's (English) name of a holiday, in Chinese."""
	import chinese_calendar

	names = {
		"New Year's Day": "元旦", "Spring Festival": "春节", "Tomb-sweeping Day": "清明节",
		"Labour Day": "劳动节", "Dragon Boat Festival": "端午节", "National Day": "国庆节",
		"Mid-autumn Festival": "中秋节", "Anti-Fascist 70th Day": "抗战胜利纪念日",
	}  # fmt: skip
	_, name = chinese_calendar.get_holiday_detail(day)
	return names.get(str(name), str(name or ""))
