"""The ledger printout (台账): the rows a user may see under the list's filters, with totals,
as a landscape PDF from the print format 清欠台账 (print_formats/; page set up by its CSS).
Every matching row is listed (up to MAX_ROWS); the totals count only what counts in the
figures (ledger.counts_in_figures, stored as counted_in_ledger), and say how many do not."""

from __future__ import annotations

import frappe

from qingqian_app.pdf import render

FIELDS = [
	"name", "debtor_unit", "competent_unit", "enterprise", "arrears_category", "arrears_amount",
	"repaid_amount", "outstanding_amount", "due_date", "overdue_days", "workflow_state", "counted_in_ledger",
]  # fmt: skip
MAX_ROWS = 1000  # a printout, not an export (about 10 s of layout): totals cover every row


@frappe.read_only()  # a read replica serves it where the site has one (DESIGN: Scale)
def ledger_rows(filters: dict):
	rows = frappe.get_list(
		"Arrears Item", filters=filters, fields=FIELDS, order_by="debtor_unit asc, name asc",
		limit_page_length=MAX_ROWS,
	)  # fmt: skip
	listed = frappe.get_list("Arrears Item", filters=filters, fields=["count(*) as n"])[0].n
	counted = [*_as_list(filters), ["counted_in_ledger", "=", 1]]
	totals = frappe.get_list(
		"Arrears Item",
		filters=counted,
		fields=[
			"count(*) as count",
			"sum(arrears_amount) as arrears_amount",
			"sum(repaid_amount) as repaid_amount",
			"sum(outstanding_amount) as outstanding_amount",
		],
	)[0]
	totals.listed = listed
	return rows, totals


def ledger_html(filters=None) -> str:
	filters = frappe.parse_json(filters) if filters else {}
	rows, totals = ledger_rows(filters)
	pf = frappe.get_doc("Print Format", "清欠台账")
	body = frappe.render_template(pf.html, {"items": rows, "totals": totals, "scope": _scope_text(filters)})
	return f'<html><head><meta charset="utf-8"><style>{pf.css}</style></head><body>{body}</body></html>'


@frappe.whitelist()
def ledger_pdf(filters=None):
	"""Download the printout: /api/method/qingqian_app.printouts.ledger_pdf?filters=…"""
	frappe.has_permission("Arrears Item", "read", throw=True)
	frappe.local.response.filename = "清欠台账.pdf"
	frappe.local.response.filecontent = render(ledger_html(filters))
	frappe.local.response.type = "pdf"


LABELS = {"competent_unit": "主管部门", "debtor_unit": "欠款单位", "workflow_state": "状态"}


def _scope_text(filters) -> str:
	"""The list's simple filters, in words, for the printout's heading."""
	if not isinstance(filters, dict):
		return ""
	return "；".join(f"{LABELS.get(k, k)}：{v}" for k, v in filters.items() if isinstance(v, str))


def _as_list(filters) -> list:
	if isinstance(filters, dict):
		return [[k, *v] if isinstance(v, list | tuple) else [k, "=", v] for k, v in filters.items()]
	return list(filters or [])
