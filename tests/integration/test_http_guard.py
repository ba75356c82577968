"""Issue 21 at the HTTP edge (qingqian_app/http_guard.py, security.py): no GET changes data,
"turn into" and "register" actions are idempotent under concurrent clicks, failed logins lock
the account and not the address, report_to_pdf fetches no URL the user names, the desk's
exports write formula-like text as text."""

import csv
import http.server
import io
import json
import threading
import time
from types import SimpleNamespace

import frappe
import pytest
from werkzeug.exceptions import MethodNotAllowed

from qingqian_app import http_guard, security

from .factories import committed, fake_request, in_parallel

# --- state-changing GET -----------------------------------------------------------------------

WRITES = [
	("/api/method/frappe.desk.reportview.delete_items", {}),
	("/api/method/frappe.desk.form.save.savedocs", {}),
	("/api/method/frappe.desk.form.save.cancel", {}),
	("/api/method/frappe.model.workflow.apply_workflow", {}),
	("/api/method/frappe.model.workflow.bulk_workflow_approval", {}),
	("/api/method/frappe.desk.doctype.bulk_update.bulk_update.submit_cancel_or_update_docs", {}),
	("/api/method/frappe.desk.doctype.tag.tag.add_tag", {}),
	("/api/method/frappe.desk.like.toggle_like", {}),
	("/api/method/frappe.desk.form.assign_to.add", {}),
	("/api/method/frappe.model.rename_doc.update_document_title", {}),
	("/api/method/frappe.client.delete", {}),
	("/api/method/frappe.client.set_value", {}),
	("/api/method/upload_file", {}),
	("/api/method/frappe.desk.doctype.list_view_settings.list_view_settings.save_listview_settings", {}),
	("/api/v2/method/frappe.desk.reportview.delete_items", {}),
	("/api/v1/method/frappe.desk.reportview.delete_items", {}),
	("/app/todo", {"cmd": "frappe.desk.reportview.delete_items"}),
	("/api/method/run_doc_method", {"dt": "Petition", "dn": "x", "method": "open_lead"}),
	("/api/method/runserverobj", {"docs": json.dumps({"doctype": "Petition"}), "method": "open_lead"}),
	("/api/resource/Petition/x", {"run_method": "open_lead"}),
	("/api/v2/document/Petition/x/method/open_lead", {}),
	("/api/method/qingqian_app.accountability.actions.record_credit_export", {}),
	("/api/method/qingqian_app.accountability.doctype.audit_finding.audit_finding.to_lead", {}),
	("/api/method/frappe.utils.print_format.report_to_pdf", {}),
	# the workflow mail's links without their signature
	("/api/method/frappe.workflow.doctype.workflow_action.workflow_action.confirm_action", {}),
	("/api/method/frappe.workflow.doctype.workflow_action.workflow_action.apply_action", {}),
]
READS = [
	("/api/method/frappe.client.get_list", {}),
	("/api/method/frappe.client.get_count", {}),
	("/api/method/frappe.desk.form.load.getdoc", {}),
	("/api/method/frappe.desk.reportview.get", {}),
	("/api/method/frappe.desk.search.search_link", {}),
	("/api/method/frappe.desk.query_report.run", {}),
	("/api/method/frappe.utils.print_format.download_pdf", {}),
	("/api/method/frappe.desk.reportview.export_query", {}),
	("/api/method/ping", {}),
	("/api/method/login", {}),
	("/api/method/logout", {}),
	("/api/resource/Petition/x", {}),
	("/api/resource/Petition", {}),
	("/api/v2/document/Petition/x", {}),
	("/app/todo", {}),
	("/api/method/qingqian_app.oversight.dashboard.outstanding_amount", {}),
	("/api/method/frappe.core.doctype.communication.email.mark_email_as_seen", {}),  # GET alone
	("/api/method/frappe.www.login.login_via_google", {}),  # an OAuth redirect
]
SIGNED = "action=x&doctype=Petition&docname=x&user=a&_signature=" + "0" * 128


