"""Complaint leads and petitions over REST (notifications: tests/integration), by the demo users: one lead per outcome (one
followed in the ledger until closed), a petition sent to its unit and the clearing office,
the same matter from two channels counted once, and the refusals. Records made here are
deleted at the end."""

import json
import time
from urllib.parse import quote

import pytest

from .conftest import URL
from .test_ledger_lifecycle import DEBTOR, Actor, message, state

ENTERPRISE = "晋城市安和物业服务有限公司"


class LeadActor(Actor):
	doctype = "Complaint Lead"

	def get(self, name, doctype="Complaint Lead"):
		return self.s.get(f"{URL}/api/resource/{quote(doctype)}/{quote(name)}", timeout=30)

	def create(self, doctype="Complaint Lead", **values):
		return self.s.post(f"{URL}/api/resource/{quote(doctype)}", json=values, timeout=30)

	def put(self, name, doctype="Complaint Lead", **values):
		return self.s.put(f"{URL}/api/resource/{quote(doctype)}/{quote(name)}", json=values, timeout=30)

	def act(self, name, action, doctype="Complaint Lead"):
		doc = self.get(name, doctype).json().get("data") or {"doctype": doctype, "name": name}
		return self.s.post(
			f"{URL}/api/method/frappe.model.workflow.apply_workflow",
			data={"doc": json.dumps(doc), "action": action},
			timeout=30,
		)


@pytest.fixture(scope="module")
def who():
	names = ["complaint.officer", "liaison", "debtor.head", "debtor.reporter", "office.head", "petition.officer",
		"school.reporter", "office.staff"]  # fmt: skip
	return {n: LeadActor(n) for n in names}


@pytest.fixture(scope="module")
def made(admin):
	rows = []
	yield rows
	# leads of one matter link to each other: unlink them, then what links to an item, then items
	for doctype, name in rows:
		if doctype == "Complaint Lead":
			admin.put(
				f"{URL}/api/resource/{quote(doctype)}/{quote(name)}",
				json={"duplicate_of": None, "reported_channels": []},
				timeout=30,
			)
	for doctype, name in sorted(reversed(rows), key=lambda r: r[0] == "Arrears Item"):
		r = admin.delete(f"{URL}/api/resource/{quote(doctype)}/{quote(name)}", timeout=30)
		assert r.status_code in (202, 200, 404), f"{doctype} {name}: {r.text[:200]}"


def register(actor, made, channel="12345热线", **extra):
	values = dict(
		channel=channel, enterprise=ENTERPRISE, respondent_unit=DEBTOR, claimed_amount=88000,
		contract_no=f"TS-{time.time_ns()}", arrears_category="服务", description="物业服务费逾期未付",
		complainant_name="财务负责人", complainant_phone="0356-2000103", no_court_statement=1,
	)  # fmt: skip
	values.update(extra)
	r = actor.create(**values)
	assert r.status_code == 200, message(r)
	made.append(("Complaint Lead", r.json()["data"]["name"]))
	return r.json()["data"]


def to_verification(who, name):
	o, h = who["complaint.officer"], who["debtor.head"]
	assert state(o.act(name, "受理")) == "已受理"
	assert o.put(name, transferred_to=DEBTOR).status_code == 200
	assert state(o.act(name, "转办")) == "已转办"
	assert state(h.act(name, "开始核查")) == "核查中"


def verify_undisputed(who, name):
	"""Through verification to 待反馈 with outcome 2 (未清偿且不存在争议)."""
	to_verification(who, name)
	h = who["debtor.head"]
	h.put(name, verification_result="未清偿且不存在争议", verified_amount=88000, repay_deadline="2026-12-31")
	assert state(h.act(name, "提交核查结果")) == "待反馈"


def ledger_item(officer, lead_name, made):
	"""The arrears item the lead's outcome put in the ledger (deleted at the end)."""
	item = officer.get(lead_name).json()["data"]["arrears_item"]
	made.append(("Arrears Item", item))
	return item


def test_outcome_out_of_scope(who, made):
	o, h = who["complaint.officer"], who["debtor.head"]
	lead = register(o, made)
	to_verification(who, lead["name"])
	lead_now = o.get(lead["name"]).json()["data"]
	assert lead_now["transfer_deadline"] and lead_now["handling_deadline"]
	r = h.act(lead["name"], "提交核查结果")
	assert r.status_code == 417 and "核查结果须为三种之一" in message(r)
	h.put(lead["name"], verification_result="不属于受理范围")
	r = h.act(lead["name"], "提交核查结果")
	assert r.status_code == 417 and "须写明告知投诉人的理由" in message(r)
	h.put(
		lead["name"],
		out_of_scope_ground="人民法院、仲裁机构已受理或已处理",
		outcome_reason="该合同纠纷已由区人民法院受理",
	)
	assert state(h.act(lead["name"], "提交核查结果")) == "待反馈"
	o.put(lead["name"], feedback="已书面告知投诉人不属于受理范围及理由")
	assert state(o.act(lead["name"], "办结")) == "已办结"


