"""Official documents are printed only where their words are true.

Each format in print_formats/ declares ``printable`` (states and a condition: rules in
qingqian_app.domain.documents). Frappe renders every print through the ``pdf_body_html``
hook — the desk's preview, the PDF download, mail attachments, printing several at once —
so the check sits there (hooks.py), and the register of issued documents asks the same
before a document is drafted or signed.
"""

from __future__ import annotations

import json
from functools import cache

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from qingqian_app.domain import documents
from qingqian_app.sync.definitions import REPO_ROOT


@cache
def declarations() -> dict[str, dict]:
	"""format.json of every document, by print format name (read once per process)."""
	out = {}
	for path in sorted((REPO_ROOT / "print_formats").glob("*/format.json")):
		meta = json.loads(path.read_text(encoding="utf-8"))
		out[meta["name"]] = meta
	return out


def kinds_of(doctype: str) -> dict[str, str]:
	"""Kind of document → print format, for the documents of ``doctype`` that are numbered."""
	return {
		m["document_kind"]: name
		for name, m in declarations().items()
		if m["doc_type"] == doctype and m.get("document_kind")
	}


def problem(print_format: str, doc) -> str | None:
	meta = declarations().get(print_format)
	if not meta:
		return None
	if meta["doc_type"] != doc.doctype:
		return _("“{0}”是{1}的公文，不能用于{2}").format(print_format, _(meta["doc_type"]), _(doc.doctype))
	return documents.printable_problem(print_format, meta.get("printable"), doc.as_dict(), getdate(nowdate()))


def check(print_format: str, doc):
	found = problem(print_format, doc)
	if found:
		frappe.throw(found, frappe.PermissionError, title=_("不能打印"))


def check_kind(kind: str, doc):
	print_format = kinds_of(doc.doctype).get(kind)
	if not print_format:
		frappe.throw(_("{0}没有“{1}”这种公文").format(_(doc.doctype), kind))
	check(print_format, doc)


def pdf_body_html(template, args, **kwargs):
	"""hooks.py ``pdf_body_html``: Frappe's own, after the document's check."""
	from frappe.utils.pdf import pdf_body_html as frappe_pdf_body_html

	print_format = kwargs.get("print_format")
	if print_format and args.get("doc") is not None:
		check(print_format.name, args["doc"])
	return frappe_pdf_body_html(template, args, **kwargs)
