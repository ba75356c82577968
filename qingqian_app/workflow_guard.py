"""Workflow steps checked on the server, for every DocType with a workflow here.

Frappe checks self-approval only in apply_workflow, so a REST client that writes the
state field directly would skip it; controllers call ``step_taken`` from validate.
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.workflow import get_workflow_name


def step_taken(doc, before):
	"""The workflow transition this save makes (None if the state did not change), after
	checking that the user may take it and, for an approval, that it is not their own."""
	old, new = before.workflow_state, doc.workflow_state
	if not old or old == new or not get_workflow_name(doc.doctype):
		return None
	user = frappe.session.user
	roles = set(frappe.get_roles(user))
	workflow = frappe.get_cached_doc("Workflow", get_workflow_name(doc.doctype))
	steps = [t for t in workflow.transitions if t.state == old and t.next_state == new and t.allowed in roles]
	if not steps:
		frappe.throw(_("不能从“{0}”转到“{1}”").format(old, new), frappe.PermissionError, title=_("流程"))
	if user != "Administrator" and user == doc.owner and not any(t.allow_self_approval for t in steps):
		frappe.throw(
			_("“{0}”须由他人审批，不能审批本人登记的单据").format(steps[0].action),
			frappe.PermissionError,
			title=_("不能自行审批"),
		)
	return steps[0]


def throw_problems(doc, found, title: str):
	"""Domain problems as one error naming each field by its label."""
	if found:
		frappe.throw(
			"<br>".join(f"{_(doc.meta.get_label(p.fieldname))}：{p.message}" for p in found), title=_(title)
		)
