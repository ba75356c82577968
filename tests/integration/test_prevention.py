"""源头治理 on a real site, as the users who take each step: a project refused 开工 until its last
funding source is confirmed by the finance department, and its arrears shown; a contract's
findings computed on save, its legal review, its payment reminded and, once overdue, turned into
a ledger item; a request to confirm a receivable answered within 30 days and printed; a 舆情
notified to the office at once, turned into a lead and summarised; an inspection's rectification."""

import frappe
import pytest
from frappe.utils import add_days, getdate, now_datetime, nowdate

from qingqian_app.domain import contracts, opinion, projects, receivables
from qingqian_app.domain import supervision as limits
from qingqian_app.oversight import supervision
from qingqian_app.prevention import opinion as summaries
from qingqian_app.prevention.doctype.contract_review.contract_review import to_item
from qingqian_app.prevention.doctype.investment_project.investment_project import confirm_source
from qingqian_app.prevention.doctype.public_opinion_event.public_opinion_event import to_lead

from .factories import act, as_user, enterprise, item, user


@pytest.fixture
def people(district):
	return frappe._dict(
		officer=user("it.pv.dev", ["Investment Project Officer"], member_unit="区发改局"),
		finance=user("it.pv.finance", ["Member Unit Staff"], member_unit="区财政局"),
		edu=user("it.pv.edu", ["Member Unit Head"], member_unit="区教科局"),
		staff=user("it.pv.staff", ["Qingqian Office Staff"]),
		office_head=user("it.pv.head", ["Qingqian Office Head"]),
		legal=user("it.pv.legal", ["Legal Reviewer"], member_unit="区司法局"),
		monitor=user("it.pv.monitor", ["Public Opinion Monitor"], member_unit="区委网信办"),
		reporter=user("it.pv.reporter", ["Debtor Unit Reporter"], debtor_unit=district.agency),
		unit_head=user("it.pv.unithead", ["Debtor Unit Head"], debtor_unit=district.agency),
		other=user("it.pv.other", ["Debtor Unit Reporter"], debtor_unit=district.school),
	)


def insert_as(who, values):
	as_user(who)
	try:
		return frappe.get_doc(values).insert()
	finally:
		as_user("Administrator")


def save_as(who, doctype, name, **values):
	as_user(who)
	try:
		doc = frappe.get_doc(doctype, name)
		doc.update(values)
		return doc.save()
	finally:
		as_user("Administrator")


def project(district, people, **kw):
	return insert_as(
		people.officer,
		{
			"doctype": "Investment Project",
			"project_name": "测试道路改造工程",
			"owner_unit": district.agency,
			"total_investment": 1000000,
			"funding_sources": [
				{"source_type": "财政预算资金", "amount": 600000, "basis_document": "城财预〔2026〕1号"},
				{"source_type": "政府专项债券", "amount": 400000},
			],
			**kw,
		},
	)


def test_a_project_starts_only_when_its_last_source_is_confirmed(district, people):
	doc = project(district, people)
	act(doc.doctype, doc.name, "提交资金审核", people.officer)
	with pytest.raises(frappe.ValidationError, match="没有落实资金来源的一律不得开工建设"):
		act(doc.doctype, doc.name, projects.START, people.officer)
	rows = [r.name for r in frappe.get_doc(doc.doctype, doc.name).funding_sources]
	# only the finance department confirms, and only with its document
	as_user(people.edu)
	with pytest.raises(frappe.PermissionError):
		confirm_source(doc.name, rows[0], "城财函〔2026〕1号")
	as_user(people.finance)
	with pytest.raises(frappe.ValidationError, match="财政确认文件"):
		confirm_source(doc.name, rows[0], " ")
	assert confirm_source(doc.name, rows[0], "城财函〔2026〕1号")["funding_confirmed"] == 0
	as_user("Administrator")
	with pytest.raises(frappe.ValidationError, match="第 2 行"):
		act(doc.doctype, doc.name, projects.START, people.officer)
	as_user(people.finance)
	assert confirm_source(doc.name, rows[1], "城财函〔2026〕2号")["funding_confirmed"] == 1
	as_user("Administrator")
	act(doc.doctype, doc.name, projects.START, people.officer)
	d = frappe.get_doc(doc.doctype, doc.name)
	assert d.workflow_state == projects.UNDER_CONSTRUCTION and getdate(d.started_on) == getdate(nowdate())
	assert d.funding_sources[1].confirmed_by == people.finance and d.confirmed_amount == 1000000


