"""Records the integration tests make (rolled back after each test): units, users,
enterprises, ledger items and leads, and a workflow action as a user takes it."""

from contextlib import contextmanager

import frappe

PRIVATE = "91310110666007217T"
INSTITUTION_CODE = "12140502MB1A0099XT"  # a 事业单位's code no demo unit has (check character recomputed)


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


def in_parallel(fn, n, user="Administrator"):
	"""``fn()`` run by ``n`` threads at once, each in a connection of its own to the test site
	that commits as a request does (what they make is not rolled back: clean it up); returns
	their results, an exception where one raised."""
	import threading

	site, sites_path = frappe.local.site, frappe.local.sites_path
	barrier = threading.Barrier(n)
	results = [None] * n

	def run(i):
		frappe.init(site=site, sites_path=sites_path)
		frappe.connect()
		frappe.flags.in_test = True
		frappe.set_user(user)
		try:
			barrier.wait(timeout=30)
			results[i] = fn()
			frappe.db.commit()
		except Exception as e:
			frappe.db.rollback()
			results[i] = e
		finally:
			frappe.destroy()

	threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
	for t in threads:
		t.start()
	for t in threads:
		t.join(timeout=120)
	return results


def committed(fn, user="Administrator"):
	"""``fn()`` in a connection of its own, committed (seen by other connections)."""
	(result,) = in_parallel(fn, 1, user)
	if isinstance(result, Exception):
		raise result
	return result


@contextmanager
def fake_request(request, form_dict=None):
	"""``frappe.local.request`` (and ``form_dict``) as a request sets them, put back afterwards:
	absent stays absent (a None left behind makes later prints take the test for a web request)."""
	had = hasattr(frappe.local, "request")
	old_request, old_form = getattr(frappe.local, "request", None), frappe.local.form_dict
	frappe.local.request = request
	if form_dict is not None:
		frappe.local.form_dict = frappe._dict(form_dict)
	try:
		yield request
	finally:
		if had:
			frappe.local.request = old_request
		else:
			del frappe.local.request
		frappe.local.form_dict = old_form


def valid_uscc(code17):
	"""A 统一社会信用代码 from its first 17 characters (the check character computed)."""
	from qingqian_app.domain import uscc

	return code17 + uscc.check_character(code17)


def account(email="qiye@it.qingqian.example.com", code=PRIVATE, name="测试民营企业"):
	"""An enterprise's sign-up (Enterprise Account), not yet verified."""
	doc = frappe.get_doc(
		{
			"doctype": "Enterprise Account",
			"enterprise_name": name,
			"uscc": code,
			"contact_name": "王经理",
			"contact_phone": "0356-1234567",
			"email": email,
		}  # fmt: skip
	)
	doc.flags.ignore_permissions = True
	return doc.insert()


def enterprise_login(email="qiye@it.qingqian.example.com", code=PRIVATE, name="测试民营企业"):
	"""A verified enterprise login (its Enterprise made or found by ``code``)."""
	from qingqian_app.domain import portal

	doc = account(email, code, name)
	act("Enterprise Account", doc.name, portal.VERIFY)
	return doc.user


@contextmanager
def queued_mail():
	"""A default outgoing mail account, as a district sets one up, with sending muted: mails stay
	in the Email Queue to be read (a mail sent "now" would commit the test's transaction)."""
	frappe.flags.mute_emails = True
	if not frappe.db.exists("Email Account", {"default_outgoing": 1}):
		frappe.get_doc({
			"doctype": "Email Account", "email_account_name": "测试发件", "email_id": "it.sender@qingqian.example.com",
			"enable_outgoing": 1, "default_outgoing": 1, "smtp_server": "127.0.0.1", "smtp_port": 2,
			"no_smtp_authentication": 1, "use_tls": 0, "use_ssl_for_outgoing": 0,
		}).insert(ignore_permissions=True)  # fmt: skip
	try:
		yield
	finally:
		frappe.flags.mute_emails = False
		# Frappe keeps the outgoing account found for the rest of the request: not past the rollback
		if hasattr(frappe.local, "outgoing_email_account"):
			del frappe.local.outgoing_email_account
