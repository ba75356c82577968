"""The classes of holes of issue 21, each tried as a hostile demo user would: one's own unit
picked through the User record; read_guard tricked by case, backticks and table names; scope
moves (an item into another competent unit's unit, one's unit re-parented, a Debtor Unit with
an enterprise's credit code, the shared Enterprise master edited); state changed by a GET;
double submits of "turn this into that" and "register"; bad input (a repayment dated tomorrow,
HTML in a text field in a print); reset_password telling which accounts exist. Whatever an
attempt changes is put back as Administrator, and the test fails."""

import datetime
import json
import threading
import time

import pytest
import requests

from tests.api.conftest import URL
from tests.api.helpers import DEBTOR, DEMO, ENTERPRISE, LEAD_ENTERPRISE, mark, message, site_today

from .hostile import CELLS, HACK, REFUSED, UNITS, url

OTHER_COMPETENT_UNIT = "区第一中学"  # competent unit 区教科局, not 区财政局 (the demo unit's)
UNIT_USERS = ["debtor.head", "debtor.reporter", "finance.head", "finance.staff", "school.reporter", "edu.head",
	"soe.reporter"]  # fmt: skip
NOT_OFFICE = [u.removesuffix(DEMO) for u in UNITS if u.split("@")[0] not in {"office.head", "office.staff",
	"sysadmin"}]  # fmt: skip


def _post(a, method, **data):
	return a.s.post(f"{URL}/api/method/{method}", data=data, timeout=60)


def _count(cls, n=1):
	CELLS[("(classes)", cls)] += n


def _doc(admin, doctype, name) -> dict:
	r = admin.get(url(doctype, name), timeout=30)
	return r.json()["data"] if r.status_code == 200 else {}


# --- a user picks its own unit -----------------------------------------------------------


# what a user's scope comes from: its unit, or for an enterprise's login the enterprise it speaks
# for (another enterprise's would give it that one's matters)
SCOPE_FIELDS = ("qingqian_debtor_unit", "qingqian_member_unit", "qingqian_enterprise")


@pytest.mark.parametrize(
	"field,unit",
	[
		("qingqian_debtor_unit", DEBTOR),
		("qingqian_member_unit", "区财政局"),
		("qingqian_enterprise", "晋城市安和物业服务有限公司"),
	],  # fmt: skip
)
def test_no_user_sets_its_own_unit(field, unit, actors, admin):
	wrong = []
	for name in NOT_OFFICE:
		a = actors[name]
		before = _doc(admin, "User", a.user)
		own = {k: before.get(k) for k in (*SCOPE_FIELDS, "modified")}
		tries = {
			"PUT /api/resource/User": lambda: a.s.put(url("User", a.user), json={field: unit}, timeout=30),
			"PUT /api/v2/document/User": lambda: a.s.put(
				f"{URL}/api/v2/document/User/{a.user}", json={field: unit}, timeout=30
			),  # fmt: skip
			"frappe.client.set_value": lambda: _post(
				a, "frappe.client.set_value", doctype="User", name=a.user, fieldname=field, value=unit
			),  # fmt: skip
			"frappe.client.save": lambda: _post(
				a, "frappe.client.save", doc=json.dumps({**before, field: unit})
			),  # fmt: skip
			"bulk_update": lambda: _post(
				a,
				"frappe.desk.doctype.bulk_update.bulk_update.submit_cancel_or_update_docs",
				doctype="User",
				docnames=json.dumps([a.user]),
				action="update",
				data=json.dumps({field: unit}),
			),  # fmt: skip
		}
		for path, attempt in tries.items():
			_count("own unit")
			r = attempt()
			after = _doc(admin, "User", a.user)
			if any(after.get(k) != own[k] for k in SCOPE_FIELDS):
				wrong.append(f"{name}: {path} → HTTP {r.status_code}: {field} = {after.get(field)!r}")
				admin.put(url("User", a.user), json={k: own[k] for k in SCOPE_FIELDS}, timeout=30)
	assert not wrong, "\n".join(wrong)


