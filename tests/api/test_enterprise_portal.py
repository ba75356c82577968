"""The enterprise's side over HTTP (qingqian_app.enterprise_portal): an enterprise signs up, is
verified by the office, registers a claim with evidence and gets its 受理回执; a second
enterprise, the first one's unverified colleague and guests reach none of it on any path
(pages, the portal's methods, /api/resource, frappe.client, files, prints, the desk).

Each sign-up comes from an address of its own (X-Forwarded-For, which nginx sets to the client's
address in production): the sign-up is limited per address."""

import json
import random
import re
import time

import pytest
import requests

from qingqian_app.domain import uscc

from .conftest import URL, session
from .helpers import MARK, Actor, message

PORTAL = "qingqian_app.enterprise_portal.api"
PASSWORD = "Qq-portal-" + str(random.randint(10**8, 10**9))
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def address() -> dict:
	return {"X-Forwarded-For": "10.{}.{}.{}".format(*(random.randint(1, 254) for _ in range(3)))}


def a_code() -> str:
	first = "91140500" + "".join(random.choice(uscc.ALPHABET[:10]) for _ in range(9))
	return first + uscc.check_character(first)


def sign_up(email: str, name: str, code: str, headers=None) -> requests.Response:
	return session().post(
		f"{URL}/api/method/{PORTAL}.sign_up",
		data={
			"uscc": code,
			"enterprise_name": name,
			"contact_name": "王经理",
			"contact_phone": "0356-1234567",
			"email": email,
		},  # fmt: skip
		headers={"Accept": "application/json", **(headers or address())},
		timeout=30,
	)


def login(email: str) -> requests.Session:
	s = session()
	s.headers["Accept"] = "application/json"
	r = s.post(f"{URL}/api/method/login", data={"usr": email, "pwd": PASSWORD}, timeout=30)
	assert r.status_code == 200, (email, r.status_code, r.text[:200])
	s.home_page = r.json().get("home_page")  # where Frappe's login page sends the user
	# a page carries the session's CSRF token (Frappe writes it once the session has one), which
	# the portal's forms post with, as a browser would
	page = s.get(f"{URL}/arrears-claim", timeout=30).text
	token = re.search(r'data-csrf="([^"]+)"|frappe\.csrf_token = "([^"]+)"', page)
	if token:
		s.headers["X-Frappe-CSRF-Token"] = token.group(1) or token.group(2)
	return s


def files_of(office, receipt: str) -> list[dict]:
	r = office.s.get(
		office.url("File"),
		params={
			"filters": json.dumps([["attached_to_name", "=", receipt]]),
			"fields": json.dumps(["name", "file_url", "is_private", "file_name"]),
		},  # fmt: skip
		timeout=30,
	)
	return r.json()["data"]


def claim(s: requests.Session, unit: str, **values) -> requests.Response:
	data = {"respondent_unit": unit, "arrears_category": "工程", "contract_no": MARK + str(time.time_ns()),
		"claimed_amount": "86,000.00", "due_date": "2026-03-31", "no_court_statement": "1",
		"description": "2025年承建围墙维修工程，已验收结算，尾款至今未付，多次催要无果。"} | values  # fmt: skip
	files = [("attachments", ("验收单.pdf", PDF, "application/pdf"))]
	return s.post(f"{URL}/api/method/{PORTAL}.submit_claim", data=data, files=files, timeout=60)


@pytest.fixture(scope="module")
def portal(admin):
	stamp = time.time_ns()
	people = {}
	code_a, code_b = a_code(), a_code()
	for who, name, code in (("a", "甲", code_a), ("b", "乙", code_b), ("c", "甲", code_a)):
		email = f"apitest-{stamp}-{who}@portal.example.com"
		r = sign_up(email, f"{MARK}{stamp}{name}建材有限公司", code)
		assert r.status_code == 200, r.text[:300]
		assert "核验" in r.json()["message"]
		people[who] = email
	office = Actor("office.staff")
	for who in ("a", "b"):  # c, a's colleague, is not verified
		rows = office.listed("Enterprise Account", [["email", "=", people[who]]])
		assert len(rows) == 1, rows
		r = office.act(rows[0]["name"], "核验通过", doctype="Enterprise Account")
		assert r.status_code == 200, r.text[:300]
	for email in people.values():
		r = admin.put(f"{URL}/api/resource/User/{email}", json={"new_password": PASSWORD}, timeout=30)
		assert r.status_code == 200, r.text[:200]
	sessions = {who: login(email) for who, email in people.items()}
	unit = session().get(f"{URL}/arrears-claim", timeout=30)  # (a guest is sent to log in)
	assert "/login" in unit.url
	r = claim(sessions["a"], "区第一中学")
	assert r.status_code == 200, r.text[:500]
	return {
		"sessions": sessions,
		"emails": people,
		"receipt": r.json()["message"]["receipt"],
		"office": office,
	}


