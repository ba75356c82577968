"""WeasyPrint outside the web and worker processes: a small pool of preloaded renderers.

    python -m qingqian_app.pdf_render --serve [--bench DIR] [--workers 2] [--max-documents 50]
    python -m qingqian_app.pdf_render --base-url URL --root /assets/=DIR --root /files/=DIR
                                      [--host NAME ...] < page.html > page.pdf

WeasyPrint 59 (the version Frappe v15 pins) keeps 30–50 MB of every PDF it writes with CJK
faces (measured: benchmarks/documents.py); in a long-lived web or worker process that grows
without bound. So documents are rendered here, never in Frappe's processes:

- ``--serve`` (production: a supervisor program; development: a Procfile line, both written
  by scripts/setup.sh) imports WeasyPrint and lays out one document with the GB/T 9704 faces
  once, then forks ``--workers`` renderers that take documents from two Unix sockets in the
  bench: :data:`SOCKET` for documents a user waits for, always taken first, and
  :data:`BACKGROUND_SOCKET` for those made in background jobs (workflow mail attachments),
  laid out by a child of the renderer at the background workers' niceness, so that a mail's
  PDF never takes the processors from the web workers.
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
import select
import signal
import socket
import struct
import sys
from urllib.parse import unquote, urlparse

# under the bench directory: documents a user waits for, and the rest (mail attachments rendered
# in background jobs); a free renderer always takes a waiting user's document first
SOCKET = os.path.join("config", "qingqian-pdf.sock")
BACKGROUND_SOCKET = os.path.join("config", "qingqian-pdf-background.sock")
WORKERS = max(2, os.cpu_count() or 1)  # renderers: one a core
MAX_DOCUMENTS = 50  # documents a renderer lays out before a fresh one takes its place
MAX_MEMORY_MB = 250  # memory of its own (not shared with the parent) that retires a renderer
TIMEOUT = 300  # seconds a document may take: the ledger printout's 1,000 rows take about 10
STOP_SIGNALS = {signal.SIGTERM, signal.SIGINT}
BACKGROUND_NICENESS = 10  # background jobs' documents, as Frappe's `bench worker` runs its jobs
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
	hosts = {urlparse(base_url).hostname, *hosts}
	# hints kept in the faces' subsets (WeasyPrint's default strips them: more work, a few KB less)
	return HTML(string=html, base_url=base_url, url_fetcher=fetcher(roots, hosts)).write_pdf(hinting=True)


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


def _next(
	listeners: list[socket.socket], wait: float | None = None
) -> tuple[socket.socket, socket.socket] | None:
	"""The next caller and the listener it came by: from the first listener that has one (users
	before background jobs); None when ``wait`` seconds passed without one."""
	while True:
		ready, _w, _x = select.select(listeners, [], [], wait)
		if not ready:
			return None
		for listener in listeners:
			if listener in ready:
				try:
					conn, _address = listener.accept()
				except BlockingIOError:
					continue  # another renderer took it
				conn.setblocking(True)
				return conn, listener


def _renderer(listeners: list[socket.socket], max_documents: int, max_memory_mb: int, timeout: int) -> None:
	"""One renderer: documents from the shared sockets until it is due to be replaced. A
	background job's document (the second listener) is laid out by a child forked for it at the
	niceness of Frappe's background workers (:data:`BACKGROUND_NICENESS`), one at a time, while
	this renderer goes on taking the documents users wait for: a workflow mail's PDF yields the
	processors to the web workers as the job that asked for it does."""
	users, background = listeners
	child = None  # the background document being laid out
	served = 0
	while served < max_documents:
		if child and os.waitpid(child, os.WNOHANG)[0]:
			child = None
		caller = _next([users] if child else listeners, wait=0.2 if child else None)
		if caller is None:
			continue
		conn, listener = caller
		served += 1
		with conn:
			if listener is background:
				child = _answer_in_background(conn, timeout)
				continue
			signal.alarm(timeout)  # a document that never ends takes its renderer with it
			try:
				_answer(conn)
			except (OSError, ValueError, KeyError):
				pass  # the caller went away or sent garbage: next document
			finally:
				signal.alarm(0)
		if private_mb() > max_memory_mb:
			break
	if child:
		os.waitpid(child, 0)


def _answer_in_background(conn: socket.socket, timeout: int) -> int:
	"""Fork a child that answers ``conn`` at :data:`BACKGROUND_NICENESS` and leaves (what it
	loaded for the document leaves with it); its pid."""
	pid = os.fork()
	if pid == 0:
		try:
			os.nice(BACKGROUND_NICENESS)
			signal.alarm(timeout)
			_answer(conn)
		except Exception:
			pass  # the caller sees the connection close: "渲染进程中途退出"
		finally:
			os._exit(0)
	return pid


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


def serve(bench: str, workers: int, max_documents: int, max_memory_mb: int, timeout: int) -> int:
	paths = [os.path.join(bench, SOCKET), os.path.join(bench, BACKGROUND_SOCKET)]
	_warm_up()
	gc.collect()
	gc.freeze()  # the collector leaves the preloaded objects alone: renderers share their pages longer
	listeners = [_listen(path) for path in paths]
	children: set[int] = set()
	stopping = False

	def spawn() -> None:
		# a stop signal is held while the renderer is forked: else one that came just then would
		# run this pool's handler in the new renderer (which goes on serving), and the pool, told
		# to stop, would wait for it for ever
		signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
		try:
			pid = os.fork()
			if pid == 0:
				for signum in STOP_SIGNALS:
					signal.signal(signum, signal.SIG_DFL)
				signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
				try:
					_renderer(listeners, max_documents, max_memory_mb, timeout)
				finally:
					os._exit(0)
			children.add(pid)
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

	signal.signal(signal.SIGTERM, stop)
	signal.signal(signal.SIGINT, stop)
	for _ in range(workers):
		spawn()
	print(f"qingqian-pdf: {workers} renderers on {', '.join(paths)} (pid {os.getpid()})", flush=True)
	while children:
		try:
			pid, _status = os.wait()
		except ChildProcessError:
			break
		except InterruptedError:
			continue
		children.discard(pid)
		if not stopping:
			spawn()
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
	return 0


if __name__ == "__main__":
	sys.exit(main())