# --- read_guard by case, quoting and table names -----------------------------------------

LEAD = "Complaint Lead"
PHONE = "0356-2000111"  # the matrix's (and the victim's) complainant
_P = [["COMPLAINANT_PHONE", "like", "0356%"]]
GUARD = {
	"get_list filters upper": ("frappe.client.get_list", dict(doctype=LEAD, filters=json.dumps(_P))),
	"get_list filters table-qualified": (
		"frappe.client.get_list",
		dict(doctype=LEAD, filters=json.dumps([[LEAD, "Complainant_Phone", "like", "0356%"]])),
	),  # fmt: skip
	"get_list order_by field()": (
		"frappe.client.get_list",
		dict(doctype=LEAD, order_by=f"field(COMPLAINANT_PHONE,'{PHONE}') desc"),
	),  # fmt: skip
	"get_list order_by backticks": (
		"frappe.client.get_list",
		dict(doctype=LEAD, order_by="`complainant_phone` desc"),
	),  # fmt: skip
	"get_list order_by table.backticks": (
		"frappe.client.get_list",
		dict(doctype=LEAD, order_by="`tabComplaint Lead`.`COMPLAINANT_PHONE` desc"),
	),  # fmt: skip
	"get_list order_by upper": (
		"frappe.client.get_list",
		dict(doctype=LEAD, order_by="Complainant_Phone asc"),
	),
	"get_list group_by upper": (
		"frappe.client.get_list",
		dict(doctype=LEAD, fields=json.dumps(["count(name) as n"]), group_by="COMPLAINANT_PHONE"),
	),  # fmt: skip
	"get_count filters upper": ("frappe.client.get_count", dict(doctype=LEAD, filters=json.dumps(_P))),
	"reportview.get filters upper": (
		"frappe.desk.reportview.get",
		dict(doctype=LEAD, fields=json.dumps(["name"]), filters=json.dumps(_P)),
	),  # fmt: skip
	"reportview.get group_by upper": (
		"frappe.desk.reportview.get",
		dict(doctype=LEAD, fields=json.dumps(["name"]), group_by="`COMPLAINANT_PHONE`"),
	),  # fmt: skip
	"reportview.get_count upper": (
		"frappe.desk.reportview.get_count",
		dict(doctype=LEAD, filters=json.dumps(_P)),
	),
	"group_by_count upper": (
		"frappe.desk.listview.get_group_by_count",
		dict(doctype=LEAD, current_filters="[]", field="COMPLAINANT_PHONE"),
	),  # fmt: skip
	"number_card filters upper": (
		"frappe.desk.doctype.number_card.number_card.get_result",
		dict(
			doc=json.dumps(
				{"document_type": LEAD, "function": "Count", "type": "Document Type", "filters_json": "[]"}
			),
			filters=json.dumps([[LEAD, "COMPLAINANT_PHONE", "like", "0356%"]]),
		),
	),  # fmt: skip
	"number_card aggregate upper": (
		"frappe.desk.doctype.number_card.number_card.get_result",
		dict(
			doc=json.dumps(
				{
					"document_type": LEAD,
					"function": "Maximum",
					"aggregate_function_based_on": "COMPLAINANT_PHONE",
					"type": "Document Type",
					"filters_json": "[]",
				}
			),
			filters="[]",
		),
	),  # fmt: skip
	"dashboard_chart group_by upper": (
		"frappe.desk.doctype.dashboard_chart.dashboard_chart.get",
		dict(
			no_cache=1,
			chart=json.dumps(
				{
					"chart_type": "Group By",
					"document_type": LEAD,
					"group_by_type": "Count",
					"group_by_based_on": "COMPLAINANT_PHONE",
					"type": "Bar",
					"filters_json": "[]",
				}
			),
			filters="[]",
		),
	),  # fmt: skip
	"search_widget filters upper": (
		"frappe.desk.search.search_widget",
		dict(doctype=LEAD, txt="", filters=json.dumps({"COMPLAINANT_PHONE": ["like", "0356%"]})),
	),  # fmt: skip
	"search_widget searchfield upper": (
		"frappe.desk.search.search_widget",
		dict(doctype=LEAD, txt="0356", searchfield="COMPLAINANT_PHONE"),
	),  # fmt: skip
	"resource order_by upper": ("/api/resource", dict(order_by="COMPLAINANT_PHONE desc")),
	"resource filters backticks": (
		"/api/resource",
		dict(filters=json.dumps([["`complainant_phone`", "like", "0356%"]])),
	),  # fmt: skip
	"v2 filters upper": ("/api/v2", dict(filters=json.dumps(_P))),
}


