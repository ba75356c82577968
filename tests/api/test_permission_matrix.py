"""The permission matrix, generated from the definitions (workflows/*.json, the DocTypes,
the demo users of fixtures/demo/): for each workflow DocType × state × demo user (one per
role) × field, a REST write is accepted exactly where the declaration gives that user's
roles the field in that state, and refused elsewhere with a Chinese message and nothing
saved; for each state × action × demo user, the workflow action is accepted exactly where
a transition gives one of the user's roles that action. A user who may not see the record
(permissions.py) is refused everything. Prints how many cells it tried."""

import itertools
import json
import random
import time
from collections import Counter, deque

import pytest

from qingqian_app.domain.editing import rules_from_definition
from qingqian_app.sync import definitions
from qingqian_app.sync.checks import LAYOUT

from .conftest import URL
from .helpers import DEBTOR, DEMO, ENTERPRISE, LEAD_ENTERPRISE, Actor, mark, message

DEFS = definitions.load(include_demo=True)
RULES = {wf["document_type"]: rules_from_definition(wf) for wf in DEFS.workflows}
DOCTYPES = definitions.repo_doctypes(definitions.REPO_ROOT)
ALL_USERS = {r.name: {row["role"] for row in r.values["roles"]} for r in DEFS.by_doctype("User")}
# One demo user for each role (the first in fixtures/demo that holds it), and a reporter of
# another unit, who may see none of these records
USERS = {}
for _user, _roles in ALL_USERS.items():
	if not any(r in {x for u in USERS.values() for x in u} for r in _roles):
		USERS[_user] = _roles
USERS["school.reporter" + DEMO] = ALL_USERS["school.reporter" + DEMO]
SYSTEM = {"name", "owner", "creation", "modified", "modified_by", "docstatus", "idx", "workflow_state"}
WORKFLOW_REFUSALS = (
	"不是有效的工作流程操作",
	"Not a valid Workflow Action",
	"不允许自我批准",
	"不能自行审批",
	"您不能在",
)
UNIT_CHILD = "APITEST-区机关事务服务中心食堂"
DEMO_SOE_REPORT = (
	f"区城投建设工程有限公司-{time.localtime().tm_year - 1}年报"  # qingqian_app/demo.py: last year's
)


def demo(email: str) -> str:
	return email.removesuffix(DEMO)


@pytest.fixture(scope="module")
def actors():
	return {demo(u): Actor(demo(u)) for u in ALL_USERS}


@pytest.fixture(scope="module")
def child_unit(admin):
	"""A unit inside the demo debtor's scope, to move records to (created once, kept)."""
	r = admin.get(f"{URL}/api/resource/Debtor Unit/{UNIT_CHILD}", timeout=30)
	if r.status_code != 200:
		r = admin.post(
			f"{URL}/api/resource/Debtor Unit",
			json={
				"unit_name": UNIT_CHILD,
				"unit_type": "事业单位",
				"competent_unit": "区财政局",
				"parent_debtor_unit": DEBTOR,
				"principal_title": "主任",
			},  # fmt: skip
			timeout=30,
		)
		assert r.status_code == 200, message(r)
	return UNIT_CHILD


# --- how each DocType's records are made and moved along (test data, not rules) ------------


def _item():
	return dict(
		debtor_unit=DEBTOR, enterprise=ENTERPRISE, arrears_category="货物", contract_no=mark(), arrears_amount=50000,
		delivery_date="2026-09-01", repayments=[{"payment_date": "2026-10-01", "amount": 10000}],
	)  # fmt: skip


def _lead():
	return dict(
		channel="12345热线", enterprise=LEAD_ENTERPRISE, respondent_unit=DEBTOR, claimed_amount=20000,
		contract_no=mark(), description="矩阵测试", complainant_phone="0356-2000111",
	)  # fmt: skip


def _petition():
	return dict(
		petition_no=mark(), petition_form="来信", involved_unit=DEBTOR, content="矩阵测试",
		petitioner_phone="0356-2000112",
	)  # fmt: skip


_periods = itertools.count(random.randrange(0, 12 * 60))


def _unit_report():
	"""A zero report of the demo unit for a month long past (one per record: the key is unique)."""
	n = next(_periods)
	return dict(debtor_unit=DEBTOR, period_start=f"{1900 + n // 12}-{n % 12 + 1:02d}-01", is_zero_report=1,
		statement=f"{mark()} 经排查，本期无新增拖欠")  # fmt: skip


