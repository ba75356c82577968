"""Prints show stored records only, never a document the caller wrote.

``frappe.www.printview.get_html_and_style`` and ``get_rendered_raw_commands`` (Frappe
v15) take the whole document as JSON when no ``name`` is given, build it with
``frappe.get_doc(json)`` and check read permission on *that* object: any field can be
made up, so a print format that loads a linked record (the 督办函 loads its item) or
looks up the register by the document's name rendered another unit's record to anyone
with read on the outer DocType. The desk's print preview sends the form's document this
way, so the JSON is not refused: its DocType and name are taken from it and the stored
record is printed (and its read permission checked by Frappe, which then runs the
record's ``has_permission`` hook); a document that is not stored (unsaved, or a name that
does not exist) is refused. Wired in hooks.py ``override_whitelisted_methods``.

``frappe.utils.print_format.download_pdf`` / ``download_multi_pdf`` / ``print_by_server``
and ``/printview`` load the record by name (a ``doc`` given over HTTP is a string, which
they fail on), so they need nothing here.
"""

from __future__ import annotations

import json

import frappe
from frappe import _


def stored(doc, name=None) -> tuple[str, str]:
	"""(doctype, name) of the stored record to print for the ``doc``/``name`` arguments."""
	if isinstance(name, str) and name:
		return doc, name
	data = doc if isinstance(doc, dict) else json.loads(doc or "{}")
	if not isinstance(data, dict):
		frappe.throw(_("打印参数“doc”无效"), frappe.ValidationError)
	doctype, docname = data.get("doctype"), data.get("name")
	if not (isinstance(doctype, str) and doctype and frappe.db.exists("DocType", doctype)):
		frappe.throw(_("打印参数“doc”没有有效的单据类型"), frappe.ValidationError)
	meta = frappe.get_meta(doctype)
	if meta.issingle:
		return doctype, doctype
	if (
		not isinstance(docname, str | int)
		or data.get("__islocal")
		or meta.istable
		or not frappe.db.exists(doctype, docname)
	):
		frappe.throw(
			_("只能打印已保存的{0}，请先保存再打印").format(_(doctype)),
			frappe.PermissionError,
			title=_("不能打印"),
		)
	return doctype, str(docname)


@frappe.whitelist()
def get_html_and_style(
	doc: str,
	name: str | None = None,
	print_format: str | None = None,
	no_letterhead: bool | None = None,
	letterhead: str | None = None,
	trigger_print: bool = False,
	style: str | None = None,
	settings: str | None = None,
):
	"""``frappe.www.printview.get_html_and_style`` of the stored record. A document its state
	does not allow (qingqian_app/documents.py) previews as the reason, in Chinese, in place of
	the previous format's preview (the desk keeps that on an error); its PDF and print refuse."""
	from frappe.www import printview

	from qingqian_app import documents

	doctype, docname = stored(doc, name)
	if print_format and print_format in documents.declarations():
		record = frappe.get_doc(doctype, docname)
		record.check_permission("print")
		found = documents.problem(print_format, record)
		if found:
			return {"html": not_printable_html(print_format, found), "style": ""}
	return printview.get_html_and_style(
		doctype,
		docname,
		print_format=print_format,
		no_letterhead=no_letterhead,
		letterhead=letterhead,
		trigger_print=trigger_print,
		style=style,
		settings=settings,
	)


@frappe.whitelist()
def get_rendered_raw_commands(doc: str, name: str | None = None, print_format: str | None = None):
	"""``frappe.www.printview.get_rendered_raw_commands`` of the stored record."""
	from frappe.www import printview

	doctype, docname = stored(doc, name)
	return printview.get_rendered_raw_commands(doctype, docname, print_format=print_format)


def not_printable_html(print_format: str, reason: str) -> str:
	"""The print preview of a document that cannot be printed now: what and why."""
	esc = frappe.utils.escape_html
	return (
		'<div style="padding: 3em 2em; text-align: center; font-size: 16px;">'
		f"<p><b>{esc(_('不能打印“{0}”').format(print_format))}</b></p>"
		f'<p style="color: #b52a2a;">{esc(reason)}</p>'
		f"<p>{esc(_('请在左侧“打印格式”中选择其他格式。'))}</p></div>"
	)