@pytest.mark.parametrize("path", sorted(GUARD))
def test_read_guard_is_not_tricked_by_case_or_quoting(path, actors, victims):
	"""The leader reads every lead but not the complainant's phone (permlevel 1)."""
	leader = actors["leader"]
	method, params = GUARD[path]
	_count("read_guard by case")
	if method == "/api/resource":
		r = leader.s.get(url(LEAD), params=params, timeout=30)
	elif method == "/api/v2":
		r = leader.s.get(f"{URL}/api/v2/document/{LEAD}", params=params, timeout=30)
	else:
		r = _post(leader, method, **params)
	assert PHONE not in r.text and "0356-20" not in r.text, (path, r.status_code, r.text[:300])
	# refused, or (a search that quietly drops the field) nothing found at all
	empty = r.status_code == 200 and r.json().get("message", r.json().get("data")) in (None, [], {}, "")
	assert r.status_code in REFUSED or empty, (path, r.status_code, r.text[:300])


# --- scope moves ---------------------------------------------------------------------------


def test_no_one_moves_an_item_into_another_competent_units_unit(actors, admin):
	item = actors["debtor.reporter"].create(debtor_unit=DEBTOR, enterprise=ENTERPRISE, arrears_category="货物",
		contract_no=mark(), arrears_amount=30000, delivery_date="2026-09-01").json()["data"]  # fmt: skip
	wrong = []
	for who in ("finance.staff", "debtor.reporter", "finance.head"):
		for field in ("debtor_unit", "responsible_unit"):
			_count("scope move: item")
			r = actors[who].put(item["name"], **{field: OTHER_COMPETENT_UNIT})
			after = _doc(admin, "Arrears Item", item["name"])
			if after.get(field) == OTHER_COMPETENT_UNIT:
				wrong.append(f"{who}: {field} → {OTHER_COMPETENT_UNIT} (HTTP {r.status_code})")
				admin.put(url("Arrears Item", item["name"]), json={field: item.get(field)}, timeout=30)
			elif r.status_code not in REFUSED:
				wrong.append(f"{who}: {field}: HTTP {r.status_code} {message(r)[:100]}")
	assert not wrong, "\n".join(wrong)


def test_no_unit_is_reparented_by_its_own_or_its_competent_users(actors, admin):
	moves = {  # user: (unit, a parent under another competent unit)
		"debtor.head": (DEBTOR, OTHER_COMPETENT_UNIT),
		"debtor.reporter": (DEBTOR, OTHER_COMPETENT_UNIT),
		"finance.head": (DEBTOR, OTHER_COMPETENT_UNIT),
		"finance.staff": (DEBTOR, OTHER_COMPETENT_UNIT),
		"school.reporter": (OTHER_COMPETENT_UNIT, DEBTOR),
		"edu.head": (OTHER_COMPETENT_UNIT, DEBTOR),
		"soe.reporter": ("区城市建设投资有限公司", DEBTOR),
	}
	wrong = []
	for who, (unit, parent) in moves.items():
		before = _doc(admin, "Debtor Unit", unit)
		for path, attempt in {
			"PUT": lambda: actors[who].s.put(
				url("Debtor Unit", unit), json={"parent_debtor_unit": parent}, timeout=30
			),
			"set_value": lambda: _post(
				actors[who],
				"frappe.client.set_value",
				doctype="Debtor Unit",
				name=unit,
				fieldname="parent_debtor_unit",
				value=parent,
			),  # fmt: skip
		}.items():
			_count("scope move: re-parent")
			r = attempt()
			after = _doc(admin, "Debtor Unit", unit)
			if after.get("parent_debtor_unit") != before.get("parent_debtor_unit"):
				wrong.append(f"{who}: {path} {unit} under {parent} (HTTP {r.status_code})")
				admin.put(url("Debtor Unit", unit), json={"parent_debtor_unit": before.get("parent_debtor_unit") or ""},
					timeout=30)  # fmt: skip
	assert not wrong, "\n".join(wrong)


