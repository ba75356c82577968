"""Guards at the HTTP edge (issue 21): what a request may do by its method, and what the
desk's report PDF and spreadsheet exports take from the user.

State-changing GET. Frappe v15 runs a whitelisted method on every HTTP method unless it was
declared with ``methods=[...]`` (frappe.whitelist), and checks the CSRF token on POST, PUT and
DELETE only (frappe.auth.HTTPRequest.validate_csrf_token): a link in a mail could commit a bulk
workflow action, a bulk edit or a deletion in the name of whoever clicks it. :func:`refuse_get`
(hooks.py before_request) answers 405 to a GET or HEAD that would run

- a method declared without GET (Frappe refuses it too, with a bare 403);
- one of Frappe's methods (anything outside this app) whose name does not say that it reads:
  its first word is not one of :data:`READ_WORDS` (get, load, search, download, export …),
  it is not one of the few that read or sign in under another name (:data:`GET_READS`) and
  it was not declared for GET alone (a mail's tracking pixel, an OAuth callback).
  The app's own methods are declared: every one that changes data says ``methods=["POST"]``
  (tests/integration/test_http_guard.py lists the few read ones);
- a document's method (``run_doc_method``, ``/api/resource/<doctype>/<name>?run_method=``,
  ``/api/v2/document/<doctype>/<name>/method/<m>``), unless declared for GET alone;
- a signed mail link's method (:data:`SIGNED_LINKS`, such as the workflow mail's
  ``apply_action`` page and its ``confirm_action``) without the link's signature: Frappe
  verifies that signature (frappe.utils.verified_command.verify_request), on GET only.

Methods are found as Frappe finds them: ``/api/method/<m>``, ``/api/v1/…``, ``/api/v2/…``
and ``cmd=`` on any path, through override_whitelisted_methods.

report_to_pdf (:func:`report_to_pdf`, override) renders HTML the user sends through
wkhtmltopdf, which fetches every URL the HTML names: the HTML keeps only references to the
site's own /assets/ and /files/ (the rule of qingqian_app/pdf_render.py, which the official
documents' renderer applies).

Excel/CSV exports (:func:`export_query`, :func:`export_query_report`, overrides) write a text
cell that a spreadsheet would run as a formula as text: CSV by the disclosure's rule
(domain.disclosure.csv_cell, an apostrophe), Excel as a string cell (ledger_io.sheets).
"""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from urllib.parse import unquote, urlparse

import frappe
from frappe import _

SAFE_METHODS = frozenset({"GET", "HEAD"})

# the first word of a Frappe method's name that says it reads
READ_WORDS = frozenset(
	{
		"get",
		"getdoc",
		"getdoctype",
		"load",
		"search",
		"download",
		"export",
		"has",
		"is",
		"can",
		"check",
		"validate",
		"fetch",
		"show",
		"preview",
		"version",
	}
)
# Frappe's methods that read (or sign a user in by a redirect) under another name, and that a
# browser reaches by GET: the desk's report run and zip download, ping, the end of one's own
# session, the OAuth sign-in redirects, the website's search
GET_READS = frozenset(
	{
		"frappe.ping",
		"frappe.handler.ping",
		"frappe.handler.logout",
		"frappe.handler.web_logout",
		"frappe.desk.query_report.run",
		"frappe.core.api.file.zip_files",
		"frappe.integrations.oauth2.authorize",
		"frappe.integrations.oauth2.openid_configuration",
		"frappe.integrations.oauth2.openid_profile",
		"frappe.integrations.oauth2_logins.custom",
		"frappe.integrations.oauth2_logins.login_via_facebook",
		"frappe.integrations.oauth2_logins.login_via_fairlogin",
		"frappe.integrations.oauth2_logins.login_via_frappe",
		"frappe.integrations.oauth2_logins.login_via_github",
		"frappe.integrations.oauth2_logins.login_via_google",
		"frappe.integrations.oauth2_logins.login_via_salesforce",
		"frappe.www.login.login_via_token",
		"frappe.search.web_search",
		"frappe.utils.global_search.web_search",
	}
)
# links Frappe signs into mails and verifies (GET only): they run by GET with their signature
SIGNED_LINKS = frozenset(
	{
		"frappe.workflow.doctype.workflow_action.workflow_action.apply_action",
		"frappe.workflow.doctype.workflow_action.workflow_action.confirm_action",
		"qingqian_app.workflow_guard.confirm_action",
		"frappe.email.queue.unsubscribe",
		"frappe.email.doctype.newsletter.newsletter.confirm_subscription",
		"frappe.website.doctype.personal_data_deletion_request.personal_data_deletion_request.confirm_deletion",
	}
)
APP = "qingqian_app"


