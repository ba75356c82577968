"""The enterprise's side over HTTP: sign up, register a claim, read one's own matters, fetch the
受理回执 (rules: qingqian_app.domain.portal).

The closed model holds: the Enterprise User role has no permission on any DocType, so Frappe's
generic paths (``/api/resource``, ``frappe.client``, reports, files, prints) give an enterprise
nothing. What it reads comes from here only, for its own Enterprise (``User.qingqian_enterprise``,
set when the office verifies the account), field by field as domain.portal lists them. A guest's
sign-up is limited per address (nginx sets it), an enterprise's calls per login.
"""

from __future__ import annotations

from functools import wraps

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import cint, getdate, nowdate

from qingqian_app.domain import complaints, ledger, portal
from qingqian_app.domain.ledger import Problem
from qingqian_app.enterprise_portal.mail import enterprise_users
from qingqian_app.workflow_guard import throw_problems


def per_user(limit: int, seconds: int):
	"""Frappe's rate_limit counts by address, and many enterprises share one (a park's or an
	agency's NAT): a logged-in enterprise is counted by its login; 429 past ``limit`` calls."""

	def decorator(fn):
		@wraps(fn)
		def wrapper(*args, **kwargs):
			key = frappe.cache.make_key(f"qq-portal:{fn.__name__}:{frappe.session.user}")
			calls = frappe.cache.incrby(key, 1)
			if calls == 1:
				frappe.cache.expire(key, seconds)
			if calls > limit:
				frappe.throw(_("操作过于频繁，请稍后再试"), frappe.TooManyRequestsError)
			return fn(*args, **kwargs)

		return wrapper

	return decorator


SIGNED_UP = (
	"注册申请已收到。我们已向该邮箱发送设置密码的邮件；清欠办或工商联核验企业身份后，即可网上登记诉求。"
)


def _throw(found: list[Problem], labels: dict[str, str], title: str):
	if found:
		frappe.throw(
			"<br>".join(f"{labels.get(p.fieldname, p.fieldname)}：{p.message}" for p in found), title=title
		)


CLAIM_LABELS = {
	"respondent_unit": "欠款单位",
	"arrears_category": "欠款类别",
	"contract_no": "合同编号",
	"claimed_amount": "欠款金额（元）",
	"due_date": "应付款日期",
	"description": "事实与理由",
	"no_court_statement": "声明",
	"migrant_wage_amount": "其中农民工工资（元）",
	"attachments": "附件",
}


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=5, seconds=60 * 60)
def sign_up(uscc=None, enterprise_name=None, contact_name=None, contact_phone=None, email=None):
	"""An enterprise asks for a login. The same answer whether or not the address is known."""
	values = {
		"uscc": uscc,
		"enterprise_name": enterprise_name,
		"contact_name": contact_name,
		"contact_phone": contact_phone,
		"email": (email or "").strip().lower(),
	}
	account = frappe.get_doc({"doctype": "Enterprise Account", **values})
	throw_problems(account, portal.signup_problems(values), "注册信息有误")  # labels: the DocType's
	if frappe.db.exists("User", values["email"]):
		return _(SIGNED_UP)  # never says which addresses have accounts
	account.flags.ignore_permissions = True
	account.insert()
	return _(SIGNED_UP)


def enterprise_of(user: str | None = None) -> str | None:
	"""The Enterprise the user speaks for: a verified account with the Enterprise User role."""
	user = user or frappe.session.user
	if user == "Guest" or portal.ROLE not in frappe.get_roles(user):
		return None
	return frappe.db.get_value("User", user, "qingqian_enterprise") or None


def account_state(user: str | None = None) -> dict:
	"""What the pages say to a login: its account's state and, when refused, the reason."""
	user = user or frappe.session.user
	if user == "Guest":
		return {"state": None}
	row = frappe.db.get_value(
		"Enterprise Account",
		{"user": user},
		["workflow_state", "reject_reason", "enterprise_name"],
		as_dict=True,
	)
	return {
		"state": row.workflow_state if row else None,
		"reject_reason": row.reject_reason if row else None,
		"enterprise_name": row.enterprise_name if row else None,
		"enterprise": enterprise_of(user),
	}


