# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""回访评价 (rules: qingqian_app.domain.portal): the enterprise's rating of a closed matter, made
on the portal (enterprise_portal.api.rate) and never typed in the desk. What it rates is taken
from the lead, not from the user; the rating is the enterprise's and never changes. 不满意 goes
to the clearing office: its staff are assigned the rating at once, and a review not written by
the deadline is supervised like any time limit (oversight.supervision)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cstr, getdate, nowdate

from qingqian_app.domain import portal
from qingqian_app.workflow_guard import throw_problems
from qingqian_app.working_calendar import site_calendar


class HandlingRating(Document):
	def validate(self):
		if self.is_new():
			self.take_from_lead()
		else:
			self.keep_fixed()
		self.record_review()

	def take_from_lead(self):
		lead = frappe.db.get_value(
			"Complaint Lead",
			self.complaint_lead,
			["name", "workflow_state", "enterprise", "transferred_to", "respondent_unit", "arrears_item"],
			as_dict=True,
		)
		if not lead:
			frappe.throw(_("诉求（投诉线索）：没有这条诉求"), title=_("评价有误"))
		rated_before = bool(frappe.db.exists("Handling Rating", {"complaint_lead": lead.name}))
		throw_problems(
			self,
			portal.rating_problems(self.rating, self.reasons, lead.workflow_state, rated_before),
			_("评价有误"),
		)
		self.enterprise = lead.enterprise
		self.arrears_item = lead.arrears_item
		item_unit = (
			frappe.db.get_value("Arrears Item", lead.arrears_item, "debtor_unit")
			if lead.arrears_item
			else None
		)
		self.unit = item_unit or lead.transferred_to or lead.respondent_unit
		self.competent_unit = (
			frappe.db.get_value("Debtor Unit", self.unit, "competent_unit") if self.unit else None
		)
		self.reasons = (self.reasons or "").strip()
		self.rated_on = nowdate()
		self.rated_by = self.rated_by or frappe.session.user
		self.review_status = portal.review_status(self.rating)
		if self.review_status == portal.TO_REVIEW:
			self.review_deadline, _unknown = site_calendar().add_working_days(
				getdate(self.rated_on), portal.REVIEW_WORKING_DAYS
			)

	def keep_fixed(self):
		"""What the enterprise wrote, what it rated and who reviewed it (the DocType's read-only
		fields) never come from a user; the review sets its own below."""
		before = self.get_doc_before_save()
		fixed = [df.fieldname for df in self.meta.fields if df.read_only]
		changed = [f for f in fixed if cstr(self.get(f)) != cstr(before.get(f))]
		if changed:
			labels = "、".join(_(self.meta.get_label(f)) for f in changed)
			frappe.throw(_("{0}：企业的评价和评价对象不能修改").format(labels), title=_("评价有误"))
		if before.review_status == portal.REVIEWED and cstr(self.review_result) != cstr(before.review_result):
			frappe.throw(_("复核结果：已复核的评价不能再改"), title=_("评价有误"))

	def record_review(self):
		result = (self.review_result or "").strip()
		if result and self.review_status == portal.NO_REVIEW:
			frappe.throw(_("复核结果：满意和基本满意的评价无需复核"), title=_("评价有误"))
		if result and self.review_status == portal.TO_REVIEW:
			if len(result) < 5:
				frappe.throw(
					_("复核结果：请写明复核发现的问题和处理情况（至少 5 个字）"), title=_("评价有误")
				)
			self.review_result = result
			self.review_status = portal.REVIEWED
			self.reviewed_by, self.reviewed_on = frappe.session.user, nowdate()

	def after_insert(self):
		if self.review_status == portal.TO_REVIEW:
			from qingqian_app.oversight.supervision import assign_office

			assign_office(
				self.doctype,
				self.name,
				_("企业不满意，请于 {0} 前复核：{1}（{2}）").format(
					self.review_deadline, self.enterprise, self.unit
				),
				self.review_deadline,
			)

	def on_update(self):
		if self.has_value_changed("review_status") and self.review_status == portal.REVIEWED:
			from qingqian_app.enterprise_portal.mail import rating_reviewed

			rating_reviewed(self)