def test_no_unit_registers_a_debtor_unit_with_an_enterprises_credit_code(actors, admin):
	uscc = _doc(admin, "Enterprise", ENTERPRISE)["uscc"]
	wrong = []
	for who in ("debtor.head", "finance.head", "finance.staff", "edu.head", "complaint.officer", "liaison"):
		debtor, member = UNITS[who + DEMO]
		name = f"{mark()}-单位"
		_count("scope move: credit code")
		r = actors[who].create("Debtor Unit", unit_name=name, unit_type="事业单位", principal_title="主任",
			competent_unit=member or "区财政局", parent_debtor_unit=debtor or "", uscc=uscc)  # fmt: skip
		if r.status_code == 200 or _doc(admin, "Debtor Unit", name):
			wrong.append(f"{who}: registered {name} with {ENTERPRISE}'s credit code (HTTP {r.status_code})")
			admin.delete(url("Debtor Unit", name), timeout=30)
	assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("values", [{"enterprise_scale": "大型"}, {"uscc": "91140502MA0B0199XX"},
	{"enterprise_name": f"{LEAD_ENTERPRISE}（改）"}], ids=["scale", "uscc", "name"])  # fmt: skip
def test_only_the_office_edits_the_shared_enterprise_master(values, actors, admin):
	before = _doc(admin, "Enterprise", ENTERPRISE)
	wrong = []
	for who in NOT_OFFICE:
		_count("scope move: enterprise master")
		r = actors[who].put(ENTERPRISE, "Enterprise", **values)
		r2 = _post(actors[who], "frappe.client.set_value", doctype="Enterprise", name=ENTERPRISE,
			fieldname=next(iter(values)), value=next(iter(values.values())))  # fmt: skip
		after = _doc(admin, "Enterprise", ENTERPRISE)
		if any(after.get(k) != before.get(k) for k in values) or not after:
			wrong.append(f"{who}: Enterprise {values} (HTTP {r.status_code}, {r2.status_code})")
			admin.put(
				url("Enterprise", ENTERPRISE), json={k: before[k] for k in values if k in before}, timeout=30
			)
	assert not wrong, "\n".join(wrong)


# --- state-changing GET --------------------------------------------------------------------


