# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""欠款台账: a thin controller over qingqian_app.domain.ledger.

The rules live in the domain core; this file gathers the document's facts, stores what
they compute and turns their problems into errors. Workflow steps and per-state editing
are checked here on the server, because Frappe checks them only in the browser (editing)
or only in apply_workflow (self-approval), and the REST API reaches neither.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, cstr, flt, get_link_to_form, getdate, nowdate

from qingqian_app import settings
from qingqian_app.domain import ledger
from qingqian_app.domain.money import yuan
from qingqian_app.workflow_guard import step_taken, throw_problems

# Fields the controller computes; never compared as user edits.
COMPUTED = frozenset(
	{
		"workflow_state", "competent_unit", "debtor_unit_type", "repaid_amount", "outstanding_amount",
		"undisputed_amount", "is_disputed", "migrant_wage_repaid", "migrant_wage_outstanding",
		"overdue_days", "overdue_interest", "counted_in_ledger", "term_exceeds_limit",
		"responsibility_history", "transferred_on",
	}
)  # fmt: skip
NOT_USER_FIELDS = frozenset({"name", "owner", "creation", "modified", "modified_by", "idx", "docstatus"})


def limits() -> ledger.Limits:
	return settings.limits(
		ledger.Limits,
		{f: f for f in ("agency_payment_days", "agency_max_agreed_days", "large_enterprise_payment_days")},
	)


class ArrearsItem(Document):
	def onload(self):
		# the overdue days and interest accrued up to today, whenever the form is opened
		f = ledger.figures(self.facts(), limits(), getdate(nowdate()))
		self.overdue_days, self.overdue_interest = f.overdue_days, f.overdue_interest

	def validate(self):
		before = self.get_doc_before_save()
		if before is not None:
			self.check_edits(before)  # who may change what comes before what the values are
		facts, terms = self.facts(), limits()
		self.throw_problems(ledger.problems(facts, terms))
		self.check_duplicate()
		figures = ledger.figures(facts, terms, getdate(nowdate()))
		self.store(figures)
		if before is not None:
			self.check_transition(before, figures)
		self.record_responsibility()

	# --- facts and figures ---------------------------------------------------------------

	def facts(self) -> ledger.Item:
		unit = (
			frappe.db.get_value("Debtor Unit", self.debtor_unit, ["unit_type", "is_suspended"], as_dict=True)
			or frappe._dict()
		)
		creditor = (
			frappe.db.get_value("Enterprise", self.enterprise, ["uscc", "enterprise_scale"], as_dict=True)
			or frappe._dict()
		)
		uscc = creditor.get("uscc") or ""
		if not self.enterprise_scale_at_contract:
			self.enterprise_scale_at_contract = creditor.get("enterprise_scale")
		return ledger.Item(
			debtor_type=unit.get("unit_type") or "",
			debtor_suspended=bool(unit.get("is_suspended")),
			enterprise_uscc=uscc,
			arrears_category=self.arrears_category or "",
			arrears_amount=yuan(self.arrears_amount),
			disputed_amount=yuan(self.disputed_amount),
			migrant_wage_amount=yuan(self.migrant_wage_amount),
			involves_migrant_wages=bool(self.involves_migrant_wages),
			in_judicial_process=bool(self.in_judicial_process),
			delivery_date=getdate(self.delivery_date) if self.delivery_date else None,
			agreed_payment_days=cint(self.agreed_payment_days)
			if self.agreed_payment_days not in (None, "")
			else None,
			due_date=getdate(self.due_date) if self.due_date else None,
			contract_allows_bills=bool(self.contract_allows_bills),
			agreed_annual_rate=yuan(self.agreed_annual_rate) if flt(self.agreed_annual_rate) else None,
			repayments=[
				ledger.Repayment(
					payment_date=getdate(r.payment_date) if r.payment_date else None,
					amount=yuan(r.amount),
					method=r.payment_method or "",
					bill_maturity_date=getdate(r.bill_maturity_date) if r.bill_maturity_date else None,
				)
				for r in self.repayments
			],
			debtor_unit_codes=frozenset([uscc])
			if uscc and frappe.db.exists("Debtor Unit", {"uscc": uscc})
			else frozenset(),
		)

	def store(self, f: ledger.Figures):
		self.due_date = f.due_date
		self.repaid_amount = f.repaid_amount
		self.outstanding_amount = f.outstanding_amount
		self.undisputed_amount = f.undisputed_amount
		self.is_disputed = int(f.is_disputed)
		self.migrant_wage_repaid = f.migrant_wage_repaid
		self.migrant_wage_outstanding = f.migrant_wage_outstanding
		self.overdue_days = f.overdue_days
		self.overdue_interest = f.overdue_interest
		self.counted_in_ledger = int(f.counted_in_ledger)
		self.term_exceeds_limit = int(f.term_exceeds_limit)
		if f.term_exceeds_limit:
			frappe.msgprint(
				_("约定付款期限 {0} 日超过 60 日上限（条例第九条），已标记").format(self.agreed_payment_days),
				indicator="orange",
				alert=True,
			)

	def throw_problems(self, found: list[ledger.Problem]):
		throw_problems(self, found, "欠款台账信息有误")

	def check_duplicate(self):
		"""应报尽报、避免漏报、严禁瞒报: and no double counting either."""
		if not self.contract_no:
			return
		existing = frappe.db.get_value(
			"Arrears Item",
			{
				"debtor_unit": self.debtor_unit,
				"enterprise": self.enterprise,
				"contract_no": self.contract_no,
				"name": ("!=", self.name or ""),
			},
		)
		if existing:
			frappe.throw(
				_("同一欠款单位、企业和合同编号的欠款已登记：{0}。请在该条台账上更新，不要重复登记。").format(
					get_link_to_form("Arrears Item", existing)
				),
				frappe.DuplicateEntryError,
				title=_("重复登记"),
			)

	# --- per-state editing and workflow steps, on the server ------------------------------

	def check_edits(self, before):
		user = frappe.session.user
		if user == "Administrator" or frappe.flags.in_install or frappe.flags.in_migrate:
			return
		changed = changed_fields(self, before)
		if not changed:
			return
		state = before.workflow_state or "待报送"
		allowed = ledger.editable_fields(state, frappe.get_roles(user))
		refused = sorted(changed - allowed)
		if refused:
			labels = "、".join(_(self.meta.get_label(f)) for f in refused)
			frappe.throw(
				_("台账处于“{0}”状态，您不能修改：{1}").format(state, labels),
				frappe.PermissionError,
				title=_("不能修改"),
			)

	def check_transition(self, before, figures: ledger.Figures):
		step = step_taken(self, before)
		if step is None:
			return
		new = self.workflow_state
		found = ledger.transition_problems(step.action, new, self.as_dict(), figures)
		self.throw_problems(found)
		if new == "已转办":
			self.transferred_on = nowdate()

	def on_update(self):
		# a lead that went into the ledger shows its item's live status (工作方案二（三）)
		if self.has_value_changed("workflow_state"):
			frappe.db.set_value(
				"Complaint Lead", {"arrears_item": self.name}, "arrears_item_state", self.workflow_state,
				update_modified=False,
			)  # fmt: skip

	def record_responsibility(self):
		"""新官不理旧账: keep who was responsible when; a new principal never detaches items."""
		unit = self.responsible_unit or self.debtor_unit
		title = self.responsible_person_title or frappe.db.get_value(
			"Debtor Unit", self.debtor_unit, "principal_title"
		)
		last = self.responsibility_history[-1] if self.responsibility_history else None
		if last and last.responsible_unit == unit and cstr(last.responsible_person_title) == cstr(title):
			return
		self.append(
			"responsibility_history",
			{
				"from_date": nowdate(),
				"responsible_unit": unit,
				"responsible_person_title": title,
				"recorded_by": frappe.session.user,
			},
		)