def _bulletin():
	return dict(title=f"{mark()} 清欠工作进展情况通报", period_start="2026-11-01", period_end="2026-11-25")


def _demo_item() -> str:
	"""A counted item of the demo unit (an accountability action's basis), looked up once."""
	if not _found:
		import requests

		from .conftest import TOKEN

		r = requests.get(f"{URL}/api/resource/Arrears Item", timeout=30, headers={"Authorization": f"token {TOKEN}"},
			params={"filters": json.dumps([["debtor_unit", "=", DEBTOR], ["counted_in_ledger", "=", 1]])})  # fmt: skip
		_found.append(r.json()["data"][0]["name"])
	return _found[0]


_found: list[str] = []


def _action():
	return dict(target_unit=DEBTOR, target_person_title="主任", facts=f"{mark()} 矩阵测试：逾期未清偿",
		basis=[{"arrears_item": _demo_item()}], measures=[{"measure": "限制参与政府采购"}])  # fmt: skip


def _disclosure():
	return dict(title=f"{mark()} 逾期未支付民营企业账款信息公开", as_of_date="2026-11-20")


def _finding():
	return dict(audited_unit=DEBTOR, audit_kind="专项审计", source_document=mark(), audit_date="2026-10-01",
		finding="矩阵测试", rectification_requirement="矩阵测试：限期整改", rectification_deadline="2026-12-31")  # fmt: skip


def _project():
	return dict(project_name=f"{mark()} 矩阵测试项目", owner_unit=DEBTOR, total_investment=100000,
		funding_sources=[{"source_type": "财政预算资金", "amount": 100000, "basis_document": "矩阵测试"}])  # fmt: skip


def _contract():
	"""A contract with a finding (payment waiting for a third party), so that it may go to 司法局."""
	return dict(contract_name="矩阵测试合同", contract_no=mark(), paying_unit=DEBTOR, enterprise=ENTERPRISE,
		arrears_category="服务", contract_amount=50000, term_days=30, pay_on_third_party=1)  # fmt: skip


def _confirmation():
	return dict(enterprise=ENTERPRISE, debtor_unit=DEBTOR, contract_no=mark(), requested_amount=20000)


def _event():
	return dict(title=f"{mark()} 矩阵测试舆情", source="微博", found_at="2026-11-20 09:00:00", heat_level="一般",
		summary="矩阵测试")  # fmt: skip


# Who creates a record of each DocType, and with what.
CREATE = {
	"Investment Project": ("development.officer", _project),
	"Contract Review": ("debtor.reporter", _contract),
	"Receivable Confirmation": ("office.staff", _confirmation),
	"Public Opinion Event": ("opinion.monitor", _event),
	"Accountability Action": ("office.staff", _action),
	"Disclosure": ("office.staff", _disclosure),
	"Audit Finding": ("audit.officer", _finding),
	"Arrears Item": ("debtor.reporter", _item),
	"Complaint Lead": ("complaint.officer", _lead),
	"Petition": ("petition.officer", _petition),
	"Unit Report": ("debtor.reporter", _unit_report),
	"Progress Bulletin": ("office.staff", _bulletin),
}
CONFIRMED = dict(confirmation_method="回访", confirmation_contact="财务经理", confirmation_means="电话",
	confirmation_date="2026-11-20")  # fmt: skip
