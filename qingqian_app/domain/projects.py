"""政府投资项目 (工作方案二（六）“严格执行《政府投资条例》，在政府投资项目可行性研究阶段充分论证资金筹措
方案，确保项目建设资金按规定落实到位，没有落实资金来源的一律不得开工建设”; 附件 发改局“严把政府投资
项目关”): a project's funding plan, each source confirmed by 财政局, and what the project's
checks list. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .ledger import AGENCY_TYPES, Problem
from .money import fmt, yuan

# States and actions of workflows/investment_project.json that the rules name
FEASIBILITY, FUNDING_REVIEW, UNDER_CONSTRUCTION, COMPLETED = "可研论证", "资金审核", "在建", "已竣工"
START = "批准开工"
STARTED = (UNDER_CONSTRUCTION, COMPLETED)
# Investment Funding Source.source_type
SOURCE_TYPES = ("财政预算资金", "政府专项债券", "上级补助资金", "项目单位自有资金", "银行贷款", "其他")

# What the project check (report Investment Project Check) lists
STARTED_UNFUNDED = "未落实资金来源已开工"
REPAYMENT_NOT_BUDGETED = "还款未纳入预算"
HAS_ARREARS = "存在拖欠"


@dataclass(frozen=True)
class Source:
	source_type: str
	amount: Decimal
	confirmed: bool


def confirmed_amount(sources: list[Source]) -> Decimal:
	return sum((yuan(s.amount) for s in sources if s.confirmed), Decimal("0.00"))


def funded(total: Decimal, sources: list[Source]) -> bool:
	"""Every source confirmed by 财政局 and together covering the whole investment."""
	return not start_problems(total, sources)


def start_problems(total: Decimal, sources: list[Source]) -> list[Problem]:
	"""Why the project may not be marked started (没有落实资金来源的一律不得开工建设)."""
	why = "没有落实资金来源的一律不得开工建设（《政府投资条例》；工作方案二（六））"
	if not sources:
		return [Problem("funding_sources", f"尚未填写资金筹措方案，{why}")]
	out = [
		Problem(
			"funding_sources",
			f"资金来源第 {i} 行“{s.source_type}”{fmt(yuan(s.amount))} 元尚未经财政部门确认，{why}",
		)
		for i, s in enumerate(sources, 1)
		if not s.confirmed
	]
	covered = sum((yuan(s.amount) for s in sources), Decimal("0.00"))
	if covered < yuan(total):
		out.append(
			Problem(
				"funding_sources", f"资金来源合计 {fmt(covered)} 元少于总投资 {fmt(yuan(total))} 元，{why}"
			)
		)
	return out


def problems(total: Decimal, sources: list[Source]) -> list[Problem]:
	out = []
	if yuan(total) <= 0:
		out.append(Problem("total_investment", "总投资须大于零"))
	for i, s in enumerate(sources, 1):
		if yuan(s.amount) <= 0:
			out.append(Problem("funding_sources", f"资金来源第 {i} 行：金额须大于零"))
	return out


def flags(
	state: str, total: Decimal, sources: list[Source], owner_type: str, repayment_budgeted: bool,
	outstanding: Decimal, started_on=None,
) -> list[str]:  # fmt: skip
	"""What the project check lists for a project: started (or found started) without its
	funding confirmed, arrears under it, and an agency's repayment not in its budget
	(工作方案二（六）“机关、事业单位还款应当依法纳入预算”)."""
	out = []
	if (state in STARTED or started_on) and not funded(total, sources):
		out.append(STARTED_UNFUNDED)
	if yuan(outstanding) > 0:
		out.append(HAS_ARREARS)
		if owner_type in AGENCY_TYPES and not repayment_budgeted:
			out.append(REPAYMENT_NOT_BUDGETED)
	return out
