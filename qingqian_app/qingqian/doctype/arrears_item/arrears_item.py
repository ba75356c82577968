# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""欠款台账: a thin controller over qingqian_app.domain.ledger.

The rules live in the domain core; this file gathers the document's facts, stores what
they compute and turns their problems into errors. Who may change which field in which
state, and which workflow step a save takes, are checked before this runs by
qingqian_app.workflow_guard (declared in workflows/arrears_item.json).
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, cstr, flt, get_link_to_form, getdate, nowdate

from qingqian_app import settings
from qingqian_app.domain import ledger
from qingqian_app.domain.money import yuan
from qingqian_app.numbering import next_name
from qingqian_app.oversight import tallies
from qingqian_app.permissions import check_project
from qingqian_app.workflow_guard import step, throw_problems

CONFIRMATION_FIELDS = (
	"confirmation_method", "confirmation_document", "confirmation_contact", "confirmation_date",
	"confirmation_means",
)  # fmt: skip


def limits() -> ledger.Limits:
	return settings.limits(
		ledger.Limits,
		{
			"agency_payment_days": "agency_payment_days",
			"agency_max_agreed_days": "agency_max_agreed_days",
			"large_enterprise_payment_days": "large_enterprise_payment_days",
			"daily_rate_percent": "overdue_interest_daily_rate",
		},
	)


# What an item's facts read of its unit and enterprise (u, e), in one statement
FACTS_COLUMNS = """u.unit_type, u.competent_unit, u.is_suspended, u.principal_title, e.uscc, e.enterprise_scale,
	exists(select 1 from `tabDebtor Unit` d where d.uscc = e.uscc) as creditor_is_unit"""


def read_facts(debtor_unit: str, enterprise: str):
	"""FACTS_COLUMNS of a unit and an enterprise, in one statement (the query builder's field
	parsing costs more than it), for every save and the bulk import."""
	return frappe.db.sql(
		f"""select {FACTS_COLUMNS} from (select 1) one
		left join `tabDebtor Unit` u on u.name = %s left join `tabEnterprise` e on e.name = %s""",
		(debtor_unit, enterprise),
		as_dict=True,
	)[0]


def linked_values(values, row) -> dict:
	"""What the item copies from its unit and enterprise (``row``: FACTS_COLUMNS)."""
	return {
		"debtor_unit_type": row.unit_type,
		"competent_unit": row.competent_unit,
		"enterprise_scale_at_contract": values.get("enterprise_scale_at_contract") or row.enterprise_scale,
	}


def item_facts(values, row) -> ledger.Item:
	"""The domain's facts of an item with ``values`` (a document or a dict) and its unit's and
	enterprise's ``row``: one reading for the form and for the bulk import."""
	uscc = row.uscc or ""
	return ledger.Item(
		debtor_type=row.unit_type or "",
		debtor_suspended=bool(row.is_suspended),
		enterprise_uscc=uscc,
		arrears_category=values.get("arrears_category") or "",
		arrears_amount=yuan(values.get("arrears_amount")),
		disputed_amount=yuan(values.get("disputed_amount")),
		migrant_wage_amount=yuan(values.get("migrant_wage_amount")),
		involves_migrant_wages=bool(values.get("involves_migrant_wages")),
		in_judicial_process=bool(values.get("in_judicial_process")),
		delivery_date=getdate(values.get("delivery_date")) if values.get("delivery_date") else None,
		agreed_payment_days=cint(values.get("agreed_payment_days"))
		if values.get("agreed_payment_days") not in (None, "")
		else None,
		due_date=getdate(values.get("due_date")) if values.get("due_date") else None,
		contract_allows_bills=bool(values.get("contract_allows_bills")),
		agreed_annual_rate=yuan(values.get("agreed_annual_rate"))
		if flt(values.get("agreed_annual_rate"))
		else None,
		repayments=[
			ledger.Repayment(
				payment_date=getdate(r.get("payment_date")) if r.get("payment_date") else None,
				amount=yuan(r.get("amount")),
				method=r.get("payment_method") or "",
				bill_maturity_date=getdate(r.get("bill_maturity_date"))
				if r.get("bill_maturity_date")
				else None,
			)
			for r in values.get("repayments") or []
		],
		debtor_unit_codes=frozenset([uscc]) if uscc and row.creditor_is_unit else frozenset(),
		state=values.get("workflow_state") or ledger.SUBMITTED,
	)


