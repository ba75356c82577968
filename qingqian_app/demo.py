"""A demo district mid-campaign: ledger items and complaint leads in every state, taken there
by the workflow's own actions (so figures, history, numbers and aggregates are what real use
makes), for the demo site and its screenshots. Loaded by setup's demo step after the demo
units, enterprises and users (install.load_demo); never on a production install.

Items are marked by contract numbers DEMO-…, leads likewise; loading twice adds nothing.
The actions are taken as Administrator, except 销号 (by the office head: never whoever
registered the item); dates are then set back over the past two years, as a district that
started in 2024 would have them.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import frappe
from frappe.utils import add_days, getdate, nowdate

from qingqian_app.workflow_guard import apply_workflow

MARK = "DEMO-"
OFFICE_HEAD = "office.head@demo.qingqian.example.com"
UNITS = [
	"区机关事务服务中心", "区住房和城乡建设局", "区人民医院", "区第一中学", "区实验小学",
	"区城市建设投资有限公司", "区城投建设工程有限公司", "区城投物业服务有限公司", "区城投绿化养护有限公司",
]  # fmt: skip
ENTERPRISES = [
	"晋城市宏达建材有限公司", "晋城市恒信建筑工程有限公司", "晋城市安和物业服务有限公司",
	"晋城市蓝天信息技术有限公司", "晋城市绿源园林绿化有限公司", "晋城市晋诚办公用品有限公司",
]  # fmt: skip
# how many demo items end in each state
ITEM_STATES = {
	"待报送": 2, "待审核": 3, "已入账": 3, "已转办": 3, "核查中": 5, "清偿中": 12,
	"协调化解中": 5, "待销号": 2, "已销号": 6, "不予列入": 2,
}  # fmt: skip
# the actions to each state from 待报送, and what each needs set before it
PATH = {
	"待审核": ["报送"],
	"已入账": ["报送", "审核通过"],
	"已转办": ["报送", "审核通过", "转办"],
	"核查中": ["报送", "审核通过", "转办", "开始核查"],
	"清偿中": ["报送", "审核通过", "转办", "开始核查", "确认无分歧"],
	"协调化解中": ["报送", "审核通过", "转办", "开始核查", "确认有分歧"],
	"待销号": ["报送", "审核通过", "转办", "开始核查", "确认无分歧", "申请销号"],
	"已销号": ["报送", "审核通过", "转办", "开始核查", "确认无分歧", "申请销号", "销号"],
	"不予列入": ["报送", "不予列入"],
}


def load(seed: int = 20240101) -> dict[str, int]:
	if frappe.db.exists("Arrears Item", {"contract_no": ["like", MARK + "%"]}):
		return {"Arrears Item": 0, "Complaint Lead": 0}
	rng = random.Random(seed)
	frappe.set_user("Administrator")
	today = getdate(nowdate())
	made = 0
	for state, count in ITEM_STATES.items():
		for _ in range(count):
			_item(rng, today, state, made)
			made += 1
	# kept and shown, never totalled: in court (工作方案二（一）)
	_item(rng, today, "清偿中", made, in_judicial_process=1)
	leads = _leads(rng, today)
	_soe_reports(today.year - 1)
	frappe.db.commit()
	return {"Arrears Item": made + 1, "Complaint Lead": leads}


def _item(rng, today: date, state: str, n: int, **values):
	delivered = today - timedelta(days=rng.randint(20, 760))
	amount = round(rng.lognormvariate(11.5, 0.9), -2) or 5000
	wages = rng.random() < 0.25
	doc = frappe.get_doc(
		{
			"doctype": "Arrears Item",
			"debtor_unit": values.pop("debtor_unit", None) or UNITS[n % len(UNITS)],
			"enterprise": ENTERPRISES[rng.randrange(len(ENTERPRISES))],
			"arrears_category": rng.choice(["货物", "工程", "服务"]),
			"source": rng.choice(["单位自查", "单位自查", "投诉线索", "审计", "巡视督导"]),
			"contract_no": f"{MARK}{2024 + n % 3}-{n + 1:03d}",
			"contract_date": delivered - timedelta(days=rng.randint(30, 120)),
			"delivery_date": delivered,
			"arrears_amount": amount,
			"involves_migrant_wages": int(wages),
			"migrant_wage_amount": round(amount * 0.3, -2) if wages else 0,
			"description": "演示数据：合同约定款项逾期未付",
			**values,
		}
	).insert()
	for action in PATH.get(state, []):
		_prepare(doc, action, rng, today)
		user = OFFICE_HEAD if action == "销号" else "Administrator"
		frappe.set_user(user)
		try:
			doc = apply_workflow(frappe.get_doc("Arrears Item", doc.name), action)
		finally:
			frappe.set_user("Administrator")
	if state in ("清偿中", "协调化解中"):
		_repay(doc, rng, today, share=rng.choice([0, 0.2, 0.5, 0.8]))


def _prepare(doc, action: str, rng, today: date):
	"""What the step needs, as the unit or the office would fill it in first."""
	doc = frappe.get_doc("Arrears Item", doc.name)
	if action == "转办":
		doc.responsible_unit = doc.debtor_unit
		doc.repay_deadline = add_days(today, rng.choice([-40, -10, 15, 30, 60]))
	elif action == "确认有分歧":
		doc.disputed_amount = round(float(doc.arrears_amount) * 0.4, -2)
		doc.dispute_reason = "双方对工程结算金额存在分歧，正在协商"
	elif action == "不予列入":
		doc.exclusion_reason = "经核实为个人借款，不属于货物、工程、服务款项"
	elif action == "申请销号":
		_repay(doc, rng, today, share=1)
		return
	elif action == "销号":
		doc.confirmation_method = "回访"
		doc.confirmation_contact = "企业财务负责人"
		doc.confirmation_means = "电话"
		doc.confirmation_date = today
	else:
		return
	doc.save()


def _repay(doc, rng, today: date, share: float):
	doc = frappe.get_doc("Arrears Item", doc.name)
	due = round(float(doc.outstanding_amount) * share, 2)
	if due <= 0:
		return
	parts = 1 if share < 1 else rng.choice([1, 2])
	for i in range(parts):
		amount = due if i == parts - 1 else round(due / 2, 2)
		due -= amount
		doc.append(
			"repayments",
			{
				"payment_date": today - timedelta(days=rng.randint(1, 330)),
				"amount": amount,
				"payment_method": "银行转账",
			},
		)
	doc.save()


LEADS = [
	# channel, enterprise, unit, amount, where it ends
	("12345热线", 0, 0, 86000, "核查中"),
	("工商联移送", 1, 1, 240000, "待反馈"),
	("信访局转送", 2, 2, 52000, "已办结"),
	("12345热线", 3, 3, 18000, "已转办"),
	("审计发现", 4, 5, 130000, "待反馈"),
	("网上投诉", 5, 4, 9600, "已受理"),
	("12345热线", 1, 6, 310000, "核查中"),
	("来信来访", 0, 7, 45000, "已办结"),
]


def _leads(rng, today: date) -> int:
	for n, (channel, ent, unit, amount, end) in enumerate(LEADS):
		lead = frappe.get_doc(
			{
				"doctype": "Complaint Lead",
				"channel": channel,
				"received_on": today - timedelta(days=5),
				"enterprise": ENTERPRISES[ent],
				"respondent_unit": UNITS[unit],
				"claimed_amount": amount,
				"arrears_category": "工程",
				"contract_no": f"{MARK}L-{n + 1:03d}",
				"description": "演示数据：企业反映合同款项逾期未付",
				"complainant_name": "企业经办人",
				"complainant_phone": f"0356-{2000100 + n}",
				"no_court_statement": 1,
			}
		).insert()
		steps = ["受理", "转办", "开始核查", "提交核查结果", "办结"]
		stop = {"已受理": 1, "已转办": 2, "核查中": 3, "待反馈": 4, "已办结": 5}[end]
		for action in steps[:stop]:
			lead = frappe.get_doc("Complaint Lead", lead.name)
			if action == "转办":
				lead.transferred_to = lead.respondent_unit
			elif action == "提交核查结果":
				lead.verification_result = "不属于受理范围"
				lead.out_of_scope_ground = (
					frappe.get_meta("Complaint Lead").get_options("out_of_scope_ground").split("\n")[1]
				)
				lead.outcome_reason = "经核查，该款项已由人民法院受理，依法告知投诉人"
			elif action == "办结":
				lead.feedback = "已电话告知投诉人核查结果"
			if action in ("转办", "提交核查结果", "办结"):
				lead.save()
			apply_workflow(frappe.get_doc("Complaint Lead", lead.name), action)
		_back_date_lead(lead.name, rng, today, stop)
	return len(LEADS)


def _back_date_lead(name: str, rng, today: date, steps: int):
	"""Spread the steps over the past months (some on time, some late) and recompute the
	deadlines from them, as a save does."""
	received = today - timedelta(days=rng.randint(20, 150))
	dates, day = {"received_on": received}, received
	for field, steps_needed in (
		("accepted_on", 1),
		("transferred_on", 2),
		("result_on", 4),
		("closed_on", 5),
	):
		if steps >= steps_needed:
			day = min(day + timedelta(days=rng.randint(2, 24)), today)
			dates[field] = day
	frappe.db.set_value("Complaint Lead", name, dates, update_modified=False)
	frappe.get_doc("Complaint Lead", name).save()


def _soe_reports(year: int):
	"""市场监管局's check of two SOEs' annual reports: one as the ledger has it, one that left
	its overdue contracts out (or made some up where the ledger has none)."""
	from qingqian_app.accountability.disclosure import annual_figures

	for unit, faithful in (("区城市建设投资有限公司", True), ("区城投建设工程有限公司", False)):
		if frappe.db.exists("SOE Annual Report", {"debtor_unit": unit, "year": year}):
			continue
		ledger = annual_figures(unit, year)
		count, amount = (ledger["count"], ledger["amount"]) if faithful else (0, 0)
		if not faithful and not ledger["count"]:
			count, amount = 1, 50000
		frappe.get_doc(
			{"doctype": "SOE Annual Report", "debtor_unit": unit, "year": year, "reported_on": f"{year + 1}-06-30",
			"disclosed_count": count, "disclosed_amount": amount}
		).insert(ignore_permissions=True)  # fmt: skip