def test_a_get_changes_nothing(actors, admin):
	"""Everything that changes data answers POST only: a link in a mail (a GET with the user's
	cookie) does nothing, even for the record's own user."""
	owner = actors["debtor.reporter"]
	item = owner.create(debtor_unit=DEBTOR, enterprise=ENTERPRISE, arrears_category="货物", contract_no=mark(),
		arrears_amount=30000, delivery_date="2026-09-01").json()["data"]  # fmt: skip
	name, docs = item["name"], json.dumps([item["name"]])
	attempts = {
		"frappe.client.set_value": dict(doctype="Arrears Item", name=name, fieldname="description", value=HACK),
		"bulk_update": ("frappe.desk.doctype.bulk_update.bulk_update.submit_cancel_or_update_docs",
			dict(doctype="Arrears Item", docnames=docs, action="update", data=json.dumps({"description": HACK}))),
		"bulk_workflow_approval": ("frappe.model.workflow.bulk_workflow_approval",
			dict(docnames=docs, doctype="Arrears Item", action="报送")),
		"apply_workflow": ("frappe.model.workflow.apply_workflow", dict(doc=json.dumps(item), action="报送")),
		"toggle_like": ("frappe.desk.like.toggle_like", dict(doctype="Arrears Item", name=name, add="Yes")),
		"add_comment": ("frappe.desk.form.utils.add_comment", dict(reference_doctype="Arrears Item",
			reference_name=name, content=HACK, comment_email=owner.user, comment_by="x")),
		"frappe.client.delete": dict(doctype="Arrears Item", name=name),
		"reportview.delete_items": ("frappe.desk.reportview.delete_items",
			dict(doctype="Arrears Item", items=docs)),
	}  # fmt: skip
	wrong = []
	for path, spec in attempts.items():
		method, params = spec if isinstance(spec, tuple) else (path, spec)
		_count("state-changing GET")
		before = _doc(admin, "Arrears Item", name)
		r = owner.s.get(f"{URL}/api/method/{method}", params=params, timeout=60)
		after = _doc(admin, "Arrears Item", name)
		comments = admin.get(url("Comment"), timeout=30, params={"filters": json.dumps([["reference_name", "=", name],
			["content", "like", f"%{HACK}%"]])}).json()["data"]  # fmt: skip
		if r.status_code == 200 or not after or after.get("modified") != before.get("modified") or comments:
			wrong.append(f"GET {method}: HTTP {r.status_code}; " + (
				"deleted" if not after else f"modified {before.get('modified')} → {after.get('modified')}"
				f", state {after.get('workflow_state')}, comments {len(comments)}"))  # fmt: skip
			if not after:
				break
	assert not wrong, "\n".join(wrong)


# --- double submits -----------------------------------------------------------------------


def _parallel(actor, method, n=10, **data):
	cookies = actor.s.cookies.get_dict()
	replies, barrier = [], threading.Barrier(n)

	def one():
		s = requests.Session()
		s.cookies.update(cookies)
		s.headers["Accept"] = "application/json"
		barrier.wait()
		replies.append(s.post(f"{URL}/api/method/{method}", data=data, timeout=120))

	threads = [threading.Thread(target=one) for _ in range(n)]
	for t in threads:
		t.start()
	for t in threads:
		t.join()
	return replies


def test_ten_parallel_turns_of_an_audit_finding_make_one_lead(actors, admin):
	a = actors["audit.officer"]
	r = a.create("Audit Finding", audited_unit=DEBTOR, audit_kind="专项审计", source_document=mark(),
		audit_date="2026-10-01", finding="并发测试", rectification_requirement="并发测试：限期整改",
		rectification_deadline="2026-12-31", enterprise=LEAD_ENTERPRISE, arrears_category="货物", amount=12345)  # fmt: skip
	assert r.status_code == 200, message(r)
	finding = r.json()["data"]["name"]
	_count("double submit", 10)
	replies = _parallel(
		a, "qingqian_app.accountability.doctype.audit_finding.audit_finding.to_lead", name=finding
	)
	leads = admin.get(url("Complaint Lead"), timeout=30, params={"filters": json.dumps([["description", "like",
		f"%{finding}%"]]), "limit_page_length": 0}).json()["data"]  # fmt: skip
	names = {x.json().get("message") for x in replies if x.status_code == 200}
	for lead in leads:  # not marked APITEST-: removed here (in their first state)
		admin.delete(url("Complaint Lead", lead["name"]), timeout=30)
	assert len(leads) == 1 and len(names) == 1, (
		f"10 parallel 转为投诉线索 of {finding} made {len(leads)} leads; replies "
		f"{sorted(x.status_code for x in replies)}, {names}"
	)


def test_ten_parallel_registrations_of_the_credit_list_make_one(actors, admin):
	a = actors["office.staff"]
	start = time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(time.time() - 2))
	before = {x["name"] for x in admin.get(url("Credit List Export"), params={"limit_page_length": 0}, timeout=30)
		.json()["data"]}  # fmt: skip
	_count("double submit", 10)
	replies = _parallel(a, "qingqian_app.accountability.actions.record_credit_export")
	after = {x["name"] for x in admin.get(url("Credit List Export"), params={"limit_page_length": 0}, timeout=30)
		.json()["data"]}  # fmt: skip
	made = sorted(after - before)
	for name in made[1:]:  # the one a single click makes stays, as it would
		admin.delete(url("Credit List Export", name), timeout=30)
	assert len(made) <= 1, (
		f"10 parallel 登记本次报送 (from {start}) made {len(made)} exports; replies "
		f"{sorted(x.status_code for x in replies)}"
	)


