"""What the PDF renderer may read while it lays out a document: the site's own assets and
public files, nothing outside them and nothing from another host."""

import os

import pytest

from qingqian_app.pdf_render import harfbuzz_subset, local_file, system_font

HOSTS = {"qingqian.example.gov.cn", "localhost"}


def site(tmp_path):
	(tmp_path / "assets/frappe/css").mkdir(parents=True)
	(tmp_path / "assets/frappe/css/print.css").write_text("p {}", encoding="utf-8")
	(tmp_path / "files").mkdir()
	(tmp_path / "files/印章.png").write_bytes(b"png")
	(tmp_path / "secret.txt").write_text("site_config", encoding="utf-8")
	return {"/assets/": str(tmp_path / "assets"), "/files/": str(tmp_path / "files")}


def test_the_sites_own_files_are_read_from_disk(tmp_path):
	roots = site(tmp_path)
	assert local_file("/assets/frappe/css/print.css", roots, HOSTS) == str(
		tmp_path / "assets/frappe/css/print.css"
	)
	assert local_file("http://localhost:8000/files/%E5%8D%B0%E7%AB%A0.png", roots, HOSTS) == str(
		tmp_path / "files/印章.png"
	)


def test_nothing_outside_the_roots_or_from_elsewhere(tmp_path):
	roots = site(tmp_path)
	for url in (
		"/assets/../secret.txt",
		"/assets/%2e%2e/secret.txt",
		"/files/../secret.txt",
		"/private/files/x.pdf",
		"/assets/frappe/css/missing.css",
		"http://169.254.169.254/assets/frappe/css/print.css",
		"https://cdn.example.com/assets/frappe/css/print.css",
		"file:///etc/passwd",
	):
		assert local_file(url, roots, HOSTS) is None, url


def test_an_installed_font_is_read_and_nothing_else_by_file_url(tmp_path):
	"""@font-face local() faces come as file:// URLs of the font directories; no other file."""
	fonts = tmp_path / "fonts"
	(fonts / "fandol").mkdir(parents=True)
	(fonts / "fandol/FandolSong-Bold.otf").write_bytes(b"OTTO")
	(fonts / "fandol/README").write_text("readme", encoding="utf-8")
	(tmp_path / "secret.otf").write_bytes(b"OTTO")
	(fonts / "fandol/link.otf").symlink_to(tmp_path / "secret.otf")
	dirs = (str(fonts),)
	assert system_font((fonts / "fandol/FandolSong-Bold.otf").as_uri(), dirs) == str(
		fonts / "fandol/FandolSong-Bold.otf"
	)
	for url in (
		(fonts / "fandol/README").as_uri(),  # not a font
		(tmp_path / "secret.otf").as_uri(),  # outside the font directories
		(fonts / "fandol/link.otf").as_uri(),  # a link out of them
		(fonts / "fandol/../../secret.otf").as_uri(),
		"file://otherhost" + str(fonts / "fandol/FandolSong-Bold.otf"),
		"http://localhost" + str(fonts / "fandol/FandolSong-Bold.otf"),
		"file:///etc/passwd",
	):
		assert system_font(url, dirs) is None, url


# --- the pool of renderers (qingqian_app.pdf_render.serve), with a stand-in for WeasyPrint:
# each "PDF" names the renderer process that made it


def fake_render(html, base_url, roots, hosts):
	import os
	import tempfile
	import time

	started = time.monotonic()  # one clock for every process: the order the pool took them in
	folder = tempfile.mkdtemp(prefix="weasyprint-")  # as WeasyPrint leaves a document's faces
	with open(os.path.join(folder, "face.otf"), "wb") as f:
		f.write(b"OTTO")
	if html == "hang":
		time.sleep(60)
	if html == "stubborn":  # a document in code that holds the stop signal off
		import signal

		signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
		time.sleep(60)
	if html.startswith("slow"):
		time.sleep(0.4)
	if html == "broken":
		raise ValueError("无法排版")
	return (
		f"%PDF {os.getpid()} {folder} {html} {base_url} {sorted(hosts)} nice={os.nice(0)} {started}".encode()
	)


