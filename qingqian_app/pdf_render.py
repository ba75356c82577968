"""WeasyPrint in a process of its own: HTML on stdin, the PDF on stdout.

    python -m qingqian_app.pdf_render --base-url URL --root /assets/=DIR --root /files/=DIR
                                      [--host NAME ...] < page.html > page.pdf

WeasyPrint 59 (the version Frappe v15 pins) keeps 30–50 MB of every PDF it writes with CJK
faces (measured: benchmarks/documents.py); in a long-lived web or worker process that grows
without bound. A process per PDF gives it all back, as Frappe's wkhtmltopdf does.
qingqian_app/pdf.py starts it. No Frappe import here: it starts in about a second.

Resources: only files under the given roots (the site's assets and public files) and
``data:`` URLs; nothing is fetched over the network.
"""

from __future__ import annotations

import argparse
import mimetypes
import os
import sys
from urllib.parse import unquote, urlparse


def local_file(url: str, roots: dict[str, str], hosts: set[str]) -> str | None:
	"""The file a stylesheet or image URL names under one of ``roots`` (URL path prefix →
	directory), or None when it is anywhere else: another host, outside the roots."""
	parsed = urlparse(url)
	if parsed.scheme not in ("", "http", "https") or (parsed.netloc and parsed.hostname not in hosts):
		return None
	path = unquote(parsed.path)
	for prefix, root in roots.items():
		if path.startswith(prefix):
			root = os.path.abspath(root)
			candidate = os.path.abspath(os.path.join(root, path[len(prefix) :]))
			if candidate.startswith(root + os.sep) and os.path.isfile(candidate):
				return candidate
	return None


def fetcher(roots: dict[str, str], hosts: set[str]):
	from weasyprint.urls import URLFetchingError, default_url_fetcher

	def fetch(url: str):
		if url.startswith("data:"):
			return default_url_fetcher(url)
		path = local_file(url, roots, hosts)
		if path is None:
			raise URLFetchingError(f"不加载此资源：{url}")
		mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
		return {"file_obj": open(path, "rb"), "mime_type": mime_type, "redirected_url": url}

	return fetch


def main(argv: list[str] | None = None) -> int:
	ap = argparse.ArgumentParser(prog="python -m qingqian_app.pdf_render")
	ap.add_argument("--base-url", required=True)
	ap.add_argument("--root", action="append", default=[], help="URL path prefix=directory")
	ap.add_argument("--host", action="append", default=[])
	args = ap.parse_args(argv)
	roots = dict(r.split("=", 1) for r in args.root)
	hosts = {urlparse(args.base_url).hostname, *args.host}

	from weasyprint import HTML

	html = sys.stdin.buffer.read().decode("utf-8")
	pdf = HTML(string=html, base_url=args.base_url, url_fetcher=fetcher(roots, hosts)).write_pdf()
	sys.stdout.buffer.write(pdf)
	return 0


if __name__ == "__main__":
	sys.exit(main())
