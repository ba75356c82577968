"""Complaint leads and petitions over REST (notifications: tests/integration), by the demo
users: one lead per outcome (one followed in the ledger until closed), a petition sent to its
unit and the clearing office, the same matter from two channels counted once, and the
refusals. Records made here are marked APITEST- and removed by scripts/test.sh."""

import json

import pytest

from .conftest import URL
from .helpers import DEBTOR, LEAD_ENTERPRISE, Actor, mark, message, record_confirmation, state

ENTERPRISE = LEAD_ENTERPRISE


@pytest.fixture(scope="module")
def who():
	names = ["complaint.officer", "liaison", "debtor.head", "debtor.reporter", "office.head", "petition.officer",
		"school.reporter", "office.staff", "finance.head"]  # fmt: skip
	return {n: Actor(n) for n in names}


def register(actor, channel="12345热线", **extra):
	values = dict(
		channel=channel, enterprise=ENTERPRISE, respondent_unit=DEBTOR, claimed_amount=88000,
		contract_no=mark(), arrears_category="服务", description="物业服务费逾期未付",
		complainant_name="财务负责人", complainant_phone="0356-2000103", no_court_statement=1,
	)  # fmt: skip
	values.update(extra)
	r = actor.create("Complaint Lead", **values)
	assert r.status_code == 200, message(r)
	return r.json()["data"]


LEAD = "Complaint Lead"


def to_verification(who, name):
	o, h = who["complaint.officer"], who["debtor.head"]
	assert state(o.act(name, "受理", LEAD)) == "已受理"
	assert o.put(name, LEAD, transferred_to=DEBTOR).status_code == 200
	assert state(o.act(name, "转办", LEAD)) == "已转办"
	assert state(h.act(name, "开始核查", LEAD)) == "核查中"


def verify_undisputed(who, name, **found):
	"""Through verification to 待反馈 with outcome 2 (未清偿且不存在争议)."""
	to_verification(who, name)
	h = who["debtor.head"]
	r = h.put(name, LEAD, verification_result="未清偿且不存在争议", verified_amount=88000, repay_deadline="2026-12-31",
		**found)  # fmt: skip
	assert r.status_code == 200, message(r)
	assert state(h.act(name, "提交核查结果", LEAD)) == "待反馈"


def ledger_item(officer, lead_name):
	"""The arrears item the lead's outcome put in the ledger."""
	return officer.get(lead_name, LEAD).json()["data"]["arrears_item"]


def test_outcome_out_of_scope(who):
	o, h = who["complaint.officer"], who["debtor.head"]
	lead = register(o)["name"]
	to_verification(who, lead)
	lead_now = o.get(lead, LEAD).json()["data"]
	assert lead_now["transfer_deadline"] and lead_now["handling_deadline"]
	r = h.act(lead, "提交核查结果", LEAD)
	assert r.status_code == 417 and "核查结果须为三种之一" in message(r)
	h.put(lead, LEAD, verification_result="不属于受理范围")
	r = h.act(lead, "提交核查结果", LEAD)
	assert r.status_code == 417 and "须写明告知投诉人的理由" in message(r)
	h.put(
		lead,
		LEAD,
		out_of_scope_ground="人民法院、仲裁机构已受理或已处理",
		outcome_reason="该合同纠纷已由区人民法院受理",
	)
	assert state(h.act(lead, "提交核查结果", LEAD)) == "待反馈"
	o.put(lead, LEAD, feedback="已书面告知投诉人不属于受理范围及理由")
	assert state(o.act(lead, "办结", LEAD)) == "已办结"
	# closed: the outcome is no one's to change any more
	r = o.put(lead, LEAD, verification_result="未清偿且不存在争议")
	assert r.status_code == 403 and "核查结果" in message(r)


def test_outcome_undisputed_goes_to_the_ledger_with_the_wages_and_is_closed_there(who):
	o, rep, head = who["complaint.officer"], who["debtor.reporter"], who["office.head"]
	lead = register(o, involves_migrant_wages=1, migrant_wage_amount=20000)["name"]
	verify_undisputed(who, lead, due_date="2026-10-15")
	item = ledger_item(o, lead)
	data = rep.get(item).json()["data"]
	# everything the verification found, wages included; reviewed by the competent unit
	assert (data["workflow_state"], data["source"], data["arrears_amount"]) == ("待审核", "投诉线索", 88000)
	assert (data["involves_migrant_wages"], data["migrant_wage_amount"], data["due_date"]) == (
		1,
		20000,
		"2026-10-15",
	)
	assert data["repay_deadline"] == "2026-12-31" and data["responsible_unit"] == DEBTOR
	o.put(lead, LEAD, feedback="已责成限期清偿")
	r = o.act(lead, "办结", LEAD)
	assert r.status_code == 417 and "纳入台账持续跟踪" in message(r)
	assert state(o.act(lead, "纳入台账", LEAD)) == "纳入台账"
	# followed in the ledger until resolved
	assert state(who["finance.head"].act(item, "审核通过")) == "已入账"
	assert state(who["office.staff"].act(item, "转办")) == "已转办"  # unit and deadline came from the lead
	assert state(who["debtor.head"].act(item, "开始核查")) == "核查中"
	assert state(who["debtor.head"].act(item, "确认无分歧")) == "清偿中"
	r = rep.put(item, repayments=[{"payment_date": "2026-11-25", "amount": 88000}])
	assert r.status_code == 200, message(r)
	assert r.json()["data"]["migrant_wage_repaid"] == 20000  # wages first (工作方案二（三）)
	assert state(rep.act(item, "申请销号")) == "待销号"
	record_confirmation(who["office.staff"], item)
	assert state(head.act(item, "销号")) == "已销号"
	assert o.get(lead, LEAD).json()["data"]["arrears_item_state"] == "已销号"
	assert state(o.act(lead, "办结", LEAD)) == "已办结"


