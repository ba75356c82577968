"""WeasyPrint outside the web and worker processes: a small pool of preloaded renderers.

    python -m qingqian_app.pdf_render --serve [--bench DIR] [--workers 2] [--max-documents 50]
    python -m qingqian_app.pdf_render --base-url URL --root /assets/=DIR --root /files/=DIR
                                      [--host NAME ...] < page.html > page.pdf

WeasyPrint 59 (the version Frappe v15 pins) keeps 30–50 MB of every PDF it writes with CJK
faces (measured: benchmarks/documents.py); in a long-lived web or worker process that grows
without bound. So documents are rendered here, never in Frappe's processes:

- ``--serve`` (production: a supervisor program; development: a Procfile line, both written
  by scripts/setup.sh) imports WeasyPrint and lays out one document with the GB/T 9704 faces
  once, then forks ``--workers`` renderers for each of two Unix sockets in the bench:
  :data:`SOCKET` for documents a user waits for, and :data:`BACKGROUND_SOCKET` for those made
  in background jobs (workflow mail attachments), whose renderers run at the background
  workers' niceness, so that a mail's PDF never takes the processors from the web workers and
  a user's document never waits behind a batch of mails.
  A renderer leaves after ``--max-documents`` documents, when it has grown past
  ``--max-memory-mb`` of its own, or when a document takes longer than ``--timeout``; the
  pool forks a fresh one from the preloaded parent in milliseconds. Memory stays bounded,
  and nothing is imported per document (a fresh process spends ~0.8 s importing WeasyPrint).
- Without a pool (a bench started before it existed, a test outside the bench) qingqian_app/
  pdf.py runs the second form: one process per document, HTML on stdin, the PDF on stdout.

No Frappe import here. Resources: only files under the given roots (the site's assets and
public files), installed font files (an @font-face ``local()`` face) and ``data:`` URLs; nothing
is fetched over the network.
"""

from __future__ import annotations

import argparse
import gc
import json
import mimetypes
import os
import re
import select
import shutil
import signal
import socket
import struct
import sys
import tempfile
from urllib.parse import unquote, urlparse

# under the bench directory: documents a user waits for, and the rest (mail attachments rendered
# in background jobs), each with renderers of its own
SOCKET = os.path.join("config", "qingqian-pdf.sock")
BACKGROUND_SOCKET = os.path.join("config", "qingqian-pdf-background.sock")
WORKERS = max(2, os.cpu_count() or 1)  # renderers of each socket: one a core
MAX_DOCUMENTS = 50  # documents a renderer lays out before a fresh one takes its place
MAX_MEMORY_MB = 250  # memory of its own (not shared with the parent) that retires a renderer
TIMEOUT = 300  # seconds a document may take: the ledger printout's 1,000 rows take about 10
STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}
STOP_SECONDS = 10  # a renderer told to stop that is still there then is killed
# background jobs' documents, at the niceness Frappe's `bench worker` runs its jobs at: the bench's
# background_process_niceness (sites/common_site_config.json), else Frappe's default
# (frappe.utils.background_jobs.BACKGROUND_PROCESS_NICENESS)
BACKGROUND_NICENESS = 10
NICENESS_SETTING = "background_process_niceness"
MAX_NICENESS = 19  # the lowest priority Linux gives
_HEADER, _LENGTH = struct.Struct(">I"), struct.Struct(">Q")


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


# an @font-face ``src: local("FandolSong-Bold")`` (print_formats/_shared/gbt9704.css): WeasyPrint
# finds the face with fontconfig and reads its file through the URL fetcher as a file:// URL
FONT_DIRS = ("/usr/share/fonts", "/usr/local/share/fonts")
FONT_SUFFIXES = (".otf", ".ttf", ".ttc", ".otc", ".woff", ".woff2")


def system_font(url: str, font_dirs=FONT_DIRS) -> str | None:
	"""The installed font file a file:// URL names, or None for any other file."""
	parsed = urlparse(url)
	if parsed.scheme != "file" or parsed.netloc not in ("", "localhost"):
		return None
	path = os.path.realpath(unquote(parsed.path))
	if not path.lower().endswith(FONT_SUFFIXES) or not os.path.isfile(path):
		return None
	dirs = [os.path.realpath(d) for d in font_dirs]
	return path if any(path.startswith(d + os.sep) for d in dirs) else None


