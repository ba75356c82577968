# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""政府投资项目 (rules: qingqian_app.domain.projects; workflow: workflows/investment_project.json):
registered by 发改局 with its funding plan; each source confirmed by the finance department
(duty 财政) through ``confirm_source``; 批准开工 refused on the server until every source is
confirmed and the whole investment covered. The arrears under the project are its ledger items
(Arrears Item.investment_project), counted by the ledger's own rule."""

from __future__ import annotations

from decimal import Decimal

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, nowdate

from qingqian_app.domain import projects as rules
from qingqian_app.numbering import next_name
from qingqian_app.permissions import confirms_funding
from qingqian_app.workflow_guard import step, throw_problems

CONFIRMATION = ("confirmed", "confirmation_document", "confirmed_by", "confirmed_on")


class InvestmentProject(Document):
	def autoname(self):
		self.name = next_name(self.doctype)

	def validate(self):
		self._keep_confirmations()
		sources, total = sources_of(self), total_of(self)
		throw_problems(self, rules.problems(total, sources), "政府投资项目信息有误")
		t = step(self)
		if t and t.action == rules.START:
			throw_problems(self, rules.start_problems(total, sources), t.action)
			self.started_on = self.started_on or nowdate()
		self.confirmed_amount = rules.confirmed_amount(sources)
		self.funding_confirmed = int(rules.funded(total, sources))
		self.refresh_arrears()

	def _keep_confirmations(self):
		"""A confirmation is the finance department's, of one source as it stood: a row whose
		type or amount changed since loses it; only ``confirm_source`` sets it."""
		before = {
			r.name: r for r in (self.get_doc_before_save() or frappe._dict()).get("funding_sources") or []
		}
		for row in self.funding_sources:
			was = before.get(row.name)
			same = was and was.source_type == row.source_type and flt(was.amount, 2) == flt(row.amount, 2)
			if self.flags.get("qingqian_confirming") == row.name:
				continue
			for f in CONFIRMATION:
				row.set(f, was.get(f) if same else None)
			row.confirmed = int(bool(same and was.confirmed))

	def refresh_arrears(self):
		row = frappe.db.sql(
			"""select count(*), coalesce(sum(outstanding_amount), 0) from `tabArrears Item`
			where investment_project = %s and counted_in_ledger = 1""",
			self.name,
		)[0]
		self.arrears_count, self.arrears_outstanding = int(row[0]), flt(row[1], 2)
		self.project_flags = "、".join(
			rules.flags(
				self.workflow_state, total_of(self), sources_of(self),
				self.owner_unit_type, bool(self.repayment_in_budget), Decimal(str(self.arrears_outstanding)),
				self.started_on,
			)
		)  # fmt: skip


def total_of(doc) -> Decimal:
	return Decimal(str(flt(doc.total_investment, 2)))


def sources_of(doc) -> list[rules.Source]:
	return [
		rules.Source(r.source_type, Decimal(str(flt(r.amount, 2))), bool(r.confirmed))
		for r in doc.get("funding_sources") or []
	]


@frappe.whitelist(methods=["POST"])
def confirm_source(name: str, row: str, confirmation_document: str) -> dict:
	"""财政部门确认一项资金来源 (the project in 资金审核)."""
	doc = frappe.get_doc("Investment Project", name)
	doc.check_permission("read")
	if not confirms_funding():
		frappe.throw(
			_("只有财政部门（职责为“财政”的成员单位）的用户可以确认资金来源"), frappe.PermissionError
		)
	if doc.workflow_state != rules.FUNDING_REVIEW:
		frappe.throw(
			_("项目处于“{0}”，资金来源须在“{1}”时确认").format(doc.workflow_state, rules.FUNDING_REVIEW)
		)
	if not (confirmation_document or "").strip():
		frappe.throw(_("财政确认文件：请写明确认资金来源的文件名称及文号"), title=_("确认资金来源"))
	source = next((r for r in doc.funding_sources if r.name == row), None)
	if source is None:
		frappe.throw(_("项目 {0} 没有这项资金来源").format(name))
	source.update(
		{"confirmed": 1, "confirmation_document": confirmation_document.strip(),
		 "confirmed_by": frappe.session.user, "confirmed_on": nowdate()}
	)  # fmt: skip
	doc.flags.qingqian_confirming = row
	doc.flags.ignore_permissions = True
	doc.add_comment(
		"Info",
		_("财政部门确认资金来源“{0}”{1} 元（{2}）").format(
			source.source_type, source.amount, source.confirmation_document
		),
	)
	doc.save()
	return {"confirmed_amount": doc.confirmed_amount, "funding_confirmed": doc.funding_confirmed}


def refresh_for_item(item, method=None):
	"""Arrears Item on_update: the project's arrears figures follow its items."""
	for project in {
		item.get("investment_project"),
		(item.get_doc_before_save() or frappe._dict()).get("investment_project"),
	}:
		if project and frappe.db.exists("Investment Project", project):
			store_arrears(project)


def refresh_all():
	"""Daily: every project's arrears figures (items written in bulk by an import included)."""
	for name in frappe.get_all("Investment Project", pluck="name"):
		store_arrears(name)


def store_arrears(project: str):
	"""Recount a project's arrears and store them without touching its modified time."""
	doc = frappe.get_doc("Investment Project", project)
	doc.refresh_arrears()
	doc.db_set({"arrears_count": doc.arrears_count, "arrears_outstanding": doc.arrears_outstanding,
		"project_flags": doc.project_flags}, update_modified=False)  # fmt: skip
