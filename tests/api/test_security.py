"""The security baseline as a user meets it over HTTP: a refused call says why in Chinese and
sends no server traceback; five failed logins lock the account for the lockout period, the
right password included, from any address, answered 429 in Chinese; the address they came
from is not locked for other accounts, only throttled after many more failures. The accounts
tried on are the suite's own (APITEST-), deleted after."""

import time

import pytest
import requests

from .conftest import URL
from .helpers import DEMO, Actor, message

PASSWORD = "Qq#Lockout-" + "7f3Kp9"
IP_FAILURES = 50  # qingqian_app.security.IP_FAILURES: failed logins an address may make


def test_a_refused_call_sends_no_traceback():
	a = Actor("school.reporter")
	r = a.s.get(f"{URL}/api/resource/Qingqian Definition", timeout=30)
	assert r.status_code == 403 and "Traceback" not in r.text and "exc" not in r.json()
	r = a.s.post(f"{URL}/api/resource/Enterprise", json={"enterprise_name": "x", "uscc": "1"}, timeout=30)
	assert r.status_code in (403, 417) and "Traceback" not in r.text and '"exc"' not in r.text
	assert any("\u4e00" <= ch <= "\u9fff" for ch in message(r))


def _make_account(admin, key):
	email = f"apitest-{key}-{time.time_ns()}{DEMO}"
	r = admin.post(f"{URL}/api/resource/User", json={"email": email, "first_name": "锁定测试", "send_welcome_email": 0,
		"new_password": PASSWORD, "roles": [{"role": "Debtor Unit Reporter"}]}, timeout=30)  # fmt: skip
	assert r.status_code == 200, message(r)
	return email


@pytest.fixture
def account(admin):
	email = _make_account(admin, "lockout")
	yield email
	admin.delete(f"{URL}/api/resource/User/{email}", timeout=30)


@pytest.fixture
def other_account(admin):
	email = _make_account(admin, "lockout-other")
	yield email
	admin.delete(f"{URL}/api/resource/User/{email}", timeout=30)


def _address():
	"""An address of the suite's own, standing in for a client's (so that this machine's logins
	are not throttled for the rest of the run)."""
	return f"198.18.{time.time_ns() % 250}.{time.time_ns() % 249 + 1}"


def _login(usr, pwd, address):
	return requests.post(
		f"{URL}/api/method/login",
		data={"usr": usr, "pwd": pwd},
		headers={"X-Forwarded-For": address, "Accept": "application/json"},
		timeout=30,
	)


def test_five_failed_logins_lock_the_account_not_the_address(account, other_account):
	here, elsewhere = _address(), "198.19.7.7"
	assert _login(account, PASSWORD, here).status_code == 200
	for _ in range(5):
		assert _login(account, "wrong-password", here).status_code == 401
	for address in (here, elsewhere):  # the right password, while locked, from anywhere
		r = _login(account, PASSWORD, address)
		assert r.status_code == 429 and "Traceback" not in r.text, (r.status_code, message(r))
		assert "锁定" in message(r)
	# another account from the same address (an office behind one address) still logs in
	assert _login(other_account, PASSWORD, here).status_code == 200


def test_an_address_failing_many_logins_is_throttled_with_429(other_account):
	address = _address()
	for i in range(IP_FAILURES + 1):  # accounts that do not exist: no account is locked
		r = _login(f"nobody-{i}{DEMO}", "wrong-password", address)
		assert r.status_code == 401, (i, r.status_code, message(r))
	r = _login(other_account, PASSWORD, address)
	assert r.status_code == 429 and "登录失败次数过多" in message(r), (r.status_code, message(r))
	assert _login(other_account, PASSWORD, _address()).status_code == 200  # from elsewhere it may