def fetcher(roots: dict[str, str], hosts: set[str]):
	from weasyprint.urls import URLFetchingError, default_url_fetcher

	def fetch(url: str):
		if url.startswith("data:"):
			return default_url_fetcher(url)
		path = local_file(url, roots, hosts) or system_font(url)
		if path is None:
			raise URLFetchingError(f"不加载此资源：{url}")
		mime_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
		return {"file_obj": open(path, "rb"), "mime_type": mime_type, "redirected_url": url}

	return fetch


def render(html: str, base_url: str, roots: dict[str, str], hosts: set[str]) -> bytes:
	from weasyprint import HTML

	_subset_fonts_with_harfbuzz()
	_keep_style_sheets()
	hosts = {urlparse(base_url).hostname, *hosts}
	# hints kept in the faces' subsets (WeasyPrint's default strips them: more work, a few KB less)
	return HTML(string=html, base_url=base_url, url_fetcher=fetcher(roots, hosts)).write_pdf(
		hinting=True, font_config=_font_config(html, base_url, roots, hosts)
	)


# --- a document's style sheet, parsed once per renderer -----------------------------------------

STYLE_BLOCK = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.IGNORECASE | re.DOTALL)
KEPT_STYLES = 8  # distinct style sheets (a print format each, per site) a renderer keeps parsed
_STYLES: dict[tuple, object] = {}  # the document's <style> blocks and where it comes from → FontConfiguration


def _font_config(html: str, base_url: str, roots: dict[str, str], hosts: set[str]):
	"""The FontConfiguration for a document: one per set of ``<style>`` blocks and origin (site,
	roots, hosts), kept by this renderer, with the sheets parsed into it (``qingqian_sheets``,
	filled by :func:`_keep_style_sheets`). Parsing a document's inline sheet (the GB/T 9704 faces,
	~10,000 characters: tokens, selectors compiled to Python, declarations validated) and loading
	its @font-face faces into a new configuration was ~30 ms of each document, the same for every
	document of a print format. A configuration is shared only by documents with the same
	``<style>`` blocks from the same place, so the faces it holds are theirs. The least recently
	used is let go past :data:`KEPT_STYLES` (with the copies of its faces WeasyPrint wrote to its
	temporary folder)."""
	from weasyprint.text.fonts import FontConfiguration

	key = (
		tuple(STYLE_BLOCK.findall(html)),
		base_url,
		tuple(sorted(roots.items())),
		tuple(sorted(h for h in hosts if h)),
	)
	config = _STYLES.pop(key, None)
	if config is None:
		if len(_STYLES) >= KEPT_STYLES:
			_STYLES.pop(next(iter(_STYLES)))
		config = FontConfiguration()
		config.qingqian_sheets = {}
	_STYLES[key] = config  # the most recently used last
	return config


def _keep_style_sheets():
	"""WeasyPrint parses each ``<style>`` of a document into a ``CSS`` as it finds it
	(``weasyprint.css.find_stylesheets``): here a sheet given as text, into a configuration of
	:func:`_font_config`, is parsed once and the parsed sheet given again. It is the same object
	WeasyPrint would make: its selectors, declarations and @page rules (kept in a list of its own
	and added to the document's, as WeasyPrint adds them), its faces already in the configuration.
	A sheet with @import (a file read again each time) or @counter-style (rules put in the
	document's counters) is parsed as before."""
	from weasyprint import css as weasy_css

	make = weasy_css.CSS
	if getattr(make, "qingqian", False):
		return

	def css(*args, string=None, font_config=None, page_rules=None, **kwargs):
		sheets = getattr(font_config, "qingqian_sheets", None)
		lowered = (string or "").lower()
		if args or string is None or sheets is None or "@import" in lowered or "@counter-style" in lowered:
			return make(*args, string=string, font_config=font_config, page_rules=page_rules, **kwargs)
		key = (string, kwargs.get("base_url"), kwargs.get("media_type"))
		sheet = sheets.get(key)
		if sheet is None:
			sheet = sheets[key] = make(string=string, font_config=font_config, page_rules=[], **kwargs)
		if page_rules is not None:
			page_rules.extend(sheet.page_rules)
		return sheet

	css.qingqian = True
	weasy_css.CSS = css