def start_pool(tmp_path, monkeypatch, **limits):
	import multiprocessing
	import os
	import tempfile
	import time

	from qingqian_app import pdf_render

	monkeypatch.setattr(pdf_render, "render", fake_render)
	monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the parent's warm-up document too
	(tmp_path / "config").mkdir()
	options = {"workers": 1, "max_documents": 3, "max_memory_mb": 10_000, "timeout": 60, **limits}
	pool = multiprocessing.get_context("fork").Process(
		target=pdf_render.serve, args=(str(tmp_path),), kwargs=options
	)
	pool.start()
	path = os.path.join(tmp_path, pdf_render.SOCKET)
	# both sockets (the users' and the background jobs') listen before the test asks: on a busy
	# machine the pool may be paused between a socket's bind and its listen (a connection then is
	# refused); asked by the kernel's table, not by connecting (a connection counts as a document)
	wanted = {path, os.path.join(tmp_path, pdf_render.BACKGROUND_SOCKET)}
	for _ in range(400):
		if wanted <= _listening():
			break
		time.sleep(0.05)
	return pool, path


def stop(pool):
	pool.terminate()
	pool.join(10)
	assert pool.exitcode is not None, "the pool did not stop on SIGTERM"


def _listening() -> set[str]:
	"""Paths of the Unix sockets that listen (/proc/net/unix: flag __SO_ACCEPTCON)."""
	out = set()
	with open("/proc/net/unix") as table:
		next(table)
		for line in table:
			parts = line.split()
			if len(parts) >= 8 and int(parts[3], 16) & 0x10000:
				out.add(parts[7])
	return out


def ask(path, html, timeout=10):
	from qingqian_app.pdf_render import request

	return request(path, html, "http://qingqian.example.gov.cn/", {}, ["localhost"], timeout).decode()


def test_the_pool_renders_and_replaces_a_renderer_after_its_documents(tmp_path, monkeypatch):
	import os
	import time

	pool, path = start_pool(tmp_path, monkeypatch, max_documents=3)
	try:
		answers = [ask(path, f"公文{i}") for i in range(7)]
		assert answers[0].startswith("%PDF ") and "公文0 http://qingqian.example.gov.cn/" in answers[0]
		assert "'localhost'" in answers[0]
		renderers = [a.split()[1] for a in answers]
		# one renderer at a time, three documents each: 3 + 3 + 1
		assert [renderers.count(pid) for pid in dict.fromkeys(renderers)] == [3, 3, 1]
		assert str(pool.pid) not in renderers  # the preloaded parent renders nothing
		# what a renderer left in its temporary folder goes with it (it leaves by os._exit)
		folders = [os.path.dirname(a.split()[2]) for a in answers]
		assert len(set(folders)) == 3 and all(
			os.path.basename(f).startswith("qingqian-pdf-") for f in folders
		)
		for _ in range(100):
			if not os.path.exists(folders[0]) and not os.path.exists(folders[3]):
				break
			time.sleep(0.05)
		assert not os.path.exists(folders[0]) and not os.path.exists(folders[3])
		assert os.path.exists(folders[6])  # the renderer serving now keeps its own
	finally:
		stop(pool)
	assert pool.exitcode == 0
	assert not (tmp_path / "config" / "qingqian-pdf.sock").exists()
	assert not os.path.exists(folders[6])  # the pool stopped: every renderer's folder removed


def test_a_bad_or_endless_document_fails_alone(tmp_path, monkeypatch):
	import pytest

	pool, path = start_pool(tmp_path, monkeypatch, timeout=1)
	try:
		with pytest.raises(RuntimeError, match="ValueError: 无法排版"):
			ask(path, "broken")
		with pytest.raises(RuntimeError, match="渲染进程中途退出"):
			ask(path, "hang")  # the renderer's alarm ends it after 1 s
		assert ask(path, "下一份").startswith("%PDF ")  # a fresh renderer serves the next
	finally:
		stop(pool)