def test_outcome_disputed_goes_to_the_ledger_with_the_dispute(who):
	o, h = who["complaint.officer"], who["debtor.head"]
	lead = register(o)["name"]
	to_verification(who, lead)
	h.put(lead, LEAD, verification_result="属于受理范围但存在争议", verified_amount=88000, disputed_amount=30000,
		outcome_reason="服务质量存在争议，已组织双方协商")  # fmt: skip
	assert state(h.act(lead, "提交核查结果", LEAD)) == "待反馈"
	item = ledger_item(o, lead)
	data = who["office.staff"].get(item).json()["data"]
	assert (data["workflow_state"], data["disputed_amount"], data["undisputed_amount"]) == (
		"待审核",
		30000,
		58000,
	)
	assert data["dispute_reason"] == "服务质量存在争议，已组织双方协商"
	assert state(o.act(lead, "纳入台账", LEAD)) == "纳入台账"


def test_extension_approved_by_the_office_head_within_ninety_days(who):
	o, h, head = who["complaint.officer"], who["debtor.head"], who["office.head"]
	lead = register(o)["name"]
	to_verification(who, lead)
	before = o.get(lead, LEAD).json()["data"]["handling_deadline"]
	h.put(lead, LEAD, requested_extension_days=61, extension_reason="需第三方审计")
	r = h.act(lead, "申请延期", LEAD)
	assert r.status_code == 417 and "最多还可延长 60 日" in message(r)
	h.put(lead, LEAD, requested_extension_days=30)
	assert state(h.act(lead, "申请延期", LEAD)) == "延期待批"
	assert state(head.act(lead, "批准延期", LEAD)) == "核查中"
	after = o.get(lead, LEAD).json()["data"]
	assert after["extension_days"] == 30 and after["handling_deadline"] > before


def test_same_matter_from_two_channels_is_one_lead(who):
	first = register(who["liaison"], channel="工商联移送")
	second = register(who["complaint.officer"], contract_no=first["contract_no"], claimed_amount=87000)
	assert second["duplicate_of"] == first["name"]
	master = who["complaint.officer"].get(first["name"], LEAD).json()["data"]
	assert [r["channel"] for r in master["reported_channels"]] == ["工商联移送", "12345热线"]
	r = who["complaint.officer"].s.get(
		f"{URL}/api/resource/Complaint%20Lead",
		params={
			"filters": json.dumps(
				[["contract_no", "=", first["contract_no"]], ["duplicate_of", "is", "not set"]]
			)
		},
		timeout=30,
	)
	assert [x["name"] for x in r.json()["data"]] == [first["name"]]  # counted once
	# the liaison follows what they registered, not the office's other leads
	assert who["liaison"].get(second["name"], LEAD).status_code == 403
	# into the ledger once: the matter's one lead makes one item
	verify_undisputed(who, first["name"])
	items = (
		who["office.staff"]
		.s.get(
			f"{URL}/api/resource/Arrears%20Item",
			params={"filters": json.dumps([["contract_no", "=", first["contract_no"]]])},
			timeout=30,
		)
		.json()["data"]
	)
	assert len(items) == 1


def test_complainant_contact_is_private(who):
	lead = register(who["complaint.officer"])["name"]
	assert who["school.reporter"].get(lead, LEAD).status_code == 403
	r = who["school.reporter"].s.get(
		f"{URL}/api/resource/Complaint%20Lead",
		params={"fields": json.dumps(["name", "complainant_phone"])},
		timeout=30,
	)
	assert lead not in {x["name"] for x in r.json().get("data", [])}
	to_verification(who, lead)  # now the handling unit's
	assert who["debtor.head"].get(lead, LEAD).json()["data"]["complainant_phone"] == "0356-2000103"


def test_petition_sent_to_the_unit_and_the_office(who):
	p = who["petition.officer"]
	r = p.create(
		"Petition", petition_no=mark(), petition_form="来信", involved_unit=DEBTOR, enterprise=ENTERPRISE,
		claimed_amount=12000, content="反映维修费拖欠", petitioner_name="经理", petitioner_phone="0356-2000199",
	)  # fmt: skip
	assert r.status_code == 200, message(r)
	name = r.json()["data"]["name"]
	assert who["debtor.head"].get(name, "Petition").status_code == 403  # not yet sent
	assert state(p.act(name, "转送", "Petition")) == "已转送"
	assert who["debtor.head"].get(name, "Petition").status_code == 200
	assert who["office.staff"].get(name, "Petition").status_code == 200
	assert who["school.reporter"].get(name, "Petition").status_code == 403
	who["debtor.head"].put(name, "Petition", reply="已核实并安排支付")
	assert state(who["debtor.head"].act(name, "答复", "Petition")) == "已答复"
