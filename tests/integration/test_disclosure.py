"""信息披露 on a real site: the disclosure's snapshot holds the approved, counted, overdue items
only, by unit, frozen once approved and then the public page's (cache cleared); each unit's
annual figures and status; an SOE's annual report against the ledger; an audit finding turned
into a lead and an item, its rectification deadline watched by the daily 督办."""

import frappe
import pytest
from frappe.utils import add_days, getdate, nowdate

from qingqian_app.accountability import disclosure as public
from qingqian_app.accountability.doctype.audit_finding import audit_finding
from qingqian_app.domain import audit
from qingqian_app.domain import disclosure as rules
from qingqian_app.domain import supervision as limits
from qingqian_app.oversight import supervision

from .factories import act, as_user, enterprise, item, set_state, user


@pytest.fixture
def people(district):
	return frappe._dict(
		staff=user("it.pl.staff", ["Qingqian Office Staff"]),
		head=user("it.pl.head", ["Qingqian Office Head"]),
		audit=user("it.pl.audit", ["Audit Officer"], member_unit="区审计局"),
		unit_head=user("it.pl.unithead", ["Debtor Unit Head"], debtor_unit=district.agency),
		market=user("it.pl.market", ["Market Regulation Officer"], member_unit="区市场监管局"),
	)


def overdue(unit, days=100, amount=90000, state="清偿中", **kw):
	doc = item(unit, due_date=add_days(nowdate(), -days), arrears_amount=amount, **kw)
	return set_state(doc, state) if state else doc


def disclose(people, as_of=None):
	as_user(people.staff)
	try:
		return frappe.get_doc(
			{"doctype": "Disclosure", "as_of_date": as_of or nowdate(), "note": "测试"}
		).insert()
	finally:
		as_user("Administrator")


def test_the_snapshot_counts_only_approved_overdue_items_and_freezes(district, people):
	approved = overdue(district.agency, days=120, amount=50000)
	overdue(district.agency, days=30, amount=20000)
	unapproved = overdue(district.school, amount=70000, state=None)  # 待报送: never disclosed
	in_court = overdue(district.school, amount=30000, in_judicial_process=1)
	assert not in_court.counted_in_ledger and not unapproved.counted_in_ledger
	doc = disclose(people)
	rows = {r.debtor_unit: r for r in doc.rows}
	assert rows[district.agency].item_count == 2
	assert rows[district.agency].overdue_amount == 70000
	assert rows[district.agency].longest_overdue_days == 120
	assert district.school not in rows
	assert approved.name not in frappe.as_json(doc.as_dict())  # by unit, never by item
	act("Disclosure", doc.name, "提交审批", people.staff)
	act("Disclosure", doc.name, rules.APPROVE, people.head)
	doc = frappe.get_doc("Disclosure", doc.name)
	assert doc.workflow_state == rules.PUBLISHED and doc.approved_by == people.head
	# frozen: a later item changes nothing of it, nobody may edit or regenerate it
	overdue(district.agency, amount=1)
	as_user(people.staff)
	with pytest.raises(frappe.PermissionError):
		public_regenerate(doc.name)
	as_user("Administrator")
	frozen = {r.debtor_unit: r.item_count for r in frappe.get_doc("Disclosure", doc.name).rows}
	assert frozen[district.agency] == 2
	# the public data: this snapshot, public columns only (not left cached: the test rolls back)
	try:
		data = public.published()
	finally:
		public.clear_public_cache()
	assert data["name"] == doc.name
	assert set(data["rows"][0]) == {f for f, _label in rules.PUBLIC_COLUMNS}
	csv = rules.to_csv(data["rows"])
	assert district.agency in csv and enterprise() not in csv


def public_regenerate(name):
	from qingqian_app.accountability.doctype.disclosure.disclosure import regenerate

	return regenerate(name)


def test_the_drafter_never_approves_their_own_disclosure(district, people):
	both = user("it.pl.both", ["Qingqian Office Staff", "Qingqian Office Head"])
	doc = disclose(frappe._dict(staff=both))
	act("Disclosure", doc.name, "提交审批", both)
	with pytest.raises((frappe.PermissionError, frappe.ValidationError), match="自我批准|不能审批本人"):
		act("Disclosure", doc.name, rules.APPROVE, both)


def test_guest_reads_no_doctype(district):
	frappe.set_user("Guest")
	for doctype in ("Arrears Item", "Disclosure", "Accountability Action", "Enterprise", "Complaint Lead",
			"Debtor Unit", "Audit Finding", "SOE Annual Report", "Unit Annual Disclosure"):  # fmt: skip
		assert not frappe.has_permission(doctype, "read"), doctype


