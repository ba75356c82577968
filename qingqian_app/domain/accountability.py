"""约束惩戒 (工作方案二（五）; 附件 财政局、民营经济局、市场监管局、城投公司的职责): an
accountability action against a debtor unit and the title of its responsible person (the
“一把手”), based on ledger items, with measures each implemented by the member unit whose duty
it is. Drafted by the clearing office, reviewed for legality by 司法局, decided by the working
group's leader (never the drafter), in force, lifted with a reason. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from . import members
from .ledger import AGENCY_TYPES, Problem
from .money import yuan

SOE = "国有企业"


@dataclass(frozen=True)
class Measure:
	label: str  # as Accountability Measure.measure stores it (the DocType's options are these)
	duty: str  # the member unit that implements it, by its duty (工作方案附件)
	unit_types: frozenset  # the debtor units it may be taken against


ANY = frozenset(AGENCY_TYPES | {SOE})
BUDGET = frozenset(AGENCY_TYPES)  # units on the budget: 机关, 事业单位
SOES = frozenset({SOE})

CUT_SPENDING = Measure("压减一般性支出", members.FINANCE, ANY)
TRAVEL = Measure("降低出行标准", members.FINANCE, ANY)
PROCUREMENT = Measure("限制参与政府采购", members.FINANCE, ANY)
BUDGET_CUT = Measure("扣减或调整预算用于还款", members.FINANCE, BUDGET)
INTERVIEW = Measure("约谈", members.CLEARING_OFFICE, ANY)
CRITICISM = Measure("通报批评", members.CLEARING_OFFICE, ANY)
DISCIPLINE = Measure("问责处理", members.CLEARING_OFFICE, ANY)  # 移送有关机关依规依纪依法处理
CREDIT_LIST = Measure("纳入失信主体名录", members.PRIVATE_ECONOMY, ANY)  # to the credit platform
ABNORMAL_LIST = Measure("列入经营异常名录", members.MARKET_REGULATION, SOES)  # falsified annual reports
PERFORMANCE = Measure("绩效考核扣减", members.CITY_INVESTMENT, SOES)
EXPOSURE = Measure("典型案例曝光", members.CLEARING_OFFICE, ANY)  # on the public disclosure page

MEASURES = (
	CUT_SPENDING, TRAVEL, PROCUREMENT, BUDGET_CUT, INTERVIEW, CRITICISM, DISCIPLINE,
	CREDIT_LIST, ABNORMAL_LIST, PERFORMANCE, EXPOSURE,
)  # fmt: skip
BY_LABEL = {m.label: m for m in MEASURES}

# States and actions of workflows/accountability_action.json that the rules name
DRAFT, REVIEW, DECISION, IN_FORCE, LIFTED, DECLINED = (
	"草稿", "待合法性审查", "待决定", "执行中", "已解除", "不予惩戒",
)  # fmt: skip
SUBMIT, PASS, RETURN, DECIDE, DECLINE, LIFT = "提交审查", "审查通过", "退回", "决定", "不予惩戒", "解除"

# Why a measure in force is lifted (解除)
REPAID, PERIOD_ENDED, OTHER = "欠款已清偿", "期限届满", "其他"
LIFT_REASONS = (REPAID, PERIOD_ENDED, OTHER)


def implementing_duty(measure: str) -> str | None:
	m = BY_LABEL.get(measure)
	return m.duty if m else None


def problems(values: dict) -> list[Problem]:
	"""What is wrong with an action as filled in: ``values`` has unit_type, basis (rows with
	arrears_item, debtor_unit) and measures (rows with measure, implementing_unit,
	implementing_duty, start_date, end_date)."""
	out: list[Problem] = []
	unit_type = values.get("unit_type")
	if not values.get("basis"):
		out.append(Problem("basis", "至少列出一条作为依据的台账"))
	for i, row in enumerate(values.get("basis") or [], 1):
		if values.get("target_unit") and row.get("debtor_unit") not in values.get("target_units", ()):
			out.append(Problem("basis", f"第 {i} 行的台账不是被惩戒单位（或其下属单位）的欠款"))
	if not values.get("measures"):
		out.append(Problem("measures", "至少选择一项惩戒措施"))
	seen = set()
	for i, row in enumerate(values.get("measures") or [], 1):
		m = BY_LABEL.get(row.get("measure") or "")
		if m is None:
			out.append(
				Problem("measures", f"第 {i} 行：惩戒措施“{row.get('measure') or ''}”不是工作方案规定的措施")
			)
			continue
		if m.label in seen:
			out.append(Problem("measures", f"第 {i} 行：“{m.label}”重复"))
		seen.add(m.label)
		if unit_type and unit_type not in m.unit_types:
			out.append(
				Problem("measures", f"第 {i} 行：“{m.label}”只适用于{'、'.join(sorted(m.unit_types))}")
			)
		if row.get("implementing_duty") and row["implementing_duty"] != m.duty:
			out.append(Problem("measures", f"第 {i} 行：“{m.label}”应由职责为“{m.duty}”的成员单位实施"))
		start, end = row.get("start_date"), row.get("end_date")
		if start and end and end < start:
			out.append(Problem("measures", f"第 {i} 行：执行止日不能早于起日"))
	return out


def transition_problems(action: str, from_state: str, values: dict) -> list[Problem]:
	"""What an action needs: the legality review's approval or return carries the written
	opinion; a lift its reason (欠款已清偿 only when every basis item
	is repaid)."""
	out: list[Problem] = []
	if action == RETURN and from_state == REVIEW and not (values.get("legal_review") or "").strip():
		out.append(Problem("legal_review", "退回须写明合法性审查意见"))
	if action == PASS and not (values.get("legal_review") or "").strip():
		out.append(Problem("legal_review", "审查通过须写明合法性审查意见"))
	if action == LIFT:
		reason = values.get("lift_reason")
		if reason not in LIFT_REASONS:
			out.append(Problem("lift_reason", f"解除须选择原因：{'、'.join(LIFT_REASONS)}"))
		elif reason == REPAID and any(
			yuan(r.get("outstanding_amount")) > 0 for r in values.get("basis") or []
		):
			out.append(Problem("lift_reason", "依据的台账尚未全部清偿，不能以“欠款已清偿”解除"))
		elif reason == OTHER and not (values.get("lift_note") or "").strip():
			out.append(Problem("lift_note", "原因为“其他”时须写明解除说明"))
	return out


def measures_in_force(rows: list[dict], today: date) -> list[dict]:
	"""The rows of actions in force whose period covers ``today`` (no end: until lifted)."""
	return [
		r
		for r in rows
		if r.get("start_date")
		and r["start_date"] <= today
		and (not r.get("end_date") or today <= r["end_date"])
	]


def summary(rows: list[dict]) -> str:
	"""A unit's measures in force as its Debtor Unit shows them: 限制参与政府采购（至2027-06-30）、约谈."""
	parts = []
	for r in sorted(
		rows, key=lambda r: (MEASURES.index(BY_LABEL[r["measure"]]) if r["measure"] in BY_LABEL else 99)
	):
		end = r.get("end_date")
		parts.append(f"{r['measure']}（至{end.isoformat()}）" if end else r["measure"])
	return "、".join(dict.fromkeys(parts))


