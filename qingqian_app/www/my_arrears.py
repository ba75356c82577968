"""/my-arrears: a verified enterprise's own claims and the ledger items born from them, with the
answers written for it (qingqian_app.enterprise_portal.api.matters)."""

import frappe

from qingqian_app.domain import portal
from qingqian_app.enterprise_portal.api import matters, page_context

no_cache = 1


def get_context(context):
	account = page_context(context, "我的诉求", "my-arrears")
	context.matters = []
	if account.get("enterprise"):  # only a verified enterprise has forms to post (and their token)
		context.matters = matters(account["enterprise"])
		context.csrf_token = frappe.sessions.get_csrf_token()
		context.ratings = portal.RATINGS
	return context