def stored(f: ledger.Figures) -> dict:
	"""The fields an item stores of its figures (computed, never typed)."""
	return {
		"due_date": f.due_date,
		"repaid_amount": f.repaid_amount,
		"outstanding_amount": f.outstanding_amount,
		"undisputed_amount": f.undisputed_amount,
		"is_disputed": int(f.is_disputed),
		"migrant_wage_repaid": f.migrant_wage_repaid,
		"migrant_wage_outstanding": f.migrant_wage_outstanding,
		"overdue_days": f.overdue_days,
		"overdue_interest": f.overdue_interest,
		"counted_in_ledger": int(f.counted_in_ledger),
		"term_exceeds_limit": int(f.term_exceeds_limit),
	}


class ArrearsItem(Document):
	def autoname(self):
		self.name = next_name(self.doctype)

	def onload(self):
		# the overdue days and interest accrued up to today, whenever the form is opened
		f = ledger.figures(self.facts(), limits(), getdate(nowdate()))
		self.overdue_days, self.overdue_interest = f.overdue_days, f.overdue_interest

	def validate(self):
		facts, terms, today = self.facts(), limits(), getdate(nowdate())
		self.throw_problems(ledger.problems(facts, terms, today))
		figures = ledger.figures(facts, terms, today)
		self.store(figures, terms)  # the due date first: a matter without a contract is known by it
		self.matter_key = self.key()
		self.check_duplicate()
		check_project(self)
		self.record_confirmation()
		self.check_step(figures)
		self.record_responsibility()
		for row in self.progress_updates:
			row.reporter = row.reporter or frappe.session.user

	# --- facts and figures ---------------------------------------------------------------

	def facts(self) -> ledger.Item:
		row = read_facts(self.debtor_unit, self.enterprise)
		self.flags.principal_title = row.principal_title
		self.update(linked_values(self, row))
		return item_facts(self, row)

	def store(self, f: ledger.Figures, terms: ledger.Limits):
		self.update(stored(f))
		if f.term_exceeds_limit:
			frappe.msgprint(
				_("约定付款期限 {0} 日超过 {1} 日上限（条例第九条），已标记").format(
					self.agreed_payment_days, terms.agency_max_agreed_days
				),
				indicator="orange",
				alert=True,
			)

	def throw_problems(self, found: list[ledger.Problem]):
		throw_problems(self, found, "欠款台账信息有误")

	# --- one matter, one item --------------------------------------------------------------

	def key(self) -> str | None:
		"""The matter this item records; a duplicate gives its key up to the item it repeats."""
		if self.workflow_state == ledger.DUPLICATE:
			return None
		return ledger.matter_key(
			self.debtor_unit, self.enterprise, self.contract_no, self.arrears_amount,
			getdate(self.due_date) if self.due_date else None,
		)  # fmt: skip

	def check_duplicate(self):
		"""应报尽报、避免漏报、严禁瞒报: and no double counting either. The unique index on
		matter_key stops a registration made at the same moment (show_unique_validation_message)."""
		if not self.matter_key:
			return
		existing = frappe.db.sql(
			"select name from `tabArrears Item` where matter_key = %s and name != %s limit 1",
			(self.matter_key, self.name or ""),
		)
		if existing:
			refuse_duplicate(existing[0][0])

	def show_unique_validation_message(self, e):
		# the other registration committed while this one was being saved: name it (a locking
		# read sees the latest committed row, which this transaction's snapshot may not)
		existing = frappe.db.sql(
			"select name from `tabArrears Item` where matter_key = %s and name != %s lock in share mode",
			(self.matter_key, self.name),
		)
		if existing:
			refuse_duplicate(existing[0][0])
		super().show_unique_validation_message(e)

	# --- confirmation, steps and responsibility ----------------------------------------------

	def record_confirmation(self):
		"""Who recorded the enterprise's confirmation, and whether it is complete."""
		before = self.get_doc_before_save()
		if any(cstr(self.get(f)) != cstr(before.get(f) if before else None) for f in CONFIRMATION_FIELDS):
			self.confirmation_recorded_by = frappe.session.user
		confirmation = {f: self.get(f) for f in CONFIRMATION_FIELDS}
		confirmation["responses"] = self.responses()
		self.enterprise_confirmed = int(not ledger.confirmation_problems(confirmation))

	def responses(self) -> list[str]:
		"""The enterprise's answer to each repayment (blank: not answered), domain.portal."""
		return [r.enterprise_response or "" for r in self.repayments]

	def check_step(self, figures: ledger.Figures):
		t = step(self)
		if t is None:
			return
		values = {**self.as_dict(), "responses": self.responses()}
		self.throw_problems(ledger.transition_problems(t.action, t.to_state, values, figures))
		if t.to_state == "已转办":
			self.transferred_on = nowdate()

	def on_update(self):
		tallies.follow(self)  # the summary's aggregates
		if self.has_value_changed("workflow_state") and not self.flags.qingqian_inserted:
			self.show_state_on_leads()

	def show_state_on_leads(self):
		"""A lead that went into the ledger shows its item's live status (工作方案二（三）)."""
		frappe.db.sql(
			"update `tabComplaint Lead` set arrears_item_state = %s where arrears_item = %s",
			(self.workflow_state, self.name),
		)

	def on_trash(self):
		tallies.follow(self, removed=True)

	def record_responsibility(self):
		"""新官不理旧账: who was responsible when. The item holds who is responsible now (the
		unit's principal by title, unless another is named); the history starts at the first
		change, with who it was since registration, and gains a row at every change after. A
		new principal never detaches items."""
		if not self.responsible_person_title:
			self.responsible_person_title = self.flags.principal_title
		before = self.get_doc_before_save()
		if before is None:
			return
		now = (self.responsible_unit or self.debtor_unit, cstr(self.responsible_person_title))
		was = (before.responsible_unit or before.debtor_unit, cstr(before.responsible_person_title))
		if now == was:
			return
		if not self.responsibility_history:
			self.append_responsibility(getdate(self.creation), *was, self.owner)
		self.append_responsibility(getdate(nowdate()), *now, frappe.session.user)

	def append_responsibility(self, since, unit, title, user):
		self.append(
			"responsibility_history",
			{
				"from_date": since,
				"responsible_unit": unit,
				"responsible_person_title": title,
				"recorded_by": user,
			},
		)


