"""How each workflow DocType's records are made and moved along by the demo users, over REST
(test data, not rules): shared by the permission matrix (test_permission_matrix.py) and the
hostile suite (tests/security)."""

import itertools
import json
import random
import time
from collections import deque

from qingqian_app.domain.editing import rules_from_definition
from qingqian_app.sync import definitions

from .conftest import URL
from .helpers import DEBTOR, DEMO, ENTERPRISE, LEAD_ENTERPRISE, mark, message

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
UNIT_CHILD = "APITEST-区机关事务服务中心食堂"
DEMO_SOE_REPORT = (
	f"区城投建设工程有限公司-{time.localtime().tm_year - 1}年报"  # qingqian_app/demo.py: last year's
)


def demo(email: str) -> str:
	return email.removesuffix(DEMO)


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


_periods = itertools.count(random.randrange(0, 12 * 15))


def _unit_report():
	"""A zero report of the demo unit for a month long past (one per record: the key is unique),
	2000–2019: a date before 2000 is refused as a mistyped year (domain/dates.py)."""
	n = next(_periods)
	return dict(debtor_unit=DEBTOR, period_start=f"{2000 + n // 12}-{n % 12 + 1:02d}-01", is_zero_report=1,
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


def _account():
	"""An enterprise's login registered by the office for it (the enterprise's own sign-up is
	tests/api/test_enterprise_portal.py)."""
	import random

	from qingqian_app.domain import uscc

	code = "91140500" + "".join(random.choice("0123456789") for _ in range(9))
	return dict(enterprise_name=f"{mark()}矩阵测试企业", uscc=code + uscc.check_character(code),
		contact_name="矩阵测试", contact_phone="0356-1234567",
		email=f"apitest-{time.time_ns()}@portal.example.com")  # fmt: skip


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
	"Enterprise Account": ("office.staff", _account),
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
	("Enterprise Account", "驳回"): ("office.staff", dict(reject_reason="矩阵测试：信息不符")),
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
