"""Official documents as PDF on the bench's site: seconds per document (medians) and the
ledger printout at its row limit, with the process's peak memory. Prints figures; asserts
nothing. Run from the bench's sites directory (benchmarks/run.sh does):

    ../env/bin/python benchmarks/documents.py --site SITE [--documents 500]

1. One document each way, in the same run: the bench's pool of preloaded renderers
   (qingqian_app/pdf_render.py), a renderer process per document (how it was before the pool),
   and Frappe's own Standard print of the same record (wkhtmltopdf) as the anchor.
2. ``--documents`` documents through the pool: the renderers' memory (largest resident size
   seen, sampled every 25) and how many renderer processes served them (recycled).
"""

import io
import os
import resource
import time

import frappe
from common import open_site, timed


def pages(pdf: bytes) -> int:
	from pypdf import PdfReader

	return len(PdfReader(io.BytesIO(pdf)).pages)


def peak_mb(who=resource.RUSAGE_SELF) -> float:
	return resource.getrusage(who).ru_maxrss / 1024


def pool_processes(pool_socket):
	"""The pool's parent and renderers: the processes running ``--serve`` for this bench."""
	bench = os.path.dirname(os.path.dirname(pool_socket))
	found = {}
	for pid in filter(str.isdigit, os.listdir("/proc")):
		try:
			cmd = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
		except OSError:
			continue
		if b"qingqian_app.pdf_render" in cmd and b"--serve" in cmd and bench.encode() in cmd:
			found[int(pid)] = int(open(f"/proc/{pid}/stat").read().split()[3])  # its parent
	return found


def rss_mb(pid) -> float:
	with open(f"/proc/{pid}/statm") as f:
		return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def renderers_over(name, formats, count, pool):
	from qingqian_app.pdf_render import private_mb

	if not count or not os.path.exists(pool):
		return
	seen, largest, resident, started = set(), 0.0, 0.0, time.perf_counter()
	for i in range(count):
		frappe.get_print("Arrears Item", name, print_format=formats[i % len(formats)], as_pdf=True)
		if i % 25 == 0 or i == count - 1:
			processes = pool_processes(pool)
			renderers = [pid for pid, parent in processes.items() if parent in processes]
			seen.update(renderers)
			for pid in renderers:
				try:
					largest = max(largest, private_mb(pid))
					resident = max(resident, rss_mb(pid))
				except OSError:
					pass  # recycled between the listing and the look
	took = time.perf_counter() - started
	print(
		f"{count} documents through the pool in {took:.0f} s ({took / count * 1000:.0f} ms each): "
		f"renderers' own memory at most {largest:.0f} MB ({resident:.0f} MB resident with what they share with "
		f"the preloaded parent), {len(seen)} renderer processes seen (recycled)"
	)


def main():
	args = open_site(repeat=5, documents=500)
	frappe.set_user("Administrator")
	for hook in frappe.get_hooks("before_request"):  # as a request does (qingqian_app.pdf)
		frappe.call(hook)

	from qingqian_app.documents import declarations
	from qingqian_app.pdf import render
	from qingqian_app.printouts import MAX_ROWS, ledger_html

	# an overdue item verified as undisputed: every item document's words are true of it
	item = frappe.get_all(
		"Arrears Item",
		filters={"workflow_state": "清偿中", "overdue_days": [">", 0], "outstanding_amount": [">", 0]},
		limit=1,
		pluck="name",
	)
	if not item:
		print("no overdue arrears item in 清偿中: generate some first (benchmarks/run.sh)")
		return
	from qingqian_app import pdf

	formats = [name for name, m in declarations().items() if m["doc_type"] == "Arrears Item"]
	pool = pdf.pool_socket()
	if not os.path.exists(pool):
		print(f"no renderer pool at {pool}: start the bench (scripts/setup.sh) for the pool's figures")
	print(
		f"site {args.site}: documents of {item[0]}, median of {args.repeat} ms: pool / a process each / wkhtmltopdf"
	)

	def print_pdf(pf):
		return lambda: frappe.get_print("Arrears Item", item[0], print_format=pf, as_pdf=True)

	standard, _w, _pdf = timed(print_pdf("Standard"), args.repeat)
	for pf in sorted(formats):
		pooled, _worst, doc = timed(print_pdf(pf), args.repeat)
		pdf.pool_socket = lambda: "/nonexistent/qingqian-pdf.sock"  # as without a pool
		single, _worst, _pdf = timed(print_pdf(pf), args.repeat)
		pdf.pool_socket = lambda: pool
		print(
			f"  {pf}: {pooled:.0f} / {single:.0f} / Standard {standard:.0f} ms; {pages(doc)} page(s), "
			f"{len(doc) / 1024:.0f} KB"
		)
	renderers_over(item[0], sorted(formats), args.documents, pool)

	for filters in (
		{"competent_unit": "区财政局"},
		{"competent_unit": "区财政局", "workflow_state": "清偿中"},
	):
		before = peak_mb()
		start = time.perf_counter()
		html = ledger_html(filters)
		query = time.perf_counter() - start
		pdf = render(html)
		total = time.perf_counter() - start
		matching = frappe.db.count("Arrears Item", filters)
		print(
			f"ledger printout {filters}: {min(matching, MAX_ROWS):,} rows listed of {matching:,}, "
			f"{pages(pdf)} pages in {total:.1f} s (query and template {query:.1f} s), "
			f"{len(pdf) / 1024:.0f} KB; peak memory: this process {before:.0f} → {peak_mb():.0f} MB,"
			f" the renderer process {peak_mb(resource.RUSAGE_CHILDREN):.0f} MB"
		)
	frappe.destroy()


if __name__ == "__main__":
	main()