# Values an action needs first (who writes them, what), by (DocType, action).
PREPARE = {
	("Arrears Item", "转办"): ("office.staff", dict(responsible_unit=DEBTOR, repay_deadline="2026-12-31")),
	("Arrears Item", "确认有分歧"): ("debtor.head", dict(disputed_amount=1000, dispute_reason="工程量有分歧")),
	("Arrears Item", "申请销号"): ("debtor.reporter", "repay in full"),
	("Arrears Item", "销号"): ("office.staff", CONFIRMED),
	("Arrears Item", "不予列入", "待审核"): ("finance.head", dict(exclusion_reason="不属于清欠范围")),
	("Arrears Item", "不予列入", "核查中"): ("office.head", dict(exclusion_reason="不属于清欠范围")),
	("Arrears Item", "标记重复"): ("office.head", "duplicate of another item"),
	("Complaint Lead", "转办"): ("complaint.officer", dict(transferred_to=DEBTOR)),
	("Complaint Lead", "不予受理"): ("complaint.officer", dict(
		out_of_scope_ground="人民法院、仲裁机构已受理或已处理", outcome_reason="已由法院受理")),
	("Complaint Lead", "申请延期"): ("debtor.head", dict(requested_extension_days=5, extension_reason="需核实")),
	("Complaint Lead", "提交核查结果"): ("debtor.head", dict(verification_result="不属于受理范围",
		out_of_scope_ground="人民法院、仲裁机构已受理或已处理", outcome_reason="已由法院受理")),
	("Complaint Lead", "办结"): ("complaint.officer", dict(feedback="已书面告知")),
	("Complaint Lead", "纳入台账"): ("complaint.officer", "link an item"),
	("Petition", "答复"): ("debtor.head", dict(reply="已答复")),
	("Accountability Action", "审查通过"): ("legal.reviewer", dict(legal_review="矩阵测试：合法")),
	("Accountability Action", "退回", "待合法性审查"): ("legal.reviewer", dict(legal_review="矩阵测试：请补充")),
	("Accountability Action", "解除"): ("office.head", dict(lift_reason="期限届满")),
	("Audit Finding", "报送整改情况"): ("debtor.head", dict(rectification_note="矩阵测试：已整改")),
	("Audit Finding", "确认整改"): ("audit.officer", dict(confirmation_opinion="矩阵测试：确认")),
	("Investment Project", "批准开工"): ("finance.staff", "confirm funding"),
	("Contract Review", "出具审查意见"): ("legal.reviewer", dict(legal_opinion="矩阵测试：意见")),
	("Receivable Confirmation", "答复"): ("debtor.reporter", dict(answer="不予确认", answer_reason="矩阵测试")),
	("Public Opinion Event", "核实"): ("opinion.monitor", dict(verification="矩阵测试：已核实")),
	("Public Opinion Event", "回应"): ("office.staff", dict(response="矩阵测试：已回应")),
}  # fmt: skip
CONFIRM_SOURCE = "qingqian_app.prevention.doctype.investment_project.investment_project.confirm_source"


class Records:
	"""Records of one DocType in each state, reached by the workflow's own actions."""

	def __init__(self, doctype, actors, admin):
		self.doctype, self.a, self.admin = doctype, actors, admin
		self.rules = RULES[doctype]
		self.other = {}

	def get(self, name) -> dict:
		r = self.admin.get(f"{URL}/api/resource/{self.doctype}/{name}", timeout=30)
		assert r.status_code == 200, message(r)
		return r.json()["data"]

	def new(self) -> str:
		who, values = CREATE[self.doctype]
		r = self.a[who].create(self.doctype, **values())
		assert r.status_code == 200, message(r)
		return r.json()["data"]["name"]

	def path(self, target: str) -> list:
		"""Transitions from the first state to ``target`` (breadth first)."""
		start = self.rules.initial_state
		queue, seen = deque([(start, [])]), {start}
		while queue:
			state, steps = queue.popleft()
			if state == target:
				return steps
			for t in self.rules.actions_from(state):
				if t.to_state not in seen:
					seen.add(t.to_state)
					queue.append((t.to_state, [*steps, t]))
		raise ValueError(target)

	def actor_for(self, t, owner):
		for user, roles in USERS.items():
			if t.role in roles and (t.self_approval_allowed or user != owner):
				return self.a[demo(user)]
		raise AssertionError(f"no demo user may {t.action}")

	def prepare(self, name, t):
		prep = PREPARE.get((self.doctype, t.action, t.from_state)) or PREPARE.get((self.doctype, t.action))
		if not prep:
			return
		who, values = prep
		if values == "repay in full":
			doc = self.get(name)
			values = {"repayments": [*doc["repayments"], {"payment_date": "2026-11-20",
				"amount": doc["outstanding_amount"]}]}  # fmt: skip
		elif values == "duplicate of another item":
			values = {"duplicate_of": self.item_elsewhere()}
		elif values == "link an item":
			values = {"arrears_item": self.item_elsewhere()}
		elif values == "confirm funding":
			for row in self.get(name)["funding_sources"]:
				r = self.a[who].call(
					CONFIRM_SOURCE, name=name, row=row["name"], confirmation_document="矩阵测试"
				)
				assert r.status_code == 200, (t.action, message(r))
			return
		r = self.a[who].put(name, self.doctype, **values)
		assert r.status_code == 200, (t.action, message(r))

	def item_elsewhere(self) -> str:
		return self.others()["Arrears Item"][0]

	def others(self) -> dict:
		"""Two records of each linked DocType, to point link fields at."""
		if not self.other:
			for doctype in ("Arrears Item", "Complaint Lead", "Investment Project", "Contract Review"):
				who, values = CREATE[doctype]
				self.other[doctype] = [
					self.a[who].create(doctype, **values()).json()["data"]["name"] for _ in range(2)
				]
		return self.other

	def take(self, name, t, owner):
		self.prepare(name, t)
		r = self.actor_for(t, owner).act(name, t.action, self.doctype)
		assert r.status_code == 200, (t.action, message(r))

	def in_state(self, state: str) -> str:
		name = self.new()
		owner = CREATE[self.doctype][0] + DEMO
		for t in self.path(state):
			self.take(name, t, owner)
		assert self.get(name)["workflow_state"] == state
		return name