def _get(path, form, query=b""):
	"""Every before_request hook, as for a GET of ``path`` (the guard is found through hooks.py)."""
	with fake_request(SimpleNamespace(method="GET", path=path, query_string=query), form):
		for hook in frappe.get_hooks("before_request"):
			frappe.call(hook)


@pytest.mark.parametrize("path,form", WRITES)
def test_a_get_that_would_change_data_is_refused_405(path, form):
	with pytest.raises(MethodNotAllowed) as e:
		_get(path, form)
	response = e.value.get_response()
	assert response.status_code == 405 and response.headers["Allow"] == "POST"
	assert "不允许以 GET 方式修改数据" in json.loads(response.get_data())["message"]


@pytest.mark.parametrize("path,form", READS)
def test_a_get_that_reads_runs(path, form):
	_get(path, form)


def test_the_workflow_mails_signed_links_still_open_by_get():
	# Frappe's mail links to apply_action (a confirm page) and that page's button to
	# confirm_action, both GET links carrying an HMAC signature Frappe verifies (GET only)
	for method in ("apply_action", "confirm_action"):
		path = f"/api/method/frappe.workflow.doctype.workflow_action.workflow_action.{method}"
		_get(path, {}, SIGNED.encode())


def test_every_method_of_the_app_that_accepts_get_only_reads():
	"""The app's own methods are declared: a new one accepting GET must be added here, read."""
	import importlib
	import pkgutil

	import qingqian_app

	for m in pkgutil.walk_packages(qingqian_app.__path__, "qingqian_app."):
		if ".patches" not in m.name:
			try:
				importlib.import_module(m.name)
			except Exception:
				pass
	reads = {
		"qingqian_app.ledger_io.export.export",
		"qingqian_app.ledger_io.export.template",
		"qingqian_app.prevention.report.investment_project_check.investment_project_check.flag_options",
		"qingqian_app.search.link_query",
		"qingqian_app.search.global_search",
		"qingqian_app.qingqian.doctype.issued_document.issued_document.register_of",
		"qingqian_app.accountability.actions.units_under_measures",
		"qingqian_app.accountability.disclosure.public_rows",
		"qingqian_app.printouts.ledger_pdf",
		"qingqian_app.read_guard.get_count",
		"qingqian_app.read_guard.get_group_by_count",
		"qingqian_app.http_guard.export_query",
		"qingqian_app.http_guard.export_query_report",
		"qingqian_app.workflow_guard.confirm_action",  # the signed mail link (see above)
		"qingqian_app.print_guard.get_html_and_style",
		"qingqian_app.print_guard.get_rendered_raw_commands",
		"qingqian_app.leak_guard.get_link_title",
		"qingqian_app.enterprise_portal.api.my_matters",  # an enterprise's own matters
		"qingqian_app.enterprise_portal.api.receipt_pdf",  # and their 受理回执
		"qingqian_app.enterprise_portal.api.attachment",  # and the evidence they gave
		"qingqian_app.read_guard.dashboard_chart",
		"qingqian_app.read_guard.number_card_result",
		"qingqian_app.desk.pending_approvals",
		"qingqian_app.pdf.is_wkhtmltopdf_valid",
	}
	reads |= {f"qingqian_app.oversight.dashboard.{n}" for n in (
		"outstanding_amount", "clearance_rate", "overdue_items", "overdue_leads", "repaid_by_month",
		"outstanding_by_unit_type", "units_not_reported", "open_supervisions")}  # fmt: skip
	get_ok = set()
	for fn in frappe.whitelisted:
		name = f"{fn.__module__}.{fn.__qualname__}"
		if name.startswith("qingqian_app.") and "GET" in frappe.allowed_http_methods_for_whitelisted_func[fn]:
			get_ok.add(name)
	disclosure = {n for n in get_ok if n.startswith("qingqian_app.accountability.disclosure.")}
	assert get_ok - reads - disclosure == set()
	assert "qingqian_app.qingqian.doctype.petition.petition.Petition.open_lead" not in get_ok
	assert "qingqian_app.workflow_guard.bulk_workflow_approval" not in get_ok


# --- double submits ---------------------------------------------------------------------------


