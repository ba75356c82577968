"""The security baseline (qingqian_app.domain.security) applied to a site: System Settings raised
to it, the audit logs kept at least 180 days. Run by scripts/setup.sh on every run and by a new
site's configuration; never lowers what a district set stricter.

	bench --site SITE execute qingqian_app.security.apply
"""

from __future__ import annotations

import frappe
from frappe import _

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


# --- failed logins lock the account, the address is throttled ---------------------------------
#
# Frappe (frappe.auth.LoginManager.authenticate) counts failures per account and per address
# with the same System Settings limit, and refuses a locked one with a SecurityException (HTTP
# 500): five wrong passwords from an office's one address locked every account behind it,
# Administrator included. Here the account is locked by the baseline's limit and period
# (allow_consecutive_login_attempts / allow_login_after_fail), and an address only after
# IP_FAILURES failures within the period, a success not clearing its count; both refused with
# HTTP 429 and a Chinese message.

IP_FAILURES = 50  # failed logins from one address within the lockout period


class LoginLocked(frappe.RateLimitExceededError):
	http_status_code = 429


_frappe_tracker = None


def install_login_tracker(**kwargs):
	"""Put :func:`get_login_attempt_tracker` in the place of Frappe's in this process (once;
	hooks.py before_request through qingqian_app.http_guard)."""
	global _frappe_tracker
	from frappe import auth

	if getattr(auth.get_login_attempt_tracker, "qingqian", False):
		return
	_frappe_tracker = auth.get_login_attempt_tracker
	auth.get_login_attempt_tracker = get_login_attempt_tracker


class AddressTracker:
	"""An address's failed logins (its own keys, apart from the accounts'); a success from it
	does not clear them."""

	def __init__(self, address: str, limit: int, interval: int):
		from frappe.auth import LoginAttemptTracker

		self.tracker = LoginAttemptTracker(f"ip:{address}", limit, interval)

	def add_failure_attempt(self):
		self.tracker.add_failure_attempt()

	def add_success_attempt(self):
		pass

	def is_user_allowed(self) -> bool:
		return self.tracker.is_user_allowed()


def get_login_attempt_tracker(key: str, raise_locked_exception: bool = True):
	"""frappe.auth.get_login_attempt_tracker: called with the request's address, then with
	the account's name."""
	from frappe.auth import LoginAttemptTracker

	settings = frappe.get_cached_doc("System Settings")
	limit = settings.allow_consecutive_login_attempts or 0
	interval = settings.allow_login_after_fail or 60
	minutes = max(1, round(interval / 60))
	if key and key == getattr(frappe.local, "request_ip", None):
		tracker = AddressTracker(key, IP_FAILURES, interval)
		if raise_locked_exception and limit > 0 and not tracker.is_user_allowed():
			frappe.throw(
				_("登录失败次数过多：来自地址 {0} 的登录已暂停，请 {1} 分钟后再试").format(key, minutes),
				LoginLocked,
				title=_("登录受限"),
			)
		return tracker
	tracker = LoginAttemptTracker(key, limit, interval) if limit > 0 else LoginAttemptTracker(key)
	if raise_locked_exception and limit > 0 and not tracker.is_user_allowed():
		frappe.throw(
			_("账号已锁定：连续登录失败超过 {0} 次，请 {1} 分钟后再试").format(limit, minutes),
			LoginLocked,
			title=_("账号已锁定"),
		)
	return tracker


get_login_attempt_tracker.qingqian = True