def test_a_confirmation_is_never_typed_and_lost_when_the_source_changes(district, people):
	doc = project(district, people)
	# a user cannot set the confirmation themselves (a column the server computes)
	as_user(people.officer)
	d = frappe.get_doc(doc.doctype, doc.name)
	d.funding_sources[0].confirmed = 1
	with pytest.raises(frappe.PermissionError, match="不能填写"):
		d.save()
	as_user("Administrator")
	act(doc.doctype, doc.name, "提交资金审核", people.officer)
	row = frappe.get_doc(doc.doctype, doc.name).funding_sources[0].name
	as_user(people.finance)
	confirm_source(doc.name, row, "城财函〔2026〕3号")
	as_user("Administrator")
	act(doc.doctype, doc.name, "退回", people.officer)
	as_user(people.officer)
	d = frappe.get_doc(doc.doctype, doc.name)
	d.funding_sources[0].amount = 700000
	d.save()
	as_user("Administrator")
	d = frappe.get_doc(doc.doctype, doc.name)
	assert d.funding_sources[0].confirmed == 0 and not d.funding_sources[0].confirmation_document


def test_a_project_shows_its_arrears_and_the_check_lists_it(district, people):
	from qingqian_app.prevention.report.investment_project_check.investment_project_check import execute

	doc = project(district, people)
	owed = item(district.agency, investment_project=doc.name, arrears_amount=250000)
	frappe.db.set_value("Arrears Item", owed.name, "workflow_state", "清偿中")
	frappe.get_doc("Arrears Item", owed.name).save()
	d = frappe.get_doc(doc.doctype, doc.name)
	assert (d.arrears_count, d.arrears_outstanding) == (1, 250000)
	assert d.project_flags == f"{projects.HAS_ARREARS}、{projects.REPAYMENT_NOT_BUDGETED}"
	rows = {r.name: r for r in execute({"flag": projects.REPAYMENT_NOT_BUDGETED})[1]}
	assert doc.name in rows
	# another unit's users do not see the project, in the report or the form
	as_user(people.other)
	assert doc.name not in {r.name for r in execute({"show_all": 1})[1]}
	assert not frappe.has_permission("Investment Project", "read", doc=d)


def contract(district, people, **kw):
	values = {
		"doctype": "Contract Review",
		"contract_name": "测试办公楼维修合同",
		"contract_no": frappe.generate_hash(length=8),
		"paying_unit": district.agency,
		"enterprise": enterprise(),
		"arrears_category": "工程",
		"contract_amount": 300000,
		"contract_date": "2026-03-01",
		"term_days": 30,
		"term_agreed": 1,
		"term_from": "交付",
		"payment_method": "银行转账",
		"settlement_basis": "双方确认",
		"agreed_annual_rate": 3.65,
		**kw,
	}
	return insert_as(people.reporter, values)


def test_a_contracts_findings_each_with_its_article_and_a_clean_one_passes(district, people):
	clean = contract(district, people)
	assert clean.finding_count == 0 and clean.findings == [] and not clean.review_notes
	bad = contract(
		district, people, term_days=90, pay_on_third_party=1, payment_method="承兑汇票", settlement_basis="审计结果",
		pay_after_audit=1, agreed_annual_rate=1.5, deposits=[{"kind": "其他", "amount": 1000, "cash_only": 1}],
	)  # fmt: skip
	got = {(f.article, f.term) for f in bad.findings}
	assert got == {
		("条例第九条", "term_days"), ("条例第九条", "pay_on_third_party"),
		("条例第十一条；《山西省优化营商环境条例》", "payment_method"), ("条例第十二条", "settlement_basis"),
		("条例第十四条；《山西省优化营商环境条例》", "pay_after_audit"), ("条例第十三条", "deposits"),
		("条例第十七条", "agreed_annual_rate"),
	}  # fmt: skip
	assert bad.finding_count == 8  # the deposit row breaks Art 13 twice (kind and cash)
	# the LPR is the settings' table: 1.5 % below the 3.00 % of 2025-05-20
	assert "3.00%" in next(f.finding for f in bad.findings if f.term == "agreed_annual_rate")
	# a user cannot type findings away
	as_user(people.reporter)
	d = frappe.get_doc("Contract Review", bad.name)
	d.findings = []
	with pytest.raises(frappe.PermissionError, match="不能填写"):
		d.save()
	as_user("Administrator")


