"""The security baseline a district system is assessed against (网络安全等级保护 2.0, GB/T 22239-2019,
level 2; 网络安全法第二十一条), as the settings of Frappe that carry it. The figures in brackets of
../shared/domain/regulations.md are common practice in assessments, not the standard's text:
each is a floor the setup raises a site to, never a value it lowers a stricter site's choice to.
Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Control:
	setting: str  # System Settings field
	value: object  # the baseline
	stricter: str  # "lower" (fewer is stricter), "higher", or "on"
	basis: str  # what the assessment asks, as the README states it


# System Settings
CONTROLS = (
	Control("session_expiry", "00:30", "lower", "连接超时自动退出：空闲 30 分钟结束会话（身份鉴别）"),
	# Frappe locks an account (and the address) once its consecutive failures exceed this number
	Control(
		"allow_consecutive_login_attempts", 4, "lower", "登录失败处理：连续失败第 5 次即锁定（身份鉴别）"
	),
	Control("allow_login_after_fail", 600, "higher", "登录失败处理：锁定 10 分钟（身份鉴别）"),
	Control("enable_password_policy", 1, "on", "口令复杂度（身份鉴别）"),
	Control("minimum_password_score", "3", "higher", "口令复杂度：强度评分不低于 3（满分 4）"),
	Control("force_user_to_reset_password", 90, "lower", "口令定期更换：90 天（身份鉴别）"),
	Control("enable_two_factor_auth", 1, "on", "双因素认证可用：按角色开启（三级：管理员须两种以上鉴别）"),
	Control("allow_error_traceback", 0, "lower", "不向用户返回服务器错误堆栈（入侵防范）"),
)
# Log Settings: each log kept at least this many days (网络安全法第二十一条：不少于六个月)
LOG_DAYS = 180
AUDIT_LOGS = ("Access Log", "Activity Log", "Error Log", "Route History")


def minutes(expiry: str | None) -> int | None:
	"""'HH:MM' (Frappe's session_expiry) in minutes."""
	try:
		h, m = (expiry or "").split(":")[:2]
		return int(h) * 60 + int(m)
	except ValueError:
		return None


def raised(control: Control, current):
	"""The value a site keeps: its own where it is at least as strict, else the baseline."""
	if control.stricter == "on":
		return control.value if control.value else current
	if control.setting == "session_expiry":
		mine, floor = minutes(current), minutes(control.value)
		return current if mine and mine <= floor else control.value
	try:
		mine = int(current) if current not in (None, "") else None
	except (TypeError, ValueError):
		mine = None
	floor = int(control.value)
	if control.stricter == "lower":
		# 0 means "no limit" for attempts and password age: never as strict as a limit
		ok = mine is not None and (mine <= floor) and (mine > 0 or floor == 0)
	else:
		ok = mine is not None and mine >= floor
	if ok:
		return current
	return control.value


def log_days(current: int | None) -> int:
	return max(int(current or 0), LOG_DAYS)
