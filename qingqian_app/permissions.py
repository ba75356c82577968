"""Who sees which units' records: one scope per user, applied on every path.

A user's unit is set on the User (fields qingqian_member_unit / qingqian_debtor_unit).
- The clearing office, the working group's leaders and System Managers see everything.
- A member unit's users see the debtor units it is competent for, and their items.
- A debtor unit's users see their unit and its subsidiaries at every level (the tree),
  and the items owed by them or transferred to them.

Wired in hooks.py as ``permission_query_conditions`` (lists, reports, REST, get_list,
link search) and ``has_permission`` (a single document: form, REST GET/PUT, workflow
actions, and so the routing of approval mail, which Frappe filters by has_permission).
"""

from __future__ import annotations

from dataclasses import dataclass

import frappe

from qingqian_app.domain import bulletins
from qingqian_app.domain.roles import ALL_RECORDS_ROLES, UNIT_PICKERS


@dataclass(frozen=True)
class Scope:
	all_records: bool
	member_unit: str | None = None
	debtor_units: tuple[str, ...] = ()
	roles: frozenset = frozenset()

	@property
	def nothing(self) -> bool:
		return not (self.all_records or self.member_unit or self.debtor_units)


def user_scope(user: str | None = None) -> Scope:
	user = user or frappe.session.user
	cache = frappe.local.qingqian_scopes = getattr(frappe.local, "qingqian_scopes", None) or {}
	if user not in cache:
		cache[user] = _scope(user)
	return cache[user]


def _scope(user: str) -> Scope:
	roles = frozenset(frappe.get_roles(user))
	if user == "Administrator" or ALL_RECORDS_ROLES & roles:
		return Scope(all_records=True, roles=roles)
	# read on every request (one row by its key: without the query builder, ~1 ms less)
	rows = frappe.db.sql(
		"select qingqian_member_unit, qingqian_debtor_unit from `tabUser` where name = %s",
		user,
		as_dict=True,
	)
	row = rows[0] if rows else {}
	units = subtree(row.qingqian_debtor_unit) if row.get("qingqian_debtor_unit") else ()
	return Scope(
		all_records=False, member_unit=row.get("qingqian_member_unit"), debtor_units=units, roles=roles
	)


SUBTREES = "qingqian_unit_tree"  # Redis: a debtor unit's tree (itself and every unit below it)
SUBTREE_SECONDS = 600


def subtree(unit: str) -> tuple[str, ...]:
	"""``unit`` and the units below it at every level, as the units' tree is now. Read from the
	database once and kept in Redis (reading it took ~2 ms of every request of a debtor unit's
	user) until the tree changes: :func:`forget_subtrees`. The user's own unit is read from the
	User record on every request (:func:`_scope`), never kept."""
	key = f"{SUBTREES}|{unit}"
	units = frappe.cache.get_value(key, expires=True)
	if units is None:
		bounds = frappe.db.get_value("Debtor Unit", unit, ["lft", "rgt"], as_dict=True)
		units = (
			tuple(
				frappe.get_all(
					"Debtor Unit",
					filters={"lft": [">=", bounds.lft], "rgt": ["<=", bounds.rgt]},
					pluck="name",
					ignore_permissions=True,
				)
			)
			if bounds
			else ()
		)
		frappe.cache.set_value(key, units, expires_in_sec=SUBTREE_SECONDS)
	return units


def forget_subtrees(doc=None, method=None):
	"""doc_events Debtor Unit (inserted, saved, renamed, deleted): the tree may have changed, so
	every unit's tree is read anew: now, and again once the change is committed (a request that
	read the tree before the commit may have kept what it read meanwhile)."""
	frappe.cache.delete_keys(SUBTREES)
	frappe.db.after_commit.add(lambda: frappe.cache.delete_keys(SUBTREES))


def _in(column: str, values) -> str:
	return f"{column} in ({', '.join(frappe.db.escape(v) for v in values)})"


def _conditions(user, doctype: str, unit_columns: tuple[str, ...]) -> str:
	"""SQL for get_list: the competent unit's records, or those whose unit columns name one
	of the user's debtor units."""
	scope = user_scope(user)
	if scope.all_records:
		return ""
	conds = []
	if scope.member_unit:
		conds.append(f"`tab{doctype}`.competent_unit = {frappe.db.escape(scope.member_unit)}")
	if scope.debtor_units:
		conds += [_in(f"`tab{doctype}`.{c}", scope.debtor_units) for c in unit_columns]
	return "(" + " or ".join(conds) + ")" if conds else "1=0"