def test_legal_review_of_a_contract_with_findings(district, people):
	clean = contract(district, people)
	with pytest.raises(frappe.ValidationError, match="无须提请合法性审查"):
		act("Contract Review", clean.name, contracts.TO_LEGAL, people.staff)
	bad = contract(district, people, pay_on_third_party=1)
	act("Contract Review", bad.name, contracts.TO_LEGAL, people.staff)
	with pytest.raises(frappe.ValidationError, match="合法性审查意见"):
		act("Contract Review", bad.name, contracts.LEGAL_OPINION, people.legal)
	save_as(people.legal, "Contract Review", bad.name, legal_opinion="“背靠背”条款违反条例第九条，应删除")
	act("Contract Review", bad.name, contracts.LEGAL_OPINION, people.legal)
	d = frappe.get_doc("Contract Review", bad.name)
	assert d.workflow_state == contracts.REVIEWED and d.legal_reviewer == people.legal


def test_the_payment_is_reminded_and_once_overdue_becomes_a_ledger_item(district, people):
	today = getdate(nowdate())
	doc = contract(district, people)
	act("Contract Review", doc.name, "审查完成", people.staff)
	with pytest.raises(frappe.ValidationError, match="尚未逾期"):
		to_item(doc.name)
	# delivered 29 days ago: due tomorrow, in the reminder window of the paying unit
	save_as(people.reporter, "Contract Review", doc.name, delivered_on=add_days(today, -29))
	due = {d.name: d for d in supervision.open_limits(add_days(today, 3))}
	assert (
		due[doc.name].limit == limits.CONTRACT_PAYMENT and due[doc.name].responsible_unit == district.agency
	)
	assert getdate(due[doc.name].deadline) == add_days(today, 1)
	save_as(
		people.reporter, "Contract Review", doc.name, delivered_on=add_days(today, -45), paid_amount=100000
	)
	as_user(people.reporter)
	name = to_item(doc.name)
	as_user("Administrator")
	it = frappe.get_doc("Arrears Item", name)
	assert (it.debtor_unit, it.enterprise, it.contract_review, it.source) == (
		district.agency,
		doc.enterprise,
		doc.name,
		"合同审查",
	)
	assert it.arrears_amount == 200000 and it.contract_no == doc.contract_no and it.contract_amount == 300000
	assert getdate(it.due_date) == add_days(today, -15) and it.workflow_state == "待报送"
	assert to_item(doc.name) == name  # once
	# turned into an item, the contract's own reminder ends
	assert doc.name not in {d.name for d in supervision.open_limits(add_days(today, 3))}
	# another unit cannot turn or see it
	as_user(people.other)
	assert not frappe.has_permission(
		"Contract Review", "read", doc=frappe.get_doc("Contract Review", doc.name)
	)
	as_user("Administrator")


def test_a_receivable_is_answered_within_30_days_and_its_letter_printed(district, people):
	from qingqian_app import documents

	today = getdate(nowdate())
	doc = insert_as(
		people.staff,
		{
			"doctype": "Receivable Confirmation",
			"enterprise": enterprise(),
			"debtor_unit": district.agency,
			"requested_on": add_days(today, -28),
			"requested_amount": 120000,
			"financing_institution": "测试银行城区支行",
		},
	)
	assert getdate(doc.deadline) == add_days(today, 2)
	due = {d.name: d for d in supervision.open_limits(add_days(today, 3))}
	assert due[doc.name].limit == limits.RECEIVABLE_CONFIRM
	assert "只能在" in documents.problem("应收账款确认函", doc)
	with pytest.raises(frappe.ValidationError, match="答复结论"):
		act(doc.doctype, doc.name, receivables.ANSWER, people.unit_head)
	save_as(people.reporter, doc.doctype, doc.name, answer="部分确认", confirmed_amount=100000,
		payment_due_date=add_days(today, 30))  # fmt: skip
	with pytest.raises(frappe.ValidationError, match="理由"):
		act(doc.doctype, doc.name, receivables.ANSWER, people.unit_head)
	save_as(people.reporter, doc.doctype, doc.name, answer_reason="其中 20,000 元质保金未到期")
	act(doc.doctype, doc.name, receivables.ANSWER, people.unit_head)
	d = frappe.get_doc(doc.doctype, doc.name)
	assert d.workflow_state == receivables.ANSWERED and d.answered_by == people.unit_head
	assert doc.name not in {x.name for x in supervision.open_limits(add_days(today, 3))}
	html = frappe.get_print(d.doctype, d.name, print_format="应收账款确认函")
	assert (
		"应收账款确认函" in html
		and "100,000.00元" in html
		and "壹拾万元整" in html
		and "质保金未到期" in html
	)


