"""工作日历的来源 in Chinese: days seeded from the chinese-calendar package said so in English."""

import frappe

from qingqian_app.working_calendar import BUILT_IN


def execute():
	frappe.db.sql(
		"update `tabWorking Calendar Day` set source = %s where source = 'chinese-calendar'", BUILT_IN
	)
