"""Mail to an enterprise at each step of its matter it should know of (doc_events in hooks.py;
what each mail says: qingqian_app.domain.portal.lead_news), and to the clearing office when an
enterprise answers. Mails are queued (Email Queue), never sent inside the request; a site with
no outgoing mail account set up sends none (the portal shows the same steps)."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.utils import fmt_money

from qingqian_app.domain import ledger, portal

MATTERS_URL = "/my-arrears"


def enterprise_users(enterprise: str | None) -> list[str]:
	"""The enterprise's verified logins (enabled, with the Enterprise User role)."""
	if not enterprise:
		return []
	return frappe.db.sql(
		"""select u.name from `tabUser` u join `tabHas Role` r on r.parent = u.name and r.parenttype = 'User'
		where u.qingqian_enterprise = %s and u.enabled = 1 and r.role = %s""",
		(enterprise, portal.ROLE),
		pluck=True,
	)


def _send(enterprise: str | None, subject: str, lines: list[str], doctype: str, name: str):
	_send_to(enterprise_users(enterprise), subject, lines, doctype, name)


def _send_to(recipients: list[str], subject: str, lines: list[str], doctype: str, name: str):
	from frappe.email.doctype.email_account.email_account import EmailAccount

	if not recipients or not EmailAccount.find_outgoing(match_by_doctype=doctype):
		return
	url = frappe.utils.get_url(MATTERS_URL)
	body = "".join(f"<p>{frappe.utils.escape_html(line)}</p>" for line in lines)
	frappe.sendmail(
		recipients=recipients,
		subject=subject,
		message=f'{body}<p><a href="{url}">查看我的诉求</a></p>',
		reference_doctype=doctype,
		reference_name=name,
		delayed=True,
	)


def account_changed(doc, method=None):
	"""An enterprise's login verified (it may now register claims) or refused (and why)."""
	if not doc.has_value_changed("workflow_state"):
		return
	news = portal.account_news(doc.workflow_state, doc.reject_reason)
	if news and doc.user:
		_send_to([doc.user], _("企业账号：{0}").format(doc.workflow_state), [news], doc.doctype, doc.name)


def lead_changed(doc, method=None):
	"""A lead of an enterprise with a portal login reached a step the enterprise is told of."""
	if not doc.enterprise or not doc.has_value_changed("workflow_state"):
		return
	news = portal.lead_news(doc.workflow_state, doc.as_dict())
	if news:
		_send(
			doc.enterprise,
			_("诉求 {0}：{1}").format(doc.name, doc.workflow_state),
			[news],
			doc.doctype,
			doc.name,
		)


def item_changed(doc, method=None):
	"""A repayment recorded on an item born from the enterprise's lead (to confirm), or the
	item closed (销号). Most saves tell nothing: the lead is looked up only when one does."""
	if doc.flags.qingqian_inserted or not doc.enterprise:
		return
	before = doc.get_doc_before_save()
	known = {r.name for r in before.repayments} if before else set()
	lines = [
		_("{0} 登记了一笔付款：{1}，{2} 元。请在“我的诉求”中确认收款，或提出异议。").format(
			doc.debtor_unit, r.payment_date, fmt_money(r.amount, precision=2)
		)
		for r in doc.repayments
		if r.name not in known
	]
	if doc.has_value_changed("workflow_state") and doc.workflow_state == ledger.CLOSED:
		lines.append(_("台账 {0} 已销号。").format(doc.name))
	if lines and frappe.db.exists("Complaint Lead", {"arrears_item": doc.name, "enterprise": doc.enterprise}):
		_send(
			doc.enterprise,
			_("台账 {0}：{1}").format(doc.name, doc.workflow_state),
			lines,
			doc.doctype,
			doc.name,
		)


def rating_reviewed(doc):
	_send(
		doc.enterprise,
		_("回访评价 {0}：清欠办已复核").format(doc.name),
		[_("您对诉求 {0} 的评价，清欠办已复核：{1}").format(doc.complaint_lead, doc.review_result)],
		doc.doctype,
		doc.name,
	)
