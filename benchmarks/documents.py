"""Official documents as PDF on the bench's site: seconds per document (medians) and the
ledger printout at its row limit, with the process's peak memory. Prints figures; asserts
nothing. Run from the bench's sites directory (benchmarks/run.sh does):

    ../env/bin/python benchmarks/documents.py --site SITE
"""

import io
import resource
import time

import frappe
from common import open_site, timed


def pages(pdf: bytes) -> int:
	from pypdf import PdfReader

	return len(PdfReader(io.BytesIO(pdf)).pages)


def peak_mb(who=resource.RUSAGE_SELF) -> float:
	return resource.getrusage(who).ru_maxrss / 1024


def main():
	args = open_site(repeat=5)
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
	formats = [name for name, m in declarations().items() if m["doc_type"] == "Arrears Item"]
	print(f"site {args.site}: documents of {item[0]}, median of {args.repeat} (a renderer process each)")
	for pf in sorted(formats):
		median, _worst, pdf = timed(
			lambda pf=pf: frappe.get_print("Arrears Item", item[0], print_format=pf, as_pdf=True), args.repeat
		)
		print(f"  {pf}: {median:.0f} ms, {pages(pdf)} page(s), {len(pdf) / 1024:.0f} KB")

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
