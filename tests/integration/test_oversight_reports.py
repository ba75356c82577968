"""The oversight reports on a real site: their totals equal a direct SQL aggregate that
applies the counting rule from the states (not the stored flag), and each user sees
exactly the units permissions.py lets them see."""

from decimal import Decimal

import frappe
from frappe.utils import add_days, nowdate

from qingqian_app.domain import ledger
from qingqian_app.domain.oversight import AGES, Tally
from qingqian_app.oversight.report.arrears_summary import arrears_summary
from qingqian_app.oversight.report.overdue_aging import overdue_aging

from .factories import as_user, item, set_state, unit, user

MEASURES = ("items", "arrears_amount", "repaid_amount", "outstanding_amount", "disputed_amount")


def direct_sql(where: str = "1 = 1", values: dict | None = None) -> dict:
	"""What the figures must be, written independently of the reports: approved states,
	not excluded or duplicate, not in court, not owed by a suspended unit."""
	return frappe.db.sql(
		f"""select count(*) as items, coalesce(sum(i.arrears_amount), 0) as arrears_amount,
			coalesce(sum(i.repaid_amount), 0) as repaid_amount,
			coalesce(sum(i.outstanding_amount), 0) as outstanding_amount,
			coalesce(sum(i.disputed_amount), 0) as disputed_amount
		from `tabArrears Item` i join `tabDebtor Unit` u on u.name = i.debtor_unit
		where i.workflow_state not in %(never)s and i.in_judicial_process = 0 and u.is_suspended = 0
			and {where}""",
		{"never": tuple(ledger.NOT_YET_ENTERED | ledger.NEVER_COUNTED), **(values or {})},
		as_dict=True,
	)[0]


def through_desk(report, filters: dict) -> dict:
	"""A report as the desk runs it (frappe.desk.query_report.run): its permission check and
	Frappe's filtering of the rows by the linked DocTypes included."""
	from frappe.desk.query_report import run as run_report

	return run_report(
		REPORTS[report.__name__.rsplit(".", 1)[1]], filters=filters, ignore_prepared_report=True
	)


REPORTS = {"arrears_summary": "Arrears Summary", "overdue_aging": "Overdue Aging", "lead_handling": "Lead Handling",
	"clearance_ranking": "Clearance Ranking", "supervision_list": "Supervision List"}  # fmt: skip


def run(report, **filters):
	out = through_desk(report, filters)
	rows = out["result"]
	return rows[:-1], rows[-1], out["chart"], out["report_summary"]


def same(row: dict, expected: dict):
	for m in MEASURES:
		assert Decimal(str(row[m])) == Decimal(str(expected[m])), (m, row[m], expected[m])


def suspended_later(doc):
	"""An item whose unit stops production after it was registered (then not counted)."""
	debtor = frappe.get_doc("Debtor Unit", doc.debtor_unit)
	debtor.is_suspended = 1
	debtor.save()
	return frappe.get_doc("Arrears Item", doc.name)


def mixed_items(district):
	"""Items of every kind in the district's units: counted, and kept out of the figures."""
	overdue = add_days(nowdate(), -100)
	counted = [
		set_state(item(district.agency, arrears_amount=1000, due_date=overdue,
			repayments=[{"payment_date": nowdate(), "amount": 400}]), "已入账"),
		set_state(item(district.school, arrears_amount=2000, disputed_amount=500, due_date=overdue), "核查中"),
		set_state(item(district.sub, arrears_amount=3000, due_date=add_days(nowdate(), -400)), "已入账"),
		set_state(item(district.grandchild, arrears_amount=4000,
			repayments=[{"payment_date": nowdate(), "amount": 4000}]), "已入账"),
	]  # fmt: skip
	not_counted = [
		item(district.agency, arrears_amount=70000),  # 待报送
		set_state(item(district.agency, arrears_amount=80000), "不予列入"),
		set_state(item(district.school, arrears_amount=90000, in_judicial_process=1), "已入账"),
		suspended_later(
			set_state(item(unit("测试后停产企业", "国有企业", "区城投公司"), arrears_amount=60000), "已入账")
		),
	]
	assert all(d.counted_in_ledger for d in counted) and not any(d.counted_in_ledger for d in not_counted)
	return counted


def test_summary_totals_equal_the_direct_aggregate_in_every_grouping(district):
	mixed_items(district)
	expected = direct_sql()
	assert expected["items"] > 0
	for group_by in ("competent_unit", "debtor_unit_type", "debtor_unit"):
		rows, total, chart, summary = run(arrears_summary, group_by=group_by)
		same(total, expected)
		roots = [r for r in rows if not r.get("indent")]
		same(sum((Tally.of(r) for r in roots), Tally()).as_dict(), expected)
		assert chart["data"]["labels"] and summary[0]["value"] == expected["items"]
	# rates from the sums, not the rows' mean
	assert Decimal(str(total["amount_rate"])) == (Decimal(str(expected["repaid_amount"])) * 100
		/ Decimal(str(expected["arrears_amount"]))).quantize(Decimal("0.01"))  # fmt: skip


