"""Finding records by a fragment of a Chinese name, fast at a million items, within the
user's permissions.

Frappe's link search matches ``LIKE '%…%'`` over every search field of the whole table
(2–3 s a keystroke on Arrears Item at 1,000,000 rows), and its global search relies on
MariaDB's full-text index, which has no Chinese word splitting ("宏达" finds nothing) and
checks only DocType-level permission. Here a fragment is matched against the small tables
of names (enterprises, debtor units) and the records are then reached through their
indexed link columns, or by record number; every query goes through ``frappe.get_list``,
so the user's unit scope applies. Wired in hooks.py: ``standard_queries`` (link fields)
and ``override_whitelisted_methods`` (the search bar's global search).
"""

from __future__ import annotations

import re

import frappe
from frappe import _
from frappe.utils import cint, flt, fmt_money, getdate, nowdate

from qingqian_app import numbering

# Records reached through the enterprise and unit they name (indexed link columns), with
# the columns shown beside each result.
LINKED = {
	"Arrears Item": {
		"enterprise": ("enterprise",),
		"unit": ("debtor_unit", "responsible_unit"),
		"show": ("enterprise", "debtor_unit", "outstanding_amount", "workflow_state"),
	},
	"Complaint Lead": {
		"enterprise": ("enterprise",),
		"unit": ("respondent_unit", "transferred_to"),
		"show": ("enterprise", "respondent_unit", "claimed_amount", "workflow_state"),
	},
	"Petition": {
		"enterprise": ("enterprise",),
		"unit": ("involved_unit",),
		"show": ("involved_unit", "enterprise", "workflow_state"),
	},
}
# Small tables searched by name directly.
NAMED = {"Enterprise": "enterprise_name", "Debtor Unit": "unit_name"}
SEARCHED = (*NAMED, *LINKED)
FIRST_YEAR = 2023  # the work plan's year


def _like(txt: str) -> str:
	return "%" + re.sub(r"([\\%_])", r"\\\1", txt) + "%"


def names_like(doctype: str, txt: str, limit: int = 200) -> list[str]:
	"""Enterprises or debtor units (that the user may see) whose name contains ``txt``."""
	return frappe.get_list(
		doctype, filters=[[NAMED[doctype], "like", _like(txt)]], pluck="name", order_by=None, limit=limit
	)


def record_names(doctype: str, txt: str) -> list[str]:
	"""Record numbers ``txt`` may mean: a prefix (QQ-2026-001…) or a bare number (123 →
	QQ-2026-00123 of each year)."""
	txt = txt.strip().upper()
	if txt.isdigit() and doctype in numbering.PREFIX:
		years = range(FIRST_YEAR, getdate(nowdate()).year + 1)
		return [f"{numbering.series_key(doctype, y)}{int(txt):0{numbering.DIGITS}d}" for y in years]
	return []


def find(
	doctype: str, txt: str, fields: list[str], filters=None, start: int = 0, limit: int = 20
) -> list[dict]:
	"""Records of ``doctype`` that ``txt`` names: by number, or by a fragment of the
	enterprise's or unit's name, the most recently changed first. One indexed query per way
	of matching; no full scan."""
	txt = (txt or "").strip()
	wanted = start + limit
	out: dict[str, dict] = {}

	def take(conditions):
		if len(out) >= wanted:
			return
		rows = frappe.get_list(
			doctype,
			filters=[*(filters or []), *conditions],
			fields=fields,
			order_by="modified desc",
			limit=wanted,
		)
		for r in rows:
			out.setdefault(r.name, r)

	if not txt:
		take([])
		return list(out.values())[start:wanted]
	numbers = record_names(doctype, txt)
	if numbers:
		take([["name", "in", numbers]])
	if re.fullmatch(r"[A-Za-z0-9-]+", txt):
		take([["name", "like", re.sub(r"([\\%_])", r"\\\1", txt.upper()) + "%"]])
	links = LINKED.get(doctype)
	if links:
		enterprises = names_like("Enterprise", txt)
		for field in links["enterprise"] if enterprises else ():
			take([[field, "in", enterprises]])
		units = names_like("Debtor Unit", txt)
		for field in links["unit"] if units else ():
			take([[field, "in", units]])
	elif doctype in NAMED:
		take([[NAMED[doctype], "like", _like(txt)]])
	return list(out.values())[start:wanted]


@frappe.whitelist()
@frappe.validate_and_sanitize_search_inputs
def link_query(doctype, txt, searchfield, start, page_len, filters, as_dict=False):
	"""hooks.py ``standard_queries``: what a link field offers as the user types."""
	show = LINKED[doctype]["show"]
	rows = find(doctype, txt, ["name", *show], _filters(doctype, filters), cint(start), cint(page_len))
	if as_dict:
		return rows
	return [(r.name, *(_shown(doctype, f, r.get(f)) for f in show)) for r in rows]


def _filters(doctype: str, filters) -> list:
	if isinstance(filters, dict):
		return [
			[doctype, k, "=", v] if not isinstance(v, list | tuple) else [doctype, k, *v]
			for k, v in filters.items()
		]
	return list(filters or [])


def _shown(doctype: str, fieldname: str, value):
	df = frappe.get_meta(doctype).get_field(fieldname)
	if df and df.fieldtype == "Currency":
		return fmt_money(flt(value), currency="CNY")
	return value


@frappe.whitelist()
def global_search(text: str, start=0, limit=20, doctype: str = ""):
	"""The search bar (``frappe.utils.global_search.search``): our records by a fragment of
	a Chinese name, scoped to what the user may see; other DocTypes as Frappe finds them."""
	from frappe.utils import global_search as frappe_global_search

	start, limit = cint(start), cint(limit) or 20
	ours = [dt for dt in SEARCHED if (not doctype or dt == doctype) and frappe.has_permission(dt, "read")]
	results = []
	for dt in ours:
		show = LINKED[dt]["show"] if dt in LINKED else (NAMED[dt],)
		for r in find(dt, text, ["name", *show], start=start, limit=limit):
			meta = frappe.get_meta(dt)
			content = " ||| ".join(
				f"{_(meta.get_label(f))} : {_shown(dt, f, r.get(f))}" for f in show if r.get(f) is not None
			)
			results.append(frappe._dict(doctype=dt, name=r.name, content=content, rank=1.0))
	if doctype in SEARCHED:
		return results
	others = frappe_global_search.search(text, start=start, limit=limit, doctype=doctype)
	return results + [r for r in others if r.doctype not in SEARCHED]
