"""The register of issued documents over HTTP: office staff draft (拟稿), the office head
signs (签发) and only then is a number given — 20 signings at once get 20 distinct,
consecutive numbers; signing again returns the same; no one else drafts or signs, and no
one signs their own draft."""

import re
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from .conftest import URL, login
from .helpers import DEBTOR, LEAD_ENTERPRISE, Actor, mark, message, state

REGISTER = "qingqian_app.qingqian.doctype.issued_document.issued_document"
LEAD = "Complaint Lead"


@pytest.fixture(scope="module")
def who():
	return {n: Actor(n) for n in ("complaint.officer", "office.staff", "office.head", "debtor.reporter")}


def transferred_lead(o) -> str:
	r = o.create(
		LEAD, channel="12345热线", enterprise=LEAD_ENTERPRISE, respondent_unit=DEBTOR, claimed_amount=1000,
		contract_no=mark(), description="编号测试",
	)  # fmt: skip
	assert r.status_code == 200, message(r)
	name = r.json()["data"]["name"]
	assert state(o.act(name, "受理", LEAD)) == "已受理"
	assert o.put(name, LEAD, transferred_to=DEBTOR).status_code == 200
	assert state(o.act(name, "转办", LEAD)) == "已转办"
	return name


def args(name):
	return {"document_kind": "转办单", "reference_doctype": LEAD, "reference_name": name}


def test_twenty_parallel_signings_get_twenty_consecutive_numbers(who):
	names = [transferred_lead(who["complaint.officer"]) for _ in range(20)]
	for name in names:
		r = who["office.staff"].call(f"{REGISTER}.draft", **args(name))
		assert r.status_code == 200, message(r)

	def sign(name):
		s = login(who["office.head"].user)  # a session each: truly parallel requests
		r = s.post(f"{URL}/api/method/{REGISTER}.sign", data=args(name), timeout=60)
		assert r.status_code == 200, message(r)
		return r.json()["message"]

	with ThreadPoolExecutor(max_workers=20) as pool:
		numbers = list(pool.map(sign, names))
	seqs = []
	for n in numbers:
		m = re.fullmatch(r"城清欠办函〔(\d{4})〕(\d+)号", n)
		assert m, n
		seqs.append(int(m.group(2)))
	assert len(set(numbers)) == 20
	assert sorted(seqs) == list(range(min(seqs), min(seqs) + 20)), sorted(seqs)
	assert int(m.group(1)) in (time.localtime().tm_year, time.localtime().tm_year + 1)  # the site's year
	assert sign(names[0]) == numbers[0]  # signing again: the same number
	row = (
		who["office.head"]
		.s.get(
			who["office.head"].url("Issued Document"),
			params={"filters": f'[["reference_name", "=", "{names[0]}"]]', "fields": '["*"]'},
			timeout=30,
		)
		.json()["data"][0]
	)
	assert (row["status"], row["drafted_by"], row["issued_by"]) == (
		"已签发",
		who["office.staff"].user,
		who["office.head"].user,
	)


def test_only_the_office_drafts_and_only_its_head_signs_another_s_draft(who):
	name = transferred_lead(who["complaint.officer"])
	r = who["debtor.reporter"].call(f"{REGISTER}.draft", **args(name))
	assert r.status_code == 403 and "拟稿" in message(r)
	r = who["office.head"].call(f"{REGISTER}.sign", **args(name))
	assert r.status_code == 417 and "尚未拟稿" in message(r)
	assert (
		who["office.head"].call(f"{REGISTER}.draft", **args(name)).status_code == 200
	)  # the head is also staff
	r = who["office.head"].call(f"{REGISTER}.sign", **args(name))
	assert r.status_code == 403 and "不能签发本人拟稿的公文" in message(r)
	for actor in ("office.staff", "debtor.reporter", "complaint.officer"):
		r = who[actor].call(f"{REGISTER}.sign", **args(name))
		assert r.status_code == 403 and "签发" in message(r), actor
	# the old way of taking a number is gone
	r = who["debtor.reporter"].call(f"{REGISTER}.issue", **args(name))
	assert r.status_code in (403, 404, 417)