def _subset_fonts_with_harfbuzz():
	"""Most of a document's time was WeasyPrint subsetting the CJK faces with fontTools, in Python:
	0.18 s for the 36 glyphs of a title in FandolSong, 0.27 s for the 154 of the body in
	FandolFang, because glyph ids are kept and every glyph up to the highest one used is worked on.
	HarfBuzz's subsetter (uharfbuzz) makes the same subset (same glyph ids, an identity CID
	charset, the same outlines) in about 5 ms a face. WeasyPrint 59's ``pdf.stream.Font.clean``
	is given that subsetter for static faces; variable faces, and any face HarfBuzz refuses, keep
	WeasyPrint's own. Figures: benchmarks/document_pdfs.py."""
	try:
		import uharfbuzz
		from weasyprint.pdf import stream
	except ImportError:
		return
	font = getattr(stream, "Font", None)
	if font is None or getattr(font.clean, "qingqian", False):
		return
	original = font.clean

	def clean(self, cmap, hinting):
		ttfont = getattr(self, "ttfont", None)
		if cmap and ttfont is not None and "fvar" not in ttfont:
			subset = harfbuzz_subset(uharfbuzz, self.file_content, getattr(self, "index", 0), cmap, hinting)
			if subset:
				self.file_content = subset
				return
		original(self, cmap, hinting)

	clean.qingqian = True
	font.clean = clean


def harfbuzz_subset(hb, data: bytes, index: int, glyph_ids, hinting: bool) -> bytes | None:
	"""The face's subset with ``glyph_ids`` kept at their ids, as WeasyPrint asks fontTools for it
	(layout tables and SVG dropped, CFF desubroutinized, other tables passed through), or None."""
	flags = (
		hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.DESUBROUTINIZE | hb.SubsetFlags.PASSTHROUGH_UNRECOGNIZED
	)
	if not hinting:
		flags |= hb.SubsetFlags.NO_HINTING
	plan = hb.SubsetInput()
	plan.flags = flags
	for glyph in glyph_ids:
		plan.glyph_set.add(int(glyph))
	dropped = plan.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
	for tag in (b"GSUB", b"GPOS", b"SVG "):
		dropped.add(int.from_bytes(tag, "big"))
	try:
		face = hb.subset(hb.Face(data, index), plan)
	except Exception:
		return None
	out = bytes(face.blob.data) if face is not None else b""
	return out or None


# --- the pool's wire format: a request is a JSON header (base_url, roots, hosts) and the HTML;
# the answer is one status byte (0 the PDF, 1 an error message) and its bytes


def _read_exactly(conn: socket.socket, size: int) -> bytes:
	chunks, left = [], size
	while left:
		chunk = conn.recv(min(left, 1 << 20))
		if not chunk:
			raise ConnectionError("连接在传输中断开")
		chunks.append(chunk)
		left -= len(chunk)
	return b"".join(chunks)


def request(
	socket_path: str, html: str, base_url: str, roots: dict[str, str], hosts, timeout: float
) -> bytes:
	"""A PDF from the pool at ``socket_path``. Raises FileNotFoundError or ConnectionRefusedError
	when no pool listens there, TimeoutError after ``timeout`` seconds, RuntimeError with the
	renderer's message when the document cannot be rendered."""
	header = json.dumps({"base_url": base_url, "roots": roots, "hosts": sorted(hosts)}).encode()
	body = html.encode("utf-8")
	with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
		conn.settimeout(timeout)
		conn.connect(socket_path)
		conn.sendall(_HEADER.pack(len(header)) + header + _LENGTH.pack(len(body)) + body)
		try:
			status = _read_exactly(conn, 1)
			payload = _read_exactly(conn, _LENGTH.unpack(_read_exactly(conn, _LENGTH.size))[0])
		except ConnectionError as e:  # the renderer left mid-document (timeout, killed)
			raise RuntimeError("渲染进程中途退出") from e
	if status != b"\0":
		raise RuntimeError(payload.decode("utf-8", "replace"))
	return payload


def _answer(conn: socket.socket) -> None:
	header = json.loads(_read_exactly(conn, _HEADER.unpack(_read_exactly(conn, _HEADER.size))[0]))
	html = _read_exactly(conn, _LENGTH.unpack(_read_exactly(conn, _LENGTH.size))[0]).decode("utf-8")
	try:
		status, payload = b"\0", render(html, header["base_url"], header["roots"], set(header["hosts"]))
	except Exception as e:  # the document's fault: say so, keep serving
		status, payload = b"\1", f"{type(e).__name__}: {e}".encode()
	conn.sendall(status + _LENGTH.pack(len(payload)) + payload)


def private_mb(pid: int | str = "self") -> float:
	"""Memory a process holds alone, in MB (Linux /proc): what it has written or loaded since it
	was forked, not the pages it still shares with the preloaded parent."""
	total_kb = 0
	with open(f"/proc/{pid}/smaps_rollup") as f:
		for line in f:
			if line.startswith(("Private_Clean:", "Private_Dirty:")):
				total_kb += int(line.split()[1])
	return total_kb / 1024


