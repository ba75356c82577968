"""PDFs of the official documents (print_formats/), rendered by WeasyPrint.

GB/T 9704 needs what Debian's wkhtmltopdf (built on unpatched Qt) cannot do: CSS page
geometry kept exactly (156 × 225 mm text block, 28 characters × 22 lines) and page numbers
"— 1 —" in the bottom margin. WeasyPrint renders CSS Paged Media (@page, margin boxes,
page counters) and ships with Frappe v15 itself (its pyproject pins WeasyPrint and pydyf).

Every way Frappe makes a PDF ends in ``frappe.utils.pdf.get_pdf(html, options, output)``:
the download endpoint ``frappe.utils.print_format.download_pdf`` (through
``frappe.get_print``), the desk's PDF button, ``frappe.attach_print`` for workflow and other
mails, printing several documents at once. Frappe v15.41 offers no hook there (later
releases add ``pdf_generator``), so :func:`install` wraps ``get_pdf``: HTML that carries
our marker (``<meta name="qingqian-pdf" …>``, written by print_formats/_shared) is rendered
here, every other print goes to Frappe's wkhtmltopdf unchanged. The print page of a record
of the app's DocTypes is made without Frappe's website router (:func:`get_print`). hooks.py
calls :func:`install` before each request and each background job.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import io
import os
import re
import subprocess
import sys

import frappe
from frappe import _

from qingqian_app import pdf_render
from qingqian_app.pdf_render import TIMEOUT as RENDER_TIMEOUT

MARKER = '<meta name="qingqian-pdf"'
STYLESHEET_LINK = re.compile(r"<link\b[^>]*\brel=[\"']?stylesheet[^>]*>", re.IGNORECASE)
_PATCHED_MODULES = ("frappe.utils.pdf", "frappe.utils.print_format", "frappe.email.email_body")


@frappe.whitelist()
def is_wkhtmltopdf_valid() -> bool:
	"""The desk's PDF button warns "Invalid wkhtmltopdf version" unless wkhtmltopdf was built on
	patched Qt, which only Frappe's headers and footers from HTML need. Our documents come from
	WeasyPrint, and no print of the app has such a header or footer: Debian's 0.12 build (which
	setup installs) makes its PDFs as they should be, so the warning is for a missing program."""
	try:
		out = subprocess.run(["wkhtmltopdf", "--version"], capture_output=True, text=True, timeout=10)
	except (OSError, subprocess.SubprocessError):
		return False
	return "wkhtmltopdf 0.12" in out.stdout


def is_ours(html: str) -> bool:
	return MARKER in (html or "")


def render(html: str, options: dict | None = None, output=None):
	"""The PDF of one of our documents: bytes, or ``output`` (a pypdf PdfWriter) with the
	pages appended when Frappe merges several prints into one file."""
	from pypdf import PdfReader, PdfWriter

	# Frappe's print.bundle.css (bootstrap, 240 KB) is for its own formats: ours carry their
	# whole style inline, and parsing that sheet cost ~1 s and hundreds of MB per document
	pdf = _weasyprint(STYLESHEET_LINK.sub("", html))
	password = (options or {}).get("password")
	if output is None and not password:
		return pdf
	reader = PdfReader(io.BytesIO(pdf))
	if output is not None:
		output.append_pages_from_reader(reader)
		return output
	writer = PdfWriter()
	writer.append_pages_from_reader(reader)
	writer.encrypt(password)
	stream = io.BytesIO()
	writer.write(stream)
	return stream.getvalue()


def _weasyprint(html: str) -> bytes:
	"""WeasyPrint outside this process (qingqian_app/pdf_render.py: in ours it would keep
	memory): the bench's pool of preloaded renderers, or one process for this document when
	no pool runs."""
	base_url = frappe.utils.get_url()
	roots = {
		"/assets/": os.path.abspath(os.path.join(frappe.local.sites_path, "assets")),
		"/files/": os.path.abspath(frappe.get_site_path("public", "files")),
	}
	hosts = ["localhost", "127.0.0.1"]
	try:
		return pdf_render.request(pool_socket(), html, base_url, roots, hosts, RENDER_TIMEOUT)
	except (FileNotFoundError, ConnectionRefusedError):
		pass  # no pool on this bench (yet): a process of its own
	except TimeoutError:
		_too_long()
	except RuntimeError as e:
		_failed(str(e))
	command = [sys.executable, "-m", "qingqian_app.pdf_render", "--base-url", base_url]
	command += [arg for prefix, root in roots.items() for arg in ("--root", f"{prefix}={root}")]
	command += [arg for host in hosts for arg in ("--host", host)]
	try:
		done = subprocess.run(
			command, input=html.encode("utf-8"), capture_output=True, timeout=RENDER_TIMEOUT
		)
	except subprocess.TimeoutExpired:
		_too_long()
	if done.returncode != 0 or not done.stdout.startswith(b"%PDF"):
		_failed(done.stderr.decode("utf-8", "replace").strip())
	return done.stdout


def pool_socket() -> str:
	"""The pool's socket for this document: a user's request goes to the users' renderers, a
	background job's (a workflow mail's attachment) to the background ones, which run at the
	workers' niceness; a pool from before the background socket takes both."""
	bench = frappe.utils.get_bench_path()
	if getattr(frappe.local, "request", None) is None:
		background = os.path.join(bench, pdf_render.BACKGROUND_SOCKET)
		if os.path.exists(background):
			return background
	return os.path.join(bench, pdf_render.SOCKET)


