# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""督办: opened, escalated and closed by the daily job (qingqian_app/oversight/supervision.py);
the clearing office writes only its notes."""

import frappe
from frappe import _
from frappe.model.document import Document

OFFICE_FIELDS = frozenset({"office_notes"})


class Supervision(Document):
	def validate(self):
		if self.flags.qingqian_job or frappe.session.user == "Administrator":
			return
		if self.is_new():
			frappe.throw(_("督办由系统每日按时限立案，不能手工新建"), frappe.PermissionError, title=_("督办"))
		before = self.get_doc_before_save()
		changed = [
			df for df in self.meta.fields
			if df.fieldname not in OFFICE_FIELDS and before and self.get(df.fieldname) != before.get(df.fieldname)
		]  # fmt: skip
		if changed:
			frappe.throw(
				_("由系统记录，不能修改：{0}").format("、".join(_(df.label) for df in changed)),
				frappe.PermissionError,
				title=_("督办"),
			)


def on_doctype_update():
	frappe.db.add_index("Supervision", ["reference_doctype", "reference_name"])
	frappe.db.add_index("Supervision", ["status", "reply_deadline"])
