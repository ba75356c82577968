"""The security baseline (qingqian_app.domain.security) applied to a site: System Settings raised
to it, the audit logs kept at least 180 days. Run by scripts/setup.sh on every run and by a new
site's configuration; never lowers what a district set stricter.

	bench --site SITE execute qingqian_app.security.apply
"""

from __future__ import annotations

import frappe

from qingqian_app.domain import security as rules


def apply() -> dict:
	"""Raise the site to the baseline; returns the settings as they now are."""
	s = frappe.get_single("System Settings")
	for control in rules.CONTROLS:
		s.set(control.setting, rules.raised(control, s.get(control.setting)))
	s.flags.ignore_mandatory = True
	s.save(ignore_permissions=True)
	# Frappe marks the role every user has (All) for two-factor login: switched on in the settings,
	# it would ask everyone for a code. Required only of the roles named (require_two_factor).
	frappe.db.set_value("Role", "All", "two_factor_auth", 0)
	logs = frappe.get_single("Log Settings")
	logs.add_default_logtypes()  # Frappe's own, so that the floor below reaches them too
	kept = {row.ref_doctype: row for row in logs.logs_to_clear}
	for doctype in rules.AUDIT_LOGS:
		if doctype not in kept and frappe.db.exists("DocType", doctype):
			logs.append("logs_to_clear", {"ref_doctype": doctype, "days": rules.LOG_DAYS})
	for row in logs.logs_to_clear:  # no log of the site is kept less than the baseline
		row.days = rules.log_days(row.days)
	logs.save(ignore_permissions=True)
	return state()  # bench execute commits


def require_two_factor(roles: str | list[str]) -> list[str]:
	"""Two-factor login (OTP app) required of the users holding ``roles`` — the heads, and at
	level 3 the administrators (setup: TWO_FACTOR_ROLES="Qingqian Office Head,System Manager")."""
	names = [r.strip() for r in (roles.split(",") if isinstance(roles, str) else roles) if r.strip()]
	for role in names:
		if not frappe.db.exists("Role", role):
			frappe.throw(f"角色 {role} 不存在")
		frappe.db.set_value("Role", role, "two_factor_auth", 1)
	return names


def state() -> dict:
	"""What the site enforces now (setup prints it; tests read it back)."""
	s = frappe.get_single("System Settings")
	out = {c.setting: s.get(c.setting) for c in rules.CONTROLS}
	out["logs_to_clear"] = {r.ref_doctype: r.days for r in frappe.get_single("Log Settings").logs_to_clear}
	out["two_factor_roles"] = frappe.get_all("Role", filters={"two_factor_auth": 1}, pluck="name")
	return out
