# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""发文登记: a number is given when a document is issued, not when it is drafted; per 代字
and year (see domain.docnumber.series_key), without gaps or duplicates under concurrent
issue; reissuing gives the same."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, getdate, now_datetime, nowdate

from qingqian_app.domain import docnumber


class IssuedDocument(Document):
	pass


def on_doctype_update():
	# document_number is unique (its field); one number per kind of document and record
	frappe.db.add_unique("Issued Document", ["document_kind", "reference_doctype", "reference_name"])


def _next_sequence(key: str) -> int:
	"""One statement takes the counter row's exclusive lock (creating the row the first
	time): concurrent issues queue on it, and a rolled-back issue rolls its number back,
	so there are no gaps. (INSERT IGNORE then SELECT … FOR UPDATE would first take a shared
	lock and deadlock under concurrency: seen here with 20 parallel requests.)"""
	frappe.db.sql(
		"insert into `tabSeries` (`name`, `current`) values (%s, 1) on duplicate key update `current` = `current` + 1",
		key,
	)
	return cint(frappe.db.sql("select `current` from `tabSeries` where `name` = %s", key)[0][0])


@frappe.whitelist(methods=["POST"])
def issue(document_kind: str, reference_doctype: str, reference_name: str) -> str:
	"""Issue a document for a record and return its number (the same one if issued before)."""
	if document_kind not in docnumber.PREFIX_FIELD:
		frappe.throw(_("未知的文书种类：{0}").format(document_kind))
	frappe.get_doc(reference_doctype, reference_name).check_permission("write")
	existing = frappe.db.get_value(
		"Issued Document",
		{
			"document_kind": document_kind,
			"reference_doctype": reference_doctype,
			"reference_name": reference_name,
		},
		"document_number",
	)
	if existing:
		return existing
	prefix = frappe.db.get_single_value("Qingqian Settings", docnumber.PREFIX_FIELD[document_kind])
	if not prefix:
		frappe.throw(_("请先在清欠设置中填写发文字号前缀"), title=_("发文字号"))
	year = getdate(nowdate()).year
	sequence = _next_sequence(docnumber.series_key(prefix, year))
	number = docnumber.document_number(prefix, year, sequence)
	frappe.get_doc(
		{
			"doctype": "Issued Document",
			"document_kind": document_kind,
			"year": year,
			"sequence": sequence,
			"document_number": number,
			"reference_doctype": reference_doctype,
			"reference_name": reference_name,
			"issued_by": frappe.session.user,
			"issued_on": now_datetime(),
		}
	).insert(ignore_permissions=True)
	return number