# --- values a user would write into each field ---------------------------------------------


def new_value(doctype, field, doc, child_unit, others):
	"""A different, valid value for ``field`` (with its companion where a rule ties two)."""
	df = next(f for f in DOCTYPES[doctype]["fields"] if f["fieldname"] == field)
	kind, current = df["fieldtype"], doc.get(field)
	if field in ("migrant_wage_amount", "involves_migrant_wages"):
		return {"involves_migrant_wages": 1, "migrant_wage_amount": 100}
	if field == "confirmation_document":
		return {"confirmation_document": "/private/files/apitest-confirmation.pdf"}
	if kind == "Link":
		choices = {"Debtor Unit": [child_unit, DEBTOR], "Enterprise": [LEAD_ENTERPRISE, ENTERPRISE],
			"Member Unit": ["区教科局"], "User": ["office.staff" + DEMO, "office.head" + DEMO],
			"Arrears Item": others["Arrears Item"], "Complaint Lead": others["Complaint Lead"],
			"SOE Annual Report": [DEMO_SOE_REPORT], "Investment Project": others["Investment Project"],
			"Contract Review": others["Contract Review"]}[df["options"]]  # fmt: skip
		return {field: next(c for c in choices if c != current)}
	if kind == "Select":
		options = [o for o in df["options"].split("\n") if o and o != current]
		return {field: options[0]}
	if kind == "Check":
		return {field: 0 if current else 1}
	if kind in ("Int",):
		return {field: (current or 0) + 5}
	if kind in ("Currency", "Float", "Percent"):
		return {field: (current or 0) + 1 if field != "disputed_amount" else 1}
	if kind in ("Date", "Datetime"):
		return {field: "2026-11-20" if str(current or "") != "2026-11-20" else "2026-11-21"}
	if kind in ("Table", "Table MultiSelect"):
		rows = [dict(r) for r in doc.get(field) or []]
		if field == "repayments" and rows:
			rows[-1]["amount"] = rows[-1]["amount"] - 1
			return {field: rows}
		row = {"repayments": {"payment_date": "2026-11-20", "amount": 1},
			"progress_updates": {"update_date": "2026-11-20", "content": "矩阵测试"},
			"basis": {"arrears_item": others["Arrears Item"][0]}, "measures": {"measure": "约谈"},
			"funding_sources": {"source_type": "其他", "amount": 1}, "deposits": {"kind": "履约保证金", "amount": 1},
			"units": {"debtor_unit": DEBTOR}, "enterprises": {"enterprise": ENTERPRISE},
			"arrears_items": {"arrears_item": others["Arrears Item"][0]}}.get(field, {})  # fmt: skip
		return {field: [*rows, row]}
	if df.get("options") == "Phone":
		return {field: "0356-2009999" if current != "0356-2009999" else "0356-2009998"}
	return {field: f"矩阵测试-{doc['name']}-{field}"}  # unique: no two records become one matter


def fields_of(doctype):
	return [
		f["fieldname"]
		for f in DOCTYPES[doctype]["fields"]
		if f["fieldtype"] not in LAYOUT and f["fieldname"] not in SYSTEM and not f.get("fetch_from")
	]


# --- the matrix ------------------------------------------------------------------------------