def test_outcome_undisputed_goes_to_the_ledger_and_is_closed_there(who, made):
	o, rep, head = who["complaint.officer"], who["debtor.reporter"], who["office.head"]
	lead = register(o, made)
	verify_undisputed(who, lead["name"])
	item = ledger_item(o, lead["name"], made)
	assert rep.get(item, "Arrears Item").json()["data"]["workflow_state"] == "清偿中"
	o.put(lead["name"], feedback="已责成限期清偿")
	r = o.act(lead["name"], "办结")
	assert r.status_code == 417 and "纳入台账持续跟踪" in message(r)
	assert state(o.act(lead["name"], "纳入台账")) == "纳入台账"
	# followed in the ledger until resolved
	r = rep.put(item, "Arrears Item", repayments=[{"payment_date": "2026-11-25", "amount": 88000}])
	assert r.status_code == 200, message(r)
	assert state(rep.act(item, "申请销号", "Arrears Item")) == "待销号"
	assert head.put(item, "Arrears Item", enterprise_confirmed=1).status_code == 200
	assert state(head.act(item, "销号", "Arrears Item")) == "已销号"
	assert o.get(lead["name"]).json()["data"]["arrears_item_state"] == "已销号"
	assert state(o.act(lead["name"], "办结")) == "已办结"


def test_outcome_disputed_goes_to_the_ledger_in_coordination(who, made):
	o, h = who["complaint.officer"], who["debtor.head"]
	lead = register(o, made)
	to_verification(who, lead["name"])
	h.put(
		lead["name"], verification_result="属于受理范围但存在争议", verified_amount=88000, disputed_amount=30000,
		outcome_reason="服务质量存在争议，已组织双方协商",
	)  # fmt: skip
	assert state(h.act(lead["name"], "提交核查结果")) == "待反馈"
	item = ledger_item(o, lead["name"], made)
	data = who["office.staff"].get(item, "Arrears Item").json()["data"]
	assert (data["workflow_state"], data["disputed_amount"], data["undisputed_amount"]) == (
		"协调化解中",
		30000,
		58000,
	)
	assert state(o.act(lead["name"], "纳入台账")) == "纳入台账"


def test_extension_approved_by_the_office_head_within_ninety_days(who, made):
	o, h, head = who["complaint.officer"], who["debtor.head"], who["office.head"]
	lead = register(o, made)
	to_verification(who, lead["name"])
	before = o.get(lead["name"]).json()["data"]["handling_deadline"]
	h.put(lead["name"], requested_extension_days=61, extension_reason="需第三方审计")
	r = h.act(lead["name"], "申请延期")
	assert r.status_code == 417 and "最多还可延长 60 日" in message(r)
	h.put(lead["name"], requested_extension_days=30)
	assert state(h.act(lead["name"], "申请延期")) == "延期待批"
	assert state(head.act(lead["name"], "批准延期")) == "核查中"
	after = o.get(lead["name"]).json()["data"]
	assert after["extension_days"] == 30 and after["handling_deadline"] > before


def test_same_matter_from_two_channels_is_one_lead(who, made):
	first = register(who["liaison"], made, channel="工商联移送")
	second = register(who["complaint.officer"], made, contract_no=first["contract_no"], claimed_amount=87000)
	assert second["duplicate_of"] == first["name"]
	master = who["complaint.officer"].get(first["name"]).json()["data"]
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
	assert who["liaison"].get(second["name"]).status_code == 403
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
	made.append(("Arrears Item", items[0]["name"]))


def test_complainant_contact_is_private(who, made):
	lead = register(who["complaint.officer"], made)
	name = lead["name"]
	assert who["school.reporter"].get(name).status_code == 403
	r = who["school.reporter"].s.get(
		f"{URL}/api/resource/Complaint%20Lead",
		params={"fields": json.dumps(["name", "complainant_phone"])},
		timeout=30,
	)
	assert name not in {x["name"] for x in r.json().get("data", [])}
	to_verification(who, name)  # now the handling unit's
	assert who["debtor.head"].get(name).json()["data"]["complainant_phone"] == "0356-2000103"


def test_petition_sent_to_the_unit_and_the_office(who, made):
	p = who["petition.officer"]
	r = p.create(
		"Petition", petition_no=f"XF-{time.time_ns()}", petition_form="来信", involved_unit=DEBTOR, enterprise=ENTERPRISE,
		claimed_amount=12000, content="反映维修费拖欠", petitioner_name="经理", petitioner_phone="0356-2000199",
	)  # fmt: skip
	assert r.status_code == 200, message(r)
	name = r.json()["data"]["name"]
	made.append(("Petition", name))
	assert who["debtor.head"].get(name, "Petition").status_code == 403  # not yet sent
	assert state(p.act(name, "转送", "Petition")) == "已转送"
	assert who["debtor.head"].get(name, "Petition").status_code == 200
	assert who["office.staff"].get(name, "Petition").status_code == 200
	assert who["school.reporter"].get(name, "Petition").status_code == 403
	who["debtor.head"].put(name, "Petition", reply="已核实并安排支付")
	assert state(who["debtor.head"].act(name, "答复", "Petition")) == "已答复"
