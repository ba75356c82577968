"""Records the integration tests make (rolled back after each test): units, users,
enterprises, ledger items and leads, and a workflow action as a user takes it."""

import frappe

PRIVATE = "91310110666007217T"
INSTITUTION_CODE = "12140502MB1A0003XT"  # a 事业单位's code (check character recomputed)


def unit(name, unit_type="机关", competent="区财政局", parent=None, **kw):
	doc = frappe.get_doc(
		{
			"doctype": "Debtor Unit",
			"unit_name": name,
			"unit_type": unit_type,
			"competent_unit": competent,
			"parent_debtor_unit": parent,
			"principal_title": "主任",
			**kw,
		}
	)
	return doc.insert(ignore_permissions=True).name


def user(key, roles, member_unit=None, debtor_unit=None):
	email = f"{key}@it.qingqian.example.com"
	frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": key,
			"send_welcome_email": 0,
			"roles": [{"role": r} for r in roles],
			"qingqian_member_unit": member_unit,
			"qingqian_debtor_unit": debtor_unit,
		}
	).insert(ignore_permissions=True)
	return email


def enterprise(name="测试民营企业", code=PRIVATE):
	if not frappe.db.exists("Enterprise", name):
		frappe.get_doc(
			{"doctype": "Enterprise", "enterprise_name": name, "uscc": code, "enterprise_scale": "小型"}
		).insert()
	return name


def item(debtor, **kw):
	"""A ledger item (a matter of its own: a contract number unique to it, unless given)."""
	values = {
		"doctype": "Arrears Item",
		"debtor_unit": debtor,
		"enterprise": enterprise(),
		"arrears_category": "工程",
		"arrears_amount": 100000,
		"contract_no": frappe.generate_hash(length=10),
		**kw,
	}
	return frappe.get_doc(values).insert()


def lead(respondent, **kw):
	return frappe.get_doc(
		{
			"doctype": "Complaint Lead",
			"channel": "12345热线",
			"enterprise": enterprise(),
			"respondent_unit": respondent,
			"claimed_amount": 50000,
			"description": "测试",
			"complainant_phone": "0356-1234567",
			**kw,
		}
	).insert()


def as_user(email):
	frappe.set_user(email)
	frappe.local.qingqian_scopes = {}


def act(doctype, name, action, user=None):
	"""Take a workflow action as ``user`` (Administrator by default), as the desk does."""
	from qingqian_app.workflow_guard import apply_workflow

	if user:
		as_user(user)
	try:
		return apply_workflow(frappe.get_doc(doctype, name), action)
	finally:
		if user:
			as_user("Administrator")


def set_state(doc, state):
	"""Put a record in a state directly (test set-up), then save it as Administrator so what
	follows from the state (what counts in the figures) is computed as on any save."""
	frappe.db.set_value(doc.doctype, doc.name, "workflow_state", state, update_modified=False)
	return frappe.get_doc(doc.doctype, doc.name).save()


def signed(kind, doc):
	"""A document drafted by office staff and signed by the office head: its number."""
	from qingqian_app.qingqian.doctype.issued_document.issued_document import draft, sign

	staff = "it.signing.staff@it.qingqian.example.com"
	head = "it.signing.head@it.qingqian.example.com"
	if not frappe.db.exists("User", staff):
		user("it.signing.staff", ["Qingqian Office Staff"])
		user("it.signing.head", ["Qingqian Office Head"])
	as_user(staff)
	try:
		draft(kind, doc.doctype, doc.name)
		as_user(head)
		return sign(kind, doc.doctype, doc.name)
	finally:
		as_user("Administrator")
