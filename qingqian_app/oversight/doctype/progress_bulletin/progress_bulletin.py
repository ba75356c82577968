# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""进展通报: generated as a snapshot (qingqian_app/oversight/bulletins.py) when made and on
demand while a draft; at 签发 numbered in the register (the leader signs, never the drafter)
and frozen: the workflow lets nobody edit it, the snapshot is never taken again."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from qingqian_app.domain import bulletins
from qingqian_app.oversight import bulletins as generator
from qingqian_app.workflow_guard import step

KIND = "清欠工作进展情况通报"


class ProgressBulletin(Document):
	def validate(self):
		if getdate(self.period_start) > getdate(self.period_end):
			frappe.throw(_("通报期起不能晚于截至日期"), title=_("进展通报"))
		t = step(self)
		if t and t.action == bulletins.SIGN:
			self.document_number = sign(self)

	def after_insert(self):
		generator.generate(self)
		self.db_update()

	def on_trash(self):
		frappe.db.delete("Bulletin Item", {"bulletin": self.name})


def sign(doc) -> str:
	"""Register the bulletin as drafted by whoever made it and sign it as the current user
	(the register checks the signer's role and that it is not the drafter)."""
	from qingqian_app.qingqian.doctype.issued_document import issued_document as register

	if not frappe.db.exists("Issued Document", {"document_kind": KIND, "reference_name": doc.name}):
		frappe.get_doc(
			{
				"doctype": "Issued Document",
				"document_kind": KIND,
				"status": register.DRAFT,
				"reference_doctype": doc.doctype,
				"reference_name": doc.name,
				"drafted_by": doc.owner,
				"drafted_on": frappe.utils.now_datetime(),
			}
		).insert(ignore_permissions=True)
	return register.sign(KIND, doc.doctype, doc.name)


@frappe.whitelist(methods=["POST"])
def regenerate(name: str):
	"""重新生成数字 (a draft only; by those who may edit it)."""
	doc = frappe.get_doc("Progress Bulletin", name)
	doc.check_permission("write")
	if "Qingqian Office Staff" not in frappe.get_roles() and frappe.session.user != "Administrator":
		frappe.throw(_("只有清欠办工作人员可以重新生成通报数字"), frappe.PermissionError)
	generator.generate(doc)
	doc.db_update()
	return doc.generated_on
