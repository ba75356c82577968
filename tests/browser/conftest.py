"""The desk in headless Chromium (Debian's), against the test site's own web process, which
scripts/test.sh starts with the site's assets: QINGQIAN_URL and QINGQIAN_DEMO_PASSWORD as for
tests/api. Staff's clicks and keystrokes, at their speed or faster."""

import os
import re

import pytest

from tests.api.conftest import admin, token  # the API suite's Administrator session (its fixtures)

URL = os.environ.get("QINGQIAN_URL", "http://localhost:8000").rstrip("/")
PASSWORD = os.environ.get("QINGQIAN_DEMO_PASSWORD", "")
CHROMIUM = os.environ.get("QINGQIAN_CHROMIUM", "/usr/bin/chromium")
DEMO = "@demo.qingqian.example.com"


@pytest.fixture(scope="session")
def browser():
	from playwright.sync_api import sync_playwright

	if not PASSWORD:
		pytest.fail("QINGQIAN_DEMO_PASSWORD is not set: run the suite through scripts/test.sh")
	with sync_playwright() as p:
		b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--lang=zh-CN"])
		yield b
		b.close()


def settle(page, ms: int = 300):
	page.wait_for_timeout(ms)
	page.wait_for_function(
		"() => window.frappe && frappe.request && frappe.request.ajax_count === 0", timeout=20000
	)


@pytest.fixture
def login(browser):
	"""login("office.staff") → a page in the desk as that demo user; closed after the test."""
	contexts = []

	def _login(user: str):
		context = browser.new_context(
			locale="zh-CN", viewport={"width": 1400, "height": 900}, ignore_https_errors=True
		)
		contexts.append(context)
		page = context.new_page()
		page.goto(URL + "/login")
		page.fill("#login_email", user if "@" in user else user + DEMO)
		page.fill("#login_password", PASSWORD)
		page.click(".btn-login")
		page.wait_for_url(re.compile(r"/app"), timeout=30000)
		settle(page)
		return page

	yield _login
	for c in contexts:
		c.close()