def page_context(context, title: str, route: str) -> dict:
	"""What an enterprise's page (www/) starts with: a guest is sent to log in and back; the
	login's account state."""
	if frappe.session.user == "Guest":
		frappe.local.flags.redirect_location = f"/login?redirect-to=/{route}"
		raise frappe.Redirect
	context.title = title
	context.no_cache = 1
	context.account = account_state()
	return context.account


def _require_enterprise() -> str:
	enterprise = enterprise_of()
	if not enterprise:
		frappe.throw(_("企业账号核验通过后才能登记和查看诉求"), frappe.PermissionError)
	return enterprise


def public_units() -> list[str]:
	"""The units an enterprise may name: every debtor unit not suspended (the public list)."""
	return frappe.get_all(
		"Debtor Unit", filters={"is_suspended": 0}, pluck="name", order_by="name asc", ignore_permissions=True
	)


@frappe.whitelist(methods=["POST"])
@per_user(limit=10, seconds=60 * 60)
def submit_claim(
	respondent_unit=None,
	arrears_category=None,
	contract_no=None,
	claimed_amount=None,
	due_date=None,
	description=None,
	no_court_statement=None,
	involves_migrant_wages=None,
	migrant_wage_amount=None,
):
	"""A claim registered online becomes a Complaint Lead by the channel 企业网上登记, with the
	enterprise's evidence attached privately; the answer is its 受理回执 number."""
	enterprise = _require_enterprise()
	try:
		due = getdate(due_date) if due_date else None
	except Exception:
		_throw([Problem("due_date", "请按“2025-03-15”的格式填写日期")], CLAIM_LABELS, _("诉求信息有误"))
	values = {
		"respondent_unit": (respondent_unit or "").strip(),
		"arrears_category": arrears_category,
		"contract_no": (contract_no or "").strip(),
		"claimed_amount": claimed_amount,
		"due_date": due,
		"description": (description or "").strip(),
		"no_court_statement": cint(no_court_statement),
		"involves_migrant_wages": cint(involves_migrant_wages),
		"migrant_wage_amount": migrant_wage_amount,
	}
	files = frappe.request.files.getlist("attachments") if getattr(frappe, "request", None) else []
	contents = [(f.filename or "", f.read()) for f in files if f and f.filename]
	found = portal.claim_problems(values, getdate(nowdate()), set(public_units()))
	found += portal.attachment_problems([(name, len(data)) for name, data in contents])
	_throw(found, CLAIM_LABELS, _("诉求信息有误"))

	account = frappe.db.get_value(
		"Enterprise Account", {"user": frappe.session.user}, ["contact_name", "contact_phone"], as_dict=True
	)
	lead = frappe.get_doc(
		{
			"doctype": "Complaint Lead",
			"channel": portal.CHANNEL,
			"received_on": nowdate(),
			"enterprise": enterprise,
			"enterprise_uscc": frappe.db.get_value("Enterprise", enterprise, "uscc"),
			"complainant_name": account.contact_name if account else None,
			"complainant_phone": account.contact_phone if account else None,
			**{k: v for k, v in values.items() if k != "due_date"},
			"due_date": due,
			"migrant_wage_amount": values["migrant_wage_amount"] if values["involves_migrant_wages"] else 0,
		}
	)
	lead.flags.ignore_permissions = True
	lead.insert()
	for name, data in contents:
		f = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": name,
				"attached_to_doctype": "Complaint Lead",
				"attached_to_name": lead.name,
				"is_private": 1,
				"content": data,
			}
		)
		f.flags.ignore_permissions = True
		f.insert()
	return {"receipt": lead.name, "received_on": str(lead.received_on)}


def _own_lead(name: str, enterprise: str) -> dict:
	lead = frappe.db.get_value(
		"Complaint Lead", {"name": name, "enterprise": enterprise}, portal.LEAD_FIELDS, as_dict=True
	)
	if not lead:  # another enterprise's, or none: the same answer
		frappe.throw(_("没有这条诉求"), frappe.DoesNotExistError)
	return lead


