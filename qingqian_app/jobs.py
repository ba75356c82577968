"""Background jobs speak the user's language (hooks.py ``before_job``).

A request runs in its user's language; a job that Frappe starts from it (workflow approval
mails, notifications, mail attachments rendered in the worker) runs in the bench's
``lang`` config or English. Staff then get English buttons and print labels in their mail.
Here each job takes the language of the user who queued it, or the site's (the mail's heading,
which Frappe does not translate, is translated by qingqian_app.workflow_guard)."""

import frappe


def use_users_language(**kwargs):
	frappe.set_user_lang(frappe.session.user)
