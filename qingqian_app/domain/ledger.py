"""The ledger (欠款台账) rules: what an arrears item may be and what follows from it.

Sources: the work plan 二（一）、二（二）、二（三）、二（六） and 《保障中小企业款项支付条例》
(国务院令第802号, 2025 text, article numbers of that text); see ../shared/domain/regulations.md.
Pure Python: the Arrears Item controller passes an ``Item`` and turns ``Problem``s into
errors; reports and the client reuse the same functions.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from .money import fmt, yuan
from .uscc import category

AGENCY_TYPES = frozenset({"机关", "事业单位"})
DEBTOR_TYPES = AGENCY_TYPES | {"国有企业"}
CATEGORIES = ("货物", "工程", "服务")
# Creditors the ledger covers: private enterprises, by the category of their credit code.
PRIVATE_CATEGORIES = frozenset({"企业", "个体工商户", "农民专业合作社"})
# Payment by bill or electronic voucher of receivables (条例第十一条).
BILL_METHODS = frozenset({"承兑汇票", "应收账款电子凭证"})
# 条例第十七条: with no agreed rate, overdue interest is 万分之五 a day (Qingqian Settings
# holds the rate as a percentage, 0.05, with this basis).
DEFAULT_DAILY_RATE_PERCENT = Decimal("0.05")

# States of the workflow (workflows/arrears_item.json) that the rules below name.
SUBMITTED, IN_REVIEW = "待报送", "待审核"
EXCLUDED, DUPLICATE, CLOSED = "不予列入", "重复", "已销号"
REPAYING, AWAITING_CLOSURE = "清偿中", "待销号"
# An item is in the ledger's figures once its competent unit has approved it (摸排把关);
# kept and shown but never totalled: not yet approved, 不予列入, 重复 (a duplicate found
# after registration), in court (工作方案二（一）), or owed by a suspended enterprise.
# numbers a contract may leave out, stored 0 (Frappe's number columns are NOT NULL): 0 means "not
# agreed" or "not given" (the statutory term, the default rate) and the desk shows it blank
BLANK_WHEN_ZERO = {
	"Arrears Item": ("agreed_payment_days", "agreed_annual_rate", "contract_amount"),
	"Contract Review": ("agreed_annual_rate",),
}
NOT_YET_ENTERED = frozenset({SUBMITTED, IN_REVIEW})
NEVER_COUNTED = frozenset({EXCLUDED, DUPLICATE})
# The states in which nothing more happens to an item.
FINAL_STATES = frozenset({CLOSED, EXCLUDED, DUPLICATE})


@dataclass(frozen=True)
class Limits:
	"""Payment terms in days and the default overdue rate, from Qingqian Settings
	(defaults: 条例第九条, 第十七条)."""

	agency_payment_days: int = 30
	agency_max_agreed_days: int = 60
	large_enterprise_payment_days: int = 60
	daily_rate_percent: Decimal = DEFAULT_DAILY_RATE_PERCENT  # 条例第十七条, per day


@dataclass
class Repayment:
	payment_date: date | None
	amount: Decimal
	method: str = ""
	bill_maturity_date: date | None = None


@dataclass
class Item:
	"""The facts of one arrears item the rules need (controller → domain)."""

	debtor_type: str
	debtor_suspended: bool
	enterprise_uscc: str
	arrears_category: str
	arrears_amount: Decimal
	disputed_amount: Decimal = Decimal("0")
	migrant_wage_amount: Decimal = Decimal("0")
	involves_migrant_wages: bool = False
	in_judicial_process: bool = False
	delivery_date: date | None = None
	agreed_payment_days: int | None = None
	due_date: date | None = None
	contract_allows_bills: bool = False
	agreed_annual_rate: Decimal | None = None  # percent a year, as the contract says
	repayments: list[Repayment] = field(default_factory=list)
	debtor_unit_codes: frozenset = frozenset()  # credit codes of state-owned debtor units
	state: str = SUBMITTED


@dataclass(frozen=True)
class Problem:
	fieldname: str
	message: str


@dataclass
class Figures:
	"""What the controller stores: computed, never typed."""

	due_date: date | None
	repaid_amount: Decimal
	outstanding_amount: Decimal
	undisputed_amount: Decimal
	is_disputed: bool
	migrant_wage_repaid: Decimal
	migrant_wage_outstanding: Decimal
	overdue_days: int
	overdue_interest: Decimal
	counted_in_ledger: bool
	term_exceeds_limit: bool


def statutory_days(debtor_type: str, limits: Limits) -> int:
	"""条例第九条: 机关、事业单位 pay within 30 days of delivery; large enterprises within 60.
	A state-owned debtor is taken as a large enterprise."""
	return limits.agency_payment_days if debtor_type in AGENCY_TYPES else limits.large_enterprise_payment_days


def default_due_date(item: Item, limits: Limits) -> date | None:
	"""The due date when none is typed: delivery or acceptance date (条例第十条) plus the agreed
	term, or the statutory term when the contract sets none (条例第九条)."""
	if item.due_date or not item.delivery_date:
		return item.due_date
	days = item.agreed_payment_days or statutory_days(item.debtor_type, limits)
	return item.delivery_date + timedelta(days=days)


def agreed_term_over_limit(debtor_type: str, agreed_days: int | None, limits: Limits) -> bool:
	"""条例第九条: a 机关/事业单位 may agree a term, but never more than 60 days. (The ledger
	flags it on an item; a contract's review lists it as a finding: domain/contracts.py.)"""
	return bool(debtor_type in AGENCY_TYPES and agreed_days and agreed_days > limits.agency_max_agreed_days)


def term_exceeds_limit(item: Item, limits: Limits) -> bool:
	return agreed_term_over_limit(item.debtor_type, item.agreed_payment_days, limits)


def bill_problem(
	method: str, contract_allows_bills: bool, maturity: date | None, due: date | None, verb: str = "支付"
) -> str | None:
	"""条例第十一条 and 《山西省优化营商环境条例》 as the work plan cites it (二（六））: a bill or an
	electronic voucher of receivables only where the contract says so explicitly, and never
	maturing after the payment is due (a disguised extension of the term). One rule for an
	item's repayments and a contract's agreed payment method (domain/contracts.py)."""
	if method not in BILL_METHODS:
		return None
	if not contract_allows_bills:
		return f"合同未明确约定以{method}支付，不得以{method}{verb}（条例第十一条；工作方案二（六））"
	if not maturity:
		return f"以{method}支付须填写到期日"
	if due and maturity > due:
		return f"{method}到期日 {maturity} 晚于应付款日期 {due}，变相延长付款期限（条例第十一条；工作方案二（六））"
	return None


def daily_rate(item: Item, limits: Limits) -> Decimal:
	"""The agreed rate (a year, as the contract says), else the default rate a day."""
	if item.agreed_annual_rate:
		return yuan(item.agreed_annual_rate) / Decimal(100) / Decimal(365)
	return Decimal(limits.daily_rate_percent) / Decimal(100)


def overdue_interest(item: Item, due: date | None, today: date, limits: Limits) -> Decimal:
	"""Interest accrued so far on the unpaid balance from the day after the due date, the
	balance falling with each repayment (条例第十七条)."""
	if not due or today <= due:
		return Decimal("0.00")
	rate = daily_rate(item, limits)
	balance = yuan(item.arrears_amount)
	interest = Decimal(0)
	start = due
	for r in sorted((r for r in item.repayments if r.payment_date), key=lambda r: r.payment_date):
		if r.payment_date > start:
			end = min(r.payment_date, today)
			interest += balance * rate * (end - start).days
			start = end
		balance -= yuan(r.amount)
		if start >= today or balance <= 0:
			break
	if balance > 0 and today > start:
		interest += balance * rate * (today - start).days
	return yuan(interest)


def figures(item: Item, limits: Limits, today: date) -> Figures:
	due = default_due_date(item, limits)
	owed = yuan(item.arrears_amount)
	repaid = sum((yuan(r.amount) for r in item.repayments), Decimal("0.00"))
	outstanding = owed - repaid
	disputed = yuan(item.disputed_amount)
	migrant = yuan(item.migrant_wage_amount) if item.involves_migrant_wages else Decimal("0.00")
	# 工作方案二（三）: repayments go to migrant workers' wages first.
	migrant_repaid = min(repaid, migrant)
	return Figures(
		due_date=due,
		repaid_amount=repaid,
		outstanding_amount=outstanding,
		undisputed_amount=owed - disputed,
		is_disputed=disputed > 0,
		migrant_wage_repaid=migrant_repaid,
		migrant_wage_outstanding=migrant - migrant_repaid,
		overdue_days=max((today - due).days, 0) if due and outstanding > 0 else 0,
		overdue_interest=overdue_interest(item, due, today, limits) if outstanding > 0 else Decimal("0.00"),
		counted_in_ledger=counts_in_figures(item.state, item.in_judicial_process, item.debtor_suspended),
		term_exceeds_limit=term_exceeds_limit(item, limits),
	)


def counts_in_figures(state: str, in_judicial_process: bool, debtor_suspended: bool) -> bool:
	"""The one rule for what the ledger's totals, reports, bulletins and disclosure count:
	approved items, not excluded or duplicate, not in court, not of a suspended enterprise."""
	return (
		state not in NOT_YET_ENTERED
		and state not in NEVER_COUNTED
		and not in_judicial_process
		and not debtor_suspended
	)


def problems(item: Item, limits: Limits, today: date | None = None) -> list[Problem]:
	"""Every rule the item breaks, each naming its field, in Chinese. ``today``: the site's
	date (a repayment is never dated after it); the machine's when not given."""
	today = today or date.today()
	out: list[Problem] = []
	add = lambda f, m: out.append(Problem(f, m))  # noqa: E731

	if item.debtor_type not in DEBTOR_TYPES:
		add("debtor_unit", "欠款单位须为机关、事业单位或国有企业（工作方案二（一））")
	if item.debtor_suspended:
		add("debtor_unit", "欠款单位为停产企业，不在清欠范围内（工作方案二（一）：不含停产企业）")
	if item.arrears_category not in CATEGORIES:
		add("arrears_category", "欠款类别须为货物、工程或服务（工作方案二（一））")
	kind = category(item.enterprise_uscc)
	if kind is not None and kind not in PRIVATE_CATEGORIES:
		add("enterprise", f"债权人的统一社会信用代码属于“{kind}”，不是民营企业")
	if item.enterprise_uscc and item.enterprise_uscc in item.debtor_unit_codes:
		add("enterprise", "债权人是登记在册的国有或公共单位，不是民营企业")

	owed = yuan(item.arrears_amount)
	if owed <= 0:
		add("arrears_amount", "欠款金额须大于零")
	disputed = yuan(item.disputed_amount)
	if disputed < 0 or disputed > owed:
		add(
			"disputed_amount",
			f"有分歧金额 {fmt(disputed)} 元须在 0 与欠款金额 {fmt(owed)} 元之间（条例第十五条：无分歧部分仍应按期支付）",
		)
	if item.involves_migrant_wages:
		migrant = yuan(item.migrant_wage_amount)
		if migrant <= 0:
			add("migrant_wage_amount", "涉及农民工工资的，须填写其中农民工工资金额")
		elif migrant > owed:
			add("migrant_wage_amount", f"农民工工资金额 {fmt(migrant)} 元不能超过欠款金额 {fmt(owed)} 元")
	elif yuan(item.migrant_wage_amount) > 0:
		add("involves_migrant_wages", "填写了农民工工资金额的，须勾选“涉及农民工工资”")
	if item.agreed_payment_days is not None and item.agreed_payment_days < 0:
		add("agreed_payment_days", "约定付款期限不能为负数")

	repaid = Decimal("0.00")
	due = default_due_date(item, limits)
	for i, r in enumerate(item.repayments, 1):
		amount = yuan(r.amount)
		if amount <= 0:
			add("repayments", f"清偿记录第 {i} 行：金额须大于零")
		late = repayment_date_problem(r.payment_date, today)
		if late:
			add("repayments", f"清偿记录第 {i} 行：{late}")
		repaid += amount
		# refused, not merely flagged: counted as paid, a bill would clear arrears on paper
		bill = bill_problem(r.method, item.contract_allows_bills, r.bill_maturity_date, due, "清偿")
		if bill:
			add("repayments", f"清偿记录第 {i} 行：{bill}")
	if repaid > owed:
		add("repayments", f"已清偿合计 {fmt(repaid)} 元超过欠款金额 {fmt(owed)} 元")
	return out


def repayment_date_problem(payment_date: date | None, today: date) -> str | None:
	"""A repayment is recorded when it was made: dated after today it would cut today's
	outstanding amount and rate (and the overdue interest) with money not yet paid."""
	if payment_date and payment_date > today:
		return f"清偿日期 {payment_date} 晚于今天（{today}），清偿须在付款后按实际付款日期登记"
	return None


# --- one matter, one item ---------------------------------------------------------------


def matter_key(debtor_unit: str, enterprise: str, contract_no: str | None, amount, due: date | None) -> str:
	"""What makes two registrations the same matter: the same debtor, enterprise and contract,
	or, without a contract number, the same amount and due date. Stored with a unique index,
	so that two registrations at once cannot both succeed."""
	contract = " ".join((contract_no or "").split()).upper()
	parts = [debtor_unit or "", enterprise or ""]
	parts += [f"合同:{contract}"] if contract else [f"金额:{yuan(amount)}", f"应付:{due or ''}"]
	return hashlib.sha1("|".join(parts).encode("utf-8")).hexdigest()


# --- the enterprise's confirmation (销号) -------------------------------------------------

WRITTEN, CALLBACK = "书面确认", "回访"
# the enterprise confirmed every repayment itself, on the portal (domain.portal.RESPONSES)
ONLINE = "企业网上确认"
CONFIRMATION_METHODS = (WRITTEN, CALLBACK, ONLINE)  # Arrears Item.confirmation_method


def confirmation_problems(values: dict) -> list[Problem]:
	"""What a confirmation that the enterprise received the money must record: written
	confirmation attached, or a 回访 (who at the enterprise, when, by what means), recorded by
	the clearing office or the competent unit, never by the debtor (workflows/arrears_item.json);
	or the enterprise's own answers on the portal, every repayment confirmed (``responses``:
	each repayment's Arrears Repayment.enterprise_response). A repayment the enterprise disputes
	stops any confirmation until the matter is settled again."""
	from qingqian_app.domain.portal import CONFIRMED, DISPUTED

	out: list[Problem] = []
	method = values.get("confirmation_method")
	responses = values.get("responses") or []
	if DISPUTED in responses:
		return [Problem("repayments", "企业对付款提出了异议，须协调处理、企业重新确认后才能确认收款")]
	if method == ONLINE and (not responses or any(r != CONFIRMED for r in responses)):
		return [Problem("confirmation_method", "企业网上确认须由企业在网上逐笔确认全部付款，不能代为选择")]
	if not method:
		return [Problem("confirmation_method", "销号须有企业确认收款：请清欠办或主管部门选择确认方式并记录")]
	if method == WRITTEN and not values.get("confirmation_document"):
		out.append(Problem("confirmation_document", "书面确认须上传企业的书面确认"))
	if method == CALLBACK:
		if not (values.get("confirmation_contact") or "").strip():
			out.append(Problem("confirmation_contact", "回访须写明企业确认人"))
		if not values.get("confirmation_means"):
			out.append(Problem("confirmation_means", "回访须写明回访方式"))
	if not values.get("confirmation_date"):
		out.append(Problem("confirmation_date", "须填写企业确认日期"))
	return out


def transition_problems(action: str, to_state: str, values: dict, figures_: Figures) -> list[Problem]:
	"""What a workflow step needs before it may happen."""
	out: list[Problem] = []
	add = lambda f, m: out.append(Problem(f, m))  # noqa: E731
	if to_state == "已转办":
		if not values.get("responsible_unit"):
			add("responsible_unit", "转办前须指定责任单位")
		if not values.get("repay_deadline"):
			add("repay_deadline", "转办前须设定清偿期限")
	if action == "确认无分歧" and figures_.is_disputed:
		add("disputed_amount", "有分歧金额不为零，不能确认为“无分歧”")
	if action == "确认有分歧":
		if not figures_.is_disputed:
			add("disputed_amount", "确认有分歧须填写有分歧金额")
		if not (values.get("dispute_reason") or "").strip():
			add("dispute_reason", "确认有分歧须写明分歧原因")
	if to_state in (AWAITING_CLOSURE, CLOSED) and figures_.outstanding_amount != 0:
		add("outstanding_amount", f"未清偿金额为 {fmt(figures_.outstanding_amount)} 元，清偿完毕方可销号")
	if to_state == CLOSED:
		out += confirmation_problems(values)
	if to_state == EXCLUDED and not (values.get("exclusion_reason") or "").strip():
		add("exclusion_reason", "不予列入须写明理由")
	if to_state == DUPLICATE and not values.get("duplicate_of"):
		add("duplicate_of", "标记重复须指明同一事项已登记的台账")
	return out
