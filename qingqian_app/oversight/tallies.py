"""Aggregates kept up to date as items change (DocType Arrears Tally), so the summary reads a
few thousand rows instead of scanning a million items.

One row per combination of the dimensions a summary filters, groups or scopes by (DIMENSIONS)
holds the sums of figures.MEASURES over the counted items with those values. Every save or
deletion of an Arrears Item moves its contribution: the old one out, the new one in, in the
same transaction, as additions under the row's lock (two users at once add up, never
overwrite). Changes made in bulk by SQL (a unit marked suspended or moved to another
competent unit, a patch, the benchmark generator) rebuild the rows of the units they touch.
``rebuild()`` recomputes everything from the items; a test proves both ways agree.
"""

from __future__ import annotations

import hashlib

import frappe
from frappe.utils import now

from qingqian_app.domain.oversight import Tally
from qingqian_app.oversight.figures import MEASURES

DIMENSIONS = ("debtor_unit", "responsible_unit", "competent_unit", "debtor_unit_type", "arrears_category", "involves_migrant_wages")  # fmt: skip
TABLE = "`tabArrears Tally`"


def contribution(doc) -> tuple[tuple, Tally] | None:
	"""An item's share of the tallies (None when it does not count in the figures); the
	measures of figures.MEASURES, from the item's stored values."""
	if doc is None or not doc.get("counted_in_ledger"):
		return None
	key = tuple(doc.get(d) or ("" if d != "involves_migrant_wages" else 0) for d in DIMENSIONS)
	wages = doc.get("involves_migrant_wages")
	tally = Tally.of(
		{
			"items": 1,
			"cleared_items": int((doc.get("outstanding_amount") or 0) <= 0),
			"arrears_amount": doc.get("arrears_amount"),
			"repaid_amount": doc.get("repaid_amount"),
			"outstanding_amount": doc.get("outstanding_amount"),
			"undisputed_amount": doc.get("undisputed_amount"),
			"disputed_amount": doc.get("disputed_amount"),
			"disputed_items": int(bool(doc.get("is_disputed"))),
			"migrant_wage_amount": doc.get("migrant_wage_amount") if wages else 0,
			"migrant_wage_repaid": doc.get("migrant_wage_repaid"),
		}
	)
	return key, tally


def follow(doc, removed: bool = False):
	"""After an item is saved (or before it is deleted): move its contribution."""
	before = None if removed else doc.get_doc_before_save()
	old, new = contribution(before if not removed else doc), None if removed else contribution(doc)
	if old == new:
		return
	changes: dict[tuple, Tally] = {}
	if old:
		changes[old[0]] = changes.get(old[0], Tally()) + negative(old[1])
	if new:
		changes[new[0]] = changes.get(new[0], Tally()) + new[1]
	for key in sorted(changes):  # one order of locks for every transaction
		add(key, changes[key])


def negative(t: Tally) -> Tally:
	return Tally(**{k: -v for k, v in vars(t).items()})


def row_name(key: tuple) -> str:
	return hashlib.md5("\x1f".join(map(str, key)).encode()).hexdigest()


def add(key: tuple, t: Tally):
	measures = vars(t)
	columns = ["name", "creation", "modified", "owner", "modified_by", *DIMENSIONS, *measures]
	stamp = now()
	values = [row_name(key), stamp, stamp, "Administrator", "Administrator", *key, *measures.values()]
	updates = ", ".join(f"{m} = {m} + values({m})" for m in measures)
	frappe.db.sql(
		f"""insert into {TABLE} ({", ".join(columns)}) values ({", ".join(["%s"] * len(values))})
		on duplicate key update {updates}, modified = values(modified)""",
		values,
	)


def rebuild(where: str = "1 = 1", values: dict | None = None):
	"""Recompute the tallies of the items matching ``where`` (over `tabArrears Item` i joined
	to its `tabDebtor Unit` u), whole units at a time: the rows of those units are replaced."""
	values = values or {}
	units = f"""select distinct i.debtor_unit from `tabArrears Item` i
		join `tabDebtor Unit` u on u.name = i.debtor_unit where {where}"""
	if where == "1 = 1":
		frappe.db.sql(f"delete from {TABLE}")
		scope = "1 = 1"
	else:
		names = [r[0] for r in frappe.db.sql(units, values)]
		if not names:
			return
		frappe.db.sql(f"delete from {TABLE} where debtor_unit in %(units)s", {"units": tuple(names)})
		scope, values = "i.debtor_unit in %(units)s", {"units": tuple(names)}
	stamp = frappe.db.escape(now())
	dims = ", ".join(
		f"coalesce(i.{d}, {0 if d == 'involves_migrant_wages' else repr('')})" for d in DIMENSIONS
	)
	frappe.db.sql(
		f"""insert into {TABLE} (name, creation, modified, owner, modified_by, {", ".join(DIMENSIONS)},
			{", ".join(MEASURES)})
		select md5(concat_ws(char(31), {dims})), {stamp}, {stamp}, 'Administrator', 'Administrator',
			{dims}, {", ".join(MEASURES.values())}
		from `tabArrears Item` i
		where i.counted_in_ledger = 1 and {scope}
		group by {dims}""",
		values,
	)