def _finding():
	def make():
		return (
			frappe.get_doc(
				{
					"doctype": "Audit Finding",
					"audited_unit": frappe.get_all("Debtor Unit", limit=1, pluck="name")[0],
					"audit_kind": "经济责任审计",
					"source_document": "并发测试〔2026〕1号",
					"audit_date": "2025-06-01",
					"enterprise": frappe.get_all("Enterprise", limit=1, pluck="name")[0],
					"arrears_category": frappe.get_meta("Arrears Item")
					.get_field("arrears_category")
					.options.split("\n")[1],
					"amount": 1000,
					"finding": "并发转为投诉线索",
				}
			)
			.insert(ignore_permissions=True)
			.name
		)

	return committed(make)


def _drop(doctype, names):
	"""What the threads committed, deleted (each record on its own; by SQL where a delete is
	refused)."""

	def drop():
		for name in names:
			if not (name and frappe.db.exists(doctype, name)):
				continue
			try:
				frappe.delete_doc(doctype, name, ignore_permissions=True, force=True, delete_permanently=True)
				frappe.db.commit()
			except Exception:
				frappe.db.rollback()
				frappe.db.delete(doctype, {"name": name})
				frappe.db.commit()

	committed(drop)


def test_ten_parallel_turns_of_one_audit_finding_make_one_lead_and_one_item():
	from qingqian_app.accountability.doctype.audit_finding import audit_finding

	finding = _finding()
	leads, items = [], []
	try:
		results = in_parallel(lambda: audit_finding.to_lead(finding), 10)
		frappe.db.rollback()  # this connection's snapshot: see what the threads committed
		leads = frappe.get_all(
			"Complaint Lead", filters={"description": ["like", f"%{finding}%"]}, pluck="name"
		)
		items_results = in_parallel(lambda: audit_finding.to_item(finding), 10)
		frappe.db.rollback()
		items = frappe.get_all(
			"Arrears Item", filters={"description": ["like", f"%{finding}%"]}, pluck="name"
		)
		assert not [r for r in results + items_results if isinstance(r, Exception)], results + items_results
		assert len(leads) == 1 and set(results) == set(leads)
		assert len(items) == 1 and set(items_results) == set(items)
	finally:
		_drop("Audit Finding", [finding])
		_drop("Complaint Lead", leads)
		_drop("Arrears Item", items)


