"""The ledger rules of the work plan and the payment regulation, without Frappe."""

from datetime import date
from decimal import Decimal as D

import pytest

from qingqian_app.domain import ledger
from qingqian_app.domain.money import fmt, yuan

from .factories import LIMITS, PRIVATE, TODAY, item


def fields(found):
	return [p.fieldname for p in found]


def test_money_rounds_to_the_fen():
	assert yuan(0.1 + 0.2) == D("0.30")
	assert yuan("1.005") == D("1.01")
	assert yuan(None) == D("0.00")
	assert fmt(1234567.5) == "1,234,567.50"


def test_valid_item_has_no_problems():
	assert ledger.problems(item(), LIMITS) == []


@pytest.mark.parametrize("debtor_type", ["社会团体", ""])
def test_only_agencies_institutions_and_soes(debtor_type):
	assert fields(ledger.problems(item(debtor_type=debtor_type), LIMITS)) == ["debtor_unit"]


def test_suspended_debtor_is_out_of_scope():
	found = ledger.problems(item(debtor_type="国有企业", debtor_suspended=True), LIMITS)
	assert fields(found) == ["debtor_unit"] and "停产" in found[0].message


def test_only_goods_works_services():
	assert fields(ledger.problems(item(arrears_category="借款"), LIMITS)) == ["arrears_category"]


def test_creditor_must_be_private():
	found = ledger.problems(item(enterprise_uscc="12140502MB1A0003XX"), LIMITS)
	assert fields(found) == ["enterprise"] and "事业单位" in found[0].message
	assert ledger.problems(item(enterprise_uscc="92140502MA0B0101XX"), LIMITS) == []  # 个体工商户
	found = ledger.problems(item(debtor_unit_codes=frozenset({PRIVATE})), LIMITS)
	assert fields(found) == ["enterprise"]


def test_repayments_never_exceed_what_is_owed():
	rs = [ledger.Repayment(date(2026, 1, 5), D("60000")), ledger.Repayment(date(2026, 2, 5), D("40000.01"))]
	found = ledger.problems(item(repayments=rs), LIMITS)
	assert fields(found) == ["repayments"] and "100,000.01" in found[0].message


def test_outstanding_is_computed():
	rs = [
		ledger.Repayment(date(2026, 1, 5), D("30000.10")),
		ledger.Repayment(date(2026, 2, 5), D("19999.90")),
	]
	f = ledger.figures(item(repayments=rs), LIMITS, TODAY)
	assert (f.repaid_amount, f.outstanding_amount) == (D("50000.00"), D("50000.00"))


def test_due_date_from_regulation_when_contract_sets_no_term():
	agency = ledger.figures(item(delivery_date=date(2026, 1, 1)), LIMITS, TODAY)
	assert agency.due_date == date(2026, 1, 31)  # 30 days (条例第九条)
	soe = ledger.figures(item(debtor_type="国有企业", delivery_date=date(2026, 1, 1)), LIMITS, TODAY)
	assert soe.due_date == date(2026, 3, 2)  # 60 days
	agreed = ledger.figures(item(delivery_date=date(2026, 1, 1), agreed_payment_days=45), LIMITS, TODAY)
	assert agreed.due_date == date(2026, 2, 15)
	typed = ledger.figures(item(delivery_date=date(2026, 1, 1), due_date=date(2026, 5, 1)), LIMITS, TODAY)
	assert typed.due_date == date(2026, 5, 1)
	assert ledger.figures(item(), LIMITS, TODAY).due_date is None


def test_agency_term_beyond_sixty_days_is_flagged():
	assert ledger.figures(item(agreed_payment_days=90), LIMITS, TODAY).term_exceeds_limit
	assert not ledger.figures(item(agreed_payment_days=60), LIMITS, TODAY).term_exceeds_limit
	assert not ledger.figures(
		item(debtor_type="国有企业", agreed_payment_days=90), LIMITS, TODAY
	).term_exceeds_limit


def test_overdue_days_from_due_date_and_zero_once_paid():
	f = ledger.figures(item(due_date=date(2026, 11, 1)), LIMITS, TODAY)
	assert f.overdue_days == 25
	assert ledger.figures(item(due_date=date(2026, 12, 1)), LIMITS, TODAY).overdue_days == 0
	paid = item(due_date=date(2026, 11, 1), repayments=[ledger.Repayment(date(2026, 11, 2), D("100000"))])
	assert ledger.figures(paid, LIMITS, TODAY).overdue_days == 0