def test_each_unit_prepares_its_annual_figures(district, people):
	year = getdate(nowdate()).year - 1
	due = getdate(f"{year}-12-31")
	frappe.get_doc(
		{"doctype": "Arrears Item", "debtor_unit": district.agency, "enterprise": enterprise(),
		"arrears_category": "服务", "arrears_amount": 40000, "contract_no": frappe.generate_hash(length=10),
		"due_date": add_days(due, -10)}
	).insert()  # fmt: skip
	name = frappe.get_all("Arrears Item", filters={"debtor_unit": district.agency}, pluck="name")[0]
	set_state(frappe.get_doc("Arrears Item", name), "清偿中")
	frappe.db.sql("update `tabArrears Item` set creation = %s where name = %s", (add_days(due, -20), name))
	public.annual_disclosures(getdate(f"{year + 1}-04-02"))
	doc = frappe.get_doc("Unit Annual Disclosure", f"{district.agency}-{year}")
	assert (doc.overdue_contract_count, doc.overdue_amount) == (1, 40000)
	assert doc.status == rules.MISSED  # past 31 March
	assert not frappe.db.exists("Unit Annual Disclosure", f"{district.soe}-{year}")  # SOEs: annual report
	# the unit records its publication; the figures stay as published
	as_user(people.unit_head)
	doc.published_on, doc.published_where = nowdate(), "https://example.gov.cn/xxgk"
	doc.overdue_amount = 1
	doc.save()
	as_user("Administrator")
	doc = frappe.get_doc("Unit Annual Disclosure", doc.name)
	assert doc.overdue_amount == 40000 and doc.status == rules.PUBLISHED_LATE


def test_an_soe_report_that_disagrees_is_listed_with_both_figures(district, people):
	year = getdate(nowdate()).year - 1
	it = item(district.sub, due_date=f"{year}-06-30", arrears_amount=120000)
	set_state(it, "清偿中")
	frappe.db.sql("update `tabArrears Item` set creation = %s where name = %s", (f"{year}-06-01", it.name))
	as_user(people.market)
	report = frappe.get_doc(
		{"doctype": "SOE Annual Report", "debtor_unit": district.sub, "year": year, "disclosed_count": 0,
		"disclosed_amount": 0, "reported_on": f"{year + 1}-06-30"}
	).insert()  # fmt: skip
	as_user("Administrator")
	assert (report.ledger_count, report.ledger_amount, report.matches) == (1, 120000, 0)
	assert "少报 1 笔" in report.difference
	from qingqian_app.accountability.report.soe_annual_report_check.soe_annual_report_check import execute

	as_user(people.market)
	rows = {r.debtor_unit: r for r in execute({"year": year})[1]}
	assert rows[district.sub].disclosed_amount == 0 and rows[district.sub].ledger_amount == 120000
	from qingqian_app.accountability.actions import open_from_soe_report

	action = frappe.get_doc("Accountability Action", open_from_soe_report(report.name))
	as_user("Administrator")
	assert [m.measure for m in action.measures] == ["列入经营异常名录"]
	assert [b.arrears_item for b in action.basis] == [it.name]


def test_an_audit_finding_becomes_a_lead_and_an_item_and_its_rectification_is_watched(district, people):
	enterprise()
	as_user(people.audit)
	f = frappe.get_doc(
		{"doctype": "Audit Finding", "audited_unit": district.agency, "audit_kind": "经济责任审计",
		"source_document": "城审经责〔2015〕3号", "audit_date": "2015-06-01", "enterprise": enterprise(),
		"arrears_category": "工程", "amount": 66000, "finding": "拖欠工程款未纳入预算"}
	).insert()  # fmt: skip
	lead = audit_finding.to_lead(f.name)
	arrears = audit_finding.to_item(f.name)
	assert audit_finding.to_lead(f.name) == lead  # once
	with pytest.raises(frappe.ValidationError, match="整改期限"):
		act("Audit Finding", f.name, audit.SEND)
	f = frappe.get_doc("Audit Finding", f.name)
	f.rectification_requirement, f.rectification_deadline = "限期清偿", add_days(nowdate(), -1)
	f.save()
	as_user("Administrator")
	assert frappe.db.get_value("Complaint Lead", lead, "channel") == "审计发现"
	assert frappe.db.get_value("Arrears Item", arrears, ["workflow_state", "source"]) == ("待报送", "审计")
	act("Audit Finding", f.name, audit.SEND, people.audit)
	due = [d for d in supervision.open_limits(getdate(nowdate())) if d.name == f.name]
	assert [d.limit for d in due] == [limits.AUDIT_RECTIFY] and due[0].responsible_unit == district.agency
	supervision.daily(getdate(nowdate()))
	assert frappe.db.exists(
		"Supervision", {"reference_name": f.name, "time_limit": limits.AUDIT_RECTIFY.label}
	)