def event(people, **kw):
	return insert_as(
		people.monitor,
		{
			"doctype": "Public Opinion Event",
			"title": "网帖反映某单位拖欠装修款一年未付",
			"source": "论坛贴吧",
			"link": "https://bbs.example.com/t/1",
			"found_at": now_datetime(),
			"heat_level": "高",
			"summary": "网民称承接的办公楼装修工程款 8 万元拖欠一年",
			**kw,
		},
	)


def test_an_event_reaches_the_office_at_once_and_becomes_a_lead(district, people):
	doc = event(
		people,
		units=[{"debtor_unit": district.agency}],
		enterprises=[{"enterprise": enterprise()}],
		amount=80000,
	)
	assert frappe.db.get_value(doc.doctype, doc.name, "notified_at")
	assert frappe.db.exists("Notification Log", {"document_type": doc.doctype, "document_name": doc.name,
		"for_user": people.staff})  # fmt: skip
	with pytest.raises(frappe.ValidationError, match="请先核实"):
		as_user(people.monitor)
		try:
			to_lead(doc.name)
		finally:
			as_user("Administrator")
	with pytest.raises(frappe.ValidationError, match="核实情况"):
		act(doc.doctype, doc.name, opinion.VERIFY, people.staff)
	save_as(people.staff, doc.doctype, doc.name, verification="经核实，系测试机关甲拖欠装修尾款 8 万元")
	act(doc.doctype, doc.name, opinion.VERIFY, people.staff)
	as_user(people.monitor)
	lead = frappe.get_doc("Complaint Lead", to_lead(doc.name))
	as_user("Administrator")
	assert (lead.channel, lead.respondent_unit, lead.claimed_amount) == ("舆情监测", district.agency, 80000)
	assert doc.name in lead.description
	with pytest.raises(frappe.ValidationError, match="回应内容"):
		act(doc.doctype, doc.name, opinion.RESPOND, people.staff)
	save_as(
		people.staff,
		doc.doctype,
		doc.name,
		response="已在留言板回复并督促单位限期支付",
		response_channel="区政府网站留言板",
	)
	act(doc.doctype, doc.name, opinion.RESPOND, people.staff)
	assert getdate(frappe.db.get_value(doc.doctype, doc.name, "responded_on")) == getdate(nowdate())
	# a debtor unit does not see 舆情
	as_user(people.reporter)
	assert not frappe.has_permission("Public Opinion Event", "read")
	as_user("Administrator")


def test_the_weekly_summary_counts_the_events_and_goes_to_the_office(district, people):
	from qingqian_app.prevention.report.public_opinion_summary.public_opinion_summary import execute

	today = getdate(nowdate())
	event(people)
	event(people, heat_level="一般", source="微博")
	_columns, data, message, chart, cards = execute({"period": "周报", "day": today})
	mine = [r for r in data if r["title"] == "网帖反映某单位拖欠装修款一年未付"]
	assert len(mine) == 2 and "舆情" in message and chart["type"] == "bar"
	assert cards[0]["value"] >= 2
	# on the Monday after, the week's summary reaches the office
	monday = add_days(today, 7 - today.weekday())
	frappe.db.sql("update `tabPublic Opinion Event` set found_at = %s where title = %s",
		(add_days(monday, -3), "网帖反映某单位拖欠装修款一年未付"))  # fmt: skip
	assert summaries.daily(monday)[:1] == [opinion.WEEKLY]
	note = frappe.get_all("Notification Log", filters={"for_user": people.staff, "subject": ["like", "舆情周报%"]},
		fields=["subject", "link"], order_by="creation desc", limit=1)[0]  # fmt: skip
	assert "Public Opinion Summary" in note.link and "件" in note.subject


