"""What the desk's own widgets ask the app for, as the user who asks.

- ``pending_approvals``: 我的待审批 on the workspace (a Quick List of Workflow Action, which Frappe
  would show as bare numbers opening the raw Workflow Action): the records themselves, with
  their kind, title and state, newest first; each opens the record (public/js/desk.js).
- ``has_app_permission``: the app's tile on /apps (hooks.py ``add_to_apps_screen``) is for staff
  only; a Website User (an enterprise) has none, so Frappe's login answers with its role's home
  page (hooks.py ``role_home_page``: an enterprise lands on /my-arrears, never /app).
"""

from __future__ import annotations

import frappe
from frappe import _


@frappe.whitelist()
def pending_approvals(limit: int = 4) -> dict:
	"""The session user's open approvals: {count, rows: [{doctype, doctype_label, name, title,
	state, modified}]}, only records the user may read (Frappe's Workflow Action scope, then the
	record's own permission)."""
	limit = max(1, min(int(limit or 4), 20))
	open_ = {"status": "Open"}
	count = frappe.get_list("Workflow Action", filters=open_, fields=["count(name) as n"])[0].n
	actions = frappe.get_list(
		"Workflow Action",
		filters=open_,
		fields=["reference_doctype", "reference_name", "workflow_state", "modified"],
		order_by="modified desc",
		limit_page_length=limit * 3,  # a record's actions for several roles, or one it may no longer read
	)
	rows, seen = [], set()
	for a in actions:
		key = (a.reference_doctype, a.reference_name)
		if key in seen or not frappe.has_permission(a.reference_doctype, "read", doc=a.reference_name):
			continue
		seen.add(key)
		meta = frappe.get_meta(a.reference_doctype)
		title = meta.title_field and frappe.db.get_value(
			a.reference_doctype, a.reference_name, meta.title_field
		)
		rows.append(
			{
				"doctype": a.reference_doctype,
				"doctype_label": _(a.reference_doctype),
				"name": a.reference_name,
				"title": title or "",
				"state": a.workflow_state,
				"modified": a.modified,
			}
		)
		if len(rows) == limit:
			break
	return {"count": count, "rows": rows}


def has_app_permission() -> bool:
	return (
		frappe.session.user != "Guest"
		and frappe.get_cached_value("User", frappe.session.user, "user_type") == "System User"
	)
