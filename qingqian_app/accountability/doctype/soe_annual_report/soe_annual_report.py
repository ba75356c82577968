# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""国企年报核对 (条例第十八条; 市场监管局): the figures an SOE's annual report disclosed, checked
on every save against the ledger at the year's end (the same figures as the disclosure's)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, now_datetime, nowdate

from qingqian_app.accountability.disclosure import annual_figures
from qingqian_app.domain import disclosure as rules
from qingqian_app.domain.accountability import SOE
from qingqian_app.domain.ledger import Problem
from qingqian_app.workflow_guard import throw_problems


class SOEAnnualReport(Document):
	def validate(self):
		found = []
		if frappe.db.get_value("Debtor Unit", self.debtor_unit, "unit_type") != SOE:
			found.append(Problem("debtor_unit", _("只核对国有企业的年报")))
		if not 2000 <= int(self.year or 0) <= getdate(nowdate()).year:
			found.append(Problem("year", _("年度无效")))
		if int(self.disclosed_count or 0) < 0 or (self.disclosed_amount or 0) < 0:
			found.append(Problem("disclosed_amount", _("不能为负数")))
		throw_problems(self, found, "年报核对信息有误")
		ledger = annual_figures(self.debtor_unit, int(self.year))
		self.ledger_count, self.ledger_amount = ledger["count"], ledger["amount"]
		result = rules.compare(
			self.disclosed_count, self.disclosed_amount, self.ledger_count, self.ledger_amount
		)
		self.matches, self.difference, self.checked_on = int(result.matches), result.words(), now_datetime()
		if (
			not self.is_new()
			and self.accountability_action != self.get_doc_before_save().accountability_action
		):
			if not self.flags.ignore_permissions:
				self.accountability_action = self.get_doc_before_save().accountability_action
