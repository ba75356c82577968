"""Jinja methods for the app's print formats (hooks.py ``jinja``)."""

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from qingqian_app.domain.documents import number_in_words
from qingqian_app.domain.rmb import capitals


def qingqian_capitals(amount, prefix: bool = False) -> str:
	"""{{ qingqian_capitals(doc.outstanding_amount, True) }} → 人民币…元…角…分"""
	return capitals(amount, prefix)


def qingqian_days_in_words(days) -> str:
	"""{{ qingqian_days_in_words(15) }} → 十五"""
	return number_in_words(int(days))


def qingqian_json(value) -> dict:
	"""{{ qingqian_json(doc.statistics) }}: a JSON field's value as a mapping (a string or one already)."""
	return value if isinstance(value, dict) else frappe.parse_json(value or "{}")


def qingqian_issued(kind: str, doc) -> dict:
	"""The register's entry of a document: its number once signed (签发), and its date —
	the day it was signed (成文日期), or today for a draft."""
	row = (
		frappe.db.get_value(
			"Issued Document",
			{"document_kind": kind, "reference_doctype": doc.doctype, "reference_name": doc.name},
			["document_number", "issued_on"],
			as_dict=True,
		)
		or frappe._dict()
	)
	return {
		"number": row.get("document_number"),
		"date": getdate(row.issued_on) if row.get("issued_on") else getdate(nowdate()),
	}


def qingqian_linked_doc(doctype: str, name: str):
	"""{{ qingqian_linked_doc(doc.reference_doctype, doc.reference_name) }}: a record a print
	format shows (the 督办函's item), loaded only when the reader may read it — a template
	never shows another unit's record to whoever may read the outer one. Nothing named: None."""
	if not (doctype and name):
		return None
	linked = frappe.get_doc(doctype, name)
	if not frappe.has_permission(doctype, "read", linked):
		frappe.throw(
			_("您无权查看{0}“{1}”，不能打印引用它的公文").format(_(doctype), name),
			frappe.PermissionError,
			title=_("没有权限"),
		)
	return linked