def refuse_duplicate(existing: str):
	frappe.throw(
		_(
			"同一事项已登记：{0}（同一欠款单位、企业和合同编号，无合同编号时金额和应付款日期相同）。请在该条台账上更新，不要重复登记。"
		).format(get_link_to_form("Arrears Item", existing)),
		frappe.DuplicateEntryError,
		title=_("重复登记"),
	)


def refresh_overdue():
	"""Daily: overdue days of open items, in one statement (scales to a million items)."""
	frappe.db.sql(
		"""update `tabArrears Item`
		set overdue_days = greatest(datediff(%(today)s, due_date), 0)
		where outstanding_amount > 0 and due_date is not null
		and workflow_state not in %(final)s""",
		{"today": nowdate(), "final": tuple(ledger.FINAL_STATES)},
	)  # the site's today (its time zone), not the database server's


def recount(where: str = "1 = 1", values: dict | None = None):
	"""counted_in_ledger of many items in one statement, by the rule of
	ledger.counts_in_figures (a patch; a debtor unit marked suspended or resumed)."""
	frappe.db.sql(
		f"""update `tabArrears Item` i join `tabDebtor Unit` u on u.name = i.debtor_unit
		set i.counted_in_ledger = (i.workflow_state not in %(never)s and i.in_judicial_process = 0
			and u.is_suspended = 0)
		where {where}""",
		{"never": tuple(ledger.NOT_YET_ENTERED | ledger.NEVER_COUNTED), **(values or {})},
	)
	tallies.rebuild(where, values)


def on_doctype_update():
	# the list view: filtered by competent unit and state, newest first
	frappe.db.add_index("Arrears Item", ["competent_unit", "workflow_state", "modified"])
	frappe.db.add_index("Arrears Item", ["debtor_unit", "enterprise", "contract_no"])
	# the daily reminders and 督办 look for deadlines near or past (oversight/supervision.py)
	frappe.db.add_index("Arrears Item", ["repay_deadline"])