def test_the_pool_stops_even_when_a_renderer_holds_the_stop_signal_off(tmp_path, monkeypatch):
	import time

	import pytest

	from qingqian_app import pdf_render

	monkeypatch.setattr(pdf_render, "STOP_SECONDS", 1)
	pool, path = start_pool(tmp_path, monkeypatch, timeout=60)
	try:
		with pytest.raises(OSError):
			ask(path, "stubborn", timeout=1)  # the caller gives up; the renderer goes on
		started = time.monotonic()
	finally:
		stop(pool)  # SIGTERM: held off by the renderer, which is killed after STOP_SECONDS
	assert time.monotonic() - started < 8
	assert not list(tmp_path.glob("qingqian-pdf-*"))  # its folder removed too


def test_a_user_never_waits_behind_background_jobs(tmp_path, monkeypatch):
	import os
	import threading
	import time

	from qingqian_app.pdf_render import BACKGROUND_SOCKET

	pool, path = start_pool(tmp_path, monkeypatch, max_documents=50)
	background = os.path.join(tmp_path, BACKGROUND_SOCKET)
	done, lock = [], threading.Lock()

	def send(socket_path, html):
		answer = ask(socket_path, html).split()
		with lock:
			done.append((float(answer[-1]), html, answer[1]))

	try:
		ask(path, "预热")  # the renderers are up and waiting before the test starts
		ask(background, "预热")
		mails = [threading.Thread(target=send, args=(background, f"slow-{i}")) for i in range(4)]
		for t in mails:
			t.start()
			time.sleep(0.02)  # queued in this order
		time.sleep(0.2)  # the background renderer is busy with the first
		user = threading.Thread(target=send, args=(path, "用户的公文"))
		user.start()
		for t in (*mails, user):
			t.join(10)
	finally:
		stop(pool)
	done.sort()
	order = [html for _started, html, _pid in done]
	# the user's document came in after all four mails and was laid out while three still waited
	assert order[:2] == ["slow-0", "用户的公文"], order
	assert sorted(order[2:]) == ["slow-1", "slow-2", "slow-3"]
	# the mails one after another by one renderer (workers=1), not by the users' one
	mail_pids = {pid for _s, html, pid in done if html.startswith("slow")}
	user_pid = next(pid for _s, html, pid in done if html == "用户的公文")
	assert len(mail_pids) == 1 and user_pid not in mail_pids


def test_background_documents_are_laid_out_at_the_workers_niceness_by_renderers_of_their_own(
	tmp_path, monkeypatch
):
	import os
	import threading
	import time

	from qingqian_app.pdf_render import BACKGROUND_NICENESS, BACKGROUND_SOCKET

	pool, path = start_pool(tmp_path, monkeypatch, max_documents=3)
	background = os.path.join(tmp_path, BACKGROUND_SOCKET)
	answers = {}
	try:
		user_first = ask(path, "预热").split()
		mail = threading.Thread(target=lambda: answers.setdefault("mail", ask(background, "slow-邮件附件")))
		mail.start()
		time.sleep(0.1)  # the background renderer is laying it out
		user = ask(path, "用户的公文").split()
		mail.join(10)
		more = [ask(background, f"邮件{i}").split() for i in range(4)]
	finally:
		stop(pool)
	nice = os.nice(0)
	mail = answers["mail"].split()
	assert user_first[-2] == user[-2] == f"nice={nice}" and user[1] == user_first[1]  # the users' renderer
	assert mail[-2] == f"nice={nice + BACKGROUND_NICENESS}" and mail[1] != user[1]
	assert float(user[-1]) < float(mail[-1]) + 0.4  # served while the mail's PDF was being made
	# a background renderer lays out documents one after another (not a process for each), is
	# replaced after its three, and the fresh one is as nice
	pids = [mail[1]] + [m[1] for m in more]
	assert [pids.count(pid) for pid in dict.fromkeys(pids)] == [3, 2], pids
	assert all(m[-2] == f"nice={nice + BACKGROUND_NICENESS}" for m in more)
	assert str(pool.pid) not in pids


