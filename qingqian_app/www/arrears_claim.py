"""/arrears-claim: a verified enterprise registers a claim online (lands as a Complaint Lead by the
channel 企业网上登记: qingqian_app.enterprise_portal.api.submit_claim)."""

import frappe

from qingqian_app.domain import portal
from qingqian_app.enterprise_portal.api import page_context, public_units

no_cache = 1


def get_context(context):
	account = page_context(context, "登记拖欠账款诉求", "arrears-claim")
	if account.get("enterprise"):  # only a verified enterprise has the form (and its token)
		context.csrf_token = frappe.sessions.get_csrf_token()
		context.units = public_units()
		context.categories = portal.CATEGORIES
		context.max_files = portal.MAX_ATTACHMENTS
	return context
