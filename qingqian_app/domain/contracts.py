"""合同付款条款审查 (工作方案二（六）“不得要求民营企业接受不合理的付款期限、方式、条件和违约责任等交易
条件”): a contract of a 机关, 事业单位 or state-owned enterprise with a private enterprise, its
payment terms as facts, checked against 《保障中小企业款项支付条例》 (2025 text) and 《山西省优化营商
环境条例》 as the work plan cites them. Each finding names its article.

The payment-term and bill rules are the ledger's (domain/ledger.py: statutory_days,
agreed_term_over_limit, bill_problem), never a second copy. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from .ledger import (
	AGENCY_TYPES,
	BILL_METHODS,
	Limits,
	Problem,
	agreed_term_over_limit,
	bill_problem,
	statutory_days,
)

# States and actions of workflows/contract_review.json that the rules name
REGISTERED, LEGAL_REVIEW, REVIEWED = "已登记", "合法性审查中", "已审查"
TO_LEGAL, LEGAL_OPINION = "提请合法性审查", "出具审查意见"

# Contract Review.term_from: the event the payment term runs from (条例第九条、第十条)
TERM_FROM = ("交付", "验收合格", "双方确认结算金额", "其他")
ACCEPTANCE, SETTLEMENT = "验收合格", "双方确认结算金额"
# Contract Review.settlement_basis (条例第十二条: an audit result may not be forced as the basis)
SETTLEMENT_BASES = ("双方确认", "审计结果", "其他")
AUDIT_RESULT = "审计结果"
# Contract Deposit.kind: 条例第十三条 allows only these four kinds of deposit in construction
WORKS = "工程"
ALLOWED_DEPOSITS = ("投标保证金", "履约保证金", "工程质量保证金", "农民工工资保证金")
DEPOSIT_KINDS = (*ALLOWED_DEPOSITS, "其他")


@dataclass(frozen=True)
class Deposit:
	kind: str
	amount: Decimal = Decimal("0")
	cash_only: bool = False


@dataclass
class Contract:
	"""The payment terms of one contract (controller → domain)."""

	payer_type: str  # 机关 / 事业单位 / 国有企业 (a state-owned payer counts as a large enterprise)
	category: str = ""  # 货物 / 工程 / 服务
	contract_date: date | None = None
	term_days: int | None = None  # the payment term the contract states, in days (None: not stated)
	term_agreed: bool = False  # the parties agreed that term explicitly (a clause of its own)
	term_from: str = ""
	acceptance_days: int | None = None  # the agreed period of inspection or acceptance
	delivered_on: date | None = None
	accepted_on: date | None = None
	settled_on: date | None = (
		None  # both sides confirmed the settled amount (progress or periodic settlement)
	)
	pay_on_third_party: bool = False  # payment waits for the payer being paid by someone else
	payment_method: str = ""
	bills_agreed: bool = False  # the contract explicitly agrees payment by bill or voucher
	bill_term_days: int | None = None  # how long such a bill runs after it is handed over
	settlement_basis: str = ""
	pay_after_audit: bool = False  # payment waits for an audit, final accounts or completion filing
	deposits: list[Deposit] = field(default_factory=list)
	agreed_annual_rate: Decimal | None = None  # overdue interest, percent a year


@dataclass(frozen=True)
class Finding:
	article: str  # where the rule comes from, as the review shows it
	fieldname: str  # the term the finding is about
	message: str


def lpr_at(day: date | None, table: list[tuple[date, Decimal]]) -> tuple[date, Decimal] | None:
	"""The 1-year LPR in force on ``day``: the last published on or before it (Qingqian Settings
	keeps the table with the dates of publication)."""
	if not day:
		return None
	known = [row for row in sorted(table) if row[0] <= day]
	return known[-1] if known else None


def findings(c: Contract, limits: Limits, lpr: list[tuple[date, Decimal]], today: date) -> list[Finding]:
	"""Every term of the contract that breaks a rule, each with its article."""
	out: list[Finding] = []
	add = lambda a, f, m: out.append(Finding(a, f, m))  # noqa: E731
	term = c.term_days

	# 条例第九条: the statutory term unless agreed; an agency never beyond 60 days
	if term is not None:
		limit = statutory_days(c.payer_type, limits)
		if agreed_term_over_limit(c.payer_type, term, limits):
			add("条例第九条", "term_days",
				f"机关、事业单位约定的付款期限 {term} 日超过 {limits.agency_max_agreed_days} 日上限")  # fmt: skip
		elif term > limit and not c.term_agreed:
			who = "机关、事业单位" if c.payer_type in AGENCY_TYPES else "大型企业"
			add(
				"条例第九条",
				"term_agreed",
				f"付款期限 {term} 日超过{who} {limit} 日的法定期限，且合同未明确约定",
			)
	if c.pay_on_third_party:
		add("条例第九条", "pay_on_third_party", "以收到第三方付款作为向中小企业支付款项的条件")

	# 条例第十条: the clock starts when acceptance passes, or when the agreed period ends
	if c.term_from == ACCEPTANCE and c.acceptance_days is not None and c.delivered_on:
		end = c.delivered_on + timedelta(days=c.acceptance_days)
		done = c.accepted_on or today
		if done > end:
			state = f"于 {c.accepted_on} 验收" if c.accepted_on else "至今未验收"
			add("条例第十条", "accepted_on",
				f"{c.delivered_on} 交付，约定 {c.acceptance_days} 日内验收，{state}，拖延验收；付款期限应自 {end} 起算")  # fmt: skip

	# 条例第十一条: bills and e-vouchers only as agreed, and never to lengthen the term
	if c.payment_method:
		# a bill handed over on the due date (the contract's, or one term after signing while
		# nothing is delivered yet) matures this many days later
		known = due_date(c, limits)
		due = known or (c.contract_date or today) + timedelta(
			days=term if term is not None else statutory_days(c.payer_type, limits)
		)
		maturity = due + timedelta(days=c.bill_term_days or 0)
		bill = bill_problem(c.payment_method, c.bills_agreed, maturity, due)
		if bill and not known and c.bills_agreed and c.bill_term_days:
			bill = f"{c.payment_method}期限 {c.bill_term_days} 日，到期晚于应付款日期，变相延长付款期限（条例第十一条；工作方案二（六））"
		if bill:
			add("条例第十一条；《山西省优化营商环境条例》", "payment_method", bill)

	# 条例第十二条、第十四条 and 《山西省优化营商环境条例》 (工作方案二（六）)
	if c.settlement_basis == AUDIT_RESULT:
		add("条例第十二条", "settlement_basis", "以审计结果作为结算依据（审计结果不得强制作为结算依据）")
	if c.pay_after_audit:
		add("条例第十四条；《山西省优化营商环境条例》", "pay_after_audit",
			"以工程未完成审计、决算或竣工验收备案作为付款条件（不得以此为由延迟支付）")  # fmt: skip

	# 条例第十三条: in construction, four kinds of deposit only; no deposit in cash only
	for i, d in enumerate(c.deposits, 1):
		if c.category == WORKS and d.kind not in ALLOWED_DEPOSITS:
			add("条例第十三条", "deposits",
				f"保证金第 {i} 行“{d.kind or '未注明'}”不属于投标、履约、工程质量、农民工工资四类保证金")  # fmt: skip
		if d.cash_only:
			add(
				"条例第十三条",
				"deposits",
				f"保证金第 {i} 行限定以现金形式缴纳（应允许以保函等非现金方式提供）",
			)

	# 条例第十七条: an agreed rate not below the 1-year LPR on the contract date
	if c.agreed_annual_rate and c.contract_date:
		known = lpr_at(c.contract_date, lpr)
		if known and Decimal(c.agreed_annual_rate) < known[1]:
			add("条例第十七条", "agreed_annual_rate",
				f"约定逾期利率 {Decimal(c.agreed_annual_rate):.2f}% 低于合同订立时（{known[0]} 公布）一年期 LPR {known[1]:.2f}%")  # fmt: skip
	return out


def notes(c: Contract, limits: Limits, lpr: list[tuple[date, Decimal]]) -> list[str]:
	"""What the review should know that is not a breach."""
	out = []
	if not c.agreed_annual_rate:
		out.append(f"合同未约定逾期利率：逾期按每日 {limits.daily_rate_percent}% 计付利息（条例第十七条）")
	elif not c.contract_date:
		out.append("未填写合同订立日期，无法与当时的一年期 LPR 比较逾期利率（条例第十七条）")
	elif not lpr_at(c.contract_date, lpr):
		out.append("清欠设置的 LPR 表中没有合同订立日适用的一年期 LPR，未核对逾期利率（条例第十七条）")
	if c.term_from == ACCEPTANCE and c.acceptance_days is None:
		out.append("付款自验收合格起算但未约定验收期限：拖延验收时付款期限如何起算无据可依（条例第十条）")
	if c.payment_method in BILL_METHODS and c.bills_agreed and not c.bill_term_days:
		out.append(
			f"约定以{c.payment_method}支付但未写明其期限：到期日晚于应付款日期的，即变相延长付款期限（条例第十一条）"
		)
	if c.term_days is None:
		out.append(f"合同未写明付款期限：按法定 {statutory_days(c.payer_type, limits)} 日计（条例第九条）")
	return out


def due_date(c: Contract, limits: Limits) -> date | None:
	"""When payment falls due (条例第九条、第十条): the agreed or statutory term from
	- acceptance, or the end of the agreed acceptance period if that comes first, where payment
	  follows acceptance;
	- both sides confirming the settled amount, for progress or periodic settlement;
	- delivery otherwise.
	None while the event has not happened."""
	days = timedelta(days=c.term_days if c.term_days is not None else statutory_days(c.payer_type, limits))
	if c.term_from == SETTLEMENT:
		return c.settled_on + days if c.settled_on else None
	if c.term_from == ACCEPTANCE:
		ends = [c.accepted_on]
		if c.delivered_on and c.acceptance_days is not None:
			ends.append(c.delivered_on + timedelta(days=c.acceptance_days))
		known = [d for d in ends if d]
		return min(known) + days if known else None
	return c.delivered_on + days if c.delivered_on else None


def transition_problems(action: str, values: dict, finding_count: int) -> list[Problem]:
	out = []
	if action == TO_LEGAL and not finding_count:
		out.append(Problem("findings", "没有审查发现的合同无须提请合法性审查"))
	if action == LEGAL_OPINION and not (values.get("legal_opinion") or "").strip():
		out.append(Problem("legal_opinion", "出具审查意见须写明合法性审查意见"))
	return out