def _too_long():
	frappe.throw(_("公文 PDF 生成超时（{0} 秒）：请缩小打印范围").format(RENDER_TIMEOUT))


def _failed(error: str):
	frappe.log_error("公文 PDF 生成失败", error)
	frappe.throw(_("公文 PDF 生成失败：{0}").format((error.splitlines() or [""])[-1]))


def get_pdf(html, options=None, output=None):
	"""Frappe's ``get_pdf`` with our documents rendered by :func:`render`."""
	if is_ours(html):
		return render(html, options, output)
	return _frappe_get_pdf(html, options=options, output=output)


get_pdf.qingqian = True
_frappe_get_pdf = None
_installed = False
PRINTVIEW = "www/printview.html"  # the page Frappe's get_print renders through the website router
PRINTVIEW_PATH = "printview"  # its path
ROUTER_HOOKS = ("update_website_context", "page_renderer", "website_path_resolver")


def get_print(doctype=None, name=None, print_format=None, style=None, as_pdf=False, doc=None,
	output=None, no_letterhead=0, password=None, pdf_options=None, letterhead=None):  # fmt: skip
	"""``frappe.get_print`` for the app's DocTypes: the same page, without the website router.

	Frappe renders a print by resolving the path "printview" as a web request would (~12 ms of
	~18 in a web worker, ~35 ms of a mail job's forked process: werkzeug rule maps built three
	times, a Web Form looked up by route, the visitor's name and avatar, meta tags, website
	settings), then runs ``frappe/www/printview.py``'s ``get_context`` (the print format, its
	permission check, the access log) and renders ``printview.html`` with it from its source, as
	the router's page does, with the router's own steps that touch a print: a stand-in for an
	empty title, ``{index}``/``{next}`` and the csrf comment replaced. Here those steps are taken
	directly, for records of the app's modules only: every other DocType's print goes through
	Frappe's own ``get_print``, and so does one of ours on a site where the router would change
	the page otherwise (:func:`_routed_otherwise`). A route "printview" taken over by a Web Form,
	Web Page or redirect is not followed here."""
	if _routed_otherwise(doc.get("doctype") if doc else doctype):  # (Frappe prints by name without a doc)
		return get_print.frappe(doctype, name, print_format, style, as_pdf, doc, output, no_letterhead,
			password, pdf_options, letterhead)  # fmt: skip
	import copy
	from types import SimpleNamespace

	from frappe.utils.pdf import get_pdf as pdf_of
	from frappe.website.page_renderers.base_template_page import BaseTemplatePage
	from frappe.website.page_renderers.template_page import TemplatePage
	from frappe.website.utils import extract_title
	from frappe.www import printview

	local = frappe.local
	original_form_dict = copy.deepcopy(local.form_dict)
	try:
		local.form_dict.doctype = doctype
		local.form_dict.name = name
		local.form_dict.format = print_format
		local.form_dict.style = style
		local.form_dict.doc = doc
		local.form_dict.no_letterhead = no_letterhead
		local.form_dict.letterhead = letterhead
		context = frappe._dict(printview.get_context(frappe._dict()))
		source = frappe.get_jloader().get_source(frappe.get_jenv(), PRINTVIEW)[0]
		if not context.title:
			context.title = extract_title(source, PRINTVIEW_PATH)
		page = SimpleNamespace(path=PRINTVIEW_PATH)  # the router's page, for its own steps
		html = frappe.render_template(source, context, safe_render=True)
		html = BaseTemplatePage.add_csrf_token(page, TemplatePage.update_toc(page, html))
	finally:
		local.form_dict = original_form_dict
	pdf_options = pdf_options or {}
	if password:
		pdf_options["password"] = password
	return pdf_of(html, options=pdf_options, output=output) if as_pdf else html


