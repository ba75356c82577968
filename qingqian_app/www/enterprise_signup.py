"""/enterprise-signup: an enterprise asks for its login (qingqian_app.enterprise_portal.api.sign_up)."""

import frappe

no_cache = 1


def get_context(context):
	context.title = "企业注册"
	context.csrf_token = frappe.sessions.get_csrf_token() if frappe.session.user != "Guest" else ""
	context.no_cache = 1
	return context
