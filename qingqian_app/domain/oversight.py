"""The clearing office's figures (工作方案二（一）应报尽报、二（二）定期通报化解进展):
what a summary row holds, how its rates are computed, how subsidiaries roll up into
their parent unit, and the overdue ages the ageing analysis groups by.

Pure Python. Which items a figure counts is one rule, ``ledger.counts_in_figures``
(stored on each item as ``counted_in_ledger``); the reports, the ledger printout and the
bulletin all total through it. Rates are computed from the sums, never averaged from the
rows' rates (a total row of Frappe's would average them unweighted).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from .money import yuan

PERCENT = Decimal("0.01")


def rate(part, whole) -> Decimal | None:
	"""A percentage to two decimals; None where there is nothing to divide by."""
	whole = Decimal(str(whole or 0))
	if whole == 0:
		return None
	return (Decimal(str(part or 0)) * 100 / whole).quantize(PERCENT, rounding=ROUND_HALF_UP)


@dataclass
class Tally:
	"""The measures of one row of the summary (拖欠民营企业账款台账汇总表), all additive."""

	items: int = 0
	cleared_items: int = 0  # nothing outstanding
	arrears_amount: Decimal = Decimal("0.00")
	repaid_amount: Decimal = Decimal("0.00")
	outstanding_amount: Decimal = Decimal("0.00")
	undisputed_amount: Decimal = Decimal("0.00")
	disputed_amount: Decimal = Decimal("0.00")
	disputed_items: int = 0
	migrant_wage_amount: Decimal = Decimal("0.00")
	migrant_wage_repaid: Decimal = Decimal("0.00")

	@classmethod
	def of(cls, row: dict) -> Tally:
		"""From a row of sums (a database row: ints, floats or Decimals, None for no rows)."""
		values = {}
		for f in fields(cls):
			v = row.get(f.name)
			values[f.name] = int(v or 0) if f.type == "int" else yuan(v)
		return cls(**values)

	def __add__(self, other: Tally) -> Tally:
		return Tally(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

	@property
	def amount_rate(self) -> Decimal | None:
		"""化解率（按金额）: repaid of owed."""
		return rate(self.repaid_amount, self.arrears_amount)

	@property
	def count_rate(self) -> Decimal | None:
		"""化解率（按笔数）: items with nothing outstanding of all items."""
		return rate(self.cleared_items, self.items)

	def as_dict(self) -> dict:
		out = {f.name: getattr(self, f.name) for f in fields(self)}
		out.update(amount_rate=self.amount_rate, count_rate=self.count_rate)
		return out


def roll_up(own: dict[str, Tally], parent_of: dict[str, str | None]) -> dict[str, Tally]:
	"""Each unit's own figures plus those of its subsidiaries at every level (全资、控股的
	各级子公司, 工作方案二（一）). ``parent_of`` names every unit's parent (None at the top)."""
	total = {unit: Tally() for unit in parent_of}
	for unit, tally in own.items():
		seen = set()
		while unit is not None and unit not in seen:  # a cycle would be a broken tree: stop
			seen.add(unit)
			total[unit] = total.get(unit, Tally()) + tally
			unit = parent_of.get(unit)
	return total


# 逾期账龄: days overdue, inclusive bounds; the last has no upper bound.
AGES = ((0, 30, "30日以内"), (31, 90, "31—90日"), (91, 180, "91—180日"), (181, 365, "181—365日"), (366, None, "365日以上"))  # fmt: skip


def age_of(overdue_days: int) -> str:
	"""The age group of an overdue item's days (an item overdue today is 1 day overdue)."""
	for low, high, label in AGES:
		if overdue_days >= low and (high is None or overdue_days <= high):
			return label
	raise ValueError(overdue_days)