def test_a_verified_enterprise_registers_a_claim_and_gets_its_receipt(portal):
	a, receipt = portal["sessions"]["a"], portal["receipt"]
	mine = a.get(f"{URL}/api/method/{PORTAL}.my_matters", timeout=30).json()["message"]
	lead = next(m for m in mine if m["name"] == receipt)
	assert lead["respondent_unit"] == "区第一中学" and lead["claimed_amount"] == 86000
	assert lead["workflow_state"] == "已登记" and [f["file_name"] for f in lead["attachments"]] == [
		"验收单.pdf"
	]
	got = a.get(
		f"{URL}/api/method/{PORTAL}.attachment", params={"name": lead["attachments"][0]["name"]}, timeout=30
	)
	assert got.status_code == 200 and got.content == PDF, got.text[:200]
	assert not {"complainant_phone", "extension_reason", "requested_extension_days"} & set(lead)
	pdf = a.get(f"{URL}/api/method/{PORTAL}.receipt_pdf", params={"name": receipt}, timeout=60)
	assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), pdf.text[:300]
	page = a.get(f"{URL}/my-arrears", timeout=30)
	assert page.status_code == 200 and receipt in page.text and "区第一中学" in page.text
	# staff see it as a lead by the online channel, with the evidence attached privately
	office = portal["office"]
	doc = office.get(receipt, "Complaint Lead").json()["data"]
	assert doc["channel"] == "企业网上登记" and doc["workflow_state"] == "已登记"
	assert doc["complainant_name"] == "王经理"
	files = files_of(office, receipt)
	assert len(files) == 1 and files[0]["is_private"] == 1 and files[0]["file_name"] == "验收单.pdf"


def test_a_claim_is_checked_as_a_lead_registered_by_staff(portal):
	a = portal["sessions"]["a"]
	r = claim(a, "区第一中学", no_court_statement="")
	assert r.status_code == 417 and "声明" in message(r) and "人民法院" in message(r)
	r = claim(a, "晋城市某民营公司")
	assert r.status_code == 417 and "欠款单位" in message(r)
	r = claim(a, "区第一中学", claimed_amount="-1")
	assert r.status_code == 417 and "欠款金额" in message(r)


def test_an_unverified_colleague_and_a_guest_get_nothing(portal):
	c = portal["sessions"]["c"]
	assert claim(c, "区第一中学").status_code == 403
	assert c.get(f"{URL}/api/method/{PORTAL}.my_matters", timeout=30).status_code == 403
	r = c.get(f"{URL}/api/method/{PORTAL}.receipt_pdf", params={"name": portal["receipt"]}, timeout=30)
	assert r.status_code == 403
	assert "正在核验" in c.get(f"{URL}/arrears-claim", timeout=30).text
	guest = session()
	guest.headers["Accept"] = "application/json"
	assert claim(guest, "区第一中学").status_code == 403
	assert guest.get(f"{URL}/api/method/{PORTAL}.my_matters", timeout=30).status_code == 403
	for method, data in (("rate", {"lead": portal["receipt"], "rating": "不满意", "reasons": "游客的尝试"}),
		("answer_repayment", {"item": "x", "repayment": "x", "response": "有异议", "reason": "游客的尝试"})):  # fmt: skip
		assert guest.post(f"{URL}/api/method/{PORTAL}.{method}", data=data, timeout=30).status_code == 403
		assert c.post(f"{URL}/api/method/{PORTAL}.{method}", data=data, timeout=30).status_code == 403
	r = guest.get(f"{URL}/api/method/{PORTAL}.attachment", params={"name": "x"}, timeout=30)
	assert r.status_code == 403


