"""Official documents as a user fetches them, over HTTP through the server (nginx in production):
``frappe.utils.print_format.download_pdf`` of one record in our GB/T 9704 documents (WeasyPrint,
the renderer pool) and in Frappe's own Standard print of the same record (wkhtmltopdf), the
anchor, side by side in the same run:

1. alone: one client, the kinds taken in turn (ABAB…), ``--repeat`` times each;
2. under ``--users`` users at once for ``--seconds``: each user fetches the kinds in turn
   (a different first kind per user), so every kind meets the same load.

Prints median and p95 in seconds per kind, PDFs per second and errors; asserts nothing.

    python benchmarks/document_pdfs.py [--url https://localhost] [--password DEMO_PASSWORD]
        [--user office.staff@demo.qingqian.example.com] [--repeat 10] [--users 20] [--seconds 60]

The password defaults to $QINGQIAN_DEMO_PASSWORD (the site's ``qingqian_demo_password``). A
self-signed certificate is accepted (the server is the bench's own).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import threading
import time

import requests
import urllib3

# our documents of an item in 清偿中 with money outstanding, and Frappe's anchor
KINDS = ("限期清偿通知书", "台账登记表", "Standard")


def session(url: str, user: str, password: str) -> requests.Session:
	s = requests.Session()
	s.verify = False
	r = s.post(f"{url}/api/method/login", data={"usr": user, "pwd": password}, timeout=60)
	r.raise_for_status()
	return s


def an_item(s: requests.Session, url: str) -> str:
	filters = [["workflow_state", "=", "清偿中"], ["outstanding_amount", ">", 0]]
	r = s.get(
		f"{url}/api/resource/Arrears Item",
		params={"filters": json.dumps(filters), "limit_page_length": 1, "order_by": "name asc"},
		timeout=60,
	)
	r.raise_for_status()
	data = r.json()["data"]
	if not data:
		raise SystemExit("no item in 清偿中 with money outstanding that this user may read")
	return data[0]["name"]


def fetch(s: requests.Session, url: str, name: str, kind: str) -> tuple[float, str | None]:
	"""Seconds for one PDF, and what went wrong (None when a PDF came)."""
	start = time.perf_counter()
	try:
		r = s.get(
			f"{url}/api/method/frappe.utils.print_format.download_pdf",
			params={"doctype": "Arrears Item", "name": name, "format": kind},
			timeout=300,
		)
	except requests.RequestException as e:
		return time.perf_counter() - start, type(e).__name__
	took = time.perf_counter() - start
	if r.status_code != 200 or not r.content.startswith(b"%PDF"):
		return took, f"HTTP {r.status_code}: {r.text[:120]}"
	return took, None


def p95(times: list[float]) -> float:
	times = sorted(times)
	return times[min(len(times) - 1, int(len(times) * 0.95))]


def report(title: str, times: dict[str, list[float]], errors: dict[str, list[str]], seconds: float):
	print(title)
	anchor = statistics.median(times["Standard"]) if times["Standard"] else None
	for kind in KINDS:
		t = times[kind]
		if not t:
			print(f"  {kind:16s} no PDF; errors: {errors[kind][:3]}")
			continue
		ratio = f"  {statistics.median(t) / anchor:.2f}× Standard" if anchor and kind != "Standard" else ""
		print(
			f"  {kind:16s} n={len(t):4d}  median {statistics.median(t):6.2f} s  p95 {p95(t):6.2f} s"
			f"  {len(t) / seconds:5.2f} PDF/s  errors {len(errors[kind])}{ratio}"
		)


def alone(s, url, name, repeat):
	times = {k: [] for k in KINDS}
	errors = {k: [] for k in KINDS}
	for kind in KINDS:  # each kind once before timing: the renderers' first document
		fetch(s, url, name, kind)
	start = time.perf_counter()
	for _ in range(repeat):
		for kind in KINDS:
			took, error = fetch(s, url, name, kind)
			(errors[kind] if error else times[kind]).append(error or took)
	report(f"alone: {repeat} of each kind, one client", times, errors, time.perf_counter() - start)


def under_load(url, user, password, name, users, seconds):
	times = {k: [] for k in KINDS}
	errors = {k: [] for k in KINDS}
	lock = threading.Lock()
	sessions = [session(url, user, password) for _ in range(users)]
	ready = threading.Barrier(users + 1)
	stop_at = [0.0]

	def one_user(i, s):
		kinds = itertools.islice(itertools.cycle(KINDS), i % len(KINDS), None)
		ready.wait()
		while time.perf_counter() < stop_at[0]:
			kind = next(kinds)
			took, error = fetch(s, url, name, kind)
			with lock:
				(errors[kind] if error else times[kind]).append(error or took)

	threads = [threading.Thread(target=one_user, args=(i, s)) for i, s in enumerate(sessions)]
	for t in threads:
		t.start()
	stop_at[0] = time.perf_counter() + seconds
	start = time.perf_counter()
	ready.wait()
	for t in threads:
		t.join()
	report(
		f"under load: {users} users at once for {seconds} s, the kinds in turn",
		times,
		errors,
		time.perf_counter() - start,
	)


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("--url", default=os.environ.get("QINGQIAN_URL", "https://localhost"))
	ap.add_argument("--password", default=os.environ.get("QINGQIAN_DEMO_PASSWORD"))
	ap.add_argument("--user", default="office.staff@demo.qingqian.example.com")
	ap.add_argument("--repeat", type=int, default=10)
	ap.add_argument("--users", type=int, default=20)
	ap.add_argument("--seconds", type=int, default=60)
	args = ap.parse_args()
	if not args.password:
		raise SystemExit("the demo users' password: --password or QINGQIAN_DEMO_PASSWORD")
	urllib3.disable_warnings()
	url = args.url.rstrip("/")
	s = session(url, args.user, args.password)
	name = an_item(s, url)
	print(f"{url}: PDFs of {name} as {args.user}: {', '.join(KINDS)} (Frappe's, the anchor)")
	alone(s, url, name, args.repeat)
	if args.users:
		under_load(url, args.user, args.password, name, args.users, args.seconds)


if __name__ == "__main__":
	main()
