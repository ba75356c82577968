"""Complaint leads (投诉线索): the work plan 二（三） and the payment regulation's complaint
articles (条例第二十四、二十五条; 工信部《保障中小企业款项支付投诉处理暂行办法》).

Every verified lead ends in exactly one of the work plan's three outcomes:
1. 不属于受理范围 — tell the complainant why;
2. 未清偿且不存在争议 — repay by a deadline (the ledger item goes to 清偿中);
3. 属于受理范围但存在争议 — explain and push resolution (the ledger item goes to 协调化解中).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .calendar import Calendar
from .ledger import Problem
from .money import yuan

OUT_OF_SCOPE = "不属于受理范围"
UNDISPUTED = "未清偿且不存在争议"
DISPUTED = "属于受理范围但存在争议"
OUTCOMES = (OUT_OF_SCOPE, UNDISPUTED, DISPUTED)
# The outcomes that put the debt into the ledger (工作方案二（三）), and where the item starts:
# reported by the verification, reviewed by the competent unit like any other item.
ITEM_OUTCOMES = frozenset({UNDISPUTED, DISPUTED})
ITEM_FIRST_STATE = "待审核"

# States of the lead workflow (workflows/complaint_lead.json) the time limits watch: accepted
# and waiting to be transferred; transferred and being handled (the result is due); ended.
ACCEPTED, REJECTED, DONE = "已受理", "不予受理", "已办结"
REGISTERED, TRANSFERRED, IN_LEDGER = "已登记", "已转办", "纳入台账"
HANDLING = (TRANSFERRED, "核查中", "延期待批")

# Grounds for not accepting or for out of scope (regulations.md, 投诉处理暂行办法).
GROUNDS = (
	"欠款不是因采购货物、工程、服务产生",
	"人民法院、仲裁机构已受理或已处理",
	"法律、行政法规另有规定",
	"已作答复且无新的事实和理由",
	"投诉人与被投诉人之间没有合同关系",
	"被投诉人不属于机关、事业单位或国有企业",
	"其他（在理由中写明）",
)

CHANNELS = (
	"12345热线", "工商联移送", "信访局转送", "审计发现", "巡视督导发现", "舆情监测",
	"来信来访", "网上投诉", "企业网上登记", "其他",
)  # fmt: skip
CLOSED_STATES = frozenset({REJECTED, DONE})
AMOUNT_TOLERANCE = Decimal("0.01")  # 1 %: the same debt reported by two channels


@dataclass(frozen=True)
class Limits:
	"""From Qingqian Settings (defaults: 条例第二十五条)."""

	transfer_working_days: int = 10
	result_days: int = 30
	result_max_days: int = 90


@dataclass(frozen=True)
class Deadlines:
	transfer_by: date | None
	result_by: date | None
	unknown_years: tuple[int, ...] = ()


def deadlines(
	accepted_on: date | None,
	transferred_on: date | None,
	extension_days: int,
	calendar: Calendar,
	limits: Limits,
) -> Deadlines:
	"""Transfer within 10 working days of acceptance; a result within 30 days of the
	handling unit receiving the materials, plus an approved extension (90 days at most)."""
	transfer_by, unknown = None, []
	if accepted_on:
		transfer_by, unknown = calendar.add_working_days(accepted_on, limits.transfer_working_days)
	result_by = None
	if transferred_on:
		days = min(limits.result_days + max(extension_days, 0), limits.result_max_days)
		result_by = transferred_on + timedelta(days=days)
	return Deadlines(transfer_by, result_by, tuple(unknown))


def extension_problems(current_extension: int, requested: int, limits: Limits) -> list[Problem]:
	if requested <= 0:
		return [Problem("extension_days", "请填写申请延长的天数")]
	total = limits.result_days + current_extension + requested
	if total > limits.result_max_days:
		room = limits.result_max_days - limits.result_days - current_extension
		return [
			Problem(
				"extension_days",
				f"延长后办理期限共 {total} 日，超过 {limits.result_max_days} 日上限（条例第二十五条），最多还可延长 {room} 日",
			)
		]
	return []


def outcome_problems(values: dict) -> list[Problem]:
	"""What the verification result needs: exactly one outcome, with its required field."""
	out = []
	outcome = values.get("verification_result")
	if outcome not in OUTCOMES:
		return [
			Problem(
				"verification_result",
				"核查结果须为三种之一：不属于受理范围；未清偿且不存在争议；属于受理范围但存在争议",
			)
		]
	if outcome == OUT_OF_SCOPE:
		if not values.get("out_of_scope_ground"):
			out.append(Problem("out_of_scope_ground", "不属于受理范围的，须选择依据"))
		if not (values.get("outcome_reason") or "").strip():
			out.append(Problem("outcome_reason", "不属于受理范围的，须写明告知投诉人的理由"))
	if outcome == UNDISPUTED and not values.get("repay_deadline"):
		out.append(Problem("repay_deadline", "未清偿且不存在争议的，须设定清偿期限"))
	if outcome == DISPUTED and not (values.get("outcome_reason") or "").strip():
		out.append(Problem("outcome_reason", "存在争议的，须写明向投诉人说明的情况和推进措施"))
	if outcome in ITEM_OUTCOMES and yuan(values.get("verified_amount")) <= 0:
		out.append(Problem("verified_amount", "须填写核实的欠款金额"))
	return out


def transition_problems(action: str, to_state: str, values: dict) -> list[Problem]:
	out = []
	if to_state == "不予受理":
		if not values.get("out_of_scope_ground"):
			out.append(Problem("out_of_scope_ground", "不予受理的，须选择依据"))
		if not (values.get("outcome_reason") or "").strip():
			out.append(Problem("outcome_reason", "不予受理的，须写明告知投诉人的理由"))
	if to_state == TRANSFERRED and not values.get("transferred_to"):
		out.append(Problem("transferred_to", "转办前须指定办理单位"))
	if to_state == "待反馈":
		out += outcome_problems(values)
	if to_state == IN_LEDGER and not values.get("arrears_item"):
		out.append(Problem("arrears_item", "纳入台账须关联台账条目"))
	if action == "办结":
		if not (values.get("feedback") or "").strip():
			out.append(Problem("feedback", "办结前须填写向投诉人反馈的情况"))
		if (
			values.get("verification_result") in ITEM_OUTCOMES
			and values.get("arrears_item_state") != "已销号"
		):
			out.append(
				Problem(
					"arrears_item",
					"关联台账尚未销号：问题未完全解决的，应纳入台账持续跟踪（工作方案二（三））",
				)
			)
	return out


def same_matter(a: dict, b: dict) -> bool:
	"""The same enterprise complaining of the same respondent about the same contract, or
	an amount within 1 %: one matter, whichever channel reported it."""
	if not (a.get("enterprise") and a.get("enterprise") == b.get("enterprise")):
		return False
	if a.get("respondent_unit") != b.get("respondent_unit"):
		return False
	if a.get("contract_no") and b.get("contract_no"):
		return a["contract_no"].strip() == b["contract_no"].strip()
	x, y = yuan(a.get("claimed_amount")), yuan(b.get("claimed_amount"))
	return x > 0 and y > 0 and abs(x - y) <= max(x, y) * AMOUNT_TOLERANCE


def ledger_item_values(lead: dict) -> dict:
	"""The ledger item a verified lead puts in the ledger: every fact the verification found
	(amounts, dispute, wages, contract, due date, deadline, responsible unit)."""
	disputed = lead.get("verification_result") == DISPUTED
	wages = bool(lead.get("involves_migrant_wages")) and yuan(lead.get("migrant_wage_amount")) > 0
	return {
		"debtor_unit": lead.get("respondent_unit"),
		"enterprise": lead.get("enterprise"),
		"arrears_category": lead.get("arrears_category") or "货物",
		"contract_no": lead.get("contract_no"),
		"arrears_amount": lead.get("verified_amount"),
		"due_date": lead.get("due_date"),
		"disputed_amount": lead.get("disputed_amount") if disputed else 0,
		"dispute_reason": lead.get("outcome_reason") if disputed else None,
		"involves_migrant_wages": int(wages),
		"migrant_wage_amount": lead.get("migrant_wage_amount") if wages else 0,
		"source": "投诉线索",
		"responsible_unit": lead.get("transferred_to") or lead.get("respondent_unit"),
		"repay_deadline": lead.get("repay_deadline"),
	}
