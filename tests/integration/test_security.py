"""The security baseline on a real site: each setting read back after setup applies it, the
audit logs kept 180 days, a stricter choice of the district kept, two-factor login required
of the roles named."""

import frappe
import pytest

from qingqian_app import security
from qingqian_app.domain import security as rules


@pytest.fixture(autouse=True)
def forget_settings():
	"""The settings changed here are rolled back; so is what the running site cached of them."""
	yield
	frappe.db.rollback()
	frappe.clear_cache()


def test_each_setting_is_read_back_as_the_baseline_or_stricter():
	state = security.apply()
	s = frappe.get_single("System Settings")
	assert s.session_expiry == state["session_expiry"] and rules.minutes(s.session_expiry) <= 30
	# Frappe locks once failures exceed the setting: 4 locks at the 5th
	assert 0 < s.allow_consecutive_login_attempts <= 4 and s.allow_login_after_fail >= 600
	assert s.enable_password_policy == 1 and int(s.minimum_password_score) >= 3
	assert 0 < s.force_user_to_reset_password <= 90
	assert s.enable_two_factor_auth == 1 and s.allow_error_traceback == 0
	# available, not imposed on everyone: no role asks for it until the district names one
	assert "All" not in state["two_factor_roles"]
	# Frappe reads the session expiry from the global default the settings write
	assert frappe.db.get_default("session_expiry") == s.session_expiry
	logs = {r.ref_doctype: r.days for r in frappe.get_single("Log Settings").logs_to_clear}
	assert {"Access Log", "Activity Log", "Error Log"} <= set(logs)
	assert min(logs.values()) >= 180


def test_a_stricter_choice_is_kept_and_two_factor_is_required_by_role():
	s = frappe.get_single("System Settings")
	s.session_expiry, s.allow_consecutive_login_attempts = "00:10", 3
	s.flags.ignore_mandatory = True
	s.save(ignore_permissions=True)
	state = security.apply()
	assert (state["session_expiry"], state["allow_consecutive_login_attempts"]) == ("00:10", 3)
	assert security.require_two_factor("Qingqian Office Head") == ["Qingqian Office Head"]
	assert "Qingqian Office Head" in security.state()["two_factor_roles"]
	from frappe.twofactor import two_factor_is_enabled_for_

	head = frappe.get_all(
		"Has Role", filters={"role": "Qingqian Office Head", "parenttype": "User"}, pluck="parent"
	)
	assert head and two_factor_is_enabled_for_(head[0])