def matters(enterprise: str) -> list[dict]:
	"""The enterprise's leads, newest first, each with the ledger item born from it and that
	item's repayments: only the fields written for the enterprise."""
	leads = frappe.get_all(
		"Complaint Lead",
		filters={"enterprise": enterprise},
		fields=list(portal.LEAD_FIELDS),
		order_by="creation desc",
		ignore_permissions=True,
	)
	names = [lead["name"] for lead in leads] or [""]
	files: dict[str, list[dict]] = {}
	for f in frappe.get_all(
		"File",
		filters={
			"attached_to_doctype": "Complaint Lead",
			"attached_to_name": ["in", names],
			"owner": ["in", enterprise_users(enterprise) or [""]],
		},  # what the enterprise itself gave, not what staff attached
		fields=["name", "attached_to_name", "file_name"],
		order_by="creation asc",
		ignore_permissions=True,
	):
		files.setdefault(f.attached_to_name, []).append({"name": f.name, "file_name": f.file_name})
	items = {
		item.name: item
		for item in frappe.get_all(
			"Arrears Item",
			filters={
				"name": ["in", [lead["arrears_item"] for lead in leads if lead.get("arrears_item")] or [""]],
				"enterprise": enterprise,
			},  # fmt: skip
			fields=list(portal.ITEM_FIELDS),
			ignore_permissions=True,
		)
	}
	for item in items.values():
		item["repayments"] = []
		item["answerable"] = item["workflow_state"] not in ledger.FINAL_STATES
	for row in frappe.get_all(
		"Arrears Repayment",
		filters={"parent": ["in", list(items) or [""]], "parenttype": "Arrears Item"},
		fields=["parent", *portal.REPAYMENT_FIELDS],
		order_by="payment_date asc",
		ignore_permissions=True,
	):
		items[row.pop("parent")]["repayments"].append(row)
	ratings = {
		r.complaint_lead: r
		for r in frappe.get_all(
			"Handling Rating",
			filters={"complaint_lead": ["in", names], "enterprise": enterprise},
			fields=list(portal.RATING_FIELDS),
			ignore_permissions=True,
		)
	}
	for lead in leads:
		lead["attachments"] = files.get(lead["name"], [])
		lead["item"] = items.get(lead.get("arrears_item"))
		lead["rating"] = ratings.get(lead["name"])
		lead["ratable"] = lead["rating"] is None and lead["workflow_state"] in complaints.CLOSED_STATES
	return leads


@frappe.whitelist()
@per_user(limit=60, seconds=60)
def my_matters():
	return matters(_require_enterprise())


RECEIPT = "受理回执"  # print_formats/acceptance_receipt


@frappe.whitelist()
@per_user(limit=30, seconds=60)
def receipt_pdf(name: str):
	"""The 受理回执 of one of the enterprise's own claims, as a PDF (the enterprise has no print
	permission on leads: the receipt is printed for it, once the lead is known to be its own)."""
	enterprise = _require_enterprise()
	lead = _own_lead(name, enterprise)
	frappe.flags.ignore_print_permissions = True
	try:
		pdf = frappe.get_print("Complaint Lead", lead.name, print_format=RECEIPT, as_pdf=True)
	finally:
		frappe.flags.ignore_print_permissions = False
	frappe.local.response.filename = f"receipt-{lead.name}.pdf"  # (a header takes Latin-1 only)
	frappe.local.response.filecontent = pdf
	frappe.local.response.type = "download"  # saved, not opened in the browser


def _own_item(item: str, enterprise: str):
	"""An item born from one of the enterprise's leads, locked for the answer."""
	if not frappe.db.exists("Complaint Lead", {"arrears_item": item, "enterprise": enterprise}):
		frappe.throw(_("没有这条台账"), frappe.DoesNotExistError)
	frappe.db.sql("select name from `tabArrears Item` where name = %s for update", item)
	return frappe.get_doc("Arrears Item", item)


