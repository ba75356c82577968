"""The one declaration on the paths that are not REST calls — Data Import, bulk edit from
the list, documents attached to mail — and the one rule of what counts in the figures,
the search by Chinese fragments and the read guard, in process on a real site."""

import csv
import io
import json

import frappe
import pytest
from frappe.utils import nowdate

from qingqian_app.domain import ledger
from qingqian_app.qingqian.doctype.arrears_item.arrears_item import recount
from qingqian_app.search import global_search, link_query

from .factories import act, as_user, enterprise, item, lead, set_state, user


@pytest.fixture
def one_transaction(monkeypatch):
	"""Data Import and bulk edit commit (and roll back) row by row: here they share the
	test's transaction, rolled back at its end like every other test's."""
	monkeypatch.setattr(frappe.db, "commit", lambda *a, **k: None)
	monkeypatch.setattr(frappe.db, "rollback", lambda *a, **k: None)


def test_data_import_goes_through_the_declaration(district, one_transaction):
	reporter = user("it.import.reporter", ["Debtor Unit Reporter"], debtor_unit=district.agency)
	rows = [
		["欠款单位", "民营企业", "欠款类别", "合同编号", "欠款金额（元）", "已清偿金额（元）", "状态"],
		[district.agency, enterprise(), "工程", "DI-1", "1000", "1000", ""],  # a computed figure
		[district.agency, enterprise(), "工程", "DI-2", "1000", "", "已入账"],  # a state skipped to
	]
	buffer = io.StringIO()
	csv.writer(buffer).writerows(rows)
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": "台账导入测试.csv",
			"content": buffer.getvalue().encode(),
			"is_private": 1,
		}
	).insert(ignore_permissions=True)
	data_import = frappe.get_doc(
		{
			"doctype": "Data Import",
			"reference_doctype": "Arrears Item",
			"import_type": "Insert New Records",
			"import_file": file.file_url,
			"mute_emails": 1,
		}  # fmt: skip
	).insert(ignore_permissions=True)
	from frappe.core.doctype.data_import.importer import Importer

	as_user(reporter)
	try:
		Importer("Arrears Item", data_import=data_import).import_data()
	finally:
		as_user("Administrator")
	logs = frappe.get_all(
		"Data Import Log",
		filters={"data_import": data_import.name},
		fields=["success", "messages", "exception"],
	)
	# the refusal as the importer logs it: its messages, and the exception's last line
	text = " ".join(m["message"] for r in logs for m in json.loads(r.messages or "[]"))
	text += " ".join(r.exception.strip().splitlines()[-1] for r in logs if r.exception)
	assert logs and not any(r.success for r in logs)
	assert "由系统计算或记录，不能填写" in text and "已清偿金额" in text
	assert "须从“待报送”开始" in text
	assert not frappe.db.exists("Arrears Item", {"contract_no": ["in", ["DI-1", "DI-2"]]})
	# Frappe keeps the import log in a MyISAM table, outside the test's transaction
	frappe.db.delete("Data Import Log", {"data_import": data_import.name})


def test_bulk_edit_from_the_list_goes_through_the_declaration(district, one_transaction):
	from frappe.desk.doctype.bulk_update.bulk_update import _bulk_action

	reporter = user("it.bulk.reporter", ["Debtor Unit Reporter"], debtor_unit=district.agency)
	entered = set_state(item(district.agency), "已入账")
	draft = item(district.agency)
	as_user(reporter)
	try:
		failed = _bulk_action("Arrears Item", [entered.name, draft.name], "update", {"arrears_amount": 5000})
	finally:
		as_user("Administrator")
	assert failed == [entered.name]  # 已入账: the amount is no longer the reporter's to change
	assert frappe.db.get_value("Arrears Item", entered.name, "arrears_amount") == 100000
	assert frappe.db.get_value("Arrears Item", draft.name, "arrears_amount") == 5000


def test_a_document_whose_words_are_not_true_is_not_mailed(district):
	draft = item(district.agency)
	with pytest.raises(frappe.PermissionError, match="清偿中"):
		frappe.attach_print("Arrears Item", draft.name, print_format="限期清偿通知书")
	verified = set_state(item(district.agency, repay_deadline="2026-12-31"), "清偿中")
	assert frappe.attach_print("Arrears Item", verified.name, print_format="限期清偿通知书")[
		"fcontent"
	].startswith(b"%PDF")