def before_request(**kwargs):
	"""hooks.py before_request: the login tracker (qingqian_app.security) and the exports'
	writers installed, a state-changing GET refused."""
	from qingqian_app import security

	security.install_login_tracker()
	install()
	refuse_get()


# --- state-changing GET ----------------------------------------------------------------------


def refuse_get():
	request = getattr(frappe.local, "request", None)
	if request is None or request.method not in SAFE_METHODS:
		return
	problem = get_problem(request.path, frappe.local.form_dict, request.query_string)
	if problem:
		_refuse(problem)


def get_problem(path: str, form_dict: dict, query_string: bytes | str = b"") -> str | None:
	"""Why a GET of ``path`` with ``form_dict`` may not run (None: it may)."""
	form_dict = form_dict or {}
	if form_dict.get("cmd"):  # Frappe runs ``cmd`` on any path before anything else
		return method_problem(form_dict["cmd"], form_dict, query_string)
	parts = [p for p in path.split("/") if p]
	if len(parts) < 2 or parts[0] != "api":
		return None
	rest = parts[2:] if parts[1] in ("v1", "v2") else parts[1:]
	version = parts[1] if parts[1] in ("v1", "v2") else "v1"
	if not rest:
		return None
	if rest[0] == "method" and len(rest) == 2:
		if rest[1] in ("login", "logout") and version == "v2":
			return None
		return method_problem(unquote(rest[1]), form_dict, query_string)
	if rest[0] == "method" and len(rest) == 3 and version == "v2":  # /method/<doctype>/<method>
		from frappe.modules.utils import load_doctype_module

		try:
			module = load_doctype_module(unquote(rest[1]))
		except Exception:
			return None  # Frappe answers that one itself
		return method_problem(f"{module.__name__}.{unquote(rest[2])}", form_dict, query_string)
	if rest[0] == "resource" and len(rest) >= 3 and form_dict.get("run_method"):
		return doc_method_problem(unquote(rest[1]), form_dict.get("run_method"))
	if rest[0] == "document" and len(rest) >= 5 and rest[-2] == "method":
		return doc_method_problem(unquote(rest[1]), unquote(rest[-1]))
	return None


def method_problem(cmd: str, form_dict: dict, query_string: bytes | str = b"") -> str | None:
	from frappe import handler
	from frappe.handler import run_doc_method

	requested = cmd
	for hook in reversed(frappe.get_hooks("override_whitelisted_methods", {}).get(cmd, [])):
		cmd = hook
		break
	try:  # as frappe.handler.get_attr (a name without a dot is one of the handler's own)
		fn = frappe.get_attr(cmd) if "." in cmd else vars(handler)[cmd]
	except Exception:
		return None  # not a method: Frappe answers that itself
	fn = getattr(fn, "__func__", fn)
	if fn is run_doc_method:
		doctype = form_dict.get("dt")
		if not doctype and form_dict.get("docs"):
			try:
				doctype = frappe.parse_json(form_dict.get("docs")).get("doctype")
			except Exception:
				doctype = None
		return doc_method_problem(doctype, form_dict.get("method"))
	if fn not in frappe.whitelisted:
		return None  # Frappe refuses it
	names = {requested, cmd, _qualified(fn)}
	if names & SIGNED_LINKS:
		signed = "&_signature=" in frappe.safe_decode(query_string or b"")
		return None if signed else _("{0}：邮件中的签名链接缺少签名").format(requested)
	declared = frappe.allowed_http_methods_for_whitelisted_func.get(fn) or []
	if "GET" not in declared:
		return _("{0}：只接受 {1} 请求").format(requested, "/".join(declared) or "POST")
	if names & GET_READS or set(declared) <= SAFE_METHODS:  # declared for GET alone: meant so
		return None
	if requested.split(".")[0] == APP and fn.__module__.split(".")[0] == APP:
		return None  # declared by the app: every method that changes data says POST
	if reads_by_name(requested):  # Frappe's method (the app's override too) by its name
		return None
	return _("{0}：会修改数据，只接受 POST 请求").format(requested)


