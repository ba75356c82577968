"""The oversight reports at volume: Arrears Summary against a raw SQL GROUP BY of the same
figures over the items, measured interleaved in the same run (the anchor), and from the
aggregates kept up to date (Arrears Tally) against the same scan.

Run with the bench's Python from its sites folder (benchmarks/run.sh does this):
    ../env/bin/python /path/to/benchmarks/oversight.py --site SITE
Prints figures; asserts nothing.
"""

import statistics
import time

import frappe
from common import new_request, open_site

from qingqian_app.oversight import figures
from qingqian_app.oversight.report.arrears_summary import arrears_summary
from qingqian_app.oversight.report.overdue_aging import overdue_aging

RAW = f"""select i.competent_unit, {", ".join(f"{sql} as {name}" for name, sql in figures.MEASURES.items())}
from `tabArrears Item` i where i.counted_in_ledger = 1 group by i.competent_unit"""


def interleaved(runs: dict, rounds: int = 5) -> dict[str, list[float]]:
	"""Each callable once per round, in turn, so all meet the same state of the caches."""
	times = {label: [] for label in runs}
	for _ in range(rounds):
		for label, fn in runs.items():
			new_request()
			start = time.perf_counter()
			fn()
			times[label].append((time.perf_counter() - start) * 1000)
	return times


def show(times: dict[str, list[float]], anchor: str):
	base = statistics.median(times[anchor])
	for label, ms in times.items():
		m = statistics.median(ms)
		print(
			f"  {label}: median {m:,.1f} ms, max {max(ms):,.1f} ms, {m / base:.2f}× the anchor"
			f" (runs {', '.join(f'{t:,.0f}' for t in ms)})"
		)


def main():
	args = open_site(rounds=5)
	for hook in frappe.get_hooks("before_request"):
		frappe.call(hook)
	total = frappe.db.count("Arrears Item")
	pool = frappe.db.sql("select @@innodb_buffer_pool_size")[0][0] / 2**20
	tally_rows = frappe.db.count("Arrears Tally")
	print(
		f"site {args.site}: {total:,} arrears items, {tally_rows:,} tally rows, InnoDB buffer pool {pool:,.0f} MB"
	)

	def report(group_by, scan, report=arrears_summary):
		return lambda: report.execute({"group_by": group_by, "scan": scan})

	print("Arrears Summary by competent unit, scanning the items, against the raw GROUP BY (anchor):")
	show(
		interleaved(
			{
				"raw GROUP BY (anchor)": lambda: frappe.db.sql(RAW),
				"report, scan": report("competent_unit", 1),
			},
			args.rounds,
		),
		"raw GROUP BY (anchor)",
	)
	print("Arrears Summary from the kept aggregates, against the same raw GROUP BY (anchor):")
	show(
		interleaved(
			{
				"raw GROUP BY (anchor)": lambda: frappe.db.sql(RAW),
				"report by competent unit": report("competent_unit", 0),
				"report by debtor unit (tree)": report("debtor_unit", 0),
				"report by unit type": report("debtor_unit_type", 0),
			},
			args.rounds,
		),
		"raw GROUP BY (anchor)",
	)
	print("Overdue Aging (a scan of the overdue items):")
	show(interleaved({"raw GROUP BY (anchor)": lambda: frappe.db.sql(RAW), "Overdue Aging": report("competent_unit", 1, overdue_aging)}, args.rounds), "raw GROUP BY (anchor)")  # fmt: skip
	frappe.destroy()


if __name__ == "__main__":
	main()
