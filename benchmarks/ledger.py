"""Ledger benchmarks on a real site: prints figures, asserts nothing.

Run with the bench's Python from its sites folder (benchmarks/run.sh does this):

    ../env/bin/python /path/to/benchmarks/ledger.py --site SITE [--inserts 10000]

1. The list view as the desk opens it (frappe.desk.reportview.get for the first page and
   get_count with the list's count_upper_bound, "1,000+" beyond it), for every scope: the
   clearing office, member units, a debtor unit (the permission conditions of
   qingqian_app.permissions apply), unfiltered, by state and as a drill-down, ledger and
   leads; and the exact count a click on "1,000+" asks for. Target: under 200 ms at
   1,000,000 items.
2. Saving: Arrears Items inserted through the controller by a debtor unit's reporter (the
   server rules, permissions and workflow bookkeeping all run) against bare Frappe ToDo
   inserts in the same run (the anchor). Target: at most 3× a ToDo. Rolled back.
3. Finding: a link field's search (search_link) and the search bar (global search) by a
   fragment of a Chinese name or a number, as a member unit's user. Target: under 200 ms.
"""

import json
import statistics
import time

import frappe
import frappe.desk.reportview
import frappe.desk.search
from common import LIST_FIELDS, open_site, timed


def desk_list(doctype, filters, exact=False):
	"""What the desk's list view asks when it opens: the first page (frappe.desk.reportview.get,
	the list's columns, newest first) and its count (reportview.get_count with the list view's
	count_upper_bound of 1001: "1,000+" beyond it, the exact figure on a click, ``exact``)."""
	meta = frappe.get_meta(doctype)
	columns = (
		LIST_FIELDS
		if doctype == "Arrears Item"
		else ["name", *(f.fieldname for f in meta.fields if f.in_list_view), "workflow_state", "modified"]
	)
	fields = json.dumps([f"`tab{doctype}`.`{f}`" for f in columns])
	filter_list = json.dumps(
		[[doctype, f, *(v if isinstance(v, list) else ["=", v])] for f, v in filters.items()]
	)

	def run():
		frappe.local.form_dict = frappe._dict(
			doctype=doctype, fields=fields, filters=filter_list, order_by=f"`tab{doctype}`.`modified` desc",
			start=0, page_length=20, view="List", with_comment_count=1,
		)  # fmt: skip
		page = frappe.desk.reportview.get()
		frappe.local.form_dict = frappe._dict(
			doctype=doctype, filters=filter_list, fields="[]", distinct="false", limit=0 if exact else 1001
		)
		return frappe.desk.reportview.get_count(), len(page.get("values") or []) if page else 0

	return run


def scoped_user(key, roles, **unit):
	email = f"bench.{key}@bench.qingqian.example.com"
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": key, "send_welcome_email": 0,
			 "roles": [{"role": r} for r in roles], **unit}
		).insert(ignore_permissions=True)  # fmt: skip
		frappe.db.commit()
	return email


