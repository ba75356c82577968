# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""审计发现 (rules: qingqian_app.domain.audit; workflow: workflows/audit_finding.json): registered
by 审计局, turned into a complaint lead (channel 审计发现) or a ledger item (source 审计), its
rectification deadline watched by the daily reminders and 督办 (oversight/supervision.py)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, nowdate

from qingqian_app.domain import audit as rules
from qingqian_app.workflow_guard import step, throw_problems

LEAD_CHANNEL, ITEM_SOURCE = "审计发现", "审计"
MAY_TURN = frozenset({"Audit Officer", "Qingqian Office Staff", "System Manager"})


class AuditFinding(Document):
	def validate(self):
		values = self.as_dict()
		for f in ("audit_date", "rectification_deadline"):
			values[f] = getdate(values[f]) if values.get(f) else None
		throw_problems(self, rules.problems(values, getdate(nowdate())), "审计发现信息有误")
		t = step(self)
		if t:
			throw_problems(self, rules.transition_problems(t.action, values), t.action)
			if t.action == rules.CONFIRM:
				self.rectified_on = nowdate()


def _finding(name: str) -> AuditFinding:
	doc = frappe.get_doc("Audit Finding", name)
	doc.check_permission("read")
	if not MAY_TURN & set(frappe.get_roles()) and frappe.session.user != "Administrator":
		frappe.throw(_("只有审计局联络员或清欠办工作人员可以移送"), frappe.PermissionError)
	if not doc.enterprise:
		frappe.throw(_("请先填写涉及的民营企业"), title=_("审计发现"))
	return doc


def _locked(name: str, field: str) -> str | None:
	"""The finding's row locked until the request commits, and what it was turned into: of two
	clicks at once the second waits, then returns the first one's record (a locking read sees
	the other's commit)."""
	return frappe.db.get_value("Audit Finding", name, field, for_update=True)


@frappe.whitelist(methods=["POST"])
def to_lead(name: str) -> str:
	"""转为投诉线索: registered as 审计局 移送 it (工作方案附件 审计局“及时移送工作组办公室”)."""
	doc = _finding(name)
	if existing := _locked(doc.name, "complaint_lead"):
		return existing
	lead = frappe.get_doc(
		{
			"doctype": "Complaint Lead",
			"channel": LEAD_CHANNEL,
			"received_on": nowdate(),
			"enterprise": doc.enterprise,
			"respondent_unit": doc.audited_unit,
			"claimed_amount": doc.amount,
			"description": _("审计发现 {0}（{1}，{2}）：{3}").format(
				doc.name, doc.source_document, doc.audit_date, doc.finding
			),
		}
	).insert()
	frappe.db.set_value("Audit Finding", doc.name, "complaint_lead", lead.name)
	return lead.name


@frappe.whitelist(methods=["POST"])
def to_item(name: str) -> str:
	"""转为台账: a ledger item of the audited unit in its first state (待报送), to be 报送 and
	审核 like any other."""
	doc = _finding(name)
	if existing := _locked(doc.name, "arrears_item"):
		return existing
	if not (doc.amount and doc.arrears_category):
		frappe.throw(_("请先填写欠款类别和涉及金额"), title=_("审计发现"))
	item = frappe.get_doc(
		{
			"doctype": "Arrears Item",
			"debtor_unit": doc.audited_unit,
			"enterprise": doc.enterprise,
			"arrears_category": doc.arrears_category,
			"arrears_amount": doc.amount,
			"source": ITEM_SOURCE,
			"description": _("审计发现 {0}（{1}）：{2}").format(doc.name, doc.source_document, doc.finding),
		}
	)
	item.flags.ignore_permissions = True
	item.insert()
	frappe.db.set_value("Audit Finding", doc.name, "arrears_item", item.name)
	return item.name