def _next(listener: socket.socket) -> socket.socket:
	"""The next caller on ``listener`` (shared by the renderers of its kind: the one that accepts
	first has it)."""
	while True:
		select.select([listener], [], [])
		try:
			conn, _address = listener.accept()
		except BlockingIOError:
			continue  # another renderer took it
		conn.setblocking(True)
		return conn


def _renderer(
	listener: socket.socket, max_documents: int, max_memory_mb: int, timeout: int, niceness: int
) -> None:
	"""One renderer: documents from its socket until it is due to be replaced. The renderers of
	background jobs' documents (workflow mail attachments) run at the niceness of Frappe's
	background workers (:func:`background_niceness`): a mail's PDF yields the processors to the
	web workers as the job that asked for it does, and the users' renderers never wait for one."""
	if niceness:
		os.nice(niceness)
	served = 0
	while served < max_documents:
		conn = _next(listener)
		served += 1
		with conn:
			signal.alarm(timeout)  # a document that never ends takes its renderer with it
			try:
				_answer(conn)
			except (OSError, ValueError, KeyError):
				pass  # the caller went away or sent garbage: next document
			finally:
				signal.alarm(0)
		if private_mb() > max_memory_mb:
			break


def background_niceness(bench: str) -> int:
	"""The niceness Frappe's workers of ``bench`` run their jobs at (``set_niceness``): the
	bench's :data:`NICENESS_SETTING` read as Frappe's ``cint`` reads it (kept within 0–19), else
	:data:`BACKGROUND_NICENESS`. The background renderers take the same, so that a mail's PDF
	and the job that asked for it stand alike beside the web workers."""
	try:
		with open(os.path.join(bench, "sites", "common_site_config.json"), encoding="utf-8") as f:
			value = json.load(f).get(NICENESS_SETTING)
	except (OSError, ValueError, AttributeError):
		return BACKGROUND_NICENESS
	if value is None:
		return BACKGROUND_NICENESS
	try:
		niceness = int(float(value))
	except (TypeError, ValueError, OverflowError):
		return 0  # as Frappe's cint reads a value that is not a number
	# only root may raise a priority, and the kernel's lowest is 19: a renderer given anything else
	# would fail to start, again and again
	return min(max(0, niceness), MAX_NICENESS)


def _listen(path: str) -> socket.socket:
	listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
	if os.path.exists(path):
		os.unlink(path)  # left by a pool that was killed
	old_umask = os.umask(0o077)  # only the bench user's processes talk to it
	listener.bind(path)
	os.umask(old_umask)
	listener.listen(64)
	listener.setblocking(False)  # renderers wait in select(); the one that accepts first has it
	return listener


def _warm_up() -> None:
	"""Import WeasyPrint and lay out the GB/T 9704 faces once, before forking: fonts found and
	loaded here are shared by every renderer."""
	css = os.path.join(
		os.path.dirname(os.path.abspath(__file__)), "..", "print_formats", "_shared", "gbt9704.css"
	)
	style = open(css, encoding="utf-8").read() if os.path.exists(css) else ""
	html = (
		f"<style>{style}</style><div class='gw'><p class='gw-mark'>清欠预热</p><p class='gw-h1'>一、黑体</p>"
		"<p class='gw-h2'>（一）楷体</p><p>仿宋正文 0123456789 元</p></div>"
	)
	render(html, "http://localhost/", {}, set())
	_STYLES.clear()  # its configuration (and the folder of its faces) is not the renderers' to keep


LEFTOVER_HOURS = 24  # a WeasyPrint folder of faces older than this belongs to no running document


def remove_leftovers(folder: str | None = None, hours: float = LEFTOVER_HOURS) -> int:
	"""WeasyPrint's folders of copied faces (``weasyprint-*``, ~6 MB each) that no process removed:
	a renderer of an earlier version left one for every workflow mail's PDF (its child ended by
	os._exit). Those of this user older than ``hours`` are removed when the pool starts; how many."""
	import time

	folder = folder or tempfile.gettempdir()
	removed = 0
	for entry in os.scandir(folder):
		try:
			stat = entry.stat(follow_symlinks=False)
			if (
				entry.name.startswith("weasyprint-")
				and entry.is_dir(follow_symlinks=False)
				and stat.st_uid == os.getuid()
				and stat.st_mtime < time.time() - hours * 3600
			):
				shutil.rmtree(entry.path, ignore_errors=True)
				removed += 1
		except OSError:
			continue
	return removed


