# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""投诉线索: a thin controller over qingqian_app.domain.complaints."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, getdate, nowdate

from qingqian_app import settings
from qingqian_app.domain import complaints, ledger
from qingqian_app.domain.money import yuan
from qingqian_app.numbering import next_name
from qingqian_app.workflow_guard import step, throw_problems
from qingqian_app.working_calendar import site_calendar, warn_unknown_years


def limits() -> complaints.Limits:
	return settings.limits(
		complaints.Limits,
		{
			"transfer_working_days": "complaint_transfer_working_days",
			"result_days": "complaint_result_days",
			"result_max_days": "complaint_result_max_days",
		},
	)


class ComplaintLead(Document):
	def autoname(self):
		self.name = next_name(self.doctype)

	def after_insert(self):
		self.join_same_matter()

	def validate(self):
		if self.is_new():
			# the channel it came by, and a ledger item of the same matter, once it is registered
			self.append("reported_channels", {"channel": self.channel, "received_on": self.received_on})
			self.arrears_item = self.arrears_item or matching_item(self.as_dict())
		t = step(self)
		if t is not None:
			self.take_step(t.action)
		self.set_deadlines()

	def take_step(self, action: str):
		if action == "申请延期":
			throw_problems(
				self,
				complaints.extension_problems(
					cint(self.extension_days), cint(self.requested_extension_days), limits()
				),
				"延期申请",
			)
		self.arrears_item_state = (
			frappe.db.get_value("Arrears Item", self.arrears_item, "workflow_state")
			if self.arrears_item
			else None
		)
		problems = complaints.transition_problems(action, self.workflow_state, self.as_dict())
		throw_problems(self, problems, "投诉线索信息有误")
		if action == "受理":
			self.accepted_on = nowdate()
		elif action == "转办":
			self.transferred_on = nowdate()
		elif action == "批准延期":
			self.extension_days = cint(self.extension_days) + cint(self.requested_extension_days)
			self.requested_extension_days = 0
		elif action == "不予延期":
			self.requested_extension_days = 0
		elif action == "提交核查结果":
			self.result_on = nowdate()
			if self.verification_result in complaints.ITEM_OUTCOMES:
				self.link_ledger_item()
		elif action == "办结":
			self.closed_on = nowdate()

	def set_deadlines(self):
		d = complaints.deadlines(
			getdate(self.accepted_on) if self.accepted_on else None,
			getdate(self.transferred_on) if self.transferred_on else None,
			cint(self.extension_days),
			site_calendar(),
			limits(),
		)
		self.transfer_deadline, self.handling_deadline = d.transfer_by, d.result_by
		warn_unknown_years(d.unknown_years)

	# --- one matter, many channels; leads and the ledger -----------------------------------

	def join_same_matter(self):
		"""A lead that matches an open lead is linked to it, not counted again; the channel it
		came by is kept on the first lead (a matching ledger item is linked in before_insert)."""
		candidates = frappe.get_all(
			"Complaint Lead",
			filters={
				"enterprise": self.enterprise,
				"respondent_unit": self.respondent_unit,
				"duplicate_of": ["is", "not set"],
				"workflow_state": ["not in", list(complaints.CLOSED_STATES)],
			},
			fields=["name", "enterprise", "respondent_unit", "contract_no", "claimed_amount", "arrears_item"],
			order_by="creation asc",
			ignore_permissions=True,
		)
		mine = self.as_dict()
		master = next(
			(c for c in candidates if c.name != self.name and complaints.same_matter(mine, c)), None
		)
		if not master:
			return
		self.db_set({"duplicate_of": master.name, "arrears_item": self.arrears_item or master.arrears_item})
		first = frappe.get_doc("Complaint Lead", master.name)
		first.append(
			"reported_channels",
			{"channel": self.channel, "received_on": self.received_on, "complaint_lead": self.name},
		)
		first.flags.ignore_permissions = True
		first.save()

	def link_ledger_item(self):
		"""Outcomes 2 and 3: the debt goes into the ledger (or the matching item is linked) with
		everything the verification found, wages included, and is followed there until
		resolved. The item is reported by the verification itself, so it starts at the
		competent unit's review (摸排把关, 工作方案附件) like any other item."""
		if self.arrears_item:
			return
		values = complaints.ledger_item_values(self.as_dict())
		values["description"] = _("来自投诉线索 {0}：{1}").format(self.name, self.description or "")
		# registered by whoever registered the lead, so the handling unit's head may still
		# decide on it (nobody approves what they registered)
		item = frappe.get_doc({"doctype": "Arrears Item", **values})
		item.insert(ignore_permissions=True)
		item.db_set(
			{"workflow_state": complaints.ITEM_FIRST_STATE, "owner": self.owner}, update_modified=False
		)
		item.add_comment(
			"Workflow",
			_("{0}（投诉线索 {1} 核查结果：{2}，待主管部门审核入账）").format(
				complaints.ITEM_FIRST_STATE, self.name, self.verification_result
			),
		)
		self.arrears_item = item.name


def matching_item(lead: dict) -> str | None:
	rows = frappe.get_all(
		"Arrears Item",
		filters={
			"debtor_unit": lead.get("respondent_unit"),
			"enterprise": lead.get("enterprise"),
			"workflow_state": ["not in", list(ledger.FINAL_STATES)],
		},
		fields=["name", "contract_no", "arrears_amount"],
		ignore_permissions=True,
		limit_page_length=50,
	)
	for r in rows:
		item = {
			"enterprise": lead.get("enterprise"),
			"respondent_unit": lead.get("respondent_unit"),
			"contract_no": r.contract_no,
			"claimed_amount": yuan(r.arrears_amount),
		}
		if complaints.same_matter(lead, item):
			return r.name
	return None
