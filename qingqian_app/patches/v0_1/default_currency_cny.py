"""Sites set up before yuan was made the default currency: make it so, unless the site
already chose one."""

import frappe

from qingqian_app.install import set_yuan


def execute():
	if not frappe.db.get_default("currency"):
		set_yuan()