def doc_method_problem(doctype: str | None, method: str | None) -> str | None:
	"""A document's method runs by GET only where it was declared for GET alone."""
	what = f"{doctype or ''}.{method or ''}"
	fn = None
	if doctype and method:
		try:
			from frappe.model.base_document import get_controller

			fn = getattr(get_controller(doctype), method, None)
		except Exception:
			fn = None
	fn = getattr(fn, "__func__", fn)
	declared = set(frappe.allowed_http_methods_for_whitelisted_func.get(fn) or []) if fn else set()
	if declared and declared <= SAFE_METHODS:
		return None
	return _("{0}：单据方法只接受 POST 请求").format(what)


def reads_by_name(method: str) -> bool:
	name = method.rsplit(".", 1)[-1]
	return name.split("_", 1)[0] in READ_WORDS or name.endswith("_query")


def _qualified(fn) -> str:
	return f"{fn.__module__}.{fn.__name__}"


def _refuse(problem: str):
	from werkzeug.exceptions import MethodNotAllowed
	from werkzeug.wrappers import Response

	message = _("不允许以 GET 方式修改数据：{0}（请在系统页面中操作）").format(problem)
	body = {
		"exc_type": "MethodNotAllowed",
		"message": message,
		"_server_messages": json.dumps(
			[json.dumps({"message": message, "title": _("请求方式不允许"), "indicator": "red"})]
		),
	}
	response = Response(
		json.dumps(body, ensure_ascii=False),
		status=405,
		headers={"Allow": "POST"},
		content_type="application/json; charset=utf-8",
	)
	raise MethodNotAllowed(valid_methods=["POST"], response=response)


# --- report_to_pdf: no URL the user chooses ---------------------------------------------------

# elements that load or run something and have no place in a report's print
DROPPED_TAGS = (
	"script",
	"iframe",
	"frame",
	"frameset",
	"object",
	"embed",
	"applet",
	"base",
	"portal",
	"noscript",
	"meta",
)
# attributes a renderer fetches (<a href> only links, it is not fetched)
URL_ATTRIBUTES = frozenset(
	{
		"src",
		"href",
		"srcset",
		"lowsrc",
		"dynsrc",
		"data",
		"poster",
		"background",
		"xlink:href",
		"action",
		"formaction",
		"codebase",
		"archive",
		"longdesc",
		"manifest",
		"ping",
		"icon",
		"profile",
		"usemap",
		"cite",
	}
)
CSS_URL = re.compile(r"url\(\s*(['\"]?)(.*?)\1\s*\)", re.IGNORECASE | re.DOTALL)
CSS_IMPORT = re.compile(r"@import\b[^;]*;?", re.IGNORECASE)
CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)", re.DOTALL)
SITE_PATHS = ("/assets/", "/files/")


def allowed_url(url: str) -> bool:
	"""A reference the PDF may load: the site's own /assets/ or /files/, relative or on the
	site's host, no ``..``; nothing else (other hosts, file:, data: that hides another page)."""
	url = (url or "").strip()
	if not url or url.startswith("#"):
		return True
	if re.match(r"data:image/(png|jpe?g|gif|webp|bmp)[;,]", url, re.IGNORECASE):
		return True  # an inline picture fetches nothing (an SVG one could)
	if "\\" in url or any(ord(c) < 32 for c in url):
		return False
	parsed = urlparse(url)
	if parsed.scheme not in ("", "http", "https"):
		return False
	if parsed.netloc or url.startswith("//"):
		if parsed.netloc not in {urlparse(frappe.utils.get_url()).netloc, frappe.local.site}:
			return False
	path = unquote(parsed.path)
	if "%" in path or {".", ".."} & set(path.split("/")):
		return False
	return path.startswith(SITE_PATHS)


def _css(text: str) -> str:
	for _round in range(5):  # escapes decoded (u\72l( is url(), \5c is a backslash again)
		if "\\" not in text:
			break
		text = CSS_ESCAPE.sub(
			lambda m: chr(int(m.group(1), 16) or 0xFFFD) if m.group(1) else m.group(2), text
		)
	text = text.replace("\\", "")
	text = CSS_IMPORT.sub("", text)
	return CSS_URL.sub(lambda m: m.group(0) if allowed_url(m.group(2)) else "url()", text)


