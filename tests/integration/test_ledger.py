"""The ledger on a real site: each rule refuses bad input with its message and saves
nothing; computed figures are stored; per-unit visibility holds on every read path; the
tree gives a parent company its subsidiaries; approval mail goes only to users who may
see the item. Everything is made inside the test and rolled back."""

import frappe
import frappe.desk.reportview
import frappe.desk.search
import pytest
from frappe.utils import add_days, nowdate

from qingqian_app.qingqian.doctype.arrears_item.arrears_item import refresh_overdue

from .factories import act, as_user, enterprise, item, queued_mail, set_state, user


def refused(match, make):
	before = frappe.db.count("Arrears Item")
	with pytest.raises(frappe.ValidationError, match=match):
		make()
	assert frappe.db.count("Arrears Item") == before  # nothing half-saved


def test_each_rule_refuses_with_its_message(district):
	refused("停产企业", lambda: item(district.suspended))
	inst = enterprise("测试事业单位债权人", district.institution_code)
	refused("不是民营企业", lambda: item(district.agency, enterprise=inst))
	refused(
		"已清偿合计 100,000.01 元超过欠款金额",
		lambda: item(district.agency, repayments=[{"payment_date": "2026-01-01", "amount": 100000.01}]),
	)
	refused(
		"农民工工资金额", lambda: item(district.agency, involves_migrant_wages=1, migrant_wage_amount=200000)
	)
	refused(
		"不得以承兑汇票清偿",
		lambda: item(
			district.agency,
			due_date="2026-03-01",
			repayments=[
				{
					"payment_date": "2026-01-01",
					"amount": 10,
					"payment_method": "承兑汇票",
					"bill_maturity_date": "2026-06-01",
				}
			],
		),
	)
	refused("有分歧金额", lambda: item(district.agency, disputed_amount=100001))


def test_duplicate_is_refused_with_a_link_to_the_existing_item(district):
	first = item(district.agency, contract_no="HT-2026-001")
	with pytest.raises(frappe.DuplicateEntryError, match=first.name):
		item(district.agency, contract_no="HT-2026-001")
	assert item(district.agency, contract_no="HT-2026-002").name != first.name


def test_figures_are_computed_and_stored(district):
	doc = item(
		district.agency,
		delivery_date=add_days(nowdate(), -40),
		involves_migrant_wages=1,
		migrant_wage_amount=30000,
		disputed_amount=20000,
		repayments=[{"payment_date": add_days(nowdate(), -5), "amount": 25000}],
	)
	assert str(doc.due_date) == add_days(nowdate(), -10)  # 30 days after delivery (条例第九条)
	assert (doc.repaid_amount, doc.outstanding_amount) == (25000, 75000)
	assert (doc.migrant_wage_repaid, doc.migrant_wage_outstanding) == (25000, 5000)
	assert (doc.undisputed_amount, doc.is_disputed) == (80000, 1)
	assert doc.overdue_days == 10
	# 5 days on 100,000 then 5 days on 75,000, at 0.05% a day
	assert doc.overdue_interest == 250 + 187.5
	assert doc.enterprise_scale_at_contract == "小型"
	# counted once its competent unit has approved it (ledger.counts_in_figures)
	assert doc.counted_in_ledger == 0 and doc.workflow_state == "待报送"
	assert set_state(doc, "已入账").counted_in_ledger == 1
	judicial = set_state(item(district.agency, in_judicial_process=1), "已入账")
	assert judicial.counted_in_ledger == 0


def test_daily_job_refreshes_overdue_days(district):
	doc = item(district.agency, due_date=nowdate())
	frappe.db.set_value("Arrears Item", doc.name, "due_date", add_days(nowdate(), -7), update_modified=False)
	refresh_overdue()
	assert frappe.db.get_value("Arrears Item", doc.name, "overdue_days") == 7


def test_visibility_by_unit_on_every_read_path(district):
	a = item(district.agency).name
	s = item(district.school).name
	g = item(district.grandchild).name
	finance = user("it.finance", ["Member Unit Staff"], member_unit="区财政局")
	soe = user("it.soe", ["Debtor Unit Reporter"], debtor_unit=district.soe)
	school = user("it.school", ["Debtor Unit Reporter"], debtor_unit=district.school)
	mine = {a, s, g}

	def seen(u):
		frappe.set_user(u)
		frappe.local.qingqian_scopes = {}
		lists = {
			"get_list": set(frappe.get_list("Arrears Item", pluck="name")),
			"client.get_list": {
				r["name"] for r in frappe.client.get_list("Arrears Item", limit_page_length=0)
			},
			"reportview": {
				r[0] for r in frappe.desk.reportview.execute("Arrears Item", fields=["name"], as_list=True)
			},
			"search_link": {
				r["value"] for r in frappe.desk.search.search_link("Arrears Item", "QQ-", page_length=1000)
			},
		}
		can_read = {n for n in mine if frappe.has_permission("Arrears Item", "read", doc=n, user=u)}
		frappe.set_user("Administrator")
		return {k: v & mine for k, v in lists.items()}, can_read

	for u, expected in ((finance, {a}), (soe, {g}), (school, {s})):
		lists, can_read = seen(u)
		for path, names in lists.items():
			assert names == expected, (u, path, names)
		assert can_read == expected, (u, can_read)


