"""源头治理 rules (qingqian_app.domain.contracts, .projects, .receivables, .opinion, .inspections):
one test per finding of the contract review, each with its article, and a clean contract passing."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from qingqian_app.domain import contracts, inspections, opinion, projects, receivables
from qingqian_app.domain.ledger import Limits

LIMITS = Limits()
TODAY = date(2026, 11, 28)
LPR = [(date(2024, 10, 21), Decimal("3.10")), (date(2025, 5, 20), Decimal("3.00"))]
CLEAN = contracts.Contract(
	payer_type="机关",
	category="工程",
	contract_date=date(2026, 3, 1),
	term_days=30,
	term_agreed=True,
	term_from="验收合格",
	acceptance_days=15,
	delivered_on=date(2026, 5, 1),
	accepted_on=date(2026, 5, 10),
	payment_method="银行转账",
	settlement_basis="双方确认",
	deposits=[
		contracts.Deposit("履约保证金", Decimal("10000")),
		contracts.Deposit("工程质量保证金", Decimal("5000")),
	],
	agreed_annual_rate=Decimal("3.65"),
)


def found(c):
	return [(f.article, f.fieldname) for f in contracts.findings(c, LIMITS, LPR, TODAY)]


def test_a_clean_contract_has_no_finding_and_no_note():
	assert contracts.findings(CLEAN, LIMITS, LPR, TODAY) == []
	assert contracts.notes(CLEAN, LIMITS, LPR) == []


def test_art9_an_agency_term_over_60_days_even_agreed():
	(f,) = contracts.findings(replace(CLEAN, term_days=90), LIMITS, LPR, TODAY)
	assert (f.article, f.fieldname) == ("条例第九条", "term_days") and "60 日" in f.message


def test_art9_an_agency_term_over_30_days_without_agreement():
	assert found(replace(CLEAN, term_days=45, term_agreed=False)) == [("条例第九条", "term_agreed")]
	assert found(replace(CLEAN, term_days=45, term_agreed=True)) == []
	assert found(replace(CLEAN, term_days=30, term_agreed=False)) == []


def test_art9_a_state_owned_payer_is_held_to_60_days_unless_agreed():
	soe = replace(CLEAN, payer_type="国有企业", term_agreed=False)
	assert found(replace(soe, term_days=60)) == []
	assert found(replace(soe, term_days=90)) == [("条例第九条", "term_agreed")]
	assert found(replace(soe, term_days=90, term_agreed=True)) == []


def test_art9_payment_conditional_on_a_third_party():
	assert found(replace(CLEAN, pay_on_third_party=True)) == [("条例第九条", "pay_on_third_party")]


def test_art10_acceptance_dragged_beyond_the_agreed_period():
	late = replace(CLEAN, accepted_on=date(2026, 6, 30))
	(f,) = contracts.findings(late, LIMITS, LPR, TODAY)
	assert (f.article, f.fieldname) == ("条例第十条", "accepted_on") and "2026-05-16" in f.message
	# never accepted at all, the period long over
	assert found(replace(CLEAN, accepted_on=None)) == [("条例第十条", "accepted_on")]
	# the due date then runs from the end of the agreed period, not from the late acceptance
	assert contracts.due_date(late, LIMITS) == date(2026, 6, 15)
	assert contracts.due_date(CLEAN, LIMITS) == date(2026, 6, 9)


def test_art11_bills_not_agreed_or_lengthening_the_term():
	assert found(replace(CLEAN, payment_method="承兑汇票")) == [
		("条例第十一条；《山西省优化营商环境条例》", "payment_method")
	]
	agreed = replace(CLEAN, payment_method="应收账款电子凭证", bills_agreed=True)
	assert found(replace(agreed, bill_term_days=0)) == []
	(f,) = contracts.findings(replace(agreed, bill_term_days=180), LIMITS, LPR, TODAY)
	assert "变相延长付款期限" in f.message


def test_art12_audit_result_as_the_basis_of_settlement():
	assert found(replace(CLEAN, settlement_basis="审计结果")) == [("条例第十二条", "settlement_basis")]


def test_art14_audit_or_final_accounts_as_the_condition_of_payment():
	assert found(replace(CLEAN, pay_after_audit=True)) == [
		("条例第十四条；《山西省优化营商环境条例》", "pay_after_audit")
	]


def test_art13_deposits_of_other_kinds_or_in_cash_only():
	other = replace(CLEAN, deposits=[contracts.Deposit("其他", Decimal("1000"))])
	assert found(other) == [("条例第十三条", "deposits")]
	# the four kinds are those of construction; a service contract's other deposit is no finding
	assert found(replace(other, category="服务")) == []
	cash = replace(CLEAN, deposits=[contracts.Deposit("投标保证金", Decimal("1000"), cash_only=True)])
	(f,) = contracts.findings(cash, LIMITS, LPR, TODAY)
	assert "现金" in f.message


def test_art17_agreed_interest_below_the_lpr_on_the_contract_date():
	# 3.05 % is below the 3.10 % in force until 2025-05-20, not below the 3.00 % after it
	assert found(replace(CLEAN, agreed_annual_rate=Decimal("3.05"), contract_date=date(2025, 5, 19))) == [
		("条例第十七条", "agreed_annual_rate")
	]
	assert found(replace(CLEAN, agreed_annual_rate=Decimal("3.05"), contract_date=date(2025, 5, 20))) == []


def test_no_agreed_rate_is_not_a_finding_but_a_note_of_the_default():
	c = replace(CLEAN, agreed_annual_rate=None)
	assert found(c) == []
	assert contracts.notes(c, LIMITS, LPR) == [
		"合同未约定逾期利率：逾期按每日 0.05% 计付利息（条例第十七条）"
	]
	# a date before the table: the rate cannot be checked, and the review says so
	early = replace(CLEAN, contract_date=date(2019, 1, 1))
	assert found(early) == [] and "LPR" in contracts.notes(early, LIMITS, LPR)[0]


def test_a_contract_breaking_every_rule_lists_each_article():
	bad = replace(
		CLEAN, term_days=90, pay_on_third_party=True, accepted_on=None, payment_method="承兑汇票",
		settlement_basis="审计结果", pay_after_audit=True,
		deposits=[contracts.Deposit("其他", Decimal("1"), cash_only=True)], agreed_annual_rate=Decimal("1"),
	)  # fmt: skip
	articles = {f.article for f in contracts.findings(bad, LIMITS, LPR, TODAY)}
	assert articles == {
		"条例第九条", "条例第十条", "条例第十一条；《山西省优化营商环境条例》", "条例第十二条",
		"条例第十四条；《山西省优化营商环境条例》", "条例第十三条", "条例第十七条",
	}  # fmt: skip


def test_legal_review_only_for_a_contract_with_findings_and_only_with_an_opinion():
	assert [p.fieldname for p in contracts.transition_problems(contracts.TO_LEGAL, {}, 0)] == ["findings"]
	assert contracts.transition_problems(contracts.TO_LEGAL, {}, 2) == []
	assert [
		p.fieldname for p in contracts.transition_problems(contracts.LEGAL_OPINION, {"legal_opinion": " "}, 2)
	] == ["legal_opinion"]


def test_a_project_may_not_start_until_every_source_is_confirmed_and_the_whole_covered():
	total = Decimal("1000000")
	a = projects.Source("财政预算资金", Decimal("600000"), True)
	b = projects.Source("政府专项债券", Decimal("400000"), False)
	assert [p.fieldname for p in projects.start_problems(total, [])] == ["funding_sources"]
	(p,) = projects.start_problems(total, [a, b])
	assert "第 2 行" in p.message and "不得开工建设" in p.message
	short = projects.start_problems(total, [a])
	assert len(short) == 1 and "少于总投资" in short[0].message
	assert projects.start_problems(total, [a, replace(b, confirmed=True)]) == []
	assert projects.funded(total, [a, replace(b, confirmed=True)]) and not projects.funded(total, [a, b])


def test_the_project_check_lists_started_unfunded_arrears_and_unbudgeted_repayment():
	total, unconfirmed = Decimal("100"), [projects.Source("银行贷款", Decimal("100"), False)]
	assert projects.flags("在建", total, unconfirmed, "机关", False, Decimal(0)) == [
		projects.STARTED_UNFUNDED
	]
	# found started while still registered: listed too
	assert projects.flags("可研论证", total, unconfirmed, "机关", False, Decimal(0), date(2026, 1, 1)) == [
		projects.STARTED_UNFUNDED
	]
	assert projects.flags("可研论证", total, unconfirmed, "机关", False, Decimal(5)) == [
		projects.HAS_ARREARS, projects.REPAYMENT_NOT_BUDGETED,
	]  # fmt: skip
	assert projects.flags("可研论证", total, unconfirmed, "国有企业", False, Decimal(5)) == [
		projects.HAS_ARREARS
	]
	assert projects.flags("可研论证", total, unconfirmed, "机关", True, Decimal(5)) == [projects.HAS_ARREARS]


def test_a_receivable_is_confirmed_within_30_days_and_the_answer_says_what_or_why_not():
	assert receivables.deadline(date(2026, 11, 1)) == date(2026, 12, 1)
	base = {"requested_amount": 100000, "payment_due_date": date(2027, 1, 1)}
	assert receivables.answer_problems({**base, "answer": "确认", "confirmed_amount": 100000}) == []
	assert [
		p.fieldname
		for p in receivables.answer_problems({**base, "answer": "确认", "confirmed_amount": 90000})
	] == ["confirmed_amount"]
	partly = receivables.answer_problems({**base, "answer": "部分确认", "confirmed_amount": 60000})
	assert [p.fieldname for p in partly] == ["answer_reason"]
	refused = receivables.answer_problems(
		{"requested_amount": 1, "answer": "不予确认", "answer_reason": "无合同关系"}
	)
	assert refused == []
	assert [p.fieldname for p in receivables.answer_problems({"requested_amount": 1})] == ["answer"]


@pytest.mark.parametrize(
	"kind, day, expected",
	[
		("周报", date(2026, 11, 30), (date(2026, 11, 23), date(2026, 11, 29))),
		("月报", date(2026, 12, 1), (date(2026, 11, 1), date(2026, 11, 30))),
		("月报", date(2026, 3, 1), (date(2026, 2, 1), date(2026, 2, 28))),
	],
)
def test_a_summary_covers_the_last_complete_week_or_month(kind, day, expected):
	assert opinion.previous(kind, day) == expected
	assert kind in opinion.due_summaries(day)


def test_the_opinion_summary_counts_by_heat_source_and_response():
	events = [
		opinion.Event("YQ-1", "已回应", "微博", "高", ("甲局",), True, 1),
		opinion.Event("YQ-2", "已登记", "微博", "一般", ("甲局", "乙校")),
		opinion.Event("YQ-3", "已办结", "12345热线", "较高"),
	]
	s = opinion.summarise(events)
	assert (s.total, s.responded, s.to_leads, s.linked_items) == (3, 2, 1, 1)
	assert s.by_source == {"微博": 2, "12345热线": 1} and s.by_unit == {"甲局": 2, "乙校": 1}
	text = opinion.sentences("周报", date(2026, 11, 23), date(2026, 11, 29), s)
	assert "监测到涉及拖欠民营企业账款的舆情 3 件" in text[0] and "已回应 2 件" in text[1]
	assert (
		"未监测到" in opinion.sentences("月报", date(2026, 11, 1), date(2026, 11, 30), opinion.Summary())[0]
	)
	assert opinion.due_summaries(date(2026, 11, 27)) == []  # a Friday, not the first


def test_an_inspection_is_done_when_every_finding_is_rectified():
	assert inspections.status(False, [False]) == inspections.INSPECTING
	assert inspections.status(True, [True, False]) == inspections.RECTIFYING
	assert inspections.status(True, [True, True]) == inspections.DONE
	assert inspections.overdue(date(2026, 11, 1), None, TODAY)
	assert not inspections.overdue(date(2026, 11, 1), date(2026, 11, 2), TODAY)


def test_terms_the_contract_does_not_state_are_notes_not_findings():
	unstated = replace(CLEAN, acceptance_days=None, accepted_on=None, term_days=None)
	assert found(unstated) == []
	notes = contracts.notes(unstated, LIMITS, LPR)
	assert any("未约定验收期限" in n for n in notes) and any("按法定 30 日计" in n for n in notes)
	# a bill agreed without its term: noted, and the due date is not moved
	bill = replace(CLEAN, payment_method="承兑汇票", bills_agreed=True, bill_term_days=None)
	assert found(bill) == [] and any("未写明其期限" in n for n in contracts.notes(bill, LIMITS, LPR))
	# with no acceptance period, no due date can be set before acceptance
	assert contracts.due_date(replace(unstated, accepted_on=None), LIMITS) is None


def test_art9_periodic_settlement_runs_from_the_confirmed_amount():
	c = replace(CLEAN, term_from=contracts.SETTLEMENT, acceptance_days=None, accepted_on=None)
	assert contracts.due_date(c, LIMITS) is None  # not settled yet: not due
	assert contracts.due_date(replace(c, settled_on=date(2026, 7, 1)), LIMITS) == date(2026, 7, 31)
	# accepted without a recorded delivery: from the acceptance
	accepted = replace(CLEAN, delivered_on=None, accepted_on=date(2026, 5, 10))
	assert contracts.due_date(accepted, LIMITS) == date(2026, 6, 9)


def test_a_missing_contract_date_is_said_so():
	c = replace(CLEAN, contract_date=None)
	assert found(c) == []
	assert contracts.notes(c, LIMITS, LPR) == [
		"未填写合同订立日期，无法与当时的一年期 LPR 比较逾期利率（条例第十七条）"
	]
