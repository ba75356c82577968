# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""强制披露: a snapshot taken when made and on demand while a draft, approved by the office
head (never the drafter) and frozen; approving or withdrawing it clears the public page's cache
(qingqian_app/accountability/disclosure.py)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, now_datetime, nowdate

from qingqian_app.accountability import disclosure as generator
from qingqian_app.domain import disclosure as rules
from qingqian_app.workflow_guard import step


class Disclosure(Document):
	def validate(self):
		if getdate(self.as_of_date) > getdate(nowdate()):
			frappe.throw(_("截至日期不能晚于今天"), title=_("强制披露"))
		if self.is_new() or (self.workflow_state or rules.DRAFT) == rules.DRAFT:
			if self.is_new() or self.has_value_changed("as_of_date"):
				generator.generate(self)
		t = step(self)
		if t and t.action == rules.APPROVE:
			self.approved_by, self.approved_on = frappe.session.user, now_datetime()

	def on_update(self):
		if self.has_value_changed("workflow_state") and rules.PUBLISHED in (
			self.workflow_state,
			(self.get_doc_before_save() or {}).get("workflow_state"),
		):
			# after the commit: a guest reading in between would cache the old one again
			frappe.db.after_commit.add(generator.clear_public_cache)


@frappe.whitelist(methods=["POST"])
def regenerate(name: str):
	"""重新生成 (a draft only, by the office staff who may edit it)."""
	doc = frappe.get_doc("Disclosure", name)
	doc.check_permission("write")
	if doc.workflow_state != rules.DRAFT:
		frappe.throw(_("只有草稿可以重新生成，已提交或已发布的披露内容冻结"), frappe.PermissionError)
	if "Qingqian Office Staff" not in frappe.get_roles() and frappe.session.user != "Administrator":
		frappe.throw(_("只有清欠办工作人员可以重新生成"), frappe.PermissionError)
	generator.generate(doc)
	doc.flags.ignore_permissions = True
	doc.save()
	return doc.generated_on