def inserts(n: int):
	from frappe.utils import add_days, nowdate

	frappe.flags.in_test = False
	reporter = scoped_user("reporter", ["Debtor Unit Reporter"], qingqian_debtor_unit="生成单位0001")

	def items(count):
		frappe.set_user(reporter)
		stamp = time.time_ns()
		for i in range(count):
			frappe.get_doc(
				{
					"doctype": "Arrears Item",
					"debtor_unit": "生成单位0001",
					"enterprise": f"生成企业{i % 2000 + 1:05d}有限公司",
					"arrears_category": "服务",
					"contract_no": f"BENCH-{stamp}-{i}",
					"arrears_amount": 10000 + i,
					"delivery_date": add_days(nowdate(), -90),
					"repayments": [{"payment_date": add_days(nowdate(), -10), "amount": 1000}],
				}
			).insert()
		frappe.set_user("Administrator")

	def todos(count):
		for i in range(count):
			frappe.get_doc(
				{"doctype": "ToDo", "description": f"基准 {i}", "allocated_to": "Administrator"}
			).insert()

	# interleaved rounds, so that both kinds meet the same state of the database and caches
	times = {"ToDo (anchor)": [], "Arrears Item": []}
	rounds = 5
	for _ in range(rounds):
		for label, fn in (("ToDo (anchor)", todos), ("Arrears Item", items)):
			start = time.perf_counter()
			fn(n // rounds)
			times[label].append((time.perf_counter() - start) / (n // rounds) * 1000)
			frappe.db.rollback()
	for label, ms in times.items():
		print(
			f"insert {label}: {n // rounds * rounds:,} in {rounds} rounds, median {statistics.median(ms):.1f} ms each"
			f" (rounds {', '.join(f'{m:.1f}' for m in ms)}; rolled back)"
		)
	ratio = statistics.median(times["Arrears Item"]) / statistics.median(times["ToDo (anchor)"])
	print(f"an Arrears Item insert costs {ratio:.1f}× a ToDo insert (target ≤ 3×)")


def search():
	member = scoped_user("finance", ["Member Unit Staff"], qingqian_member_unit="区财政局")
	frappe.set_user(member)
	from qingqian_app.search import global_search

	for txt in ("宏达", "生成企业00012", "生成单位0003", "有限公司", "QQ-2026-0001", "12"):

		def link(txt=txt):
			return len(frappe.desk.search.search_link("Arrears Item", txt, page_length=10))

		median, worst, found = timed(link)
		print(f"link search Arrears Item “{txt}”: median {median:.1f} ms, max {worst:.1f} ms ({found} shown)")
	for txt in ("宏达", "生成单位0003"):
		median, worst, found = timed(lambda txt=txt: len(global_search(txt)))
		print(f"search bar “{txt}”: median {median:.1f} ms, max {worst:.1f} ms ({found} results)")
	frappe.set_user("Administrator")


def list_views():
	"""Each scope's lists: the clearing office (all records), a member unit competent for half of
	the units and one for a quarter, a debtor unit; unfiltered, by state, and as the overdue
	figures' drill-down opens them; the ledger and the leads (which member units do not read)."""
	office = "Administrator"
	finance = scoped_user("finance", ["Member Unit Staff"], qingqian_member_unit="区财政局")
	education = scoped_user("education", ["Member Unit Staff"], qingqian_member_unit="区教科局")
	debtor = scoped_user("debtor", ["Debtor Unit Reporter"], qingqian_debtor_unit="生成单位0003")
	overdue = {"overdue_days": [">", 0], "workflow_state": ["not in", ["已销号", "不予列入"]]}
	item, lead = "Arrears Item", "Complaint Lead"
	return [
		("clearing office, no filter", office, item, {}),
		("clearing office, competent 区教科局 + state 核查中", office, item, {"competent_unit": "区教科局", "workflow_state": "核查中"}),
		("clearing office, overdue (drill-down)", office, item, overdue),
		("member unit 区财政局, no filter", finance, item, {}),
		("member unit 区财政局, state 清偿中", finance, item, {"workflow_state": "清偿中"}),
		("member unit 区财政局, overdue (drill-down)", finance, item, overdue),
		("member unit 区教科局, no filter", education, item, {}),
		("member unit 区教科局, state 待审核", education, item, {"workflow_state": "待审核"}),
		("debtor unit 生成单位0003, no filter", debtor, item, {}),
		("debtor unit 生成单位0003, state 清偿中", debtor, item, {"workflow_state": "清偿中"}),
		("debtor unit 生成单位0003, overdue (drill-down)", debtor, item, overdue),
		("clearing office, no filter", office, lead, {}),
		("debtor unit 生成单位0003, no filter", debtor, lead, {}),
	]  # fmt: skip


def main():
	args = open_site(inserts=10_000)
	for hook in frappe.get_hooks("before_request"):  # as every request does (qingqian_app hooks)
		frappe.call(hook)
	total = frappe.db.count("Arrears Item")
	print(f"site {args.site}: {total:,} arrears items")

	for label, user, doctype, filters in list_views():
		frappe.set_user(user)
		median, worst, (count, rows) = timed(desk_list(doctype, filters))
		shown = f"{count - 1:,}+" if count == 1001 else f"{count:,}"
		print(
			f"list view [{doctype}: {label}]: median {median:.1f} ms, max {worst:.1f} ms ({shown} matching, {rows} shown)"
		)
		if count == 1001:  # what a click on "1,000+" costs: the exact count
			median, worst, (count, rows) = timed(desk_list(doctype, filters, exact=True), repeat=3)
			print(f"    exact count on a click: median {median:.1f} ms, max {worst:.1f} ms ({count:,})")
	frappe.set_user("Administrator")

	if args.inserts:
		inserts(args.inserts)
	search()
	frappe.destroy()


if __name__ == "__main__":
	main()
