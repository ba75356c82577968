"""进展通报 (工作方案二（二）“区清欠办定期通报化解进展情况”): the ranking of units by how far they
have cleared their arrears, and how each moved since the last bulletin issued. Pure Python.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from .oversight import Tally

DRAFT, ISSUED = "草稿", "已签发"
SIGN = "签发"


@dataclass(frozen=True)
class Ranked:
	unit: str
	rank: int
	amount_rate: Decimal | None
	overdue_outstanding: Decimal
	outstanding: Decimal
	rank_change: int | None = None  # places moved up (+) or down (-) since the last bulletin
	rate_change: Decimal | None = None  # percentage points since the last bulletin


def rank(
	by_unit: dict[str, Tally], overdue: dict[str, Decimal], before: dict[str, dict] | None = None
) -> list[Ranked]:
	"""Units ranked by clearance rate by amount (highest first), then by overdue outstanding
	(least first); units with nothing owed come last. ``before`` is the last issued bulletin's
	ranking ({unit: {"rank", "amount_rate"}}), for the change."""
	before = before or {}

	def order(unit):
		t = by_unit[unit]
		rate = t.amount_rate
		return (rate is None, -(rate or 0), overdue.get(unit, Decimal(0)), unit)

	out = []
	for i, unit in enumerate(sorted(by_unit, key=order), 1):
		t, was = by_unit[unit], before.get(unit)
		rate_change = None
		if was and was.get("amount_rate") is not None and t.amount_rate is not None:
			rate_change = t.amount_rate - Decimal(str(was["amount_rate"]))
		out.append(
			Ranked(
				unit=unit,
				rank=i,
				amount_rate=t.amount_rate,
				overdue_outstanding=overdue.get(unit, Decimal("0.00")),
				outstanding=t.outstanding_amount,
				rank_change=(int(was["rank"]) - i) if was else None,
				rate_change=rate_change,
			)
		)
	return out