def test_the_stored_count_flag_is_the_domain_rule(district):
	"""ledger.counts_in_figures decides the flag on save; recount (SQL, for many at once)
	gives the same for every state, in court or not, suspended or not."""
	cases = []
	for state in ("待报送", "待审核", "已入账", "清偿中", "已销号", "不予列入", "重复"):
		for court in (0, 1):
			doc = set_state(item(district.agency, in_judicial_process=court), state)
			cases.append((doc.name, state, court, False))
	soe = set_state(item(district.soe), "清偿中")
	frappe.db.set_value("Debtor Unit", district.soe, "is_suspended", 1)
	cases.append((soe.name, "清偿中", 0, True))
	recount("i.name in %(names)s", {"names": [c[0] for c in cases]})
	for name, state, court, suspended in cases:
		stored = frappe.db.get_value("Arrears Item", name, "counted_in_ledger")
		assert stored == int(ledger.counts_in_figures(state, bool(court), suspended)), (
			state,
			court,
			suspended,
		)
	# and a unit that stops producing takes its items out of the figures at once
	frappe.get_doc("Debtor Unit", district.soe).save()  # on_update: recount for the unit
	assert frappe.db.get_value("Arrears Item", soe.name, "counted_in_ledger") == 0


def test_search_by_a_fragment_of_a_chinese_name_within_the_users_scope(district):
	name = enterprise("测试宏远建材有限公司", "91310115591693856A")
	mine = item(district.agency, enterprise=name)
	other = item(district.school, enterprise=name)
	reporter = user("it.search.reporter", ["Debtor Unit Reporter"], debtor_unit=district.agency)
	as_user(reporter)
	try:
		found = [r[0] for r in link_query("Arrears Item", "宏远", "name", 0, 20, {})]
		assert mine.name in found and other.name not in found
		number = str(int(mine.name.rsplit("-", 1)[1]))
		assert mine.name in [r[0] for r in link_query("Arrears Item", number, "name", 0, 20, {})]
		results = global_search("宏远")
		by_type = {}
		for r in results:
			by_type.setdefault(r.doctype, set()).add(r.name)
		assert name in by_type.get("Enterprise", set())
		assert mine.name in by_type.get("Arrears Item", set()) and other.name not in by_type["Arrears Item"]
	finally:
		as_user("Administrator")


def test_filters_on_what_a_user_may_not_read_are_refused(district):
	doc = set_state(lead(district.agency, transferred_to=district.agency), "已转办")
	leader = user("it.read.leader", ["Qingqian Leader"])
	as_user(leader)
	try:
		assert doc.name in frappe.get_list("Complaint Lead", pluck="name")
		with pytest.raises(frappe.PermissionError, match="联系电话"):
			frappe.get_list("Complaint Lead", filters={"complainant_phone": ["like", "0356%"]})
		with pytest.raises(frappe.PermissionError):
			frappe.get_list("Complaint Lead", order_by="complainant_phone desc")
		from qingqian_app.read_guard import get_count

		with pytest.raises(frappe.PermissionError):
			get_count("Complaint Lead", {"complainant_phone": "0356-1234567"})
	finally:
		as_user("Administrator")
	head = user("it.read.head", ["Debtor Unit Head"], debtor_unit=district.agency)
	as_user(head)
	try:
		assert frappe.get_list(
			"Complaint Lead", filters={"complainant_phone": "0356-1234567"}, pluck="name"
		) == [doc.name]
	finally:
		as_user("Administrator")


def test_lead_refusal_of_an_extension_leaves_the_deadline(district):
	head = user("it.ext.head", ["Debtor Unit Head"], debtor_unit=district.agency)
	office = user("it.ext.office", ["Qingqian Office Head"])
	doc = set_state(lead(district.agency, transferred_to=district.agency), "核查中")
	frappe.db.set_value(
		"Complaint Lead", doc.name, {"transferred_on": nowdate(), "requested_extension_days": 10}
	)
	act("Complaint Lead", doc.name, "申请延期", head)
	act("Complaint Lead", doc.name, "不予延期", office)
	after = frappe.get_doc("Complaint Lead", doc.name)
	assert (after.workflow_state, after.extension_days, after.requested_extension_days) == ("核查中", 0, 0)
