"""The security baseline as a user meets it over HTTP: a refused call says why in Chinese and
sends no server traceback; five failed logins lock the account for the lockout period, the
right password included. The account tried on is the suite's own (APITEST-), deleted after."""

import time

import pytest
import requests

from .conftest import URL
from .helpers import DEMO, Actor, message

PASSWORD = "Qq#Lockout-" + "7f3Kp9"


def test_a_refused_call_sends_no_traceback():
	a = Actor("school.reporter")
	r = a.s.get(f"{URL}/api/resource/Qingqian Definition", timeout=30)
	assert r.status_code == 403 and "Traceback" not in r.text and "exc" not in r.json()
	r = a.s.post(f"{URL}/api/resource/Enterprise", json={"enterprise_name": "x", "uscc": "1"}, timeout=30)
	assert r.status_code in (403, 417) and "Traceback" not in r.text and '"exc"' not in r.text
	assert any("\u4e00" <= ch <= "\u9fff" for ch in message(r))


@pytest.fixture
def account(admin):
	email = f"apitest-lockout-{time.time_ns()}{DEMO}"
	r = admin.post(f"{URL}/api/resource/User", json={"email": email, "first_name": "锁定测试", "send_welcome_email": 0,
		"new_password": PASSWORD, "roles": [{"role": "Debtor Unit Reporter"}]}, timeout=30)  # fmt: skip
	assert r.status_code == 200, message(r)
	yield email
	admin.delete(f"{URL}/api/resource/User/{email}", timeout=30)


def test_five_failed_logins_lock_the_account(account):
	# Frappe also locks the address failures come from: the suite's own stands in for a client's,
	# so that this machine's logins are not locked for the rest of the run
	client = {"X-Forwarded-For": f"198.18.{time.time_ns() % 250}.{time.time_ns() % 249 + 1}"}

	def login(pwd):
		return requests.post(
			f"{URL}/api/method/login", data={"usr": account, "pwd": pwd}, headers=client, timeout=30
		)

	assert login(PASSWORD).status_code == 200
	for _ in range(5):
		assert login("wrong-password").status_code == 401
	r = login(PASSWORD)  # the right password, while locked
	assert r.status_code != 200 and "Traceback" not in r.text
	assert "锁定" in message(r) or "locked" in message(r)
