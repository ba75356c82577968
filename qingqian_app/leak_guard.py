"""Smaller leaks of Frappe v15 paths around a record, closed from the app (hooks.py).

- ``frappe.desk.like.toggle_like`` checks nothing: any desk user liked (and so followed,
  with its change digests) any record of any unit. Here it needs read on the record.
- The Workflow Action list showed every open action of the user's roles — other units'
  record names and states. ``workflow_action_conditions`` / ``workflow_action_permission``
  (added to Frappe's own hooks, which still apply) also require read on the record the
  action is for, for the app's DocTypes.
- ``frappe.desk.search.get_link_title`` returned the title (contract and project names)
  of any record: now only of a record the user may read; otherwise the name, as for a
  DocType that shows no title.
- ``frappe.core.doctype.user.user.reset_password`` answered "not found" / "disabled" /
  "not allowed": now one Chinese answer whether or not the account exists (and the same
  rate limit).

``frappe.desk.form.utils.add_comment`` and the form's ``getdoc``/``get_docinfo``/
``get_communications`` check read on the record in Frappe already (tested).
"""

from __future__ import annotations

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit

from qingqian_app.child_scope import app_doctypes


def _may_read(doctype: str, name: str, user: str | None = None) -> bool:
	if not (doctype and name) or not frappe.db.exists(doctype, name):
		return False
	return bool(frappe.has_permission(doctype, "read", name, user=user))


@frappe.whitelist(methods=["POST"])
def toggle_like(doctype, name, add=False):
	"""``frappe.desk.like.toggle_like`` for a record the user may read."""
	from frappe.desk.like import _toggle_like

	if not _may_read(doctype, name):
		frappe.throw(
			_("您无权查看{0}“{1}”，不能点赞").format(_(doctype), name),
			frappe.PermissionError,
			title=_("没有权限"),
		)
	_toggle_like(doctype, name, add)


@frappe.whitelist()
def get_link_title(doctype, docname):
	"""``frappe.desk.search.get_link_title``: the title of a record the user may read."""
	from frappe.desk import search

	from qingqian_app.read_guard import unreadable_fields

	meta = frappe.get_meta(doctype)
	if meta.show_title_field_in_link and (
		not _may_read(doctype, docname) or meta.title_field in unreadable_fields(doctype, frappe.session.user)
	):
		return docname
	return search.get_link_title(doctype, docname)


def _password_reset_limit():
	from frappe.core.doctype.user.user import get_password_reset_limit

	return get_password_reset_limit()


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=_password_reset_limit, seconds=60 * 60)
def reset_password(user: str):
	"""``frappe.core.doctype.user.user.reset_password`` with one answer for every account."""
	try:
		account = frappe.get_doc("User", user)
		if account.name != "Administrator" and account.enabled:
			account.validate_reset_password()
			account.reset_password(send_email=True)
	except (frappe.DoesNotExistError, frappe.ValidationError, frappe.OutgoingEmailError):
		# the same answer: that the account exists or has no mail sent is not told
		if frappe.db.exists("User", user):
			frappe.log_error(title="重置密码邮件未发出")
	frappe.clear_messages()
	frappe.msgprint(
		msg=_("如该账号存在且可以重置密码，重置说明已发送到其登记的邮箱"),
		title=_("重置密码"),
	)


def workflow_action_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""Workflow Actions of the app's DocTypes only for records the user may read."""
	from qingqian_app.child_scope import reference_condition
	from qingqian_app.workflow_guard import workflow_doctypes

	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	column = "`tabWorkflow Action`.`reference_doctype`"
	ours = app_doctypes()
	with_workflow = sorted(ours & set(workflow_doctypes()))  # the definitions, read once a process
	others = f"{column} not in ({', '.join(frappe.db.escape(d) for d in sorted(ours))})"
	mine = reference_condition(column, "`tabWorkflow Action`.`reference_name`", with_workflow, user)
	return f"({others} or {mine})"


def workflow_action_permission(doc, ptype=None, user=None, debug=False):
	user = user or frappe.session.user
	if user == "Administrator" or doc.get("reference_doctype") not in app_doctypes():
		return None
	return None if _may_read(doc.reference_doctype, doc.reference_name, user) else False
