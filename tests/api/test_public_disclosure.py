"""The public disclosure page over HTTP, as anyone on the internet reads it (no login): the
latest approved disclosure's rows present, an unapproved item's unit absent, no private field
of any record anywhere in the page or its CSV, the page fresh after the next approval (its
cache cleared), Guest refused every DocType through /api/resource and frappe.client, and the
CSV rate-limited per client."""

import json
import time

import pytest
import requests

from .conftest import URL, session
from .helpers import DEBTOR, ENTERPRISE, Actor, mark, message, new_item

PAGE, CSV = f"{URL}/arrears-disclosure", f"{URL}/api/method/qingqian_app.accountability.disclosure.csv"


@pytest.fixture(scope="module")
def office():
	return {
		"staff": Actor("office.staff"),
		"head": Actor("office.head"),
		"reporter": Actor("debtor.reporter"),
	}


def publish(office, note):
	# as of the site's today (its default)
	r = office["staff"].create("Disclosure", title=f"{mark()} 逾期未支付民营企业账款信息公开", note=note)
	assert r.status_code == 200, message(r)
	name = r.json()["data"]["name"]
	assert office["staff"].act(name, "提交审批", "Disclosure").status_code == 200
	r = office["head"].act(name, "批准发布", "Disclosure")
	assert r.status_code == 200, message(r)
	return office["head"].get(name, "Disclosure").json()["data"]


def guest():
	return session()


def private_values(admin) -> list[str]:
	"""Every value the page must never show: enterprises' names and contacts, complainants,
	internal opinions, descriptions."""

	def values(doctype, fields):
		r = admin.get(f"{URL}/api/resource/{doctype}", params={"fields": str(fields).replace("'", '"'),
			"limit_page_length": 0}, timeout=60)  # fmt: skip
		assert r.status_code == 200, message(r)
		return {str(v) for row in r.json()["data"] for v in row.values() if v and len(str(v)) >= 4}

	return sorted(
		values("Enterprise", ["enterprise_name", "uscc", "contact_person", "contact_phone"])
		| values("Complaint Lead", ["complainant_name", "complainant_phone", "description"])
		| values("Accountability Action", ["legal_review"])
		| values("Arrears Item", ["contract_no"])
	)


def count(admin, filters) -> int:
	r = admin.get(f"{URL}/api/method/frappe.client.get_count",
		params={"doctype": "Arrears Item", "filters": json.dumps(filters)}, timeout=30)  # fmt: skip
	return r.json()["message"]


def test_the_page_and_its_csv_show_the_approved_rows_and_nothing_private(office, admin):
	# an item overdue since January 2025 but never approved (待报送): not disclosed
	new_item(office["reporter"], due_date="2025-01-31", repayments=[])
	note = f"{mark()} 本期公开说明"
	doc = publish(office, note)
	overdue = [
		["debtor_unit", "=", DEBTOR],
		["due_date", "<", doc["as_of_date"]],
		["outstanding_amount", ">", 0],
	]
	approved = count(admin, [*overdue, ["counted_in_ledger", "=", 1]])
	assert count(admin, overdue) > approved
	page = guest().get(PAGE, timeout=30)
	assert page.status_code == 200 and "text/html" in page.headers["Content-Type"]
	html = page.text
	assert note in html  # this approval's, not a cached earlier one
	assert doc["rows"], "the demo ledger has overdue items"
	for row in doc["rows"]:
		assert row["debtor_unit"] in html and f"{row['overdue_amount']:,.2f}" in html
	assert {r["debtor_unit"]: r["item_count"] for r in doc["rows"]}[DEBTOR] == approved
	csv = guest().get(CSV, timeout=30)
	assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv")
	text = csv.content.decode("utf-8-sig")
	assert text.splitlines()[0] == "欠款单位,单位类型,逾期未支付笔数,逾期未支付金额（元）,最长逾期天数"
	assert len(text.splitlines()) == len(doc["rows"]) + 1 and DEBTOR in text
	secrets = private_values(admin)
	assert ENTERPRISE in secrets
	leaked = [v for v in secrets if v in html or v in text]
	assert not leaked, leaked[:10]


def test_guest_reads_no_record(admin):
	g = guest()
	for doctype in ("Arrears Item", "Enterprise", "Disclosure", "Accountability Action", "Complaint Lead",
			"Debtor Unit", "Audit Finding"):  # fmt: skip
		r = g.get(f"{URL}/api/resource/{doctype}", timeout=30)
		assert r.status_code == 403, (doctype, r.status_code)
		r = g.get(f"{URL}/api/method/frappe.client.get_list", params={"doctype": doctype}, timeout=30)
		assert r.status_code == 403, (doctype, r.status_code)
	r = g.post(f"{URL}/api/method/frappe.client.get_value",
		data={"doctype": "Enterprise", "fieldname": "contact_phone", "filters": "{}"}, timeout=30)  # fmt: skip
	assert r.status_code == 403


def test_the_csv_is_rate_limited_per_client():
	g = guest()
	codes = [g.get(CSV, timeout=30).status_code for _ in range(35)]
	assert 429 in codes, codes
	assert codes[0] == 200
