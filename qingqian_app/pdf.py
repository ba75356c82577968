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
here, every other print goes to Frappe's wkhtmltopdf unchanged. hooks.py calls
:func:`install` before each request and each background job.
"""

from __future__ import annotations

import io
import mimetypes
import os
from urllib.parse import urlparse

import frappe

MARKER = '<meta name="qingqian-pdf"'
_PATCHED_MODULES = ("frappe.utils.pdf", "frappe.utils.print_format", "frappe.email.email_body")


def is_ours(html: str) -> bool:
	return MARKER in (html or "")


def render(html: str, options: dict | None = None, output=None):
	"""The PDF of one of our documents: bytes, or ``output`` (a pypdf PdfWriter) with the
	pages appended when Frappe merges several prints into one file."""
	from pypdf import PdfReader, PdfWriter
	from weasyprint import HTML

	pdf = HTML(string=html, base_url=frappe.utils.get_url(), url_fetcher=_local_files).write_pdf()
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


def _local_files(url: str):
	"""Stylesheets and images from this site's own files, read from disk: no HTTP round
	trip to the server that is rendering, and nothing fetched from anywhere else."""
	from weasyprint.urls import URLFetchingError, default_url_fetcher

	if url.startswith("data:"):
		return default_url_fetcher(url)
	parsed = urlparse(url)
	site = urlparse(frappe.utils.get_url())
	if parsed.netloc and parsed.hostname not in (site.hostname, "localhost", "127.0.0.1"):
		raise URLFetchingError(f"不加载外部资源：{url}")
	roots = {
		"/assets/": os.path.abspath(os.path.join(frappe.local.sites_path, "assets")),
		"/files/": os.path.abspath(frappe.get_site_path("public", "files")),
	}
	for prefix, root in roots.items():
		if parsed.path.startswith(prefix):
			path = os.path.abspath(os.path.join(root, parsed.path[len(prefix) :]))
			if path.startswith(root + os.sep) and os.path.isfile(path):
				mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
				return {"file_obj": open(path, "rb"), "mime_type": mime_type, "redirected_url": url}
	raise URLFetchingError(f"不加载此资源：{url}")


def get_pdf(html, options=None, output=None):
	"""Frappe's ``get_pdf`` with our documents rendered by :func:`render`."""
	if is_ours(html):
		return render(html, options, output)
	return _frappe_get_pdf(html, options=options, output=output)


get_pdf.qingqian = True
_frappe_get_pdf = None


def install(**kwargs):
	"""Route ``get_pdf`` through :func:`get_pdf` in this process (idempotent; hooks.py
	``before_request`` and ``before_job``, which pass keyword arguments we ignore)."""
	global _frappe_get_pdf
	import importlib

	for module_name in _PATCHED_MODULES:
		module = importlib.import_module(module_name)
		current = getattr(module, "get_pdf", None)
		if current is None or getattr(current, "qingqian", False):
			continue
		if _frappe_get_pdf is None:
			_frappe_get_pdf = current
		module.get_pdf = get_pdf