@pytest.mark.parametrize(
	("setting", "expected"),
	[
		(None, 10),  # no such key: Frappe's default
		(3, 3),
		("7", 7),
		(0, 0),
		("不是数字", 0),  # Frappe's cint
		("7.9", 7),
		(-5, 0),  # only root may raise a priority
		(40, 19),  # the kernel's lowest
		("inf", 0),  # not a number Frappe's cint takes
	],
)
def test_the_background_renderers_take_the_niceness_the_benchs_workers_are_given(tmp_path, setting, expected):
	import json

	from qingqian_app.pdf_render import BACKGROUND_NICENESS, background_niceness

	assert background_niceness(str(tmp_path)) == BACKGROUND_NICENESS == 10  # no sites/ at all
	(tmp_path / "sites").mkdir()
	config = {"background_workers": 1} | ({} if setting is None else {"background_process_niceness": setting})
	(tmp_path / "sites" / "common_site_config.json").write_text(json.dumps(config))
	assert background_niceness(str(tmp_path)) == expected


def test_a_bench_that_sets_its_workers_niceness_has_its_mail_documents_laid_out_at_it(tmp_path, monkeypatch):
	import json
	import os

	from qingqian_app.pdf_render import BACKGROUND_SOCKET

	(tmp_path / "sites").mkdir()
	(tmp_path / "sites" / "common_site_config.json").write_text(
		json.dumps({"background_process_niceness": 3})
	)
	pool, path = start_pool(tmp_path, monkeypatch)
	try:
		user = ask(path, "用户的公文").split()
		mail = ask(os.path.join(tmp_path, BACKGROUND_SOCKET), "邮件附件").split()
	finally:
		stop(pool)
	nice = os.nice(0)
	assert user[-2] == f"nice={nice}"
	assert mail[-2] == f"nice={nice + 3}"


def test_faces_left_by_earlier_renderers_are_removed_when_the_pool_starts(tmp_path):
	import os
	import time

	from qingqian_app.pdf_render import remove_leftovers

	day_ago = time.time() - 25 * 3600
	for name in ("weasyprint-old", "weasyprint-new", "other-old"):
		(tmp_path / name).mkdir()
		(tmp_path / name / "face.otf").write_bytes(b"OTTO")
	for name in ("weasyprint-old", "other-old"):
		os.utime(tmp_path / name, (day_ago, day_ago))
	assert remove_leftovers(str(tmp_path)) == 1
	assert sorted(os.listdir(tmp_path)) == ["other-old", "weasyprint-new"]  # a live document's kept


def test_no_pool_is_said_as_such(tmp_path):
	import pytest

	with pytest.raises(FileNotFoundError):
		ask(str(tmp_path / "none.sock"), "公文")


FANDOL = "/usr/local/share/fonts/fandol/FandolFang-Regular.otf"  # installed by scripts/setup.sh


@pytest.mark.skipif(not os.path.exists(FANDOL), reason="the Fandol faces are installed by scripts/setup.sh")
def test_the_harfbuzz_subset_keeps_each_glyph_at_its_id_with_its_outline():
	import uharfbuzz as hb

	data = open(FANDOL, "rb").read()
	whole = hb.Font(hb.Face(data))
	kept = sorted({whole.get_nominal_glyph(ord(c)) for c in "关于限期清偿拖欠款项的通知：0123456789，。"})
	subset = harfbuzz_subset(hb, data, 0, kept, hinting=True)
	assert subset and len(subset) < len(data) / 10
	part = hb.Font(hb.Face(subset))
	assert part.face.glyph_count == max(kept) + 1  # ids kept: the PDF names glyphs by id
	for glyph in kept:
		assert part.get_glyph_extents(glyph) == whole.get_glyph_extents(glyph), glyph
		assert part.get_glyph_h_advance(glyph) == whole.get_glyph_h_advance(glyph), glyph
	dropped = next(g for g in range(1, max(kept)) if g not in kept and whole.get_glyph_extents(g))
	assert not part.get_glyph_extents(dropped) or part.get_glyph_extents(dropped).width == 0
	assert harfbuzz_subset(hb, b"not a font", 0, kept, hinting=True) is None