def age_sql(column: str) -> str:
	"""The same groups as a SQL CASE over a column of days (for a GROUP BY)."""
	whens = " ".join(
		f"when {column} <= {high} then '{label}'" for low, high, label in AGES if high is not None
	)
	return f"case {whens} else '{AGES[-1][2]}' end"


# --- 线索办理情况 (工作方案二（三）; 条例第二十五条) ----------------------------------------

# The steps of a lead whose time is measured, in working days: (label, from, to).
LEAD_STEPS = (
	("受理至转办", "accepted_on", "transferred_on"),
	("转办至反馈核查结果", "transferred_on", "result_on"),
	("反馈至办结", "result_on", "closed_on"),
)


@dataclass
class LeadTally:
	"""How the leads of one group were handled; additive, averages from the sums."""

	received: int = 0
	rejected: int = 0
	transferred: int = 0
	transferred_late: int = 0  # transferred after the transfer deadline
	untransferred_overdue: int = 0  # not transferred yet and past the transfer deadline
	results: int = 0
	results_late: int = 0  # fed back after the handling deadline
	overdue_open: int = 0  # no result yet and past the handling deadline
	closed: int = 0
	out_of_scope: int = 0
	undisputed: int = 0
	disputed: int = 0
	into_ledger: int = 0
	step_days: tuple = (0,) * len(LEAD_STEPS)  # working days summed over the leads that took it
	step_count: tuple = (0,) * len(LEAD_STEPS)

	def __add__(self, other: LeadTally) -> LeadTally:
		out = LeadTally()
		for f in fields(self):
			a, b = getattr(self, f.name), getattr(other, f.name)
			setattr(
				out,
				f.name,
				tuple(x + y for x, y in zip(a, b, strict=False)) if isinstance(a, tuple) else a + b,
			)
		return out

	def average_days(self) -> list[Decimal | None]:
		return [
			(Decimal(d) / n).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) if n else None
			for d, n in zip(self.step_days, self.step_count, strict=False)
		]

	@property
	def on_time_rate(self) -> Decimal | None:
		"""按时反馈率: results fed back within the handling deadline, of those due or in."""
		return rate(self.results - self.results_late, self.results + self.overdue_open)

	@property
	def overdue_now(self) -> int:
		"""Leads past a time limit today: not transferred, or no result fed back."""
		return self.untransferred_overdue + self.overdue_open


def lead_tally(lead: dict, working_days, today) -> LeadTally:
	"""One lead's share. ``working_days(start, end)`` counts working days (the site calendar)."""
	from .complaints import DISPUTED, DONE, OUT_OF_SCOPE, REJECTED, UNDISPUTED

	t = LeadTally(received=1)
	state = lead.get("workflow_state")
	t.rejected = int(state == REJECTED)
	transfer_by, result_by = lead.get("transfer_deadline"), lead.get("handling_deadline")
	if lead.get("transferred_on"):
		t.transferred = 1
		t.transferred_late = int(bool(transfer_by) and lead["transferred_on"] > transfer_by)
	elif transfer_by and today > transfer_by and state != REJECTED:
		t.untransferred_overdue = 1
	if lead.get("result_on"):
		t.results = 1
		t.results_late = int(bool(result_by) and lead["result_on"] > result_by)
	elif result_by and today > result_by:
		t.overdue_open = 1
	t.closed = int(bool(lead.get("closed_on")) or state == DONE)
	outcome = lead.get("verification_result") if lead.get("result_on") else None
	t.out_of_scope, t.undisputed, t.disputed = (
		int(outcome == o) for o in (OUT_OF_SCOPE, UNDISPUTED, DISPUTED)
	)
	t.into_ledger = int(bool(lead.get("arrears_item")))
	days, count = [], []
	for _label, start, end in LEAD_STEPS:
		if lead.get(start) and lead.get(end):
			days.append(working_days(lead[start], lead[end]))
			count.append(1)
		else:
			days.append(0)
			count.append(0)
	t.step_days, t.step_count = tuple(days), tuple(count)
	return t
