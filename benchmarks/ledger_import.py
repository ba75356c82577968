"""Ledger Import against Frappe's own Data Import, the same rows, the same run.

N valid rows (default 10,000) of the demo units and enterprises are written twice: as the
台账 template (xlsx) for Ledger Import and as Frappe's Data Import CSV (field labels) for
Data Import; both insert through the Arrears Item controller, so the same rules run. Each is
timed as a whole (Data Import first, as the anchor), then its rows are removed. Prints rows
per second, the ratio and the process's peak memory; asserts nothing.

    cd BENCH/sites && ../env/bin/python REPO/benchmarks/ledger_import.py --site SITE [--rows N]
"""

import contextlib
import csv
import os
import tempfile
import time

import frappe
from common import open_site

MARK = "BENCHIMP-"


def demo_rows(n):
	units = frappe.get_all(
		"Debtor Unit", filters={"unit_type": "机关", "is_suspended": 0}, pluck="name", limit=5
	)
	ents = frappe.get_all("Enterprise", fields=["name", "uscc"], filters={"uscc": ["like", "91%"]}, limit=5)
	for i in range(n):
		e = ents[i % len(ents)]
		yield {"unit": units[i % len(units)], "enterprise": e.name, "uscc": e.uscc, "category": "货物",
			"contract": f"{MARK}{i:06d}", "amount": 10000 + i, "due": "2025-06-30"}  # fmt: skip


def cleanup():
	frappe.flags.qingqian_purge_test_records = True
	names = frappe.get_all("Arrears Item", filters={"contract_no": ["like", MARK + "%"]}, pluck="name")
	for chunk in range(0, len(names), 500):
		part = tuple(names[chunk : chunk + 500])
		for table in ("`tabArrears Item`", "`tabArrears Responsibility`", "`tabArrears Repayment`"):
			column = "name" if table == "`tabArrears Item`" else "parent"
			frappe.db.sql(f"delete from {table} where {column} in %s", (part,))
		frappe.db.sql(
			"delete from `tabComment` where reference_doctype = 'Arrears Item' and reference_name in %s",
			(part,),
		)
		frappe.db.sql(
			"delete from `tabVersion` where ref_doctype = 'Arrears Item' and docname in %s", (part,)
		)
	frappe.db.commit()
	return len(names)


def main():
	args = open_site(rows=10_000)
	frappe.set_user("Administrator")
	for hook in frappe.get_hooks("before_job"):  # both importers run as jobs do, with the app's hooks
		frappe.call(hook)
	from qingqian_app.domain import ledger_import as li
	from qingqian_app.ledger_io import importer, sheets

	print(f"removed {cleanup()} rows of an earlier run")
	n = args.rows
	tmp = tempfile.mkdtemp()
	# Frappe's Data Import: a CSV with the DocType's labels
	di_path = os.path.join(tmp, "data-import.csv")
	with open(di_path, "w", newline="", encoding="utf-8") as f:
		w = csv.writer(f)
		w.writerow(["欠款单位", "民营企业", "欠款类别", "合同编号", "欠款金额（元）", "应付款日期"])
		for r in demo_rows(n):
			w.writerow([r["unit"], r["enterprise"], r["category"], r["contract"], r["amount"], r["due"]])
	from frappe.core.doctype.data_import.data_import import import_file

	start = time.perf_counter()
	with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet):  # its console progress
		import_file("Arrears Item", di_path, "Insert", console=True)
	frappe.db.commit()
	anchor = time.perf_counter() - start
	made = frappe.db.count("Arrears Item", {"contract_no": ["like", MARK + "%"]})
	print(f"Frappe Data Import : {made:,} of {n:,} rows in {anchor:.1f} s = {made / anchor:.0f} rows/s")
	cleanup()
	# Ledger Import: the 台账 template
	li_path = os.path.join(tmp, "台账.xlsx")
	columns = {"欠款单位": "unit", "民营企业名称": "enterprise", "统一社会信用代码": "uscc", "欠款类别": "category",
		"合同编号": "contract", "欠款金额": "amount", "应付款日期": "due"}  # fmt: skip
	header = [c.header for c in li.COLUMNS]
	sheets.write(li_path, header, ([r.get(columns.get(h)) for h in header] for r in demo_rows(n)))
	start = time.perf_counter()
	result = importer.run(li_path, dry_run=False, label="benchmark")
	took = time.perf_counter() - start
	print(f"Ledger Import      : {result.counts['新建']:,} of {n:,} rows in {took:.1f} s = {result.counts['新建'] / took:.0f} rows/s"
		f"  ({anchor / took:.1f}× Data Import; peak memory {importer.peak_memory_mb():.0f} MB)")  # fmt: skip
	print(f"removed {cleanup()} rows")


if __name__ == "__main__":
	main()
