"""The ledger's whole lifecycle over REST, as the demo user of each role in turn, and the
same calls refused for another unit's user, for the owner closing, and for a close with
money still owed or no confirmation recorded by the office."""

import pytest

from .helpers import DEBTOR, Actor, message, new_item, record_confirmation, state, to_state

ROLES = ["debtor.reporter", "debtor.head", "finance.head", "edu.head", "school.reporter", "office.staff",
	"office.head"]  # fmt: skip


@pytest.fixture(scope="module")
def actors():
	try:
		return {n: Actor(n) for n in ROLES}
	except AssertionError as e:
		pytest.fail(f"demo users are needed (setup loads them): {e}")


def test_whole_lifecycle_by_role_with_refusals(actors):
	a = actors
	doc = new_item(a["debtor.reporter"])
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
	assert r.status_code == 417 and "销号须有企业确认收款" in message(r)
	# the debtor cannot confirm on the creditor's behalf; the office records the 回访
	r = a["debtor.reporter"].put(name, confirmation_method="回访")
	assert r.status_code == 403 and "确认方式" in message(r)
	r = record_confirmation(a["office.staff"], name)
	assert r.json()["data"]["enterprise_confirmed"] == 1
	assert r.json()["data"]["confirmation_recorded_by"] == a["office.staff"].user
	assert state(a["office.head"].act(name, "销号")) == "已销号"
	data = a["office.head"].get(name).json()["data"]
	# responsible all along: the unit itself, by its principal's title; no change, no history
	assert (data["responsible_unit"], data["responsible_person_title"], data["responsibility_history"]) == (
		DEBTOR, "主任", [])  # fmt: skip


def test_owner_may_not_close_and_no_close_while_money_is_owed(actors):
	a = actors
	name = new_item(a["office.head"])["name"]  # owned by the office head (who is also staff)
	to_state(a, name, "清偿中")
	rows = a["debtor.reporter"].get(name).json()["data"]["repayments"]
	a["debtor.reporter"].put(name, repayments=[*rows, {"payment_date": "2026-11-20", "amount": 40000}])
	assert state(a["debtor.reporter"].act(name, "申请销号")) == "待销号"
	record_confirmation(a["office.staff"], name)

	r = a["office.head"].act(name, "销号")
	# refused by Frappe's apply_workflow (不允许自我批准) and by the guard (不能自行审批)
	assert r.status_code in (403, 417) and ("自我批准" in message(r) or "自行审批" in message(r))

	# a repayment struck out again at 待销号: closing is refused while money is owed
	rows = a["debtor.reporter"].get(name).json()["data"]["repayments"]
	assert a["debtor.reporter"].put(name, repayments=rows[:1]).status_code == 200
	r = a["office.head"].act(name, "销号")
	assert r.status_code in (403, 417)
	assert a["office.head"].get(name).json()["data"]["workflow_state"] == "待销号"


def test_rest_cannot_jump_states_or_self_approve_by_writing_the_state(actors):
	a = actors
	name = new_item(a["debtor.reporter"])["name"]
	r = a["debtor.reporter"].put(name, workflow_state="已销号")
	assert r.status_code == 403 and "状态只能通过流程操作改变" in message(r)
	assert a["debtor.reporter"].get(name).json()["data"]["workflow_state"] == "待报送"
