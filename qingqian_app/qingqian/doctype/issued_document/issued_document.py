# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""发文登记: office staff draft a document (拟稿); the office head signs it (签发; a 通报 the
working group's leader), never their own draft, and only then is it numbered: per 代字 and
year (domain.docnumber.series_key), without gaps or duplicates under concurrent signing.
Both steps are refused where the document's words are not true (qingqian_app.documents).
No one else can take a number."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, getdate, now_datetime, nowdate

from qingqian_app import documents
from qingqian_app.domain import docnumber
from qingqian_app.numbering import next_sequence

DRAFT, SIGNED = "拟稿", "已签发"


class IssuedDocument(Document):
	pass


def on_doctype_update():
	# document_number is unique (its field); one document of a kind per record
	frappe.db.add_unique("Issued Document", ["document_kind", "reference_doctype", "reference_name"])


def prefix_of(document_kind: str) -> str:
	"""The 代字 a kind of document is numbered under (Qingqian Settings)."""
	prefix = frappe.db.get_single_value("Qingqian Settings", docnumber.PREFIX_FIELD[document_kind])
	if not prefix:
		frappe.throw(_("请先在清欠设置中填写发文字号前缀"), title=_("发文字号"))
	return prefix


def _need_role(role: str, what: str):
	if frappe.session.user != "Administrator" and role not in frappe.get_roles():
		frappe.throw(_("只有{0}可以{1}").format(_(role), what), frappe.PermissionError, title=_("发文登记"))


def _register_row(document_kind, reference_doctype, reference_name):
	return frappe.db.get_value(
		"Issued Document",
		{
			"document_kind": document_kind,
			"reference_doctype": reference_doctype,
			"reference_name": reference_name,
		},
		["name", "status", "document_number", "drafted_by"],
		as_dict=True,
		for_update=True,
	)


def _checked(document_kind: str, reference_doctype: str, reference_name: str):
	if document_kind not in docnumber.PREFIX_FIELD:
		frappe.throw(_("未知的文书种类：{0}").format(document_kind))
	doc = frappe.get_doc(reference_doctype, reference_name)
	doc.check_permission("read")
	documents.check_kind(document_kind, doc)
	return doc


@frappe.whitelist(methods=["POST"])
def draft(document_kind: str, reference_doctype: str, reference_name: str) -> str:
	"""拟稿: register a document of ``document_kind`` for a record, unnumbered (or return the
	one registered before). Office staff only; refused where its words are not true."""
	_need_role(docnumber.DRAFTER, _("拟稿"))
	_checked(document_kind, reference_doctype, reference_name)
	# the record's row locked first: with no register row yet, two drafts at once would both
	# insert (the unique key refusing one); the second waits and returns the first's row
	frappe.db.get_value(reference_doctype, reference_name, "name", for_update=True)
	row = _register_row(document_kind, reference_doctype, reference_name)
	if row:
		return row.name
	return (
		frappe.get_doc(
			{
				"doctype": "Issued Document",
				"document_kind": document_kind,
				"status": DRAFT,
				"reference_doctype": reference_doctype,
				"reference_name": reference_name,
				"drafted_by": frappe.session.user,
				"drafted_on": now_datetime(),
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


@frappe.whitelist(methods=["POST"])
def sign(document_kind: str, reference_doctype: str, reference_name: str) -> str:
	"""签发: number the drafted document and return its number (the same one if signed
	before). The office head (a 通报: the working group's leader), not the drafter."""
	_need_role(docnumber.SIGNER[document_kind], _("签发“{0}”").format(document_kind))
	_checked(document_kind, reference_doctype, reference_name)
	row = _register_row(document_kind, reference_doctype, reference_name)
	if not row:
		frappe.throw(_("“{0}”尚未拟稿：请清欠办工作人员先拟稿").format(document_kind), title=_("签发"))
	if row.status == SIGNED:
		return row.document_number
	user = frappe.session.user
	if user != "Administrator" and user == row.drafted_by:
		frappe.throw(_("不能签发本人拟稿的公文"), frappe.PermissionError, title=_("签发"))
	prefix = prefix_of(document_kind)
	year = getdate(nowdate()).year
	sequence = next_sequence(docnumber.series_key(prefix, year))
	number = docnumber.document_number(prefix, year, sequence)
	frappe.db.set_value(
		"Issued Document",
		row.name,
		{
			"status": SIGNED,
			"year": year,
			"sequence": sequence,
			"document_number": number,
			"issued_by": user,
			"issued_on": now_datetime(),
		},
	)
	return number


@frappe.whitelist()
def register_of(reference_doctype: str, reference_name: str) -> list[dict]:
	"""The documents of a record for the desk's 公文 menu: each kind its formats declare,
	its register row, and whether this user may draft or sign it now."""
	doc = frappe.get_doc(reference_doctype, reference_name)
	doc.check_permission("read")
	roles = set(frappe.get_roles())
	out = []
	for kind, print_format in documents.kinds_of(reference_doctype).items():
		row = (
			frappe.db.get_value(
				"Issued Document",
				{
					"document_kind": kind,
					"reference_doctype": reference_doctype,
					"reference_name": reference_name,
				},
				["status", "document_number", "drafted_by"],
				as_dict=True,
			)
			or frappe._dict()
		)
		problem = documents.problem(print_format, doc)
		out.append(
			{
				"kind": kind,
				"print_format": print_format,
				"status": row.get("status"),
				"number": row.get("document_number"),
				"problem": problem,
				"may_draft": not problem and not row and docnumber.DRAFTER in roles,
				"may_sign": not problem
				and row.get("status") == DRAFT
				and docnumber.SIGNER[kind] in roles
				and row.get("drafted_by") != frappe.session.user,
			}
		)
	return out
