# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""应收账款确权 (rules: qingqian_app.domain.receivables; workflow: workflows/receivable_confirmation.json):
the deadline is the request date plus the days of Qingqian Settings (30, 条例第十六条), watched by
the daily reminders and 督办 (time limit 应收账款确权); the answer is the unit head's, with the
confirmation letter printed (print_formats/receivable_confirmation_letter)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, getdate, nowdate

from qingqian_app.domain import receivables as rules
from qingqian_app.numbering import next_name
from qingqian_app.workflow_guard import step, throw_problems


class ReceivableConfirmation(Document):
	def autoname(self):
		self.name = next_name(self.doctype)

	def validate(self):
		values = self.as_dict()
		values["requested_on"] = getdate(self.requested_on) if self.requested_on else None
		throw_problems(self, rules.problems(values, getdate(nowdate())), "应收账款确权申请有误")
		before = self.get_doc_before_save()
		if before and str(before.requested_on) != str(self.requested_on):
			frappe.throw(
				_("申请日期：登记后不能修改（答复期限自申请之日起算）"), title=_("应收账款确权申请有误")
			)
		if not before and values["requested_on"]:  # the 30 days are fixed when the request is registered
			days = (
				cint(frappe.db.get_single_value("Qingqian Settings", "receivable_confirmation_days"))
				or rules.DAYS
			)
			self.deadline = rules.deadline(values["requested_on"], days)
		t = step(self)
		if t and t.action == rules.ANSWER:
			throw_problems(self, rules.answer_problems(values), t.action)
			self.answered_on, self.answered_by = nowdate(), frappe.session.user
