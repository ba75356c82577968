"""Working days across the Spring Festival and National Day, with their make-up Saturdays."""

from datetime import date

from qingqian_app.domain.calendar import Calendar, from_chinese_calendar, holiday_name

CAL = from_chinese_calendar()


def test_spring_festival_2026_with_its_make_up_saturdays():
	# 2026: 2月15日–23日 off; Saturday 2月14日 and Saturday 2月28日 are working days
	assert CAL.is_workday(date(2026, 2, 14)) and CAL.is_workday(date(2026, 2, 28))
	assert not CAL.is_workday(date(2026, 2, 16)) and not CAL.is_workday(date(2026, 2, 23))
	# accepted on Friday 2月13日: 10 working days = 2/14 (Sat), 2/24–2/27, 2/28 (Sat), 3/2–3/5
	assert CAL.add_working_days(date(2026, 2, 13), 10) == (date(2026, 3, 5), [])


def test_national_day_2026_with_its_make_up_days():
	# 10月1日–7日 off; Sunday 9月20日 and Saturday 10月10日 are working days
	assert CAL.is_workday(date(2026, 9, 20)) and CAL.is_workday(date(2026, 10, 10))
	assert not CAL.is_workday(date(2026, 10, 5))
	# accepted on 9月29日: 9/30, 10/8, 10/9, 10/10 (Sat), 10/12–10/16, 10/19
	assert CAL.add_working_days(date(2026, 9, 29), 10) == (date(2026, 10, 19), [])
	assert holiday_name(date(2026, 10, 1)) == "国庆节"


def test_a_year_without_data_is_reported():
	day, unknown = CAL.add_working_days(date(2026, 12, 25), 10)
	assert unknown == [2027]
	assert day == date(2027, 1, 8)  # by weekends alone, as far as anyone knows


def test_plain_weeks_without_holidays():
	cal = Calendar(known_years=frozenset({2026}))
	assert cal.add_working_days(date(2026, 3, 6), 1) == (date(2026, 3, 9), [])  # Friday → Monday
	assert cal.add_working_days(date(2026, 3, 6), 0) == (date(2026, 3, 6), [])