def safe_pdf_html(html: str) -> str:
	"""``html`` with every reference outside the site's /assets/ and /files/ removed."""
	from bs4 import BeautifulSoup

	soup = BeautifulSoup(html or "", "html5lib")
	for tag in soup.find_all(DROPPED_TAGS):
		tag.decompose()
	for tag in soup.find_all(True):
		if getattr(tag, "decomposed", False):
			continue
		# an element that loads what it names from elsewhere goes whole (Frappe's PDF code
		# reads every <img>'s src)
		if (tag.name == "link" and not allowed_url(tag.get("href"))) or (
			tag.has_attr("src") and not allowed_url(str(tag.get("src")))
		):
			tag.decompose()
			continue
		for attribute in list(tag.attrs):
			value = tag.attrs[attribute]
			value = " ".join(value) if isinstance(value, list) else str(value)
			name = attribute.lower()
			if name.startswith("on"):
				del tag.attrs[attribute]
			elif name == "style":
				tag.attrs[attribute] = _css(value)
			elif name in URL_ATTRIBUTES and not (tag.name == "a" and name == "href"):
				urls = [u.strip().split(" ")[0] for u in value.split(",")] if name == "srcset" else [value]
				if not all(allowed_url(u) for u in urls):
					del tag.attrs[attribute]
		if tag.name == "style":
			tag.string = _css(tag.get_text())
	return str(soup)


@frappe.whitelist(methods=["POST"])
def report_to_pdf(html, orientation="Landscape"):
	"""frappe.utils.print_format.report_to_pdf with the HTML's foreign references removed."""
	from frappe.utils import print_format

	return print_format.report_to_pdf(safe_pdf_html(html), orientation=orientation)


# --- Excel/CSV exports: text stays text -------------------------------------------------------

_installed = False


def install(**kwargs):
	"""Wrap the writers Frappe's exports end in, once in this process: the CSV writer
	(frappe.desk.utils.get_csv_bytes) and the Excel worksheet's rows (openpyxl's write-only
	worksheet, which frappe.utils.xlsxutils.make_xlsx appends to). They act only inside
	:func:`safe_cells` (the export overrides); everything else writes as before."""
	global _installed
	if _installed:
		return
	from frappe.desk import utils as desk_utils
	from openpyxl.worksheet._write_only import WriteOnlyWorksheet

	if not getattr(desk_utils.get_csv_bytes, "qingqian", False):
		desk_utils.get_csv_bytes = _csv_writer(desk_utils.get_csv_bytes)
	if not getattr(WriteOnlyWorksheet.append, "qingqian", False):
		WriteOnlyWorksheet.append = _xlsx_append(WriteOnlyWorksheet.append)
	_installed = True


def _active() -> bool:
	return bool(getattr(frappe.local, "qingqian_safe_cells", False))


@contextmanager
def safe_cells():
	"""Inside: text cells of the exports are written as text."""
	install()
	before = _active()
	frappe.local.qingqian_safe_cells = True
	try:
		yield
	finally:
		frappe.local.qingqian_safe_cells = before


def _csv_writer(original):
	def get_csv_bytes(data, *args, **kwargs):
		if _active():
			from qingqian_app.domain.disclosure import csv_cell

			data = [[csv_cell(v) if isinstance(v, str) else v for v in row] for row in data]
		return original(data, *args, **kwargs)

	get_csv_bytes.qingqian = True
	return get_csv_bytes


def _xlsx_append(original):
	def append(ws, row):
		if _active():
			from qingqian_app.ledger_io.sheets import FORMULA_START, _text_cell

			row = [
				_text_cell(ws, v) if isinstance(v, str) and v.startswith(FORMULA_START) else v for v in row
			]
		return original(ws, row)

	append.qingqian = True
	return append


@frappe.whitelist()
def export_query():
	"""frappe.desk.reportview.export_query (report view, list's Export) writing text as text."""
	from frappe.desk import reportview

	with safe_cells():
		return reportview.export_query()


@frappe.whitelist()
def export_query_report():
	"""frappe.desk.query_report.export_query (a script or query report's Export)."""
	from frappe.desk import query_report

	with safe_cells():
		return query_report.export_query()
