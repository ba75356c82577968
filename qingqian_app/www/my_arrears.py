"""/my-arrears: a verified enterprise's own claims and the ledger items born from them, with the
answers written for it (qingqian_app.enterprise_portal.api.matters)."""

import frappe

from qingqian_app.enterprise_portal.api import account_state, matters

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = "/login?redirect-to=/my-arrears"
		raise frappe.Redirect
	context.title = "我的诉求"
	context.no_cache = 1
	context.account = account_state()
	context.matters = matters(context.account["enterprise"]) if context.account.get("enterprise") else []
	return context
