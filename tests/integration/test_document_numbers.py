"""Numbers are given when a document is signed (签发), per 代字 and year; signing again gives
the same number, a rolled-back signing gives its number back (no gaps), and only office
staff draft and the office head signs, never their own draft."""

import frappe
import pytest

from qingqian_app.qingqian.doctype.issued_document.issued_document import draft, sign

from .factories import as_user, item, set_state, signed, user


def seq(number: str) -> int:
	return int(number.split("〕")[1].rstrip("号"))


def overdue(district):
	return set_state(item(district.agency, due_date="2026-03-01", repay_deadline="2026-06-30"), "清偿中")


def test_numbers_follow_on_and_signing_again_returns_the_same(district):
	a, b = overdue(district), overdue(district)
	first = signed("限期清偿通知书", a)
	second = signed("限期清偿通知书", b)
	assert first.startswith("城清欠办函〔") and seq(second) == seq(first) + 1
	assert signed("限期清偿通知书", a) == first
	other = signed("转办单", a)  # another kind under the same 代字: the next number
	assert seq(other) == seq(second) + 1
	row = frappe.get_all(
		"Issued Document", filters={"document_number": first}, fields=["status", "drafted_by", "issued_by"]
	)[0]
	assert row.status == "已签发" and row.drafted_by != row.issued_by


def test_a_rolled_back_signing_leaves_no_gap(district):
	doc = overdue(district)
	staff, head = user("it.dn.staff", ["Qingqian Office Staff"]), user("it.dn.head", ["Qingqian Office Head"])
	as_user(staff)
	draft("限期清偿通知书", doc.doctype, doc.name)
	as_user(head)
	frappe.db.savepoint("before_signing")
	n1 = sign("限期清偿通知书", doc.doctype, doc.name)
	frappe.db.rollback(save_point="before_signing")
	n2 = sign("限期清偿通知书", doc.doctype, doc.name)
	as_user("Administrator")
	assert n1 == n2


def test_no_one_else_takes_a_number(district):
	doc = overdue(district)
	reporter = user("it.dn.reporter", ["Debtor Unit Reporter"], debtor_unit=district.agency)
	staff = user("it.dn.staff2", ["Qingqian Office Staff", "Qingqian Office Head"])
	as_user(reporter)
	with pytest.raises(frappe.PermissionError, match="拟稿"):
		draft("限期清偿通知书", doc.doctype, doc.name)
	as_user(staff)
	draft("限期清偿通知书", doc.doctype, doc.name)
	with pytest.raises(frappe.PermissionError, match="本人拟稿"):
		sign("限期清偿通知书", doc.doctype, doc.name)
	as_user("Administrator")
