"""Ledger benchmarks on a real site: prints figures, asserts nothing.

Run with the bench's Python from its sites folder (benchmarks/run.sh does this):

    ../env/bin/python /path/to/benchmarks/ledger.py --site SITE [--inserts 10000]

1. The list view's count + first page, filtered by competent unit and state, as a member
   unit's user (the permission conditions of qingqian_app.permissions apply), and as a
   debtor unit's user (tree of units). Target: under 200 ms at 1,000,000 items.
2. Saving: Arrears Items inserted through the controller by a debtor unit's reporter (the
   server rules, permissions and workflow bookkeeping all run) against bare Frappe ToDo
   inserts in the same run (the anchor). Target: at most 3× a ToDo. Rolled back.
3. Finding: a link field's search (search_link) and the search bar (global search) by a
   fragment of a Chinese name or a number, as a member unit's user. Target: under 200 ms.
"""

import statistics
import time

import frappe
import frappe.desk.reportview
import frappe.desk.search
from common import LIST_FIELDS, open_site, timed


def count_and_page(filters):
	def run():
		count = frappe.get_list("Arrears Item", filters=filters, fields=["count(*) as n"])[0].n
		page = frappe.get_list(
			"Arrears Item",
			filters=filters,
			fields=LIST_FIELDS,
			order_by="modified desc",
			limit_page_length=20,
		)
		return count, len(page)

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


def main():
	args = open_site(inserts=10_000)
	for hook in frappe.get_hooks("before_request"):  # as every request does (qingqian_app hooks)
		frappe.call(hook)
	total = frappe.db.count("Arrears Item")
	print(f"site {args.site}: {total:,} arrears items")

	member = scoped_user("finance", ["Member Unit Staff"], qingqian_member_unit="区财政局")
	debtor = scoped_user("debtor", ["Debtor Unit Reporter"], qingqian_debtor_unit="生成单位0003")
	for label, user, filters in (
		(
			"member unit 区财政局, state 清偿中",
			member,
			{"competent_unit": "区财政局", "workflow_state": "清偿中"},
		),
		("member unit 区财政局, no filter", member, {}),
		("debtor unit 生成单位0003, state 清偿中", debtor, {"workflow_state": "清偿中"}),
		(
			"clearing office, competent 区教科局 + state 核查中",
			"Administrator",
			{"competent_unit": "区教科局", "workflow_state": "核查中"},
		),
	):
		frappe.set_user(user)
		median, worst, (count, rows) = timed(count_and_page(filters))
		print(
			f"list view count + first page [{label}]: median {median:.1f} ms, max {worst:.1f} ms ({count:,} matching, {rows} shown)"
		)
	frappe.set_user("Administrator")

	if args.inserts:
		inserts(args.inserts)
	search()
	frappe.destroy()


if __name__ == "__main__":
	main()