def test_an_inspections_status_follows_rectification(district, people):
	today = getdate(nowdate())
	doc = insert_as(
		people.staff,
		{
			"doctype": "Enforcement Inspection",
			"inspection_name": "2026年《保障中小企业款项支付条例》执法检查",
			"regulation": "保障中小企业款项支付条例",
			"inspecting_unit": "区司法局",
			"inspected_from": add_days(today, -20),
			"findings": [
				{
					"debtor_unit": district.agency,
					"finding": "合同约定以审计结果结算",
					"deadline": add_days(today, -1),
				},
				{
					"debtor_unit": district.school,
					"finding": "要求现金缴纳履约保证金",
					"deadline": add_days(today, 10),
				},
			],
		},
	)
	assert (doc.status, doc.open_findings, doc.overdue_findings) == ("检查中", 2, 1)
	as_user(people.staff)
	d = frappe.get_doc(doc.doctype, doc.name)
	d.concluded, d.summary = 1, "检查两个单位，发现问题两项"
	d.save()
	assert d.status == "整改中"
	d.findings[0].rectified_on = today
	with pytest.raises(frappe.ValidationError, match="整改情况"):
		d.save()
	d = frappe.get_doc(doc.doctype, doc.name)
	d.findings[0].rectified_on, d.findings[0].rectification_note = today, "已修改结算条款"
	d.findings[1].rectified_on, d.findings[1].rectification_note = today, "已退还现金保证金"
	d.save()
	as_user("Administrator")
	assert (d.status, d.open_findings, d.overdue_findings) == ("已完成", 0, 0)


def test_a_unit_answers_only_its_own_requests_and_cannot_move_or_delete_them(district, people):
	values = {"doctype": "Receivable Confirmation", "enterprise": enterprise(), "requested_amount": 5000}
	# the school's reporter cannot register a request in the agency's name
	with pytest.raises(frappe.PermissionError):
		insert_as(people.other, {**values, "debtor_unit": district.agency})
	doc = insert_as(
		people.reporter, {**values, "debtor_unit": district.agency, "requested_on": add_days(nowdate(), -10)}
	)
	with pytest.raises(frappe.ValidationError, match="登记后不能修改"):
		save_as(people.reporter, doc.doctype, doc.name, requested_on=nowdate())
	as_user(people.reporter)
	with pytest.raises(frappe.PermissionError):
		frappe.delete_doc(doc.doctype, doc.name)
	as_user("Administrator")
	assert getdate(frappe.db.get_value(doc.doctype, doc.name, "deadline")) == getdate(add_days(nowdate(), 20))


def test_a_contract_is_paid_only_in_full_and_its_dates_stay_once_due(district, people):
	today = getdate(nowdate())
	doc = contract(district, people)
	act("Contract Review", doc.name, "审查完成", people.staff)
	with pytest.raises(frappe.ValidationError, match="尚未付清"):
		save_as(people.reporter, "Contract Review", doc.name, paid_amount=10000, paid_on=today)
	save_as(people.reporter, "Contract Review", doc.name, delivered_on=add_days(today, -40))
	with pytest.raises(frappe.ValidationError, match="已过，不能再修改"):
		save_as(people.reporter, "Contract Review", doc.name, delivered_on=today)
	save_as(people.reporter, "Contract Review", doc.name, paid_amount=300000, paid_on=today)
	assert doc.name not in {d.name for d in supervision.open_limits(add_days(today, 3))}


def test_a_unit_cannot_put_its_records_under_another_units_project(district, people):
	doc = project(district, people)
	values = {"doctype": "Contract Review", "contract_name": "测试合同", "paying_unit": district.school,
		"enterprise": enterprise(), "arrears_category": "服务", "contract_amount": 1000}  # fmt: skip
	# the school's reporter does not see the agency's project, and may not name it
	with pytest.raises(frappe.PermissionError, match="不能关联"):
		insert_as(people.other, {**values, "investment_project": doc.name})
	with pytest.raises(frappe.PermissionError, match="不能关联"):
		as_user(people.other)
		try:
			item(district.school, investment_project=doc.name)
		finally:
			as_user("Administrator")
	# the agency's own contract under it is fine
	assert contract(district, people, investment_project=doc.name).investment_project == doc.name