def test_default_interest_is_five_in_ten_thousand_a_day():
	f = ledger.figures(item(due_date=date(2026, 11, 16)), LIMITS, TODAY)  # 10 days
	assert f.overdue_interest == D("500.00")  # 100000 × 0.0005 × 10


def test_interest_follows_the_balance_after_each_repayment():
	rs = [ledger.Repayment(date(2026, 11, 21), D("60000"))]
	f = ledger.figures(item(due_date=date(2026, 11, 16), repayments=rs), LIMITS, TODAY)
	# 5 days on 100000, then 5 days on 40000, at 0.05% a day
	assert f.overdue_interest == D("250.00") + D("100.00")


def test_agreed_annual_rate_replaces_the_default():
	f = ledger.figures(item(due_date=date(2026, 11, 16), agreed_annual_rate=D("3.65")), LIMITS, TODAY)
	assert f.overdue_interest == D("100.00")  # 100000 × 3.65% / 365 × 10


def test_undisputed_part_stays_due():
	f = ledger.figures(item(disputed_amount=D("30000")), LIMITS, TODAY)
	assert (f.is_disputed, f.undisputed_amount) == (True, D("70000.00"))
	assert not ledger.figures(item(), LIMITS, TODAY).is_disputed
	assert fields(ledger.problems(item(disputed_amount=D("100000.01")), LIMITS)) == ["disputed_amount"]


def test_migrant_wages_are_paid_first():
	rs = [ledger.Repayment(date(2026, 1, 5), D("15000"))]
	f = ledger.figures(
		item(involves_migrant_wages=True, migrant_wage_amount=D("20000"), repayments=rs), LIMITS, TODAY
	)
	assert (f.migrant_wage_repaid, f.migrant_wage_outstanding) == (D("15000.00"), D("5000.00"))
	f = ledger.figures(
		item(involves_migrant_wages=True, migrant_wage_amount=D("20000"), repayments=rs * 2), LIMITS, TODAY
	)
	assert (f.migrant_wage_repaid, f.migrant_wage_outstanding) == (D("20000.00"), D("0.00"))


def test_migrant_wage_amount_checks():
	assert fields(
		ledger.problems(item(involves_migrant_wages=True, migrant_wage_amount=D("100001")), LIMITS)
	) == ["migrant_wage_amount"]
	assert fields(ledger.problems(item(involves_migrant_wages=True), LIMITS)) == ["migrant_wage_amount"]
	assert fields(ledger.problems(item(migrant_wage_amount=D("5")), LIMITS)) == ["involves_migrant_wages"]


def test_acceptance_bill_refused_unless_agreed_and_within_term():
	bill = ledger.Repayment(date(2026, 1, 5), D("1000"), "承兑汇票", date(2026, 7, 5))
	found = ledger.problems(item(due_date=date(2026, 2, 1), repayments=[bill]), LIMITS)
	assert fields(found) == ["repayments"] and "未明确约定" in found[0].message
	found = ledger.problems(
		item(due_date=date(2026, 2, 1), contract_allows_bills=True, repayments=[bill]), LIMITS
	)
	assert "变相延长付款期限" in found[0].message
	ok = ledger.Repayment(date(2026, 1, 5), D("1000"), "承兑汇票", date(2026, 1, 30))
	assert (
		ledger.problems(item(due_date=date(2026, 2, 1), contract_allows_bills=True, repayments=[ok]), LIMITS)
		== []
	)


def test_what_counts_in_the_figures():
	entered = "已入账"
	assert not ledger.figures(item(in_judicial_process=True, state=entered), LIMITS, TODAY).counted_in_ledger
	assert ledger.problems(item(in_judicial_process=True), LIMITS) == []  # kept, not refused
	assert ledger.figures(item(state=entered), LIMITS, TODAY).counted_in_ledger
	for state in ("待报送", "待审核", "不予列入", "重复"):  # not yet approved, excluded, duplicate
		assert not ledger.counts_in_figures(state, False, False), state
	for state in ("已入账", "已转办", "核查中", "清偿中", "协调化解中", "待销号", "已销号"):
		assert ledger.counts_in_figures(state, False, False), state
	assert not ledger.counts_in_figures("清偿中", False, True)  # a suspended enterprise's


