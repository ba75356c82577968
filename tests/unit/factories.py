"""Shared factories of the unit tests (no Frappe)."""

from datetime import date
from decimal import Decimal as D

from qingqian_app.domain import ledger

LIMITS = ledger.Limits()
PRIVATE = "91310110666007217T"
TODAY = date(2026, 11, 26)


def item(**kw) -> ledger.Item:
	"""A ledger item of a 机关 owing a private enterprise for works, with what ``kw`` changes."""
	base = dict(
		debtor_type="机关",
		debtor_suspended=False,
		enterprise_uscc=PRIVATE,
		arrears_category="工程",
		arrears_amount=D("100000"),
	)
	base.update(kw)
	return ledger.Item(**base)