def _routed_otherwise(doctype) -> bool:
	"""A print the router makes otherwise than :func:`get_print` would: of a DocType not the
	app's, or on a site that prefixes page titles (Website Settings, or its ``website_context``),
	has hooks that change pages or their context, or a response context set
	(``respond_as_web_page``). Decided before anything is rendered or logged."""
	site_context = frappe.local.conf.get("website_context") or {}
	response = getattr(frappe.local, "response", None) or {}
	return bool(
		not _app_doctype(doctype)
		or site_context.get("title_prefix")
		or frappe.db.get_single_value("Website Settings", "title_prefix", cache=True)
		or any(frappe.get_hooks(hook) for hook in ROUTER_HOOKS)
		or response.get("context")
	)


def _app_doctype(doctype) -> bool:
	"""A DocType of one of the app's modules (modules.txt)."""
	if not (isinstance(doctype, str) and doctype):
		return False
	module = frappe.get_meta(doctype).module
	return frappe.local.module_app.get(frappe.scrub(module)) == "qingqian_app"


get_print.qingqian = True
get_print.frappe = None  # Frappe's own, kept by install()


def install(**kwargs):
	"""Route ``frappe.get_print`` through :func:`get_print`, and ``get_pdf`` through
	:func:`get_pdf`, in this process (hooks.py ``before_request``
	and ``before_job``, which pass keyword arguments we ignore): the first call does it,
	every later one returns at once. A process that has not imported Frappe's PDF module yet
	(most jobs, most requests) does not import it here (pypdf, BeautifulSoup, cssutils and the
	mail modules cost a forked job a third of a second): it is patched when it is first imported,
	before any module can take its ``get_pdf``."""
	global _installed
	if _installed:
		return
	current = frappe.get_print
	if getattr(current, "qingqian", False):  # (this module loaded again: Frappe's own is the old one's)
		get_print.frappe = current.frappe
	else:
		get_print.frappe = current
	frappe.get_print = get_print
	if _PATCHED_MODULES[0] in sys.modules:
		_patch()
	else:
		sys.meta_path.insert(0, _PatchOnImport())
	_installed = True


def _patch():
	"""Replace ``get_pdf`` in each of Frappe's modules that holds it and is loaded."""
	global _frappe_get_pdf
	for module_name in _PATCHED_MODULES:
		module = sys.modules.get(module_name)
		current = getattr(module, "get_pdf", None)
		if current is None or getattr(current, "qingqian", False):
			continue
		if _frappe_get_pdf is None:
			_frappe_get_pdf = current
		module.get_pdf = get_pdf


class _PatchOnImport(importlib.abc.MetaPathFinder):
	"""Finds ``frappe.utils.pdf`` as Python would, and patches it once it has run (the modules
	that import ``get_pdf`` from it then take ours)."""

	def find_spec(self, name, path, target=None):
		if name != _PATCHED_MODULES[0]:
			return None
		sys.meta_path.remove(self)
		spec = importlib.util.find_spec(name)
		run = spec.loader.exec_module

		def exec_module(module):
			run(module)
			_patch()

		spec.loader.exec_module = exec_module
		return spec
