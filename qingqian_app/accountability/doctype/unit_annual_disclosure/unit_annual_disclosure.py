# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""单位年度披露 (条例第十八条): the figures are the ledger's at the year's end, prepared by the
server until the unit records that it published them, then kept as published; the status
follows from the dates (qingqian_app.domain.disclosure)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, now_datetime, nowdate

from qingqian_app.accountability.disclosure import annual_figures
from qingqian_app.domain import disclosure as rules
from qingqian_app.domain.ledger import AGENCY_TYPES, Problem
from qingqian_app.workflow_guard import throw_problems

# who may correct a 公开日期 it has verified (a unit records only today's)
OFFICE_ROLES = frozenset({"Qingqian Office Head", "Qingqian Office Staff"})


class UnitAnnualDisclosure(Document):
	def validate(self):
		today = getdate(nowdate())
		found = []
		if self.unit_type not in AGENCY_TYPES:
			found.append(
				Problem("debtor_unit", _("年度公开由机关、事业单位填报（国有企业在企业年报中公示）"))
			)
		if not 2000 <= int(self.year or 0) <= today.year:
			found.append(Problem("year", _("年度无效")))
		before = None if self.is_new() else self.get_doc_before_save()
		late = rules.publication_date_problem(
			getdate(self.published_on) if self.published_on else None,
			getdate(before.published_on) if before and before.published_on else None,
			today,
			getdate(self.creation) if self.creation else today,
			office=frappe.session.user == "Administrator" or bool(OFFICE_ROLES & set(frappe.get_roles())),
		)
		if late:
			found.append(Problem("published_on", late))
		if self.published_on and not (self.published_where or "").strip():
			found.append(Problem("published_where", _("登记公开日期时须写明公开渠道或网址")))
		throw_problems(self, found, "年度公开信息有误")
		self.due_date = rules.annual_due_date(int(self.year))
		if before and before.published_on:  # as published: the figures stay
			self.overdue_contract_count, self.overdue_amount = (
				before.overdue_contract_count,
				before.overdue_amount,
			)
			self.prepared_on = before.prepared_on
		else:
			figures = annual_figures(self.debtor_unit, int(self.year))
			self.overdue_contract_count, self.overdue_amount = figures["count"], figures["amount"]
			self.prepared_on = now_datetime()
		published = getdate(self.published_on) if self.published_on else None
		self.status = rules.annual_status(published, self.due_date, today)