def test_another_enterprise_reaches_none_of_the_first_ones_records(portal):
	"""Nor does the first enterprise itself reach its lead by Frappe's generic paths: it reads
	only what the portal writes for it."""
	receipt = portal["receipt"]
	evidence = files_of(portal["office"], receipt)[0]
	file_url = evidence["file_url"]
	for who in ("b", "c", "a"):
		s = portal["sessions"][who]
		if who != "a":
			r = s.get(f"{URL}/api/method/{PORTAL}.attachment", params={"name": evidence["name"]}, timeout=30)
			assert r.status_code in (403, 404) and PDF not in r.content, (who, r.status_code)
			for method, data in (
				("rate", {"lead": receipt, "rating": "不满意", "reasons": "他人代为评价的尝试"}),
				(
					"answer_repayment",
					{"item": receipt, "repayment": "x", "response": "有异议", "reason": "他人的尝试"},
				),
			):
				r = s.post(f"{URL}/api/method/{PORTAL}.{method}", data=data, timeout=30)
				assert r.status_code in (403, 404), (who, method, r.status_code, r.text[:200])
			mine = s.get(f"{URL}/api/method/{PORTAL}.my_matters", timeout=30)
			assert mine.status_code == 403 or receipt not in mine.text
			r = s.get(f"{URL}/api/method/{PORTAL}.receipt_pdf", params={"name": receipt}, timeout=30)
			assert r.status_code in (403, 404) and not r.content.startswith(b"%PDF"), who
			assert receipt not in s.get(f"{URL}/my-arrears", timeout=30).text
		paths = [
			("get", f"{URL}/api/resource/Complaint Lead/{receipt}", None),
			("get", f"{URL}/api/resource/Complaint Lead", None),
			("get", f"{URL}/api/v2/document/Complaint Lead/{receipt}", None),
			("post", f"{URL}/api/method/frappe.client.get", {"doctype": "Complaint Lead", "name": receipt}),
			("post", f"{URL}/api/method/frappe.client.get_list", {"doctype": "Complaint Lead"}),
			("get", f"{URL}/api/method/frappe.desk.form.load.getdoc", {"doctype": "Complaint Lead", "name": receipt}),
			("post", f"{URL}/api/method/frappe.desk.reportview.get", {"doctype": "Complaint Lead", "fields": '["name"]'}),
			*([("get", f"{URL}{file_url}", None)] if who != "a" else []),  # its own evidence it may fetch
			*([("get", f"{URL}/api/resource/File", {"filters": json.dumps([["attached_to_name", "=", receipt]])})]
				if who != "a" else []),
			("get", f"{URL}/printview", {"doctype": "Complaint Lead", "name": receipt, "format": "受理回执"}),
			("get", f"{URL}/api/method/frappe.utils.print_format.download_pdf",
				{"doctype": "Complaint Lead", "name": receipt, "format": "受理回执"}),
			("get", f"{URL}/api/resource/Enterprise Account", None),
			("get", f"{URL}/api/resource/Handling Rating", None),
			("post", f"{URL}/api/method/frappe.client.get_list", {"doctype": "Handling Rating"}),
			("get", f"{URL}/api/resource/Enterprise", None),
		]  # fmt: skip
		for verb, url, params in paths:
			if verb == "get":
				r = s.get(url, params=params, timeout=30)
			else:
				r = s.post(url, data=params, timeout=30)
			# (a refusal may repeat the name asked for; never the claim's facts or its evidence)
			text = r.text + message(r)
			leaked = r.content.startswith(b"%PDF") or any(
				v in text for v in ("围墙维修", "86,000", "86000", "验收单")
			)
			try:
				empty = r.status_code == 200 and r.json().get("data", r.json().get("message")) in (
					[],
					{},
					None,
				)
			except ValueError:
				empty = False  # a page: refused or not, by its status (400: a POST without its CSRF token)
			assert (r.status_code in (400, 403, 404) or empty) and not leaked, (
				who,
				url,
				r.status_code,
				r.text[:200],
			)


def test_an_enterprise_never_reaches_the_desk(portal):
	a = portal["sessions"]["a"]
	assert a.home_page == "/my-arrears", a.home_page
	r = a.get(f"{URL}/app/complaint-lead", timeout=30, allow_redirects=True)
	assert "/app" not in r.url or r.status_code == 403, (r.url, r.status_code)
	boot = a.get(f"{URL}/api/method/frappe.auth.get_logged_user", timeout=30).json()["message"]
	assert boot == portal["emails"]["a"]
	roles = a.get(f"{URL}/api/method/frappe.core.doctype.user.user.get_roles", timeout=30)
	assert roles.status_code == 403 or "System Manager" not in roles.text


def test_sign_up_checks_the_code_and_is_limited_per_address():
	bad = sign_up(f"apitest-{time.time_ns()}-x@portal.example.com", f"{MARK}丙公司", "91140500123456789A")
	assert bad.status_code == 417 and "统一社会信用代码" in message(bad)
	same_address = address()
	codes = [
		sign_up(f"apitest-{time.time_ns()}-r@portal.example.com", "", "", headers=same_address).status_code
		for _ in range(7)
	]
	assert codes[0] == 417 and codes[-1] == 429, codes