def test_subsidiaries_roll_up_into_their_parent(district):
	mixed_items(district)
	rows, total, _c, _s = run(arrears_summary, group_by="debtor_unit", debtor_unit=district.soe)
	by_unit = {r["group"]: r for r in rows}
	assert by_unit[district.soe]["items"] == 2 and by_unit[district.soe]["arrears_amount"] == 7000
	assert by_unit[district.sub]["items"] == 2 and by_unit[district.sub]["indent"] == 1
	assert by_unit[district.grandchild]["items"] == 1 and by_unit[district.grandchild]["indent"] == 2
	assert by_unit[district.grandchild]["count_rate"] == 100
	assert by_unit[district.grandchild]["parent_group"] == district.sub
	assert total["items"] == 2  # the suspended unit and the others are not under 城投丙


def test_overdue_ages_total_the_counted_overdue_items(district):
	mixed_items(district)
	rows, total, _c, _s = run(overdue_aging, group_by="debtor_unit")
	expected = direct_sql("i.overdue_days > 0 and i.outstanding_amount > 0")
	assert total["items"] == expected["items"]
	assert Decimal(str(total["outstanding"])) == Decimal(str(expected["outstanding_amount"]))
	by_unit = {r["group"]: r for r in rows}
	assert by_unit[district.agency]["age_2"] == 600  # 100 days: 91—180, less what was repaid
	assert by_unit[district.sub][f"age_{len(AGES) - 1}"] == 3000  # 400 days: over a year
	assert district.grandchild not in by_unit  # repaid in full


def test_each_user_sees_exactly_the_units_it_may(district):
	mixed_items(district)
	soe_user = user("it.report.soe", ["Debtor Unit Reporter"], debtor_unit=district.sub)
	edu_head = user("it.report.edu", ["Member Unit Head"], member_unit="区教科局")
	as_user(soe_user)
	rows, total, _c, _s = run(arrears_summary, group_by="debtor_unit")
	assert {r["group"] for r in rows} == {district.sub, district.grandchild}
	same(total, direct_sql("i.debtor_unit in %(units)s", {"units": (district.sub, district.grandchild)}))
	# a filter naming another unit finds nothing, never another unit's figures
	_rows, total, _c, _s = run(arrears_summary, group_by="competent_unit", debtor_unit=district.agency)
	assert total["items"] == 0
	as_user(edu_head)
	for report in (arrears_summary, overdue_aging):
		rows, total, _c, _s = run(report, group_by="competent_unit")
		assert {r["group"] for r in rows} <= {"区教科局"}
	rows, total, _c, _s = run(arrears_summary, group_by="competent_unit")
	same(total, direct_sql("i.competent_unit = '区教科局'"))


def tallied(filters=None) -> dict:
	"""The summary's totals from the maintained aggregates and from a full scan."""
	from qingqian_app.oversight import figures

	out = {}
	for scan in (False, True):
		for group_by in figures.GROUPS:
			got = figures.tallies(group_by, filters, scan=scan)
			out[(scan, group_by)] = {g: t for g, t in got.items() if t.items}
	return out


