"""The list view's index gains `modified` (filter by competent unit and state, newest
first); the two-column index it replaces is dropped."""

import frappe

from qingqian_app.qingqian.doctype.arrears_item.arrears_item import on_doctype_update


def execute():
	on_doctype_update()
	old = "competent_unit_workflow_state_index"
	if frappe.db.sql("show index from `tabArrears Item` where Key_name = %s", old):
		frappe.db.sql_ddl(f"alter table `tabArrears Item` drop index `{old}`")