def test_ten_parallel_turns_of_one_petition_make_one_lead():
	marker = f"并发信访转线索 {time.time_ns()}"

	def make():
		return (
			frappe.get_doc(
				{
					"doctype": "Petition",
					"petition_no": marker,
					"received_on": "2026-01-05",
					"petition_form": "来信",
					"involved_unit": frappe.get_all("Debtor Unit", limit=1, pluck="name")[0],
					"enterprise": frappe.get_all("Enterprise", limit=1, pluck="name")[0],
					"claimed_amount": 1000,
					"petitioner_name": "并发测试",
					"content": marker,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)

	petition = committed(make)
	leads = []
	try:
		results = in_parallel(lambda: frappe.get_doc("Petition", petition).open_lead(), 10)
		frappe.db.rollback()
		leads = frappe.get_all("Complaint Lead", filters={"description": marker}, pluck="name")
		assert not [r for r in results if isinstance(r, Exception)], results
		assert len(leads) == 1 and set(results) == set(leads)
	finally:
		_drop("Petition", [petition])
		_drop("Complaint Lead", leads)


def test_ten_parallel_drafts_of_one_document_register_it_once():
	from qingqian_app import documents
	from qingqian_app.qingqian.doctype.issued_document.issued_document import draft

	kind = "限期清偿通知书"

	def candidate():  # a demo item the notice may be drafted for, not drafted yet
		drafted = set(
			frappe.get_all("Issued Document", filters={"document_kind": kind}, pluck="reference_name")
		)
		for name in frappe.get_all("Arrears Item", order_by="creation asc", limit=300, pluck="name"):
			if name in drafted:
				continue
			try:
				documents.check_kind(kind, frappe.get_doc("Arrears Item", name))
			except Exception:
				continue
			return name

	item = committed(candidate)
	if not item:
		pytest.skip("no demo item a 限期清偿通知书 may be drafted for")
	rows = []
	try:
		results = in_parallel(lambda: draft(kind, "Arrears Item", item), 10)
		frappe.db.rollback()
		rows = frappe.get_all(
			"Issued Document", filters={"document_kind": kind, "reference_name": item}, pluck="name"
		)
		assert not [r for r in results if isinstance(r, Exception)], results
		assert len(rows) == 1 and set(results) == set(rows)
	finally:
		_drop("Issued Document", rows)


def test_ten_parallel_registrations_of_one_credit_list_make_one_export():
	from qingqian_app.accountability import actions

	def baseline():  # the latest export, unlike the list now: the next registration is a new one
		doc = frappe.get_doc({"doctype": "Credit List Export", "exported_on": frappe.utils.now_datetime(),
			"exported_by": "Administrator", "row_count": 1, "changes": "测试",
			"rows": json.dumps([{"action": "并发测试", "unit_name": "并发测试单位", "uscc": "", "measure": "",
			"basis": "", "decided_on": "", "valid_until": ""}])})  # fmt: skip
		doc.flags.qingqian_export = True
		return doc.insert(ignore_permissions=True).name

	before = set(frappe.get_all("Credit List Export", pluck="name"))
	base = committed(baseline)
	made = []
	try:
		results = in_parallel(actions.record_credit_export, 10)
		frappe.db.rollback()  # this connection's snapshot: see what the threads committed
		made = sorted(set(frappe.get_all("Credit List Export", pluck="name")) - before - {base})
		assert not [r for r in results if isinstance(r, Exception)], results
		assert len(made) == 1 and set(results) == set(made)
		# the same list registered again later is that export
		assert committed(actions.record_credit_export) == made[0]
	finally:
		_drop("Credit List Export", [base, *made])


# --- lockout: the account, not the address ----------------------------------------------------


def test_failed_logins_lock_the_account_with_429_and_only_throttle_the_address():
	from frappe import auth

	assert auth.get_login_attempt_tracker is security.get_login_attempt_tracker  # installed
	address = f"198.18.{time.time_ns() % 250}.{time.time_ns() % 249 + 1}"
	account = f"nobody-{time.time_ns()}@it.qingqian.example.com"
	frappe.local.request_ip = address
	limit = frappe.db.get_single_value("System Settings", "allow_consecutive_login_attempts")
	try:
		for _ in range(limit + 1):
			auth.get_login_attempt_tracker(address).add_failure_attempt()
			auth.get_login_attempt_tracker(account).add_failure_attempt()
		auth.get_login_attempt_tracker(address)  # another account from there still may try
		frappe.clear_cache()  # a migrate, a settings save: the lock outlives it
		with pytest.raises(security.LoginLocked, match="账号已锁定") as e:
			auth.get_login_attempt_tracker(account)
		assert e.value.http_status_code == 429
		for _ in range(security.IP_FAILURES - limit - 1):
			auth.get_login_attempt_tracker(address).add_failure_attempt()
		auth.get_login_attempt_tracker(address).add_success_attempt()  # does not clear it
		auth.get_login_attempt_tracker(address).add_failure_attempt()  # past the address's limit
		with pytest.raises(security.LoginLocked, match="登录失败次数过多"):
			auth.get_login_attempt_tracker(address)
	finally:
		for key in (f"ip:{address}", address, account):
			frappe.cache.hdel("login_failed_count", key)
			frappe.cache.hdel("login_failed_time", key)
		frappe.local.request_ip = None


# --- report_to_pdf: no server-side request ----------------------------------------------------


@pytest.fixture
def listener():
	hits = []

	class Handler(http.server.BaseHTTPRequestHandler):
		def do_GET(self):
			hits.append(self.path)
			body = b"body{}" if self.path.endswith("css") else b"<html></html>"
			self.send_response(200)
			self.send_header("Content-Length", str(len(body)))
			self.end_headers()
			self.wfile.write(body)

		def log_message(self, *args):
			pass

	server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
	threading.Thread(target=server.serve_forever, daemon=True).start()
	yield SimpleNamespace(url=f"http://127.0.0.1:{server.server_address[1]}", hits=hits)
	server.shutdown()


def _crafted(url):
	return f"""<html><head><link rel="stylesheet" href="{url}/link.css">
	<style>@import url("{url}/import.css"); .a {{ background: u\\72l({url}/escaped.png) }}
	.b {{ background-image: url('{url}/style.png') }}</style></head>
	<body><img src="{url}/img.png"><img src="{url}/img2.png" srcset="{url}/srcset.png 2x">
	<iframe src="{url}/iframe"></iframe><object data="{url}/object"></object>
	<div style="background: url({url}/inline.png)" class="a b">x</div>
	<svg><image href="{url}/svg.png" width="10" height="10"/></svg>
	<img src="file:///etc/passwd"></body></html>"""


def test_report_to_pdf_fetches_no_url_the_user_names(listener):
	from frappe.utils import print_format

	try:  # Frappe's own: the payload makes wkhtmltopdf fetch (then it may fail on the rest)
		print_format.report_to_pdf(_crafted(listener.url))
	except Exception:
		pass
	assert listener.hits, "the crafted HTML should make wkhtmltopdf fetch"
	listener.hits.clear()
	http_guard.report_to_pdf(_crafted(listener.url))
	assert frappe.local.response.filecontent.startswith(b"%PDF")
	assert listener.hits == []
	kept = http_guard.safe_pdf_html(_crafted(listener.url) + '<img src="/assets/frappe/images/x.svg">')
	assert "/assets/frappe/images/x.svg" in kept and "127.0.0.1" not in kept and "passwd" not in kept
	for url in ("/files/../api/method/x", "//evil.example/files/a.png", "/files/%2e%2e/a", "javascript:x"):
		assert not http_guard.allowed_url(url), url
	assert frappe.get_hooks("override_whitelisted_methods")["frappe.utils.print_format.report_to_pdf"] == [
		"qingqian_app.http_guard.report_to_pdf"
	]


# --- exports write text as text ---------------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x","点此")', "+1+1", "-2+3", "@SUM(A1)"]


def _export(file_format_type, names):
	frappe.local.form_dict = frappe._dict(
		doctype="ToDo",
		fields=json.dumps(["`tabToDo`.`name`", "`tabToDo`.`description`"]),
		filters=json.dumps([["ToDo", "name", "in", names]]),
		order_by="`tabToDo`.`description` asc",
		file_format_type=file_format_type,
		title="ToDo",
	)
	method = frappe.get_hooks("override_whitelisted_methods")["frappe.desk.reportview.export_query"][-1]
	frappe.call(frappe.get_attr(method))
	return frappe.local.response.filecontent


def test_the_desks_export_writes_formula_like_text_as_text():
	from openpyxl import load_workbook

	names = [
		frappe.get_doc({"doctype": "ToDo", "description": text, "allocated_to": "Administrator"})
		.insert()
		.name
		for text in FORMULAS
	]
	rows = list(csv.reader(io.StringIO(_export("CSV", names).decode("utf-8"))))
	cells = {row[2] for row in rows[1:]}
	assert cells == {"'" + text for text in FORMULAS}
	assert [row[0] for row in rows[1:]] == ["1", "2", "3", "4"]  # numbers stay numbers
	sheet = load_workbook(io.BytesIO(_export("Excel", names))).active
	by_text = {c.value: c for row in sheet.iter_rows(min_row=2) for c in row}
	for text in FORMULAS:
		assert by_text[text].data_type == "s", text
	assert by_text[1].data_type == "n"
	# a script report's export ends in the same writers
	from frappe.utils.xlsxutils import make_xlsx

	with http_guard.safe_cells():
		cell = load_workbook(make_xlsx([["=1+1", 2]], "Query Report")).active.cell(row=1, column=1)
	assert cell.data_type == "s"
	assert frappe.get_hooks("override_whitelisted_methods")["frappe.desk.query_report.export_query"] == [
		"qingqian_app.http_guard.export_query_report"
	]
	# elsewhere the writers are as Frappe's
	from frappe.desk.utils import get_csv_bytes

	assert get_csv_bytes([["=1"]], {}) == b"=1\r\n"
