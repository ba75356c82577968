"""Record numbers: 台账 QQ-2026-00001, 投诉线索 XS-2026-00001, 合同审查 HT-2026-00001 … — each kind of record counts on
its own, from 1 each year, without gaps (Frappe's Series table, locked while a record is
saved). Frappe's ``format:`` autoname shares one unnamed counter between every DocType that
uses it, so the controllers name their records here (``autoname``)."""

from __future__ import annotations

import frappe
from frappe.utils import cint, getdate, nowdate

PREFIX = {
	"Arrears Item": "QQ",
	"Complaint Lead": "XS",
	# prevention at the source (qingqian_app/prevention/)
	"Investment Project": "XM",
	"Contract Review": "HT",
	"Receivable Confirmation": "QR",
	"Public Opinion Event": "YQ",
	"Enforcement Inspection": "ZF",
}
DIGITS = 5


def series_key(doctype: str, year: int) -> str:
	return f"{PREFIX[doctype]}-{year}-"


def next_sequence(key: str) -> int:
	"""The next number of the counter ``key`` (1 the first time). One statement takes the
	counter row's exclusive lock, creating the row the first time: concurrent saves queue on
	it, and one rolled back gives its number back, so there are no gaps. (INSERT IGNORE then
	SELECT … FOR UPDATE would first take a shared lock and deadlock under concurrency: seen
	here with 20 parallel requests.) Used for record numbers and for 发文字号."""
	frappe.db.sql(
		"insert into `tabSeries` (`name`, `current`) values (%s, 1) on duplicate key update `current` = `current` + 1",
		key,
	)
	return cint(frappe.db.sql("select `current` from `tabSeries` where `name` = %s", key)[0][0])


def next_name(doctype: str) -> str:
	key = series_key(doctype, getdate(nowdate()).year)
	return f"{key}{next_sequence(key):0{DIGITS}d}"


def next_names(doctype: str, count: int) -> list[str]:
	"""``count`` consecutive names at once (a bulk import): the counter moves by ``count`` in
	one statement under the same lock, so nothing else takes a number in between."""
	if count < 1:
		return []
	key = series_key(doctype, getdate(nowdate()).year)
	frappe.db.sql(
		"insert into `tabSeries` (`name`, `current`) values (%s, %s) on duplicate key update `current` = `current` + %s",
		(key, count, count),
	)
	last = cint(frappe.db.sql("select `current` from `tabSeries` where `name` = %s", key)[0][0])
	return [f"{key}{n:0{DIGITS}d}" for n in range(last - count + 1, last + 1)]