def test_default_interest_rate_comes_from_the_limits():
	overdue = item(due_date=date(2026, 11, 16))  # 10 days before TODAY
	assert ledger.figures(overdue, LIMITS, TODAY).overdue_interest == D("500.00")  # 万分之五 a day
	doubled = ledger.Limits(daily_rate_percent=D("0.1"))
	assert ledger.figures(overdue, doubled, TODAY).overdue_interest == D("1000.00")


def test_matter_key_is_the_contract_or_else_amount_and_due_date():
	k = ledger.matter_key
	assert k("甲", "乙", "HT-1", 100, None) == k("甲", "乙", " ht-1 ", 999, date(2026, 1, 1))
	assert k("甲", "乙", "HT-1", 100, None) != k("甲", "乙", "HT-2", 100, None)
	assert k("甲", "乙", None, 100, date(2026, 1, 1)) == k("甲", "乙", "", D("100.00"), date(2026, 1, 1))
	assert k("甲", "乙", None, 100, date(2026, 1, 1)) != k("甲", "乙", None, 100, date(2026, 1, 2))
	assert k("甲", "乙", None, 100, None) != k("甲", "丙", None, 100, None)


def figs(**kw):
	return ledger.figures(item(**kw), LIMITS, TODAY)


def test_transfer_needs_unit_and_deadline():
	assert fields(ledger.transition_problems("转办", "已转办", {}, figs())) == [
		"responsible_unit",
		"repay_deadline",
	]
	assert (
		ledger.transition_problems(
			"转办", "已转办", {"responsible_unit": "x", "repay_deadline": "2026-12-31"}, figs()
		)
		== []
	)


def test_verification_outcomes():
	assert fields(ledger.transition_problems("确认无分歧", "清偿中", {}, figs(disputed_amount=D(1)))) == [
		"disputed_amount"
	]
	assert fields(ledger.transition_problems("确认有分歧", "协调化解中", {}, figs())) == [
		"disputed_amount",
		"dispute_reason",
	]
	assert (
		ledger.transition_problems(
			"确认有分歧", "协调化解中", {"dispute_reason": "工程量"}, figs(disputed_amount=D(1))
		)
		== []
	)


def test_closing_needs_zero_outstanding_and_a_recorded_confirmation():
	found = ledger.transition_problems("销号", "已销号", {}, figs())
	assert fields(found) == ["outstanding_amount", "confirmation_method"]
	assert "100,000.00" in found[0].message
	paid = figs(repayments=[ledger.Repayment(date(2026, 1, 1), D("100000"))])
	assert fields(ledger.transition_problems("销号", "已销号", {"confirmation_method": "回访"}, paid)) == [
		"confirmation_contact",
		"confirmation_means",
		"confirmation_date",
	]
	written = {"confirmation_method": "书面确认", "confirmation_date": "2026-11-20"}
	assert fields(ledger.transition_problems("销号", "已销号", written, paid)) == ["confirmation_document"]
	written["confirmation_document"] = "/private/files/确认函.pdf"
	assert ledger.transition_problems("销号", "已销号", written, paid) == []
	call = {"confirmation_method": "回访", "confirmation_contact": "财务经理", "confirmation_means": "电话",
		"confirmation_date": "2026-11-20"}  # fmt: skip
	assert ledger.transition_problems("销号", "已销号", call, paid) == []


def test_a_duplicate_names_the_item_it_repeats():
	assert fields(ledger.transition_problems("标记重复", "重复", {}, figs())) == ["duplicate_of"]
	assert ledger.transition_problems("标记重复", "重复", {"duplicate_of": "QQ-2026-00001"}, figs()) == []


def test_exclusion_needs_a_reason():
	assert fields(ledger.transition_problems("不予列入", "不予列入", {"exclusion_reason": " "}, figs())) == [
		"exclusion_reason"
	]


def test_debtor_unit_tree_rules():
	from qingqian_app.domain import units

	assert units.problems("国有企业", "国有企业", "全资") == []
	assert [p.fieldname for p in units.problems("国有企业", "国有企业", None)] == ["ownership"]
	assert [p.fieldname for p in units.problems("机关", "国有企业", "控股")] == ["unit_type"]
	assert [p.fieldname for p in units.problems("机关", None, "全资")] == ["ownership"]
	assert [p.fieldname for p in units.problems("社会团体", None, None)] == ["unit_type"]
