"""The oversight figures: rates from sums, roll-up of subsidiaries, overdue ages."""

from decimal import Decimal

import pytest

from qingqian_app.domain.oversight import AGES, Tally, age_of, age_sql, rate, roll_up


def test_rate_is_a_percentage_to_two_decimals_and_none_without_a_base():
	assert rate(1, 3) == Decimal("33.33")
	assert rate(2, 3) == Decimal("66.67")
	assert rate(Decimal("50.00"), Decimal("200.00")) == Decimal("25.00")
	assert rate(0, 0) is None
	assert rate(5, None) is None


def test_a_total_rate_weighs_by_amount_not_by_rows():
	big = Tally(items=1, arrears_amount=Decimal("1000000"), repaid_amount=Decimal("0"))
	small = Tally(items=1, arrears_amount=Decimal("100"), repaid_amount=Decimal("100"), cleared_items=1)
	total = big + small
	assert (big.amount_rate, small.amount_rate) == (Decimal("0.00"), Decimal("100.00"))
	# the unweighted mean of the rows' rates would say 50 %
	assert total.amount_rate == Decimal("0.01")
	assert total.count_rate == Decimal("50.00")


def test_tally_of_a_database_row_reads_none_as_zero_and_floats_exactly():
	t = Tally.of(
		{"items": 3, "arrears_amount": 0.1 + 0.2, "repaid_amount": None, "cleared_items": Decimal("2")}
	)
	assert t.items == 3 and t.cleared_items == 2
	assert t.arrears_amount == Decimal("0.30") and t.repaid_amount == Decimal("0.00")
	assert t.as_dict()["count_rate"] == Decimal("66.67")


def test_subsidiaries_roll_up_into_every_ancestor():
	parent_of = {"城投": None, "城投建设": "城投", "城投建设一公司": "城投建设", "机关": None}
	own = {
		"城投": Tally(items=1, arrears_amount=Decimal("10")),
		"城投建设一公司": Tally(items=2, arrears_amount=Decimal("5")),
		"机关": Tally(items=4, arrears_amount=Decimal("1")),
	}
	total = roll_up(own, parent_of)
	assert total["城投建设一公司"].items == 2
	assert total["城投建设"].items == 2  # no items of its own
	assert total["城投"].items == 3 and total["城投"].arrears_amount == Decimal("15.00")
	assert total["机关"].items == 4
	# the roots add up to the whole, each item once
	assert sum((total[u] for u, p in parent_of.items() if p is None), Tally()) == sum(own.values(), Tally())


def test_roll_up_stops_at_a_cycle_instead_of_looping():
	total = roll_up({"a": Tally(items=1)}, {"a": "b", "b": "a"})
	assert total["a"].items == 1 and total["b"].items == 1


@pytest.mark.parametrize(
	"days, label",
	[(1, "30日以内"), (30, "30日以内"), (31, "31—90日"), (90, "31—90日"), (91, "91—180日"),
	 (180, "91—180日"), (181, "181—365日"), (365, "181—365日"), (366, "365日以上"), (4000, "365日以上")],
)  # fmt: skip
def test_overdue_ages_have_inclusive_bounds(days, label):
	assert age_of(days) == label


def test_the_sql_groups_are_the_same_groups():
	sql = age_sql("d")
	for _low, high, label in AGES[:-1]:
		assert f"when d <= {high} then '{label}'" in sql
	assert sql.endswith(f"else '{AGES[-1][2]}' end")
	# contiguous, no gaps, no overlaps
	assert [low for low, _, _ in AGES[1:]] == [high + 1 for _, high, _ in AGES[:-1]]


def test_a_lead_is_late_when_its_step_came_after_the_deadline_or_has_not_come_by_today():
	from datetime import date, timedelta

	from qingqian_app.domain.oversight import LeadTally, lead_tally

	days = lambda a, b: (b - a).days  # noqa: E731  (calendar days stand in for working days)
	today = date(2026, 6, 30)
	on_time = lead_tally(
		{"workflow_state": "已办结", "accepted_on": date(2026, 6, 1), "transfer_deadline": date(2026, 6, 12),
		 "transferred_on": date(2026, 6, 5), "handling_deadline": date(2026, 7, 5), "result_on": date(2026, 6, 20),
		 "closed_on": date(2026, 6, 22), "verification_result": "未清偿且不存在争议", "arrears_item": "QQ-1"},
		days, today,
	)  # fmt: skip
	assert (on_time.transferred, on_time.transferred_late, on_time.results, on_time.results_late) == (
		1,
		0,
		1,
		0,
	)
	assert (on_time.closed, on_time.undisputed, on_time.into_ledger) == (1, 1, 1)
	assert on_time.step_days == (4, 15, 2) and on_time.step_count == (1, 1, 1)
	late = lead_tally(
		{"workflow_state": "核查中", "accepted_on": date(2026, 5, 1), "transfer_deadline": date(2026, 5, 15),
		 "transferred_on": date(2026, 5, 20), "handling_deadline": date(2026, 6, 19)},
		days, today,
	)  # fmt: skip
	assert (late.transferred_late, late.results, late.overdue_open, late.closed) == (1, 0, 1, 0)
	assert late.step_count == (1, 0, 0)
	waiting = lead_tally(
		{"workflow_state": "已受理", "accepted_on": today - timedelta(days=20), "transfer_deadline": today - timedelta(days=1)},
		days, today,
	)  # fmt: skip
	assert (waiting.transferred, waiting.transferred_late, waiting.untransferred_overdue) == (0, 0, 1)
	rejected = lead_tally({"workflow_state": "不予受理"}, days, today)
	assert (rejected.rejected, rejected.untransferred_overdue) == (1, 0)
	total = sum((on_time, late, waiting, rejected), LeadTally())
	assert total.received == 4 and total.step_days == (4 + 19, 15, 2) and total.step_count == (2, 1, 1)
	assert total.average_days()[0] == Decimal("11.5") and total.average_days()[1] == Decimal("15.0")
	assert total.on_time_rate == Decimal("50.00")
	assert (
		total.overdue_now == 2
	)  # waiting to be transferred, and late with its result  # one fed back in time, one overdue without a result


def test_working_days_between_counts_as_the_time_limits_do():
	from datetime import date

	from qingqian_app.domain.calendar import Calendar

	cal = Calendar(holidays=frozenset({date(2026, 10, 1)}), workdays=frozenset({date(2026, 10, 10)}))
	start = date(2026, 9, 30)  # a Wednesday
	end, _unknown = cal.add_working_days(start, 5)
	assert cal.working_days_between(start, end) == 5
	assert cal.working_days_between(start, start) == 0 and cal.working_days_between(end, start) == 0
	assert cal.working_days_between(date(2026, 10, 9), date(2026, 10, 10)) == 1  # a make-up Saturday


@pytest.mark.parametrize(
	"n, words",
	[(1, "一"), (10, "十"), (15, "十五"), (20, "二十"), (30, "三十"), (21, "二十一"), (99, "九十九")],
)
def test_days_are_written_in_words_as_documents_write_them(n, words):
	from qingqian_app.domain.documents import number_in_words

	assert number_in_words(n) == words
