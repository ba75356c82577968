# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""执法检查 (rules: qingqian_app.domain.inspections): the units inspected and what was found in
each, linked to the contract, item or audit finding concerned; the status follows the findings'
rectification, recounted on save and daily (an overdue rectification shows in the list)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, nowdate

from qingqian_app.domain import inspections as rules
from qingqian_app.numbering import next_name


class EnforcementInspection(Document):
	def autoname(self):
		self.name = next_name(self.doctype)

	def validate(self):
		if self.inspected_to and getdate(self.inspected_to) < getdate(self.inspected_from):
			frappe.throw(_("检查结束日期：不能早于检查开始日期"), title=_("执法检查"))
		if self.concluded and not self.findings and not (self.summary or "").strip():
			frappe.throw(_("检查情况：检查结束时须写明检查情况或登记发现的问题"), title=_("执法检查"))
		for i, row in enumerate(self.findings, 1):
			if row.rectified_on and not (row.rectification_note or "").strip():
				frappe.throw(
					_("检查发现第 {0} 行：登记整改完成须写明整改情况").format(i), title=_("执法检查")
				)
		self.count(getdate(nowdate()))

	def count(self, today):
		day = lambda v: getdate(v) if v else None  # noqa: E731
		self.status = rules.status(bool(self.concluded), [bool(r.rectified_on) for r in self.findings])
		self.open_findings = sum(1 for r in self.findings if not r.rectified_on)
		self.overdue_findings = sum(
			1 for r in self.findings if rules.overdue(day(r.deadline), day(r.rectified_on), today)
		)


def daily():
	today = getdate(nowdate())
	for name in frappe.get_all(
		"Enforcement Inspection", filters={"status": ["!=", rules.DONE]}, pluck="name"
	):
		doc = frappe.get_doc("Enforcement Inspection", name)
		doc.count(today)
		doc.db_set("overdue_findings", doc.overdue_findings, update_modified=False)
