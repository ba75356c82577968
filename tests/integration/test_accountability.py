"""约束惩戒 on a real site: an action through its whole workflow as the users who take each
step — 司法局 returns it with a written opinion (refused without), the leader who drafted it
may not decide it, the unit shows its measures in force, the procurement and credit lists, a
lift for 欠款已清偿 refused while the basis is unpaid; the 问责建议书 printed only once reviewed."""

import frappe
import pytest
from frappe.utils import add_days, getdate, nowdate

from qingqian_app.accountability import actions
from qingqian_app.domain import accountability as rules

from .factories import act, as_user, item, set_state, user


@pytest.fixture
def people(district):
	return frappe._dict(
		staff=user("it.aa.staff", ["Qingqian Office Staff"]),
		head=user("it.aa.head", ["Qingqian Office Head"]),
		leader=user("it.aa.leader", ["Qingqian Leader"]),
		staff_leader=user("it.aa.staffleader", ["Qingqian Office Staff", "Qingqian Leader"]),
		legal=user("it.aa.legal", ["Legal Reviewer"], member_unit="区司法局"),
		finance=user("it.aa.finance", ["Member Unit Staff"], member_unit="区财政局"),
		market=user("it.aa.market", ["Market Regulation Officer"], member_unit="区市场监管局"),
		unit=user("it.aa.unit", ["Debtor Unit Reporter"], debtor_unit=district.agency),
		other=user("it.aa.other", ["Debtor Unit Reporter"], debtor_unit=district.school),
	)


def overdue(unit, days=100, amount=90000):
	doc = item(unit, due_date=add_days(nowdate(), -days), arrears_amount=amount)
	return set_state(doc, "清偿中")


def edit(name, user, **values):
	"""Save values into the action as ``user`` does in the form."""
	as_user(user)
	try:
		d = frappe.get_doc("Accountability Action", name)
		d.update(values)
		return d.save()
	finally:
		as_user("Administrator")


def draft(unit, by, basis, measures=(rules.PROCUREMENT.label, rules.CREDIT_LIST.label), **kw):
	as_user(by)
	try:
		return frappe.get_doc(
			{
				"doctype": "Accountability Action",
				"target_unit": unit,
				"target_person_title": "局长",
				"facts": "拖欠民营企业工程款逾期一百日，经督办仍未清偿",
				"basis": [{"arrears_item": b.name} for b in basis],
				"measures": [{"measure": m} for m in measures],
				**kw,
			}
		).insert()
	finally:
		as_user("Administrator")


def test_the_whole_workflow_as_each_user_takes_it(district, people):
	basis = overdue(district.agency)
	doc = draft(district.agency, people.staff, [basis])
	# each measure goes to the member unit of its duty
	assert {m.measure: m.implementing_unit for m in doc.measures} == {
		rules.PROCUREMENT.label: "区财政局",
		rules.CREDIT_LIST.label: "区民营经济局",
	}
	act(doc.doctype, doc.name, rules.SUBMIT, people.staff)
	# 司法局 returns it: only with a written opinion
	with pytest.raises(frappe.ValidationError, match="合法性审查意见"):
		act(doc.doctype, doc.name, rules.RETURN, people.legal)
	edit(doc.name, people.legal, legal_review="“限制参与政府采购”须写明期限，请补充后重新提交")
	act(doc.doctype, doc.name, rules.RETURN, people.legal)
	d = frappe.get_doc(doc.doctype, doc.name)
	assert d.workflow_state == rules.DRAFT and d.reviewed_by == people.legal
	assert "须写明期限" in d.legal_review
	# the drafter completes it and sends it again; 司法局 passes it
	as_user(people.staff)
	d.measures[0].end_date = add_days(nowdate(), 180)
	d.save()
	as_user("Administrator")
	act(doc.doctype, doc.name, rules.SUBMIT, people.staff)
	edit(doc.name, people.legal, legal_review="措施符合《保障中小企业款项支付条例》和工作方案，程序合法")
	act(doc.doctype, doc.name, rules.PASS, people.legal)
	# the office staff cannot decide; the leader does
	with pytest.raises(frappe.model.workflow.WorkflowTransitionError):
		act(doc.doctype, doc.name, rules.DECIDE, people.staff)
	act(doc.doctype, doc.name, rules.DECIDE, people.leader)
	d = frappe.get_doc(doc.doctype, doc.name)
	assert d.workflow_state == rules.IN_FORCE and d.decided_by == people.leader
	assert all(getdate(m.start_date) == getdate(nowdate()) for m in d.measures)
	# the unit shows it, the lists carry it
	shown = frappe.db.get_value("Debtor Unit", district.agency, "measures_in_force")
	assert rules.PROCUREMENT.label in shown and rules.CREDIT_LIST.label in shown
	from frappe.desk.query_report import run

	for report, key in (("Arrears Summary", "group"), ("Clearance Ranking", "unit")):
		rows = run(report, filters={"group_by": "debtor_unit"})["result"]
		row = next(r for r in rows if isinstance(r, dict) and r.get(key) == district.agency)
		assert rules.PROCUREMENT.label in row["measures_in_force"], report
	procurement = actions.rows_in_force(measure=rules.PROCUREMENT.label)
	assert district.agency in {r.target_unit for r in procurement}
	credit = {r["unit_name"]: r for r in actions.credit_rows()}
	assert credit[district.agency]["decided_on"] == nowdate()
	# lifted as repaid only once the basis is repaid
	edit(doc.name, people.head, lift_reason=rules.REPAID)
	with pytest.raises(frappe.ValidationError, match="尚未全部清偿"):
		act(doc.doctype, doc.name, rules.LIFT, people.head)
	edit(doc.name, people.head, lift_reason=rules.PERIOD_ENDED)
	act(doc.doctype, doc.name, rules.LIFT, people.head)
	d = frappe.get_doc(doc.doctype, doc.name)
	assert d.workflow_state == rules.LIFTED and getdate(d.lifted_on) == getdate(nowdate())
	assert not frappe.db.get_value("Debtor Unit", district.agency, "measures_in_force")


