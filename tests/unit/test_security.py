"""The security baseline (qingqian_app.domain.security): a floor raised to, never a stricter
choice lowered."""

from qingqian_app.domain import security as s

BY = {c.setting: c for c in s.CONTROLS}


def test_a_loose_site_is_raised_to_the_baseline():
	assert s.raised(BY["session_expiry"], "170:00") == "00:30"
	assert s.raised(BY["allow_consecutive_login_attempts"], 10) == 4  # locked at the 5th failure
	assert s.raised(BY["allow_login_after_fail"], 60) == 600
	assert s.raised(BY["minimum_password_score"], "2") == "3"
	assert s.raised(BY["force_user_to_reset_password"], 0) == 90  # 0: never, the loosest
	assert s.raised(BY["enable_two_factor_auth"], 0) == 1
	assert s.raised(BY["allow_error_traceback"], 1) == 0


def test_a_stricter_choice_of_the_district_is_kept():
	assert s.raised(BY["session_expiry"], "00:15") == "00:15"
	assert s.raised(BY["allow_consecutive_login_attempts"], 3) == 3
	assert s.raised(BY["allow_login_after_fail"], 1800) == 1800
	assert s.raised(BY["minimum_password_score"], "4") == "4"
	assert s.raised(BY["force_user_to_reset_password"], 30) == 30


def test_nonsense_is_replaced_and_logs_are_kept_six_months():
	assert s.raised(BY["session_expiry"], "soon") == "00:30"
	assert s.raised(BY["allow_consecutive_login_attempts"], None) == 4
	assert s.minutes("01:30") == 90 and s.minutes("") is None
	assert s.log_days(30) == 180 and s.log_days(365) == 365 and s.log_days(None) == 180
	assert {"Access Log", "Activity Log", "Error Log"} <= set(s.AUDIT_LOGS)