# --- 失信主体名录 (民营经济局 → 信用信息平台) ----------------------------------------------

# The columns a credit platform takes, in its order: (key, header)
CREDIT_COLUMNS = (
	("unit_name", "失信主体名称"),
	("uscc", "统一社会信用代码"),
	("measure", "惩戒措施"),
	("basis", "认定依据"),
	("decided_on", "决定日期"),
	("valid_until", "有效期至"),
)
ADDED, REMOVED, CHANGED, UNCHANGED = "新增", "移出", "变更", "未变"


def credit_changes(previous: list[dict], current: list[dict]) -> list[dict]:
	"""The list now, each row marked against the last export (by unit and action), and the rows
	no longer on it marked 移出."""
	before = {(r["unit_name"], r.get("action")): r for r in previous}
	now = {(r["unit_name"], r.get("action")): r for r in current}
	cols = [k for k, _ in CREDIT_COLUMNS]
	out = []
	for key, row in now.items():
		old = before.get(key)
		change = (
			ADDED
			if old is None
			else (UNCHANGED if all(str(old.get(c) or "") == str(row.get(c) or "") for c in cols) else CHANGED)
		)
		out.append({**row, "change": change})
	out += [{**row, "change": REMOVED} for key, row in before.items() if key not in now]
	return out
