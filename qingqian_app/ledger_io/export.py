"""台账导出: the ledger list's current filters into the 台账 template's columns (the same
sheet the import reads back: export → edit in Excel → import changes only the edited rows).
Each user exports what the list shows them (frappe.get_list: the unit scope); read and
written a page at a time."""

from __future__ import annotations

import frappe

from qingqian_app.domain import ledger_import as li
from qingqian_app.ledger_io import sheets

PAGE = 2000
FIELDS = [
	"name", "workflow_state", "debtor_unit", "debtor_unit_type", "competent_unit", "enterprise", "arrears_category", "contract_no",
	"contract_name", "contract_amount", "agreed_payment_days", "due_date", "arrears_amount", "repaid_amount",
	"is_disputed", "disputed_amount", "involves_migrant_wages", "migrant_wage_amount", "in_judicial_process",
	"responsible_unit", "responsible_person_title", "planned_repay_date", "description",
]  # fmt: skip
YES, NO = "是", "否"


def rows(filters) -> iter:
	n = 0
	start = 0
	while True:
		page = frappe.get_list(
			"Arrears Item", filters=filters, fields=FIELDS, order_by="name asc", start=start, page_length=PAGE
		)
		if not page:
			return
		names = [r.name for r in page]
		enterprises = {
			e.name: e
			for e in frappe.get_all(
				"Enterprise",
				filters={"name": ["in", list({r.enterprise for r in page})]},
				fields=["name", "uscc", "enterprise_scale"],
			)
		}
		last_paid = dict(
			frappe.db.sql(
				"""select parent, max(payment_date) from `tabArrears Repayment`
				where parenttype = 'Arrears Item' and parent in %s group by parent""",
				(tuple(names),),
			)
		)
		for r in page:
			n += 1
			e = enterprises.get(r.enterprise) or frappe._dict()
			values = {
				**r,
				"uscc": e.uscc,
				"enterprise_scale": e.enterprise_scale,
				"repaid_on": last_paid.get(r.name),
				"is_disputed": YES if r.is_disputed else NO,
				"involves_migrant_wages": YES if r.involves_migrant_wages else NO,
				"in_judicial_process": YES if r.in_judicial_process else NO,
			}
			yield [n if c.kind == li.INDEX else values.get(c.exported or c.field) for c in li.EXPORT_COLUMNS]
		start += PAGE


def send(filename: str, header: list[str], body=(), notes=None):
	"""Answer the request with a workbook of ``header`` and ``body``'s rows (and 填写说明)."""
	frappe.response["filecontent"] = sheets.content(header, body, notes)
	frappe.response["type"] = "binary"
	frappe.response["filename"] = filename


@frappe.whitelist()
def export(filters=None):
	"""导出台账 (Excel, the template's columns) of the list's filters."""
	filters = frappe.parse_json(filters) if filters else {}
	send(
		f"拖欠民营企业账款台账-{frappe.utils.nowdate()}.xlsx",
		[c.header for c in li.EXPORT_COLUMNS],
		rows(filters),
	)


@frappe.whitelist()
def template():
	"""下载台账模板 (the template's columns, no rows), with 填写说明: which columns the user's
	import of new items takes (the workflow's declaration for the first state and the user's roles)."""
	from qingqian_app import workflow_guard

	allowed = None
	if frappe.session.user != "Administrator":
		rules = workflow_guard.rules_for("Arrears Item")
		allowed = frozenset(rules.editable(rules.initial_state, frozenset(frappe.get_roles())))
	send("拖欠民营企业账款台账模板.xlsx", [c.header for c in li.COLUMNS], notes=li.template_notes(allowed))