def test_the_kept_aggregates_equal_the_full_scan_after_random_changes(district):
	"""Inserts, repayments, workflow steps, disputes, deletions, units moved to another
	competent unit, suspended and resumed: after each round both ways agree."""
	import random

	from qingqian_app.oversight import tallies

	tallies.rebuild()  # whatever a test before left: from here on only the controllers keep them
	rng = random.Random(20231127)
	units = [district.agency, district.school, district.soe, district.sub, district.grandchild]
	states = ["待报送", "已入账", "已转办", "核查中", "清偿中", "不予列入", "重复", "待销号"]
	made = mixed_items(district)
	for round_ in range(6):
		# a suspended unit takes no new items and its items no edits: work on the others
		active = [u for u in units if not frappe.db.get_value("Debtor Unit", u, "is_suspended")]
		for _ in range(4):
			wages = rng.random() < 0.3
			made.append(set_state(item(rng.choice(active), arrears_amount=rng.randint(1000, 90000),
				involves_migrant_wages=int(wages), migrant_wage_amount=500 if wages else 0,
				due_date=add_days(nowdate(), -rng.randint(1, 500))), rng.choice(states)))  # fmt: skip
		for doc in rng.sample([d for d in made if d.debtor_unit in active], 4):
			doc = frappe.get_doc("Arrears Item", doc.name)
			choice = rng.randrange(4)
			if choice == 0 and doc.outstanding_amount > 1:
				doc.append("repayments", {"payment_date": nowdate(), "amount": doc.outstanding_amount // 2})
				doc.save()
			elif choice == 1:
				doc.disputed_amount = rng.choice([0, doc.arrears_amount // 3])
				doc.save()
			elif choice == 2:
				set_state(doc, rng.choice(states))
			else:
				doc.in_judicial_process = int(not doc.in_judicial_process)
				doc.save()
		victim = made.pop(rng.randrange(len(made)))
		frappe.flags.qingqian_purge_test_records = True  # a deletion past the first state
		try:
			frappe.delete_doc("Arrears Item", victim.name, force=True, ignore_permissions=True)
		finally:
			frappe.flags.qingqian_purge_test_records = False
		unit = frappe.get_doc("Debtor Unit", rng.choice([district.agency, district.school]))
		if round_ % 2:
			unit.competent_unit = rng.choice(["区财政局", "区教科局", "区发改局"])
		else:
			unit.is_suspended = int(not unit.is_suspended)
		unit.save()
		got = tallied()
		for group_by in ("competent_unit", "debtor_unit_type", "debtor_unit"):
			assert got[(False, group_by)] == got[(True, group_by)], (round_, group_by)
	assert got[(True, "debtor_unit")], "the rounds left counted items to compare"


def test_lead_handling_counts_each_step_on_time_and_late(district):
	from qingqian_app.oversight.report.lead_handling import lead_handling

	from .factories import lead

	def lead_at(unit, state, **dates):
		doc = lead(unit, transferred_to=unit)
		frappe.db.set_value("Complaint Lead", doc.name, {"workflow_state": state, **dates})
		return frappe.get_doc("Complaint Lead", doc.name).save()  # deadlines from the dates

	before = run(lead_handling, group_by="transferred_to")[1]
	# accepted Fri 2026-02-13: transfer by 2026-03-05 (Spring Festival); result by transfer + 30 days
	lead_at(district.agency, "已办结", accepted_on="2026-02-13", transferred_on="2026-03-02",
		result_on="2026-03-20", closed_on="2026-03-23", verification_result="不属于受理范围")  # fmt: skip
	lead_at(district.agency, "待反馈", accepted_on="2026-02-13", transferred_on="2026-03-10",
		result_on="2026-04-30", verification_result="属于受理范围但存在争议")  # fmt: skip
	lead_at(district.school, "核查中", accepted_on="2026-09-01", transferred_on="2026-09-02")
	rows, total, _c, summary = run(lead_handling, group_by="transferred_to")
	grew = {k: total[k] - before[k] for k in ("received", "transferred", "transferred_late", "results",
		"results_late", "overdue_open", "closed", "out_of_scope", "disputed")}  # fmt: skip
	assert grew == {"received": 3, "transferred": 3, "transferred_late": 1, "results": 2,
		"results_late": 1, "overdue_open": 1, "closed": 1, "out_of_scope": 1, "disputed": 1}  # fmt: skip
	agency = next(r for r in rows if r["group"] == district.agency)
	# 2026-02-13 → 03-02 and → 03-10: 7 and 13 working days after the Spring Festival holiday
	assert agency["step_0"] == Decimal("10.0")
	# totals equal the leads counted directly
	direct = frappe.db.sql("select count(*) from `tabComplaint Lead` where ifnull(duplicate_of, '') = ''")[0][
		0
	]
	assert total["received"] == direct

	reporter = user("it.lead.rep", ["Debtor Unit Reporter"], debtor_unit=district.school)
	as_user(reporter)
	rows, total, _c, _s = run(lead_handling, group_by="transferred_to")
	assert [r["group"] for r in rows] == [district.school]
	assert total["received"] == len(
		frappe.get_list("Complaint Lead", filters={"duplicate_of": ["is", "not set"]})
	)


def test_ranking_and_supervision_list_show_a_user_only_its_units(district):
	from frappe.utils import add_days, getdate, nowdate

	from qingqian_app.oversight import supervision
	from qingqian_app.oversight.report.clearance_ranking import clearance_ranking
	from qingqian_app.oversight.report.supervision_list import supervision_list

	mixed_items(district)
	late = set_state(item(district.school, responsible_unit=district.school,
		repay_deadline=add_days(getdate(nowdate()), -5)), "清偿中")  # fmt: skip
	supervision.daily()
	edu_head = user("it.rank.edu", ["Member Unit Head"], member_unit="区教科局")
	as_user(edu_head)
	rows = through_desk(clearance_ranking, {})["result"]
	edu_units = set(frappe.get_all("Debtor Unit", filters={"competent_unit": "区教科局"}, pluck="name"))
	assert district.school in {r["unit"] for r in rows} and {r["unit"] for r in rows} <= edu_units
	assert [r["rank"] for r in rows] == list(range(1, len(rows) + 1))
	rows = through_desk(supervision_list, {})["result"]
	assert late.name in {r["reference_name"] for r in rows}
	assert {r["competent_unit"] for r in rows} <= {"区教科局"}
	reporter = user("it.rank.agency", ["Debtor Unit Reporter"], debtor_unit=district.agency)
	as_user(reporter)
	rows = through_desk(supervision_list, {})["result"]
	assert late.name not in {r["reference_name"] for r in rows}
