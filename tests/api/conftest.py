"""HTTP against a running site. scripts/test.sh passes QINGQIAN_URL and QINGQIAN_TOKEN
(an API key:secret of a System Manager)."""

import os

import pytest
import requests

URL = os.environ.get("QINGQIAN_URL", "http://localhost:8000").rstrip("/")
TOKEN = os.environ.get("QINGQIAN_TOKEN", "")
DEMO_PASSWORD = "Qingqian@Demo2026"


@pytest.fixture(scope="session")
def url():
	return URL


@pytest.fixture(scope="session")
def token():
	if ":" not in TOKEN:
		pytest.fail("QINGQIAN_TOKEN (key:secret) is not set: run the suite through scripts/test.sh")
	return TOKEN


@pytest.fixture(scope="session")
def admin(token):
	s = requests.Session()
	s.headers.update({"Authorization": f"token {token}", "Accept": "application/json"})
	return s


def session() -> requests.Session:
	"""A session that tries again when the connection drops before a reply (the development
	server drops a keep-alive connection now and then)."""
	from requests.adapters import HTTPAdapter
	from urllib3.util.retry import Retry

	s = requests.Session()
	retry = Retry(total=3, connect=3, read=2, status=0, other=0, allowed_methods=None, backoff_factor=0.2)
	s.mount("http://", HTTPAdapter(max_retries=retry))
	return s


def login(user: str, password: str = DEMO_PASSWORD) -> requests.Session:
	s = session()
	s.headers["Accept"] = "application/json"
	r = s.post(f"{URL}/api/method/login", data={"usr": user, "pwd": password}, timeout=30)
	assert r.status_code == 200, f"login {user}: HTTP {r.status_code} {r.text[:200]}"
	return s