def changed_fields(doc, before) -> set[str]:
	"""Fields a user changed, compared by type (a REST client sends dates as text)."""
	out = set()
	for df in doc.meta.fields:
		name = df.fieldname
		if name in COMPUTED or name in NOT_USER_FIELDS or df.fieldtype in ("Section Break", "Column Break"):
			continue
		if df.fieldtype == "Table":
			if _rows(doc.get(name)) != _rows(before.get(name)):
				out.add(name)
		elif _value(df.fieldtype, doc.get(name)) != _value(df.fieldtype, before.get(name)):
			out.add(name)
	return out


def _value(fieldtype: str, v):
	if fieldtype == "Date":
		return getdate(v) if v else None
	if fieldtype in ("Currency", "Float", "Percent"):
		return flt(v, 2)
	if fieldtype in ("Int", "Check"):
		return cint(v)
	return cstr(v).strip()


def _rows(rows) -> list:
	keep = lambda r: {  # noqa: E731
		df.fieldname: _value(df.fieldtype, r.get(df.fieldname))
		for df in frappe.get_meta(r.doctype).fields
		if not df.read_only
	}
	return [keep(r) for r in rows or []]


def refresh_overdue():
	"""Daily: overdue days of open items, in one statement (scales to a million items)."""
	frappe.db.sql(
		"""update `tabArrears Item`
		set overdue_days = greatest(datediff(%(today)s, due_date), 0)
		where outstanding_amount > 0 and due_date is not null
		and workflow_state not in ('已销号', '不予列入')""",
		{"today": nowdate()},  # the site's today (its time zone), not the database server's
	)


def on_doctype_update():
	# the list view: filtered by competent unit and state, newest first
	frappe.db.add_index("Arrears Item", ["competent_unit", "workflow_state", "modified"])
	frappe.db.add_index("Arrears Item", ["debtor_unit", "enterprise", "contract_no"])
