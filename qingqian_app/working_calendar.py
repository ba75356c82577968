"""The site's working calendar: Working Calendar Day records, seeded from the
``chinese-calendar`` package, kept by the clearing office when a new year's notice comes."""

from __future__ import annotations

import frappe
from frappe import _

from qingqian_app.domain import calendar


def seed_from_package(since_year: int = 2023) -> int:
	"""Create the days the package knows and the site lacks; never touches typed ones."""
	cal = calendar.from_chinese_calendar(since_year)
	have = set(frappe.get_all("Working Calendar Day", pluck="calendar_date"))
	made = 0
	for day_type, days in (("法定节假日", cal.holidays), ("调休工作日", cal.workdays)):
		for day in sorted(days):
			if day in have:
				continue
			frappe.get_doc(
				{
					"doctype": "Working Calendar Day",
					"calendar_date": day,
					"day_type": day_type,
					"holiday_name": calendar.holiday_name(day),
					"source": BUILT_IN,
				}
			).insert(ignore_permissions=True)
			made += 1
	return made


BUILT_IN = "内置节假日数据"  # the source of the days seeded from the chinese-calendar package


def site_calendar() -> calendar.Calendar:
	rows = frappe.get_all("Working Calendar Day", fields=["calendar_date", "day_type"], limit_page_length=0)
	holidays = frozenset(r.calendar_date for r in rows if r.day_type == "法定节假日")
	return calendar.Calendar(
		holidays=holidays,
		workdays=frozenset(r.calendar_date for r in rows if r.day_type == "调休工作日"),
		known_years=frozenset(d.year for d in holidays),  # a year is known once its holidays are in
	)


def warn_unknown_years(years) -> None:
	if years:
		frappe.msgprint(
			_(
				"工作日历缺少 {0} 年的法定节假日数据，时限暂按周末计算。请清欠办按国务院办公厅通知在“工作日历”中补录。"
			).format("、".join(map(str, years))),
			title=_("工作日历"),
			indicator="orange",
		)
