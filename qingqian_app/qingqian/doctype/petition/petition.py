# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""信访事项: registered by 信访局, sent at once to the unit concerned and to the clearing
office (工作方案附件), both notified; it can open or join a complaint lead."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import nowdate

from qingqian_app.permissions import users_of_unit
from qingqian_app.workflow_guard import step

OFFICE_ROLES = ("Qingqian Office Head", "Qingqian Office Staff")
OPEN_LEAD_ROLES = frozenset({"Petition Officer", "Complaint Intake Officer", *OFFICE_ROLES})


class Petition(Document):
	def validate(self):
		t = step(self)
		if t and t.action == "转送":
			self.transferred_on = nowdate()
			self.flags.notify = True
		if t and t.action == "答复":
			if not (self.reply or "").strip():
				frappe.throw(_("答复情况：请填写答复情况"), title=_("信访事项"))
			self.replied_on = nowdate()

	def on_update(self):
		if self.flags.notify:
			notify_transfer(self)

	@frappe.whitelist(methods=["POST"])
	def open_lead(self):
		"""Open a complaint lead from this petition, or join the open lead of the same matter:
		for those who register petitions or leads (信访局, 民营经济局) and the clearing office."""
		self.check_permission("read")
		if not set(frappe.get_roles()) & OPEN_LEAD_ROLES:
			frappe.throw(_("只有信访局、民营经济局和清欠办可将信访事项转为投诉线索"), frappe.PermissionError)
		# the petition's row locked: two clicks at once make one lead, the second returns it
		lead_name = frappe.db.get_value("Petition", self.name, "complaint_lead", for_update=True)
		if lead_name:
			self.complaint_lead = lead_name
			return lead_name
		lead = frappe.get_doc(
			{
				"doctype": "Complaint Lead",
				"channel": "信访局转送",
				"received_on": self.received_on,
				"enterprise": self.enterprise,
				"respondent_unit": self.involved_unit,
				"claimed_amount": self.claimed_amount,
				"description": self.content,
				"complainant_name": self.petitioner_name,
				"complainant_phone": self.petitioner_phone,
			}
		).insert(ignore_permissions=True)
		self.db_set("complaint_lead", lead.duplicate_of or lead.name)
		self.db_set("arrears_item", lead.arrears_item)
		return self.complaint_lead


def notify_transfer(doc):
	from frappe.desk.doctype.notification_log.notification_log import enqueue_create_notification

	office = {
		u
		for role in OFFICE_ROLES
		for u in frappe.get_all("Has Role", filters={"role": role, "parenttype": "User"}, pluck="parent")
	}
	users = sorted((office | set(users_of_unit(doc.involved_unit))) - {"Administrator"})
	if users:
		enqueue_create_notification(
			users,
			{
				"type": "Alert",
				"document_type": doc.doctype,
				"document_name": doc.name,
				"subject": _("信访事项 {0} 已转送 {1}，请办理并答复").format(doc.name, doc.involved_unit),
				"from_user": frappe.session.user,
			},
		)
