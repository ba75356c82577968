"""The ledger's whole lifecycle over REST, as the demo user of each role in turn, and the
same calls refused for another unit's user, for the owner closing, and for a close with
money still owed. Items made here are deleted at the end."""

import json
import time
from urllib.parse import quote

import pytest

from .conftest import URL, login

DEMO = "@demo.qingqian.example.com"
DEBTOR = "区机关事务服务中心"
ENTERPRISE = "晋城市宏达建材有限公司"


class Actor:
	def __init__(self, name):
		self.user = name + DEMO
		self.s = login(self.user)

	def get(self, name):
		return self.s.get(f"{URL}/api/resource/Arrears%20Item/{quote(name)}", timeout=30)

	def create(self, **values):
		return self.s.post(f"{URL}/api/resource/Arrears%20Item", json=values, timeout=30)

	def put(self, name, **values):
		return self.s.put(f"{URL}/api/resource/Arrears%20Item/{quote(name)}", json=values, timeout=30)

	def act(self, name, action):
		doc = self.get(name).json().get("data") or {"doctype": "Arrears Item", "name": name}
		return self.s.post(
			f"{URL}/api/method/frappe.model.workflow.apply_workflow",
			data={"doc": json.dumps(doc), "action": action},
			timeout=30,
		)


def message(r) -> str:
	body = r.json()
	parts = [body.get("exception", "")]
	for m in json.loads(body.get("_server_messages", "[]")):
		parts.append(json.loads(m).get("message", ""))
	return " ".join(parts)


def state(r):
	assert r.status_code == 200, f"HTTP {r.status_code}: {r.text[:300]}"
	body = r.json()
	return (body.get("message") or body.get("data"))["workflow_state"]


@pytest.fixture(scope="module")
def actors():
	try:
		names = [
			"debtor.reporter",
			"debtor.head",
			"finance.head",
			"edu.head",
			"school.reporter",
			"office.staff",
			"office.head",
		]
		return {n: Actor(n) for n in names}
	except AssertionError as e:
		pytest.fail(f"demo users are needed (setup loads them): {e}")


@pytest.fixture(scope="module")
def made(admin):
	names = []
	yield names
	for n in names:
		admin.delete(f"{URL}/api/resource/Arrears%20Item/{quote(n)}", timeout=30)


def new_item(actor, made, **extra):
	values = dict(
		debtor_unit=DEBTOR,
		enterprise=ENTERPRISE,
		arrears_category="货物",
		contract_no=f"API-{time.time_ns()}",
		arrears_amount=50000,
		delivery_date="2026-09-01",
		repayments=[{"payment_date": "2026-10-01", "amount": 10000, "payment_method": "银行转账"}],
	)
	values.update(extra)
	r = actor.create(**values)
	assert r.status_code == 200, message(r)
	made.append(r.json()["data"]["name"])
	return r.json()["data"]


def test_whole_lifecycle_by_role_with_refusals(actors, made):
	a = actors
	doc = new_item(a["debtor.reporter"], made)
	name = doc["name"]
	assert doc["workflow_state"] == "待报送"
	assert (doc["due_date"], doc["outstanding_amount"], doc["competent_unit"]) == (
		"2026-10-01",
		40000,
		"区财政局",
	)

	# another unit's user can neither read nor act
	assert a["school.reporter"].get(name).status_code == 403
	assert a["school.reporter"].act(name, "报送").status_code == 403

	assert state(a["debtor.reporter"].act(name, "报送")) == "待审核"
	# the head of another competent unit cannot approve the entry
	assert a["edu.head"].act(name, "审核通过").status_code == 403
	assert state(a["finance.head"].act(name, "审核通过")) == "已入账"

	r = a["office.staff"].act(name, "转办")
	assert r.status_code == 417 and "转办前须设定清偿期限" in message(r)
	r = a["office.staff"].put(
		name, responsible_unit=DEBTOR, repay_deadline="2026-12-31", transfer_requirements="限期清偿"
	)
	assert r.status_code == 200, message(r)
	assert state(a["office.staff"].act(name, "转办")) == "已转办"

	assert state(a["debtor.head"].act(name, "开始核查")) == "核查中"
	assert state(a["debtor.head"].act(name, "确认无分歧")) == "清偿中"

	# the amount owed is not the reporter's to change once verified
	r = a["debtor.reporter"].put(name, arrears_amount=1)
	assert r.status_code == 403 and "不能修改" in message(r)
	r = a["debtor.reporter"].act(name, "申请销号")
	assert r.status_code == 417 and "未清偿金额为 40,000.00 元" in message(r)

	rows = a["debtor.reporter"].get(name).json()["data"]["repayments"]
	rows.append({"payment_date": "2026-11-20", "amount": 40000, "payment_method": "银行转账"})
	r = a["debtor.reporter"].put(name, repayments=rows)
	assert r.status_code == 200 and r.json()["data"]["outstanding_amount"] == 0, message(r)
	assert state(a["debtor.reporter"].act(name, "申请销号")) == "待销号"

	r = a["office.head"].act(name, "销号")
	assert r.status_code == 417 and "企业确认" in message(r)
	assert a["office.head"].put(name, enterprise_confirmed=1).status_code == 200
	assert state(a["office.head"].act(name, "销号")) == "已销号"
	history = a["office.head"].get(name).json()["data"]["responsibility_history"]
	assert history and history[0]["responsible_unit"] == DEBTOR


def test_owner_may_not_close_and_no_close_while_money_is_owed(actors, made):
	a = actors
	doc = new_item(a["office.head"], made)  # owned by the office head
	name = doc["name"]
	assert state(a["debtor.reporter"].act(name, "报送")) == "待审核"
	assert state(a["finance.head"].act(name, "审核通过")) == "已入账"
	a["office.staff"].put(name, responsible_unit=DEBTOR, repay_deadline="2026-12-31")
	assert state(a["office.staff"].act(name, "转办")) == "已转办"
	assert state(a["debtor.head"].act(name, "开始核查")) == "核查中"
	assert state(a["debtor.head"].act(name, "确认无分歧")) == "清偿中"
	rows = a["debtor.reporter"].get(name).json()["data"]["repayments"]
	a["debtor.reporter"].put(name, repayments=[*rows, {"payment_date": "2026-11-20", "amount": 40000}])
	assert state(a["debtor.reporter"].act(name, "申请销号")) == "待销号"
	assert a["office.head"].put(name, enterprise_confirmed=1).status_code == 200

	r = a["office.head"].act(name, "销号")
	# refused by Frappe's apply_workflow (不允许自我批准) and, for a direct write, by ours (不能自行审批)
	assert r.status_code in (403, 417) and ("自我批准" in message(r) or "自行审批" in message(r))

	# a repayment struck out again at 待销号: closing is refused while money is owed
	rows = a["debtor.reporter"].get(name).json()["data"]["repayments"]
	assert a["debtor.reporter"].put(name, repayments=rows[:1]).status_code == 200
	r = a["office.head"].act(name, "销号")
	assert r.status_code in (403, 417)
	assert a["office.head"].get(name).json()["data"]["workflow_state"] == "待销号"


def test_rest_cannot_jump_states_or_self_approve_by_writing_the_state(actors, made):
	a = actors
	name = new_item(a["debtor.reporter"], made)["name"]
	r = a["debtor.reporter"].put(name, workflow_state="已销号")
	assert r.status_code in (403, 417)
	assert a["debtor.reporter"].get(name).json()["data"]["workflow_state"] == "待报送"