def serve(bench: str, workers: int, max_documents: int, max_memory_mb: int, timeout: int) -> int:
	paths = [os.path.join(bench, SOCKET), os.path.join(bench, BACKGROUND_SOCKET)]
	removed = remove_leftovers()
	_warm_up()
	gc.collect()
	gc.freeze()  # the collector leaves the preloaded objects alone: renderers share their pages longer
	listeners = [_listen(path) for path in paths]
	kinds = [(listeners[0], 0), (listeners[1], background_niceness(bench))]  # users', background jobs'
	# each renderer: its kind, and its temporary folder (removed when it has left)
	children: dict[int, tuple[tuple[socket.socket, int], str]] = {}
	stopping = False

	def spawn(kind: tuple[socket.socket, int]) -> None:
		# a stop signal is held while the renderer is forked: else one that came just then would
		# run this pool's handler in the new renderer (which goes on serving), and the pool, told
		# to stop, would wait for it for ever
		signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
		try:
			if stopping:  # told to stop before the signal was held: no new renderer
				return
			folder = tempfile.mkdtemp(prefix="qingqian-pdf-")
			pid = os.fork()
			if pid == 0:
				# the kernel's own ends: a stop signal, and the alarm of a document that never ends
				# (not a handler the pool was given by whoever started it, e.g. pytest-timeout's)
				for signum in (*STOP_SIGNALS, signal.SIGALRM):
					signal.signal(signum, signal.SIG_DFL)
				signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
				# WeasyPrint copies a document's @font-face files into a temporary folder, removed
				# only when its configuration is collected, which a renderer leaving by os._exit (or
				# its alarm) never does: the pool removes the renderer's folder once it has left
				tempfile.tempdir = folder
				try:
					_renderer(kind[0], max_documents, max_memory_mb, timeout, kind[1])
				finally:
					os._exit(0)
			children[pid] = kind, folder
		finally:
			signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)

	def stop(signum, _frame) -> None:
		nonlocal stopping
		stopping = True
		for pid in children:
			try:
				os.kill(pid, signal.SIGTERM)
			except ProcessLookupError:
				pass
		# a renderer still there after STOP_SECONDS (its document in C code that holds the
		# signal off) is killed: the pool always stops
		signal.signal(signal.SIGALRM, kill_all)
		signal.alarm(STOP_SECONDS)

	def kill_all(_signum, _frame) -> None:
		for pid in children:
			try:
				os.kill(pid, signal.SIGKILL)
			except ProcessLookupError:
				pass

	signal.signal(signal.SIGTERM, stop)
	signal.signal(signal.SIGINT, stop)
	for kind in kinds:
		for _ in range(workers):
			spawn(kind)
	print(
		f"qingqian-pdf: {workers} + {workers} renderers on {', '.join(paths)} (pid {os.getpid()}); "
		f"{removed} folders of faces left by earlier renderers removed",
		flush=True,
	)
	while children:
		try:
			pid, _status = os.wait()
		except ChildProcessError:
			break
		except InterruptedError:
			continue
		if pid not in children:
			continue
		kind, folder = children.pop(pid)
		shutil.rmtree(folder, ignore_errors=True)
		if not stopping:
			spawn(kind)
	for listener, path in zip(listeners, paths, strict=True):
		listener.close()
		if os.path.exists(path):
			os.unlink(path)
	return 0


def main(argv: list[str] | None = None) -> int:
	ap = argparse.ArgumentParser(prog="python -m qingqian_app.pdf_render")
	ap.add_argument("--serve", action="store_true", help="run the pool of renderers")
	ap.add_argument("--bench", default=os.getcwd(), help="the bench directory (the socket is in its config/)")
	ap.add_argument("--workers", type=int, default=WORKERS)
	ap.add_argument("--max-documents", type=int, default=MAX_DOCUMENTS)
	ap.add_argument("--max-memory-mb", type=int, default=MAX_MEMORY_MB)
	ap.add_argument("--timeout", type=int, default=TIMEOUT)
	ap.add_argument("--base-url")
	ap.add_argument("--root", action="append", default=[], help="URL path prefix=directory")
	ap.add_argument("--host", action="append", default=[])
	args = ap.parse_args(argv)
	if args.serve:
		return serve(args.bench, args.workers, args.max_documents, args.max_memory_mb, args.timeout)
	if not args.base_url:
		ap.error("--base-url is required")
	roots = dict(r.split("=", 1) for r in args.root)
	html = sys.stdin.buffer.read().decode("utf-8")
	sys.stdout.buffer.write(render(html, args.base_url, roots, set(args.host)))
	_STYLES.clear()  # the configuration's folder of faces removed before the process ends
	return 0


if __name__ == "__main__":
	sys.exit(main())