def _permits(doc, user, unit_fields: tuple[str, ...]) -> bool | None:
	"""The same rule for one document: None lets the role permissions decide, False denies."""
	scope = user_scope(user)
	if scope.all_records:
		return None
	if any(doc.get(f) in scope.debtor_units for f in unit_fields):
		return None
	if scope.member_unit:
		competent = doc.get("competent_unit")
		if not competent and doc.get("debtor_unit"):  # a new item: set from its unit on save
			competent = frappe.db.sql(
				"select competent_unit from `tabDebtor Unit` where name = %s", doc.debtor_unit
			)
			competent = competent[0][0] if competent else None
		if competent == scope.member_unit:
			return None
	return False


def arrears_item_conditions(user: str | None = None) -> str:
	return _conditions(user, "Arrears Item", ("debtor_unit", "responsible_unit"))


def arrears_item_permission(doc, ptype=None, user=None, debug=False):
	return _permits(doc, user, ("debtor_unit", "responsible_unit"))


def debtor_unit_conditions(user: str | None = None) -> str:
	if user_scope(user).roles & UNIT_PICKERS:
		return ""
	return _conditions(user, "Debtor Unit", ("name",))


def debtor_unit_permission(doc, ptype=None, user=None, debug=False):
	if user_scope(user).roles & UNIT_PICKERS:
		return None
	return _permits(doc, user, ("name",))


def supervision_conditions(user: str | None = None) -> str:
	"""督办: the responsible unit's users, and the competent unit's (for a member unit's own
	time limit, the member unit itself)."""
	return _conditions(user, "Supervision", ("responsible_unit",))


def supervision_permission(doc, ptype=None, user=None, debug=False):
	return _permits(doc, user, ("responsible_unit",))


def unit_report_conditions(user: str | None = None) -> str:
	"""单位定期报告: the unit's (and its parents') users, and its competent unit's."""
	return _conditions(user, "Unit Report", ("debtor_unit",))


def unit_report_permission(doc, ptype=None, user=None, debug=False):
	return _permits(doc, user, ("debtor_unit",))


def bulletin_item_conditions(user: str | None = None) -> str:
	"""A bulletin's item rows: as the items themselves (the unit's, or its competent unit's)."""
	return _conditions(user, "Bulletin Item", ("debtor_unit", "responsible_unit"))


def bulletin_item_permission(doc, ptype=None, user=None, debug=False):
	return _permits(doc, user, ("debtor_unit", "responsible_unit"))


def progress_bulletin_conditions(user: str | None = None) -> str:
	if user_scope(user).all_records:
		return ""
	# a bulletin reaches the units once signed; drafts stay with the office
	return f"`tabProgress Bulletin`.workflow_state = {frappe.db.escape(bulletins.ISSUED)}"


def progress_bulletin_permission(doc, ptype=None, user=None, debug=False):
	if user_scope(user).all_records or doc.get("workflow_state") == bulletins.ISSUED:
		return None
	return False


def users_of_unit(unit: str) -> list[str]:
	"""Users who see ``unit``: those of the unit itself and of the units above it."""
	bounds = frappe.db.get_value("Debtor Unit", unit, ["lft", "rgt"], as_dict=True)
	if not bounds:
		return []
	above = frappe.get_all(
		"Debtor Unit",
		filters={"lft": ["<=", bounds.lft], "rgt": [">=", bounds.rgt]},
		pluck="name",
		ignore_permissions=True,
	)
	return frappe.get_all("User", filters={"qingqian_debtor_unit": ["in", above], "enabled": 1}, pluck="name")


# --- Complaint Lead and Petition ---------------------------------------------------------
# The office that receives them sees all; a unit sees what was sent to it; those who only
# register (工商联, 审计局, 网信办, 信访局 for leads) see what they registered.

LEAD_OFFICE_ROLES = frozenset({"Complaint Intake Officer"})
PETITION_OFFICE_ROLES = frozenset({"Petition Officer"})


UNSENT = "已登记"  # a unit sees a lead or petition once it has been sent to it


