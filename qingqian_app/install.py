"""Install, migrate and uninstall hooks: sync the repository's definitions into the site."""

from __future__ import annotations

import frappe
from frappe.installer import add_module_defs

from qingqian_app.sync import checks
from qingqian_app.sync.local import LocalTransport
from qingqian_app.sync.planner import Plan, apply_plan, build_plan


def sync_site(include_demo: bool = False, dry_run: bool = False, verbose: bool = False) -> Plan:
	"""Plan and (unless dry_run) apply the definitions; prints the plan and returns it."""
	defs = checks.load_checked(include_demo=include_demo)
	if include_demo:  # demo accounts get this site's own password, never one of the repository
		for rec in defs.records:
			if rec.doctype == "User" and rec.source.startswith("fixtures/demo"):
				rec.create_only["new_password"] = demo_password()
	transport = LocalTransport()
	plan = build_plan(defs.records, transport, defs.adoptable)
	if not dry_run:
		apply_plan(plan, transport)
	print(("清欠定义同步（预演）：" if dry_run else "清欠定义同步：") + "\n" + plan.report(verbose))
	return plan


def after_install():
	sync_site()
	seed_calendar()
	keep_frappe_workspaces_to_system_managers()
	name_the_app()


def after_migrate():
	# a module added to modules.txt since the install (Frappe makes Module Defs only then)
	add_module_defs("qingqian_app", ignore_if_duplicate=True)
	sync_site()
	seed_calendar()
	keep_frappe_workspaces_to_system_managers()
	name_the_app()


def name_the_app():
	"""The login page's title (登录清欠) and the desk's app name: Frappe's default is "Frappe"; a
	name the district gave it is kept. The Administrator account is called 系统管理员, and Guest
	(who signs an enterprise up, as the account's timeline says) 访客."""
	for settings in ("Website Settings", "System Settings"):
		if frappe.db.get_single_value(settings, "app_name") in (None, "", "Frappe"):
			frappe.db.set_single_value(settings, "app_name", APP_NAME)
	# the system's own account, as timelines and assignments name it
	for user, name in (("Administrator", "系统管理员"), ("Guest", "访客")):
		if frappe.db.get_value("User", user, "first_name") == user:
			frappe.db.set_value("User", user, {"first_name": name, "full_name": name})


APP_NAME = "清欠"


def keep_frappe_workspaces_to_system_managers():
	"""Frappe's own workspaces (Build, Tools, Users, Website, Integrations…) are for the
	system's administrators: staff see the app's. A workspace with roles shows only to them
	(Frappe's Workspace.is_permitted); the rows are written without saving the workspace (a
	standard one would be exported into Frappe's app in developer mode) and put back after each
	migrate, which re-imports Frappe's workspaces when they change."""
	from qingqian_app.input_guard import MODULES

	for name in frappe.get_all("Workspace", filters={"module": ["not in", sorted(MODULES)]}, pluck="name"):
		if not frappe.db.exists("Has Role", {"parenttype": "Workspace", "parent": name}):
			frappe.get_doc(
				{"doctype": "Has Role", "parenttype": "Workspace", "parentfield": "roles", "parent": name,
					"role": "System Manager"}
			).db_insert()  # fmt: skip
	frappe.clear_cache()


def seed_calendar():
	from qingqian_app.working_calendar import seed_from_package

	print(f"工作日历：新增 {seed_from_package()} 天（来自 chinese-calendar）")


def demo_password() -> str:
	"""The demo accounts' password of this site: generated once, kept in its site config
	(qingqian_demo_password), printed by setup; never written in the repository."""
	import secrets

	from frappe.installer import update_site_config

	password = frappe.conf.get("qingqian_demo_password")
	if not password:
		password = "Qq-" + secrets.token_urlsafe(12)
		update_site_config("qingqian_demo_password", password)
		frappe.local.conf.qingqian_demo_password = password
	return password


def load_demo():
	"""Demo data: only on request (setup's demo step), never on a production install.
	bench --site SITE execute qingqian_app.install.load_demo"""
	sync_site(include_demo=True)
	frappe.db.commit()
	from qingqian_app import demo

	made = demo.load()
	print(f"演示台账：新建 {made['Arrears Item']} 条台账、{made['Complaint Lead']} 条投诉线索")


def before_uninstall():
	removed = LocalTransport().unregister_all()
	print(f"清欠：已删除本应用创建的 {len(removed)} 条记录")


def configure_site():
	"""Chinese defaults for a new district site, and the setup wizard marked done.
	Called by scripts/setup.sh only (never on install-app into an existing site):
	bench --site SITE execute qingqian_app.install.configure_site"""
	settings = frappe.get_single("System Settings")
	settings.update(
		{
			"language": "zh",
			"country": "China",
			"time_zone": "Asia/Shanghai",
			"date_format": "yyyy-mm-dd",
			"time_format": "HH:mm:ss",
			"number_format": "#,###.##",
			"first_day_of_the_week": "Monday",
			"app_name": APP_NAME,
			"setup_complete": 1,
		}
	)
	settings.flags.ignore_mandatory = True
	settings.save(ignore_permissions=True)
	frappe.db.set_default("lang", "zh")
	set_yuan()
	frappe.db.commit()
	print("站点已设为中文（zh）、Asia/Shanghai，设置向导已完成")


def set_yuan():
	"""Amounts are yuan: without a default currency Frappe shows its first one (AED)."""
	frappe.db.set_value("Currency", "CNY", {"enabled": 1, "symbol": "¥"})
	frappe.db.set_default("currency", "CNY")