def test_the_drafter_never_decides_their_own_action(district, people):
	doc = draft(district.agency, people.staff_leader, [overdue(district.agency)])
	act(doc.doctype, doc.name, rules.SUBMIT, people.staff_leader)
	frappe.db.set_value(doc.doctype, doc.name, "legal_review", "合法")
	act(doc.doctype, doc.name, rules.PASS, people.legal)
	with pytest.raises((frappe.PermissionError, frappe.ValidationError), match="自我批准|不能审批本人"):
		act(doc.doctype, doc.name, rules.DECIDE, people.staff_leader)
	assert frappe.db.get_value(doc.doctype, doc.name, "workflow_state") == rules.DECISION


def test_measures_must_fit_the_unit_and_the_basis_its_items(district, people):
	basis = overdue(district.agency)
	# an SOE-only measure against an agency; a basis item of another unit
	with pytest.raises(frappe.ValidationError, match="只适用于国有企业"):
		draft(district.agency, people.staff, [basis], measures=[rules.ABNORMAL_LIST.label])
	with pytest.raises(frappe.ValidationError, match="不是被惩戒单位"):
		draft(district.school, people.staff, [basis], measures=[rules.INTERVIEW.label])
	# a subsidiary's item is a basis against its parent
	sub_item = overdue(district.sub)
	doc = draft(district.soe, people.staff, [sub_item], measures=[rules.PERFORMANCE.label])
	assert doc.measures[0].implementing_unit == "区城投公司"


def test_who_sees_an_action(district, people):
	doc = draft(district.agency, people.staff, [overdue(district.agency)])
	visible = lambda u: doc.name in frappe.get_list("Accountability Action", pluck="name", user=u)  # noqa: E731
	# a draft: the office and 司法局 only
	assert visible(people.legal) and not visible(people.unit) and not visible(people.finance)
	frappe.db.set_value(doc.doctype, doc.name, "workflow_state", rules.IN_FORCE)
	frappe.local.qingqian_scopes = {}
	# in force: the unit, and the member unit implementing a measure; never another unit
	assert visible(people.unit) and visible(people.finance) and not visible(people.other)
	as_user(people.other)
	assert not frappe.has_permission(
		"Accountability Action", "read", doc=frappe.get_doc(doc.doctype, doc.name)
	)


def test_the_proposal_is_printed_once_reviewed(district, people):
	from qingqian_app import documents

	doc = draft(district.agency, people.staff, [overdue(district.agency)])
	assert "只能在" in documents.problem("问责建议书", doc)
	frappe.db.set_value(doc.doctype, doc.name, "workflow_state", rules.DECISION)
	doc = frappe.get_doc(doc.doctype, doc.name)
	assert documents.problem("问责建议书", doc) is None
	html = frappe.get_print(doc.doctype, doc.name, print_format="问责建议书")
	assert (
		'测试机关甲</span><span class="gw-whole">实施约束惩戒的建议' in html
		and "限制参与政府采购" in html
		and "区财政局" in html
	)


def test_credit_list_changes_since_the_last_export(district, people):
	doc = draft(district.agency, people.staff, [overdue(district.agency)], measures=[rules.CREDIT_LIST.label])
	frappe.db.set_value(doc.doctype, doc.name, "workflow_state", rules.IN_FORCE)
	frappe.db.set_value("Accountability Measure", doc.measures[0].name, "start_date", nowdate())
	changes = {r["unit_name"]: r["change"] for r in actions.credit_changes()}
	assert changes[district.agency] == rules.ADDED
	as_user(people.head)  # the office records the export
	actions.record_credit_export()
	as_user("Administrator")
	assert {r["unit_name"]: r["change"] for r in actions.credit_changes()}[district.agency] == rules.UNCHANGED
	frappe.db.set_value(doc.doctype, doc.name, "workflow_state", rules.LIFTED)
	assert {r["unit_name"]: r["change"] for r in actions.credit_changes()}[district.agency] == rules.REMOVED
	# a unit's users see only their own entries, never another unit's as 移出
	as_user(people.other)
	visible = frappe.get_list("Accountability Action", pluck="name")
	as_user("Administrator")
	assert district.agency not in {r["unit_name"] for r in actions.credit_changes(visible)}


def test_a_units_measures_are_never_written_by_a_save(district, people):
	competent = user("it.aa.fin.head", ["Member Unit Head"], member_unit="区财政局")
	as_user(competent)
	unit = frappe.get_doc("Debtor Unit", district.agency)
	unit.measures_in_force = "约谈"
	unit.save()
	as_user("Administrator")
	assert not frappe.db.get_value("Debtor Unit", district.agency, "measures_in_force")