def _registered_or_sent(user, doctype: str, unit_field: str, office_roles: frozenset) -> str:
	user = user or frappe.session.user
	scope = user_scope(user)
	if scope.all_records or scope.roles & office_roles:
		return ""
	conds = [f"`tab{doctype}`.owner = {frappe.db.escape(user)}"]
	if scope.debtor_units:
		sent = _in(f"`tab{doctype}`.{unit_field}", scope.debtor_units)
		conds.append(f"({sent} and `tab{doctype}`.workflow_state != {frappe.db.escape(UNSENT)})")
	return "(" + " or ".join(conds) + ")"


def _may_see(doc, user, unit_field: str, office_roles: frozenset):
	user = user or frappe.session.user
	scope = user_scope(user)
	if scope.all_records or scope.roles & office_roles or doc.get("owner") in (None, user):
		return None
	sent = doc.get(unit_field) in scope.debtor_units and doc.get("workflow_state") != UNSENT
	return None if sent else False


def complaint_lead_conditions(user: str | None = None) -> str:
	return _registered_or_sent(user, "Complaint Lead", "transferred_to", LEAD_OFFICE_ROLES)


def complaint_lead_permission(doc, ptype=None, user=None, debug=False):
	return _may_see(doc, user, "transferred_to", LEAD_OFFICE_ROLES)


def petition_conditions(user: str | None = None) -> str:
	return _registered_or_sent(user, "Petition", "involved_unit", PETITION_OFFICE_ROLES)


def petition_permission(doc, ptype=None, user=None, debug=False):
	return _may_see(doc, user, "involved_unit", PETITION_OFFICE_ROLES)


# --- Accountability and disclosure ------------------------------------------------------------
# The office, the leaders and the member unit whose duty a DocType serves (司法局 reviews every
# action, 审计局 registers every finding, 市场监管局 checks every SOE's annual report) see all;
# a unit and its competent unit see their own once it concerns them (an action once decided, a
# finding once sent for rectification); a member unit sees the actions whose measures it
# implements.

LEGAL_ROLES = frozenset({"Legal Reviewer"})
AUDIT_ROLES = frozenset({"Audit Officer"})
MARKET_ROLES = frozenset({"Market Regulation Officer"})


def _states_in(doctype: str, states) -> str:
	return _in(f"`tab{doctype}`.workflow_state", states)


def _seen_once(user, doctype: str, unit_fields: tuple[str, ...], roles: frozenset, states) -> str:
	scope = user_scope(user)
	if scope.all_records or scope.roles & roles:
		return ""
	conds = _conditions(user, doctype, unit_fields)
	return f"({conds} and {_states_in(doctype, states)})"


def _sees_once(doc, user, unit_fields: tuple[str, ...], roles: frozenset, states):
	scope = user_scope(user)
	if scope.all_records or scope.roles & roles:
		return None
	if doc.get("workflow_state") not in states:
		return False
	return _permits(doc, user, unit_fields)


def _decided():
	from qingqian_app.domain import accountability

	return (accountability.IN_FORCE, accountability.LIFTED)


def accountability_action_conditions(user: str | None = None) -> str:
	conds = _seen_once(user, "Accountability Action", ("target_unit",), LEGAL_ROLES, _decided())
	member_unit = user_scope(user).member_unit
	if conds and member_unit:  # the measures it implements
		implements = (
			"`tabAccountability Action`.name in (select m.parent from `tabAccountability Measure` m"
			f" where m.parenttype = 'Accountability Action' and m.implementing_unit = {frappe.db.escape(member_unit)})"
		)
		conds = f"({conds} or ({implements} and {_states_in('Accountability Action', _decided())}))"
	return conds


def accountability_action_permission(doc, ptype=None, user=None, debug=False):
	found = _sees_once(doc, user, ("target_unit",), LEGAL_ROLES, _decided())
	member_unit = user_scope(user).member_unit
	if found is False and member_unit and doc.get("workflow_state") in _decided():
		if any(m.get("implementing_unit") == member_unit for m in doc.get("measures") or []):
			return None
	return found


def audit_finding_conditions(user: str | None = None) -> str:
	from qingqian_app.domain.audit import SENT

	return _seen_once(user, "Audit Finding", ("audited_unit",), AUDIT_ROLES, SENT)


def audit_finding_permission(doc, ptype=None, user=None, debug=False):
	from qingqian_app.domain.audit import SENT

	return _sees_once(doc, user, ("audited_unit",), AUDIT_ROLES, SENT)


