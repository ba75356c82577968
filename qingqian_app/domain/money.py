"""Money as the ledger counts it: yuan with two decimals (分), rounded half up."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


def yuan(value) -> Decimal:
	"""A Decimal of yuan to the 分, from a float, str, int or None (a site's Currency value)."""
	if value is None or value == "":
		return Decimal("0.00")
	if isinstance(value, float):
		value = repr(value)
	return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def fmt(value) -> str:
	"""1234567.5 → '1,234,567.50' (figures as a message shows them)."""
	return f"{yuan(value):,.2f}"