def test_a_new_principal_never_detaches_items_and_history_is_kept(district):
	doc = item(district.agency, responsible_person_title="主任")
	frappe.db.set_value("Debtor Unit", district.agency, "principal_title", "新任主任")
	assert frappe.get_all("Arrears Item", filters={"debtor_unit": district.agency}, pluck="name") == [
		doc.name
	]
	# a fresh object: in tests Frappe mails workflow actions at once and leaves the inserted
	# object flagged in_print by the PDF it attached, which makes a later save() a no-op
	doc = frappe.get_doc("Arrears Item", doc.name)
	doc.responsible_person_title = "新任主任"
	doc.save()
	titles = [(r.responsible_unit, r.responsible_person_title) for r in doc.responsibility_history]
	assert titles == [(district.agency, "主任"), (district.agency, "新任主任")]


def test_approval_mail_only_to_users_who_may_see_the_item(district):
	from frappe.model.workflow import get_transitions
	from frappe.workflow.doctype.workflow_action.workflow_action import get_users_next_action_data

	finance = user("it.finance.head", ["Member Unit Head"], member_unit="区财政局")
	edu = user("it.edu.head", ["Member Unit Head"], member_unit="区教科局")
	doc = item(district.agency)
	doc.db_set("workflow_state", "待审核")
	transitions = [
		t.as_dict()
		for t in frappe.get_cached_doc("Workflow", "欠款台账流程").transitions
		if t.state == "待审核"
	]
	recipients = set(get_users_next_action_data(transitions, doc))
	assert finance in recipients and edu not in recipients


def test_an_item_sent_back_and_reported_again_reaches_its_approvers_again(district):
	"""Frappe makes the approvers' entry (我的待审批) and mail only the first time a record reaches
	a state; the ledger makes them each time."""
	doc = item(district.agency)

	def entries(status):
		return frappe.get_all("Workflow Action", pluck="name", filters={"reference_name": doc.name,
			"reference_doctype": "Arrears Item", "workflow_state": "待审核", "status": status})  # fmt: skip

	def mails():
		return frappe.db.count(
			"Email Queue", {"reference_doctype": "Arrears Item", "reference_name": doc.name}
		)

	with queued_mail():
		act("Arrears Item", doc.name, "报送")
		first, mailed = entries("Open"), mails()
		assert first and mailed
		act("Arrears Item", doc.name, "退回")
		assert not entries("Open") and entries("Completed") == first
		sent_back = mails()
		act("Arrears Item", doc.name, "报送")
		again = entries("Open")
		assert again and again != first and not entries("Completed")
		assert mails() == sent_back + mailed  # the approvers are mailed again, as the first time


def test_workflow_mails_are_styled_alike_with_the_style_rules_made_once():
	from frappe.email.email_body import get_formatted_html
	from premailer.premailer import Premailer

	from qingqian_app.workflow_guard import styles_parsed_once

	own = Premailer._parse_style_rules
	mails = [f"<p>请审核 <a class='btn btn-primary' href='/x?u={u}'>审核通过</a></p>" for u in ("甲", "乙")]
	plain = [get_formatted_html("待您处理", m) for m in mails]
	with styles_parsed_once():
		once = [get_formatted_html("待您处理", m) for m in mails]
		assert Premailer._parse_style_rules is not own
	assert once == plain and plain[0] != plain[1] and "style=" in once[1]
	assert Premailer._parse_style_rules is own


def test_a_bookkeeping_job_whose_item_moved_on_leaves_it_to_the_next_steps_job(district):
	from qingqian_app.workflow_guard import workflow_bookkeeping

	doc = item(district.agency)
	frappe.db.set_value("Arrears Item", doc.name, "workflow_state", "待审核", update_modified=False)

	def entries():
		return frappe.get_all("Workflow Action", pluck="workflow_state", filters={"reference_name": doc.name})

	workflow_bookkeeping("Arrears Item", doc.name, "on_update", reached="待报送")  # sent back since
	assert entries() == []
	workflow_bookkeeping("Arrears Item", doc.name, "on_update", reached="待审核")
	assert entries() == ["待审核"]
