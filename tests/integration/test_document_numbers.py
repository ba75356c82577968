"""Numbers are given at issue, per kind and year, and a rolled-back issue gives its
number back (no gaps)."""

import frappe

from qingqian_app.qingqian.doctype.issued_document.issued_document import issue

from .factories import item


def seq(number: str) -> int:
	return int(number.split("〕")[1].rstrip("号"))


def test_numbers_follow_on_and_reissue_returns_the_same(district):
	a, b = item(district.agency).name, item(district.agency).name
	first = issue("限期清偿通知书", "Arrears Item", a)
	second = issue("限期清偿通知书", "Arrears Item", b)
	assert first.startswith("城清欠办函〔") and seq(second) == seq(first) + 1
	assert issue("限期清偿通知书", "Arrears Item", a) == first
	other = issue("督办函", "Arrears Item", a)  # another kind under the same 代字: next number
	assert seq(other) == seq(second) + 1


def test_a_rolled_back_issue_leaves_no_gap(district):
	name = item(district.agency).name
	frappe.db.savepoint("before_issue")
	n1 = issue("督办函", "Arrears Item", name)
	frappe.db.rollback(save_point="before_issue")
	n2 = issue("督办函", "Arrears Item", name)
	assert n1 == n2
