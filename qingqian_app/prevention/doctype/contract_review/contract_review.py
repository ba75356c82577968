# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""合同付款条款审查 (rules: qingqian_app.domain.contracts; workflow: workflows/contract_review.json):
the findings are computed on every save from the terms as typed, never typed themselves; the
payment's due date follows delivery, acceptance and the term, and the daily reminders warn the
paying unit before it (oversight/supervision.py, time limit 合同付款). A contract overdue and
unpaid becomes a ledger item in one step (``to_item``)."""

from __future__ import annotations

from decimal import Decimal

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, getdate, nowdate

from qingqian_app import settings
from qingqian_app.domain import contracts as rules
from qingqian_app.domain import ledger
from qingqian_app.numbering import next_name
from qingqian_app.permissions import check_project
from qingqian_app.qingqian.doctype.arrears_item.arrears_item import limits
from qingqian_app.workflow_guard import step, throw_problems

ITEM_SOURCE = "合同审查"
MAY_TURN = frozenset({"Qingqian Office Staff", "Debtor Unit Reporter", "Debtor Unit Head", "System Manager"})


def facts(doc) -> rules.Contract:
	day = lambda f: getdate(doc.get(f)) if doc.get(f) else None  # noqa: E731
	# a number of days left at 0 or empty is one the contract does not state (an Int column
	# stores 0 for empty; no contract agrees a term or an acceptance period of 0 days)
	days = lambda f: cint(doc.get(f)) or None  # noqa: E731
	return rules.Contract(
		payer_type=doc.get("paying_unit_type") or "",
		category=doc.get("arrears_category") or "",
		contract_date=day("contract_date"),
		term_days=days("term_days"),
		term_agreed=bool(doc.get("term_agreed")),
		term_from=doc.get("term_from") or "",
		acceptance_days=days("acceptance_days"),
		delivered_on=day("delivered_on"),
		accepted_on=day("accepted_on"),
		settled_on=day("settled_on"),
		pay_on_third_party=bool(doc.get("pay_on_third_party")),
		payment_method=doc.get("payment_method") or "",
		bills_agreed=bool(doc.get("bills_agreed")),
		bill_term_days=days("bill_term_days"),
		settlement_basis=doc.get("settlement_basis") or "",
		pay_after_audit=bool(doc.get("pay_after_audit")),
		deposits=[
			rules.Deposit(r.kind, Decimal(str(flt(r.amount, 2))), bool(r.cash_only))
			for r in doc.get("deposits") or []
		],
		agreed_annual_rate=Decimal(str(flt(doc.get("agreed_annual_rate"))))
		if flt(doc.get("agreed_annual_rate"))
		else None,
	)


class ContractReview(Document):
	def autoname(self):
		self.name = next_name(self.doctype)

	def validate(self):
		for f in ("term_days", "acceptance_days", "bill_term_days"):
			if cint(self.get(f)) < 0:
				frappe.throw(_("{0}：不能为负数").format(_(self.meta.get_label(f))), title=_("合同信息有误"))
		if flt(self.contract_amount) <= 0:
			frappe.throw(_("合同金额（元）：须大于零"), title=_("合同信息有误"))
		if self.paying_unit_type not in ledger.DEBTOR_TYPES:
			frappe.throw(_("付款单位：须为机关、事业单位或国有企业"), title=_("合同信息有误"))
		if self.paid_on and flt(self.paid_amount, 2) < flt(self.contract_amount, 2):
			frappe.throw(
				_("付清日期：已付金额 {0} 元少于合同金额 {1} 元，尚未付清").format(
					f"{flt(self.paid_amount):,.2f}", f"{flt(self.contract_amount):,.2f}"
				),
				title=_("合同信息有误"),
			)
		check_project(self)
		c, terms, today = facts(self), limits(), getdate(nowdate())
		self._keep_past_due_facts(rules.due_date(c, terms), today)
		lpr = settings.lpr_table()
		found = rules.findings(c, terms, lpr, today)
		self.set(
			"findings", [{"article": f.article, "finding": f.message, "term": f.fieldname} for f in found]
		)
		self.finding_count = len(found)
		self.review_notes = "\n".join(rules.notes(c, terms, lpr))
		self.payment_due_date = rules.due_date(c, terms)
		t = step(self)
		if t:
			throw_problems(self, rules.transition_problems(t.action, self.as_dict(), len(found)), t.action)
			if t.action == rules.LEGAL_OPINION:
				self.legal_reviewer, self.legal_reviewed_on = frappe.session.user, nowdate()

	def _keep_past_due_facts(self, due, today):
		"""Once the payment was due, the dates it ran from are history: changing them would
		move the due date and end the reminder or the 督办 (a payment made is 已付金额/付清日期)."""
		before = self.get_doc_before_save()
		if not before or not before.payment_due_date or getdate(before.payment_due_date) >= today:
			return
		changed = [
			f
			for f in ("delivered_on", "accepted_on", "settled_on")
			if str(before.get(f) or "") != str(self.get(f) or "")
		]
		if changed:
			frappe.throw(
				_("{0}：应付款日期 {1} 已过，不能再修改").format(
					"、".join(_(self.meta.get_label(f)) for f in changed), before.payment_due_date
				),
				title=_("合同信息有误"),
			)


@frappe.whitelist(methods=["POST"])
def to_item(name: str) -> str:
	"""转为台账: a contract unpaid past its due date becomes a ledger item of the paying unit, in
	its first state (待报送), carrying what the item has fields for and linked both ways."""
	doc = frappe.get_doc("Contract Review", name, for_update=True)  # two clicks make one item
	doc.check_permission("write")
	if not MAY_TURN & set(frappe.get_roles()) and frappe.session.user != "Administrator":
		frappe.throw(_("只有清欠办或付款单位可以把合同转为台账"), frappe.PermissionError)
	if doc.arrears_item:
		return doc.arrears_item
	if doc.workflow_state != rules.REVIEWED:
		frappe.throw(_("合同审查完成后方可转为台账"), title=_("转为台账"))
	if doc.paid_on:
		frappe.throw(_("合同已于 {0} 付清，不能转为台账").format(doc.paid_on), title=_("转为台账"))
	if not doc.payment_due_date or getdate(doc.payment_due_date) >= getdate(nowdate()):
		frappe.throw(
			_("应付款日期：合同尚未逾期（应付款日期 {0}），不能转为台账").format(
				doc.payment_due_date or "未定"
			),
			title=_("转为台账"),
		)
	owed = flt(doc.contract_amount, 2) - flt(doc.paid_amount, 2)
	if owed <= 0:
		frappe.throw(_("已付金额（元）：合同金额已付清，不能转为台账"), title=_("转为台账"))
	item = frappe.get_doc(
		{
			"doctype": "Arrears Item",
			"debtor_unit": doc.paying_unit,
			"enterprise": doc.enterprise,
			"enterprise_scale_at_contract": doc.enterprise_scale,
			"source": ITEM_SOURCE,
			"arrears_category": doc.arrears_category,
			"contract_no": doc.contract_no,
			"contract_name": doc.contract_name,
			"contract_amount": doc.contract_amount,
			"contract_date": doc.contract_date,
			"investment_project": doc.investment_project,
			"contract_review": doc.name,
			"delivery_date": doc.accepted_on or doc.delivered_on,
			"agreed_payment_days": doc.term_days,
			"due_date": doc.payment_due_date,
			"agreed_annual_rate": doc.agreed_annual_rate,
			"contract_allows_bills": doc.bills_agreed,
			"arrears_amount": owed,
			"description": _("合同付款条款审查 {0}：{1}，应付款日期 {2}，逾期未付").format(
				doc.name, doc.contract_name, doc.payment_due_date
			),
		}
	)
	item.flags.ignore_permissions = True
	item.insert()
	frappe.db.set_value("Contract Review", doc.name, "arrears_item", item.name)
	return item.name
