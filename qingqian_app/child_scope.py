"""Child rows follow their parent's record-level scope on every path.

Frappe v15 checks only the *parent DocType's* read permission when a child DocType is
listed (``frappe.client.get_list``, ``/api/resource/<Child>?parent=…``, ``/api/v2``, report
view, ``get_value``): ``DatabaseQuery`` passes ``parent_doctype`` to ``has_permission``
and then returns every row of the table, so a debtor unit's user read other units'
repayments, progress notes, funding sources, lead channels and the basis and measures of
draft accountability actions.

``DatabaseQuery.get_permission_query_conditions`` looks its hooks up by the child
DocType and passes ``doctype=``: :func:`conditions` is registered in hooks.py for every
child DocType of the app (those with ``istable`` in their JSON, found the way
``_workflow_doctypes`` finds the workflows) and keeps the rows whose (parenttype, parent)
is a record the user may list — the parent's own match conditions (role permissions,
user permissions, shares and its ``permission_query_conditions`` hook from
``qingqian_app.permissions``) in a subquery.

A single child row (``GET /api/resource/<Child>/<name>``, ``/api/v2/document/…``,
``frappe.client.get``, the form's ``getdoc``) goes through
``frappe.permissions.has_child_permission``, which means to check the parent *document*
but passes ``getattr(child_doc, "parent_doc", child_doc.parent)``: a row loaded on its own
has ``parent_doc`` None, so only the parent *DocType* was checked and any unit read any
other unit's row by its name. :func:`install` (hooks.py ``before_request``/``before_job``,
as ``read_guard`` wraps ``DatabaseQuery``) wraps it in this process: for the app's child
DocTypes the parent record the row is stored under — and the one it names, when a caller
changed it — must be permitted too.
"""

from __future__ import annotations

import frappe
from frappe.model import table_fields


def parent_doctypes(child: str) -> list[str]:
	"""The DocTypes that have a table of ``child`` (standard and custom fields)."""
	cache = frappe.local.qingqian_child_parents = getattr(frappe.local, "qingqian_child_parents", None) or {}
	if child not in cache:
		filters = {"options": child, "fieldtype": ["in", list(table_fields)]}
		parents = {
			*frappe.get_all("DocField", filters={**filters, "parenttype": "DocType"}, pluck="parent"),
			*frappe.get_all("Custom Field", filters=filters, pluck="dt"),
		}
		cache[child] = sorted(p for p in parents if not frappe.get_meta(p).istable)
	return cache[child]


def _parent_condition(parent: str, user: str) -> str | None:
	"""The SQL condition on ``tab<parent>`` for the records ``user`` may list; "" for all of
	them, None for none."""
	from frappe.model.db_query import DatabaseQuery
	from frappe.permissions import get_role_permissions
	from frappe.share import get_shared

	meta = frappe.get_meta(parent)
	perms = get_role_permissions(meta, user=user)
	if not (perms.get("read") or perms.get("select")) and not get_shared(parent, user):
		return None
	if meta.issingle:
		return ""
	query = DatabaseQuery(parent, user=user)
	log = getattr(frappe.local, "message_log", None)
	seen = len(log) if log is not None else 0
	try:
		match = query.build_match_conditions()
	except frappe.PermissionError:
		return None
	finally:
		if log is not None:
			del log[seen:]
	parts = [c for c in (*query.conditions, match) if c]
	return " and ".join(f"({c})" for c in parts)


def reference_condition(doctype_column: str, name_column: str, doctypes, user: str) -> str:
	"""SQL: the row's (``doctype_column``, ``name_column``) is a record of one of
	``doctypes`` that ``user`` may list ("1=0" when there is none)."""
	allowed = []
	for doctype in doctypes:
		cond = _parent_condition(doctype, user)
		if cond is None:
			continue
		same = f"{doctype_column} = {frappe.db.escape(doctype)}"
		if cond:
			same += f" and {name_column} in (select `tab{doctype}`.`name` from `tab{doctype}` where {cond})"
		allowed.append(f"({same})")
	return "(" + " or ".join(allowed) + ")" if allowed else "1=0"


def conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""``permission_query_conditions`` of a child DocType: the rows of records the user may read."""
	user = user or frappe.session.user
	if not doctype or user == "Administrator":
		return ""
	if not frappe.get_meta(doctype).istable:
		return ""
	table = f"`tab{doctype}`"
	return reference_condition(f"{table}.`parenttype`", f"{table}.`parent`", parent_doctypes(doctype), user)


def app_doctypes() -> frozenset[str]:
	"""Every DocType of this app (its modules)."""
	cache = getattr(frappe.local, "qingqian_app_doctypes", None)
	if cache is None:
		modules = frappe.get_module_list("qingqian_app")
		cache = frappe.local.qingqian_app_doctypes = frozenset(
			frappe.get_all("DocType", filters={"module": ["in", modules]}, pluck="name")
		)
	return cache


def _parent_records(child_doctype: str, child_doc) -> set[tuple[str, str]]:
	"""(parenttype, parent) the row is stored under and the one it names now."""
	if isinstance(child_doc, str):
		name, given = child_doc, None
	else:
		name, given = child_doc.get("name"), (child_doc.get("parenttype"), child_doc.get("parent"))
	records = set()
	if given and all(given):
		records.add(given)
	if name:
		stored = frappe.db.get_value(child_doctype, name, ["parenttype", "parent"])
		if stored and all(stored):
			records.add(tuple(stored))
	return records


def install(**kwargs):
	"""Wrap ``frappe.permissions.has_child_permission`` in this process (once)."""
	from frappe import permissions

	original = permissions.has_child_permission
	if getattr(original, "qingqian", False):
		return

	def has_child_permission(
		child_doctype,
		ptype="read",
		child_doc=None,
		user=None,
		raise_exception=True,
		parent_doctype=None,
		*,
		debug=False,
	):
		allowed = original(
			child_doctype, ptype, child_doc, user, raise_exception, parent_doctype, debug=debug
		)
		if not allowed or child_doc is None or child_doctype not in app_doctypes():
			return allowed
		if getattr(child_doc, "parent_doc", None) is not None:
			return allowed  # Frappe checked the parent document itself
		for parenttype, parent in _parent_records(child_doctype, child_doc):
			if not frappe.db.exists(parenttype, parent):
				continue  # a row of a record not saved yet
			if not permissions.has_permission(
				parenttype, ptype, doc=parent, user=user, raise_exception=raise_exception, debug=debug
			):
				return False
		return allowed

	has_child_permission.qingqian = True
	permissions.has_child_permission = has_child_permission