def field_cells(records, state, actors, admin, child_unit):
	"""Every demo user × field on a record in ``state``: (cells tried, cells that went wrong)."""
	doctype, rules = records.doctype, records.rules
	name = records.in_state(state)
	tried, wrong = Counter(), []
	for user, roles in USERS.items():
		actor = actors[demo(user)]
		sees = actor.get(name, doctype).status_code == 200
		allowed = rules.editable(state, roles) if sees else frozenset()
		before = records.get(name)
		for field in fields_of(doctype):
			values = new_value(doctype, field, before, child_unit, records.others())
			r = actor.put(name, doctype, **values)
			declared = field in allowed and all(f in allowed for f in values)
			tried["accepted" if declared else "refused"] += 1
			if declared:
				# accepted by the rules (a domain rule may still object to the value: not a refusal)
				ok = r.status_code == 200 or (r.status_code == 417 and "PermissionError" not in message(r))
				if r.status_code == 200:
					restore = {f: before.get(f) for f in values}
					admin.put(f"{URL}/api/resource/{doctype}/{name}", json=restore, timeout=30)
					before = records.get(name)
			else:
				ok = r.status_code == 403 and (
					not sees or any("\u4e00" <= ch <= "\u9fff" for ch in message(r))
				)
			if not ok:
				wrong.append((state, demo(user), field, r.status_code, message(r)[:160]))
		# nothing refused was half-saved: the record is as the last accepted write left it
		if records.get(name)["modified"] != before["modified"]:
			wrong.append((state, demo(user), "（记录被修改）", None, "a refused write changed the record"))
	return tried, wrong


@pytest.mark.parametrize("doctype", sorted(RULES))
def test_field_writes_follow_the_declaration(doctype, actors, admin, child_unit):
	records = Records(doctype, actors, admin)
	# one state after another: saves of neighbouring records at once can deadlock on the
	# child tables' index gaps in InnoDB (seen here), which is not what this test is about
	results = [field_cells(records, s, actors, admin, child_unit) for s in records.rules.states]
	tried = sum((t for t, _ in results), Counter())
	wrong = [w for _, ws in results for w in ws]
	print(f"\n{doctype}：字段矩阵 {sum(tried.values())} 格（应接受 {tried['accepted']}，应拒绝 {tried['refused']}），"
		f"{len(records.rules.states)} 个状态 × {len(USERS)} 个演示用户 × {len(fields_of(doctype))} 个字段")  # fmt: skip
	assert not wrong, "\n".join(map(str, wrong[:40]))


@pytest.mark.parametrize("doctype", sorted(RULES))
def test_workflow_actions_follow_the_declaration(doctype, actors, admin, child_unit):
	records = Records(doctype, actors, admin)
	rules = RULES[doctype]
	owner = CREATE[doctype][0] + DEMO
	tried, wrong = 0, []
	for state in rules.states:
		actions = {t.action for t in rules.actions_from(state)}
		if not actions:
			continue
		for action in sorted(actions):
			name = records.in_state(state)
			records.prepare(name, next(t for t in rules.actions_from(state) if t.action == action))
			expected = []
			for user, roles in USERS.items():
				actor = actors[demo(user)]
				t = rules.step(state, action, roles)
				sees = actor.get(name, doctype).status_code == 200
				if t and sees and (t.self_approval_allowed or user != owner):
					expected.append((user, t))
					continue
				tried += 1
				r = actor.act(name, action, doctype)
				refused = r.status_code == 403 or (
					r.status_code == 417 and any(w in message(r) for w in WORKFLOW_REFUSALS)
				)
				if not refused:
					wrong.append((state, action, demo(user), "accepted", r.status_code, message(r)[:120]))
			# each user the declaration allows takes the action on a record of their own in that state
			for user, t in expected:
				tried += 1
				fresh = name if user == expected[0][0] else records.in_state(state)
				if fresh != name:
					records.prepare(fresh, t)
				r = actors[demo(user)].act(fresh, action, doctype)
				if r.status_code != 200 or json.loads(r.text)["message"]["workflow_state"] != t.to_state:
					wrong.append((state, action, demo(user), "refused", r.status_code, message(r)[:120]))
	print(f"\n{doctype}：流程操作矩阵 {tried} 格")
	assert not wrong, "\n".join(map(str, wrong[:40]))
