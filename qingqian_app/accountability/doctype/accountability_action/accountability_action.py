# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""问责惩戒 (rules: qingqian_app.domain.accountability; the workflow: workflows/
accountability_action.json). Each measure's implementing unit is the member unit of its duty
unless the office names another of the same duty; the steps record who reviewed, decided and
lifted, and when; the unit's measures in force follow every change of state."""

from __future__ import annotations

import frappe
from frappe.model.document import Document
from frappe.utils import getdate, nowdate

from qingqian_app.accountability import actions
from qingqian_app.domain import accountability as rules
from qingqian_app.workflow_guard import step, throw_problems


class AccountabilityAction(Document):
	def validate(self):
		for row in self.measures:
			if row.measure and not row.implementing_unit:
				row.implementing_unit = actions.implementing_unit(row.measure)
			row.implementing_duty = (
				frappe.db.get_value("Member Unit", row.implementing_unit, "duty")
				if row.implementing_unit
				else None
			)
		for row in self.basis:  # as the ledger stands now (a lift for 欠款已清偿 reads them)
			item = frappe.db.get_value(
				"Arrears Item", row.arrears_item, ["debtor_unit", "enterprise", "outstanding_amount", "overdue_days"],
				as_dict=True,
			)  # fmt: skip
			if item:
				row.update(item)
		self.measures_text = "、".join(r.measure for r in self.measures if r.measure)[:140]
		throw_problems(self, rules.problems(self._values()), "惩戒决定有误")
		t = step(self)
		if t:
			throw_problems(self, rules.transition_problems(t.action, t.from_state, self._values()), t.action)
			self._record(t)

	def _values(self) -> dict:
		bounds = frappe.db.get_value("Debtor Unit", self.target_unit, ["lft", "rgt"], as_dict=True)
		units = (
			frappe.get_all(
				"Debtor Unit", filters={"lft": [">=", bounds.lft], "rgt": ["<=", bounds.rgt]}, pluck="name"
			)
			if bounds
			else []
		)
		return {
			"target_unit": self.target_unit,
			"target_units": set(units),
			"unit_type": self.unit_type,
			"basis": [
				{
					"arrears_item": r.arrears_item,
					"debtor_unit": r.debtor_unit,
					"outstanding_amount": r.outstanding_amount,
				}
				for r in self.basis
			],
			"measures": [
				{
					"measure": r.measure,
					"implementing_unit": r.implementing_unit,
					"implementing_duty": r.implementing_duty,
					"start_date": getdate(r.start_date) if r.start_date else None,
					"end_date": getdate(r.end_date) if r.end_date else None,
				}
				for r in self.measures
			],
			"legal_review": self.legal_review,
			"lift_reason": self.lift_reason,
			"lift_note": self.lift_note,
		}

	def _record(self, t):
		today, user = getdate(nowdate()), frappe.session.user
		if t.from_state == rules.REVIEW:
			self.reviewed_by, self.reviewed_on = user, today
		if t.action == rules.DECIDE:
			self.decided_by, self.decided_on = user, today
			for row in self.measures:
				row.start_date = row.start_date or today  # in force from the decision
		if t.action == rules.LIFT:
			self.lifted_on = today

	def on_update(self):
		if self.has_value_changed("workflow_state") or self.has_value_changed("target_unit"):
			before = self.get_doc_before_save()
			actions.refresh_units({self.target_unit, before.target_unit if before else self.target_unit})
