"""The progress bulletin on a real site: generated as a snapshot as of its period end,
regenerated while a draft, reviewed and signed by others than its drafter, numbered at
签发 and frozen: an item changed afterwards leaves it as it was; every figure opens the items
behind it."""

import json

import frappe
import pytest
from frappe.utils import add_days, getdate, nowdate

from .factories import act, as_user, item, set_state, user


@pytest.fixture
def office():
	return frappe._dict(
		staff=user("it.tb.staff", ["Qingqian Office Staff"]),
		head=user("it.tb.head", ["Qingqian Office Head"]),
		leader=user("it.tb.leader", ["Qingqian Leader"]),
		reporter=None,
	)


def new_bulletin(staff, end):
	as_user(staff)
	doc = frappe.get_doc(
		{"doctype": "Progress Bulletin", "period_start": end.replace(day=1), "period_end": end}
	).insert()
	as_user("Administrator")
	return frappe.get_doc("Progress Bulletin", doc.name)


def test_generated_issued_frozen_and_traceable(district, office, tmp_path):
	today = getdate(nowdate())
	repaid = set_state(item(district.agency, arrears_amount=40000,
		repayments=[{"payment_date": today, "amount": 10000}]), "清偿中")  # fmt: skip
	doc = new_bulletin(office.staff, today)
	stats = json.loads(doc.statistics)
	direct = frappe.db.sql(
		"""select count(*), sum(arrears_amount) from `tabArrears Item`
		where counted_in_ledger = 1 and date(creation) <= %s""",
		today,
	)[0]
	assert stats["total"]["items"] == direct[0] == doc.snapshot_items
	assert round(stats["total"]["arrears_amount"], 2) == round(direct[1], 2)
	assert "截至" in doc.narrative and district.agency in json.dumps(stats["ranking"], ensure_ascii=False)

	# the figure for a competent unit opens exactly its items as they were
	rows = frappe.get_all("Bulletin Item", filters={"bulletin": doc.name, "competent_unit": "区财政局"},
		fields=["arrears_item", "repaid_amount"])  # fmt: skip
	assert len(rows) == stats["by_competent_unit"]["区财政局"]["items"]
	assert {"arrears_item": repaid.name, "repaid_amount": 10000} in [dict(r) for r in rows]
	assert f"/app/bulletin-item?bulletin={doc.name}&amp;competent_unit=" in doc.figures_html or \
		f"/app/bulletin-item?bulletin={doc.name}&competent_unit=" in doc.figures_html  # fmt: skip

	# through review to 签发: numbered, by the leader, not by the drafter
	act("Progress Bulletin", doc.name, "提交审核", office.staff)
	act("Progress Bulletin", doc.name, "审核通过", office.head)
	issued = act("Progress Bulletin", doc.name, "签发", office.leader)
	assert issued.workflow_state == "已签发" and issued.document_number.startswith("城清欠办发〔")
	pdf = frappe.get_print("Progress Bulletin", doc.name, "清欠工作进展情况通报", as_pdf=True)
	assert pdf.startswith(b"%PDF")

	# frozen: the item changes, the bulletin does not; nobody regenerates or edits it
	before = (issued.statistics, issued.figures_html, issued.snapshot_items)
	d = frappe.get_doc("Arrears Item", repaid.name)
	d.append("repayments", {"payment_date": today, "amount": 30000})
	d.save()
	from qingqian_app.oversight.doctype.progress_bulletin.progress_bulletin import regenerate

	as_user(office.staff)
	with pytest.raises(frappe.PermissionError):
		regenerate(doc.name)
	as_user("Administrator")
	after = frappe.get_doc("Progress Bulletin", doc.name)
	assert (after.statistics, after.figures_html, after.snapshot_items) == before
	assert frappe.db.get_value("Bulletin Item", {"bulletin": doc.name, "arrears_item": repaid.name},
		"repaid_amount") == 10000  # fmt: skip


def test_the_next_bulletin_shows_the_change_in_ranking(district, office):
	today = getdate(nowdate())
	set_state(item(district.agency, arrears_amount=50000), "清偿中")
	first = new_bulletin(office.staff, add_days(today, -1))
	frappe.db.set_value("Progress Bulletin", first.name, "workflow_state", "已签发")
	second = new_bulletin(office.staff, today)
	ranking = json.loads(second.statistics)["ranking"]
	assert ranking and all(r["rank_change"] is not None for r in ranking
		if r["unit"] in {x["unit"] for x in json.loads(first.statistics)["ranking"]})  # fmt: skip


def test_a_draft_is_the_offices_an_issued_bulletin_everyones(district, office):
	doc = new_bulletin(office.staff, getdate(nowdate()))
	reporter = user("it.tb.rep", ["Debtor Unit Reporter"], debtor_unit=district.agency)
	as_user(reporter)
	assert not frappe.has_permission("Progress Bulletin", "read", doc=doc.name)
	as_user("Administrator")
	frappe.db.set_value("Progress Bulletin", doc.name, "workflow_state", "已签发")
	as_user(reporter)
	assert frappe.has_permission("Progress Bulletin", "read", doc=doc.name)
	# its rows: only the unit's own
	units = set(frappe.get_list("Bulletin Item", filters={"bulletin": doc.name}, pluck="debtor_unit"))
	assert units <= {district.agency}


def test_a_bulletin_before_any_item_says_why_its_figures_are_zero(district, office):
	doc = new_bulletin(office.staff, getdate("2001-01-31"))
	assert doc.snapshot_items == 0
	assert (
		"截至2001年1月31日，系统中还没有计入统计的台账（最早一条登记于" in doc.figures_html
	), doc.figures_html
	assert "请核对通报的截至日期" in doc.figures_html
	current = new_bulletin(office.staff, getdate(nowdate()))
	assert current.snapshot_items > 0 and "还没有计入统计的台账" not in current.figures_html