def soe_annual_report_conditions(user: str | None = None) -> str:
	if user_scope(user).roles & MARKET_ROLES:
		return ""
	return _conditions(user, "SOE Annual Report", ("debtor_unit",))


def soe_annual_report_permission(doc, ptype=None, user=None, debug=False):
	if user_scope(user).roles & MARKET_ROLES:
		return None
	return _permits(doc, user, ("debtor_unit",))


def unit_annual_disclosure_conditions(user: str | None = None) -> str:
	return _conditions(user, "Unit Annual Disclosure", ("debtor_unit",))


def unit_annual_disclosure_permission(doc, ptype=None, user=None, debug=False):
	return _permits(doc, user, ("debtor_unit",))


# --- Ledger Import: an import is its importer's (the office sees all) ---------------------------


def ledger_import_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	if user_scope(user).all_records:
		return ""
	return f"`tabLedger Import`.owner = {frappe.db.escape(user)}"


def ledger_import_permission(doc, ptype=None, user=None, debug=False):
	user = user or frappe.session.user
	if user_scope(user).all_records or doc.get("owner") in (None, user):
		return None
	return False


# --- Prevention at the source -------------------------------------------------------------------
# 发改局 sees every government investment project and the contracts under them; the finance
# department (duty 财政) every project, whose funding it confirms; 司法局 every contract review
# (it reviews their legality); otherwise a unit and its competent unit see their own, and whoever
# registered a request for confirmation (工商联) sees it.

INVESTMENT_ROLES = frozenset({"Investment Project Officer"})


def confirms_funding(user: str | None = None) -> bool:
	"""The finance department confirms a project's funding (附件 财政局; duty 财政, never a
	unit's name): it sees every project."""
	from qingqian_app.domain.members import FINANCE

	unit = user_scope(user).member_unit
	return bool(unit and frappe.db.get_value("Member Unit", unit, "duty", cache=True) == FINANCE)


def check_project(doc):
	"""A record names a government investment project its user may see (a unit cannot put its
	contracts or arrears under another unit's project)."""
	if not doc.get("investment_project") or doc.flags.ignore_permissions:
		return
	before = doc.get_doc_before_save()
	if before and before.get("investment_project") == doc.investment_project:
		return
	if not frappe.has_permission("Investment Project", "read", doc=doc.investment_project):
		frappe.throw(
			f"政府投资项目：您无权查看项目 {doc.investment_project}，不能关联", frappe.PermissionError
		)


def investment_project_conditions(user: str | None = None) -> str:
	if user_scope(user).roles & INVESTMENT_ROLES or confirms_funding(user):
		return ""
	return _conditions(user, "Investment Project", ("owner_unit",))


def investment_project_permission(doc, ptype=None, user=None, debug=False):
	if user_scope(user).roles & INVESTMENT_ROLES or confirms_funding(user):
		return None
	return _permits(doc, user, ("owner_unit",))


def contract_review_conditions(user: str | None = None) -> str:
	scope = user_scope(user)
	if scope.roles & LEGAL_ROLES:
		return ""
	conds = _conditions(user, "Contract Review", ("paying_unit",))
	if scope.roles & INVESTMENT_ROLES and conds:
		conds = f"({conds} or ifnull(`tabContract Review`.investment_project, '') != '')"
	return conds


def contract_review_permission(doc, ptype=None, user=None, debug=False):
	scope = user_scope(user)
	if scope.roles & LEGAL_ROLES or (scope.roles & INVESTMENT_ROLES and doc.get("investment_project")):
		return None
	return _permits(doc, user, ("paying_unit",))


def _registrar(user) -> bool:
	"""Who registers requests for a unit not their own (工商联, a member unit): they see what they
	registered. A debtor unit's users register and answer only their unit's (and subsidiaries')."""
	return not user_scope(user).debtor_units


def receivable_confirmation_conditions(user: str | None = None) -> str:
	user = user or frappe.session.user
	conds = _conditions(user, "Receivable Confirmation", ("debtor_unit",))
	if conds and _registrar(user):
		return f"({conds} or `tabReceivable Confirmation`.owner = {frappe.db.escape(user)})"
	return conds


def receivable_confirmation_permission(doc, ptype=None, user=None, debug=False):
	user = user or frappe.session.user
	if _registrar(user) and doc.get("owner") in (None, user):
		return None
	return _permits(doc, user, ("debtor_unit",))
