from datetime import date
from decimal import Decimal as D

from qingqian_app.domain import complaints as c
from qingqian_app.domain.calendar import from_chinese_calendar

CAL = from_chinese_calendar()
L = c.Limits()


def names(found):
	return [p.fieldname for p in found]


def test_deadlines_in_working_days_and_days():
	d = c.deadlines(date(2026, 2, 13), date(2026, 3, 2), 0, CAL, L)
	assert d.transfer_by == date(2026, 3, 5)  # 10 working days across the Spring Festival
	assert d.result_by == date(2026, 4, 1)  # 30 days
	assert c.deadlines(None, date(2026, 3, 2), 60, CAL, L).result_by == date(2026, 5, 31)  # 90 at most
	assert c.deadlines(None, date(2026, 3, 2), 100, CAL, L).result_by == date(2026, 5, 31)


def test_extension_never_beyond_ninety_days():
	assert c.extension_problems(0, 60, L) == []
	found = c.extension_problems(30, 31, L)
	assert names(found) == ["extension_days"] and "最多还可延长 30 日" in found[0].message
	assert names(c.extension_problems(0, 0, L)) == ["extension_days"]


def test_exactly_one_outcome_with_its_required_field():
	assert names(c.outcome_problems({})) == ["verification_result"]
	assert names(c.outcome_problems({"verification_result": c.OUT_OF_SCOPE})) == [
		"out_of_scope_ground",
		"outcome_reason",
	]
	assert (
		c.outcome_problems(
			{
				"verification_result": c.OUT_OF_SCOPE,
				"out_of_scope_ground": c.GROUNDS[1],
				"outcome_reason": "法院已受理",
			}
		)
		== []
	)
	assert names(c.outcome_problems({"verification_result": c.UNDISPUTED, "verified_amount": 10})) == [
		"repay_deadline"
	]
	assert names(c.outcome_problems({"verification_result": c.DISPUTED, "verified_amount": 10})) == [
		"outcome_reason"
	]
	assert names(
		c.outcome_problems({"verification_result": c.UNDISPUTED, "repay_deadline": "2026-12-31"})
	) == ["verified_amount"]


def test_closing_a_lead_whose_item_is_not_cleared_is_refused():
	v = {"verification_result": c.UNDISPUTED, "feedback": "已告知", "arrears_item_state": "清偿中"}
	assert names(c.transition_problems("办结", "已办结", v)) == ["arrears_item"]
	assert c.transition_problems("办结", "已办结", {**v, "arrears_item_state": "已销号"}) == []


def test_same_matter_across_channels():
	a = {"enterprise": "甲", "respondent_unit": "乙", "contract_no": "HT-1", "claimed_amount": D(100)}
	assert c.same_matter(a, {**a, "claimed_amount": D(50)})  # same contract
	assert not c.same_matter(a, {**a, "contract_no": "HT-2"})
	b = {"enterprise": "甲", "respondent_unit": "乙", "claimed_amount": D(100000)}
	assert c.same_matter(b, {**b, "claimed_amount": D(100900)})  # within 1 %
	assert not c.same_matter(b, {**b, "claimed_amount": D(102000)})
	assert not c.same_matter(b, {**b, "respondent_unit": "丙"})
