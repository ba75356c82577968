"""The public disclosure page as the public reads it, over HTTP on loopback: the page served
from Frappe's page cache, the same page rendered afresh (cache cleared before each request),
the CSV, against Frappe's own /api/method/ping in the same run (the anchor: the least a request
to this server costs). Prints median and p95 in milliseconds and the requests per second of
one client; asserts nothing.

    python benchmarks/public_page.py [URL] [N] [REDIS_CACHE_PORT]
                                      (default http://localhost:8000, 200, 13000: the bench's redis_cache)
"""

import statistics
import subprocess
import sys
import time

import requests

URL = (sys.argv[1] if len(sys.argv) > 1 else "http://localhost:8000").rstrip("/")
N = int(sys.argv[2]) if len(sys.argv) > 2 else 200
REDIS_PORT = sys.argv[3] if len(sys.argv) > 3 else "13000"
CSV_EACH_MINUTE = 30  # the CSV's rate limit per client (qingqian_app/accountability/disclosure.py)


def run(label, path, n, before=None):
	s = requests.Session()
	times, codes = [], {}
	for _ in range(n):
		if before:
			before()
		start = time.perf_counter()
		r = s.get(URL + path, timeout=60)
		times.append((time.perf_counter() - start) * 1000)
		codes[r.status_code] = codes.get(r.status_code, 0) + 1
	times.sort()
	p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
	print(f"{label:28s} n={n:4d}  median {statistics.median(times):7.1f} ms  p95 {p95:7.1f} ms  "
		f"{1000 / statistics.mean(times):6.1f} req/s  HTTP {codes}  {len(r.content):,} bytes")  # fmt: skip


def forget():
	"""Drop the page and its data from the cache (as an approval does): the next request renders."""
	cli = ["redis-cli", "-p", REDIS_PORT]
	keys = subprocess.run(
		[*cli, "--scan", "--pattern", "*website_page*"], capture_output=True, text=True
	).stdout.split()
	keys += subprocess.run(
		[*cli, "--scan", "--pattern", "*public_disclosure*"], capture_output=True, text=True
	).stdout.split()
	if keys:
		subprocess.run([*cli, "del", *keys], capture_output=True, check=True)


def main():
	print(f"== public disclosure page at {URL}")
	# first: the CSV's limit counts a minute's requests per client
	run(
		"CSV (within its rate limit)",
		"/api/method/qingqian_app.accountability.disclosure.csv",
		CSV_EACH_MINUTE - 5,
	)
	run("anchor: /api/method/ping", "/api/method/ping", N)
	run("/arrears-disclosure", "/arrears-disclosure", N)
	run("/arrears-disclosure rendered", "/arrears-disclosure", N // 4, before=forget)


if __name__ == "__main__":
	main()