# --- bad input -----------------------------------------------------------------------------


def test_a_repayment_dated_tomorrow_is_refused(actors, admin):
	owner = actors["debtor.reporter"]
	tomorrow = (site_today(admin) + datetime.timedelta(days=1)).isoformat()
	_count("bad input", 2)
	r = owner.create(debtor_unit=DEBTOR, enterprise=ENTERPRISE, arrears_category="货物", contract_no=mark(),
		arrears_amount=30000, delivery_date="2026-09-01", repayments=[{"payment_date": tomorrow, "amount": 1000}])  # fmt: skip
	assert r.status_code == 417, ("created with a repayment dated tomorrow", r.status_code, message(r)[:200])
	item = owner.create(debtor_unit=DEBTOR, enterprise=ENTERPRISE, arrears_category="货物", contract_no=mark(),
		arrears_amount=30000, delivery_date="2026-09-01").json()["data"]  # fmt: skip
	r = owner.put(item["name"], repayments=[{"payment_date": tomorrow, "amount": 1000}])
	after = _doc(admin, "Arrears Item", item["name"])
	assert r.status_code == 417 and not after["repayments"], (
		r.status_code,
		message(r)[:200],
		after["repayments"],
	)


XSS = "<img src=x onerror=alert(1)><script>alert(2)</script>"


def test_html_in_a_text_field_comes_back_escaped_in_prints(actors):
	owner = actors["debtor.reporter"]
	item = owner.create(debtor_unit=DEBTOR, enterprise=ENTERPRISE, arrears_category="货物", contract_no=mark(),
		arrears_amount=30000, delivery_date="2026-09-01", description=f"{mark()} {XSS}",
		contract_name=f"合同{XSS}").json()["data"]  # fmt: skip
	wrong, escaped = [], 0
	from .hostile import PRINT_FORMATS

	for fmt in [*PRINT_FORMATS["Arrears Item"], "Standard"]:
		_count("bad input")
		r = _post(owner, "frappe.www.printview.get_html_and_style", doc="Arrears Item", name=item["name"],
			print_format=fmt)  # fmt: skip
		if r.status_code != 200:
			continue  # a document its state does not allow
		html = r.json()["message"]["html"]
		if "<img src=x onerror" in html or "<script>alert(2)" in html:
			wrong.append(f"{fmt}: the HTML came back as HTML")
		escaped += "&lt;img" in html or "&lt;script" in html
	assert not wrong, "\n".join(wrong)
	assert escaped, "no print showed the field at all: the test proves nothing"


# --- smaller leaks -------------------------------------------------------------------------


def test_reset_password_does_not_tell_which_accounts_exist(admin):
	email = f"apitest-reset-{time.time_ns()}{DEMO}"
	r = admin.post(url("User"), json={"email": email, "first_name": "重置测试", "send_welcome_email": 0,
		"roles": [{"role": "Debtor Unit Reporter"}]}, timeout=30)  # fmt: skip
	assert r.status_code == 200, message(r)
	try:
		client = {"X-Forwarded-For": f"198.19.{time.time_ns() % 250}.{time.time_ns() % 249 + 1}"}
		replies = [
			requests.post(
				f"{URL}/api/method/frappe.core.doctype.user.user.reset_password",
				data={"user": u},
				headers=client,
				timeout=30,
			)  # fmt: skip
			for u in (email, f"apitest-nobody-{time.time_ns()}{DEMO}")
		]
		_count("smaller leaks: reset_password", 2)
		(a, b) = [(x.status_code, x.json().get("message"), message(x)) for x in replies]
		assert a == b, f"an existing account answers {a}, a missing one {b}"
	finally:
		admin.delete(url("User", email), timeout=30)