@frappe.whitelist(methods=["POST"])
@per_user(limit=30, seconds=60 * 60)
def answer_repayment(item: str, repayment: str, response: str, reason: str | None = None):
	"""The enterprise confirms, or disputes with a reason, one repayment the unit recorded.
	Every repayment confirmed: 企业已确认收款, recorded as the enterprise's own (domain.ledger.
	ONLINE). A dispute takes back any confirmation, sends an item awaiting 销号 back to 清偿中 and
	puts the matter before the clearing office (an assignment and the timeline)."""
	enterprise = _require_enterprise()
	doc = _own_item(item, enterprise)
	row = next((r for r in doc.repayments if r.name == repayment), None)
	if row is None:
		frappe.throw(_("没有这笔付款"), frappe.DoesNotExistError)
	labels = {"enterprise_response": "确认收款", "enterprise_response_reason": "异议理由"}
	_throw(portal.response_problems(response, reason, doc.workflow_state), labels, _("确认收款有误"))
	row.enterprise_response = response
	row.enterprise_response_reason = (reason or "").strip() if response == portal.DISPUTED else None
	row.enterprise_responded_by, row.enterprise_responded_on = frappe.session.user, frappe.utils.now()
	answers = doc.responses()
	if all(a == portal.CONFIRMED for a in answers):
		contact = frappe.db.get_value("Enterprise Account", {"user": frappe.session.user}, "contact_name")
		doc.confirmation_method, doc.confirmation_date = ledger.ONLINE, nowdate()
		doc.confirmation_contact = contact or frappe.session.user
		doc.confirmation_means = doc.confirmation_document = None
	elif doc.confirmation_method == ledger.ONLINE:
		doc.confirmation_method = doc.confirmation_date = doc.confirmation_contact = None
	doc.flags.ignore_permissions = True
	doc.save()
	if response == portal.DISPUTED:
		_dispute_to_office(doc, row)
	return {"enterprise_confirmed": doc.enterprise_confirmed, "state": doc.workflow_state}


def _dispute_to_office(doc, row):
	from qingqian_app.oversight import tallies
	from qingqian_app.oversight.supervision import assign_office

	if doc.workflow_state == ledger.AWAITING_CLOSURE:  # the office's 退回, by the enterprise's word
		doc._doc_before_save = frappe.get_doc(doc.doctype, doc.name)
		doc.db_set("workflow_state", ledger.REPAYING)
		tallies.follow(doc)
		doc.show_state_on_leads()
	text = _("{0} 对 {1} 的付款 {2} 元提出异议：{3}").format(
		doc.enterprise, row.payment_date, f"{row.amount:,.2f}", row.enterprise_response_reason
	)
	doc.add_comment("Comment", text)
	assign_office(doc.doctype, doc.name, text)


@frappe.whitelist(methods=["POST"])
@per_user(limit=10, seconds=60 * 60)
def rate(lead: str, rating: str, reasons: str | None = None):
	"""回访: the enterprise rates a closed matter of its own (Handling Rating)."""
	enterprise = _require_enterprise()
	own = _own_lead(lead, enterprise)
	frappe.db.sql("select name from `tabComplaint Lead` where name = %s for update", own.name)
	doc = frappe.get_doc(
		{"doctype": "Handling Rating", "complaint_lead": own.name, "rating": rating, "reasons": reasons}
	)
	doc.flags.ignore_permissions = True
	doc.insert()
	return {"name": doc.name, "review_status": doc.review_status}


@frappe.whitelist(methods=["GET"])
@per_user(limit=60, seconds=60)
def attachment(name: str):
	"""A file the enterprise gave with one of its own claims (private: only through here)."""
	enterprise = _require_enterprise()
	f = frappe.db.get_value(
		"File",
		{"name": name, "attached_to_doctype": "Complaint Lead"},
		["attached_to_name", "owner"],
		as_dict=True,
	)
	if not f or f.owner not in enterprise_users(enterprise):
		frappe.throw(_("没有这个附件"), frappe.DoesNotExistError)
	_own_lead(f.attached_to_name, enterprise)
	doc = frappe.get_doc("File", name)
	frappe.local.response.filename = doc.file_name
	frappe.local.response.filecontent = doc.get_content()
	frappe.local.response.type = "download"
