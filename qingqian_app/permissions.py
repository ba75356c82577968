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

ALL_RECORDS_ROLES = frozenset(
	{"System Manager", "Qingqian Office Head", "Qingqian Office Staff", "Qingqian Leader"}
)


@dataclass(frozen=True)
class Scope:
	all_records: bool
	member_unit: str | None = None
	debtor_units: tuple[str, ...] = ()

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
	if user == "Administrator" or ALL_RECORDS_ROLES & set(frappe.get_roles(user)):
		return Scope(all_records=True)
	row = (
		frappe.db.get_value("User", user, ["qingqian_member_unit", "qingqian_debtor_unit"], as_dict=True)
		or {}
	)
	units: tuple[str, ...] = ()
	if row.get("qingqian_debtor_unit"):
		bounds = frappe.db.get_value("Debtor Unit", row.qingqian_debtor_unit, ["lft", "rgt"], as_dict=True)
		if bounds:
			units = tuple(
				frappe.get_all(
					"Debtor Unit",
					filters={"lft": [">=", bounds.lft], "rgt": ["<=", bounds.rgt]},
					pluck="name",
					ignore_permissions=True,
				)
			)
	return Scope(all_records=False, member_unit=row.get("qingqian_member_unit"), debtor_units=units)


def _in(column: str, values) -> str:
	return f"{column} in ({', '.join(frappe.db.escape(v) for v in values)})"


# --- Arrears Item ------------------------------------------------------------------------


def arrears_item_conditions(user: str | None = None) -> str:
	scope = user_scope(user)
	if scope.all_records:
		return ""
	conds = []
	if scope.member_unit:
		conds.append(f"`tabArrears Item`.competent_unit = {frappe.db.escape(scope.member_unit)}")
	if scope.debtor_units:
		conds.append(_in("`tabArrears Item`.debtor_unit", scope.debtor_units))
		conds.append(_in("`tabArrears Item`.responsible_unit", scope.debtor_units))
	return "(" + " or ".join(conds) + ")" if conds else "1=0"


def arrears_item_permission(doc, ptype=None, user=None, debug=False):
	scope = user_scope(user)
	if scope.all_records:
		return None
	in_scope = (scope.member_unit and doc.get("competent_unit") == scope.member_unit) or (
		doc.get("debtor_unit") in scope.debtor_units or doc.get("responsible_unit") in scope.debtor_units
	)
	if not in_scope and scope.member_unit and doc.get("debtor_unit") and not doc.get("competent_unit"):
		# a new document before fetch_from has run
		in_scope = frappe.db.get_value("Debtor Unit", doc.debtor_unit, "competent_unit") == scope.member_unit
	return None if in_scope else False


# --- Debtor Unit -------------------------------------------------------------------------


def debtor_unit_conditions(user: str | None = None) -> str:
	scope = user_scope(user)
	if scope.all_records:
		return ""
	conds = []
	if scope.member_unit:
		conds.append(f"`tabDebtor Unit`.competent_unit = {frappe.db.escape(scope.member_unit)}")
	if scope.debtor_units:
		conds.append(_in("`tabDebtor Unit`.name", scope.debtor_units))
	return "(" + " or ".join(conds) + ")" if conds else "1=0"


def debtor_unit_permission(doc, ptype=None, user=None, debug=False):
	scope = user_scope(user)
	if scope.all_records:
		return None
	if (
		scope.member_unit and doc.get("competent_unit") == scope.member_unit
	) or doc.name in scope.debtor_units:
		return None
	return False
