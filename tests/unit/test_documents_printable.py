"""A document is printed and signed only where its words are true (print_formats/*/format.json,
qingqian_app/domain/documents.printable_problem)."""

import json
from datetime import date

from qingqian_app.domain import documents
from qingqian_app.sync.definitions import REPO_ROOT

TODAY = date(2026, 12, 3)


def declared(folder: str) -> dict:
	return json.loads((REPO_ROOT / "print_formats" / folder / "format.json").read_text(encoding="utf-8"))


def test_a_transfer_slip_with_nothing_left_to_repay_is_not_signed():
	"""转办单 asks the unit to repay in full by its deadline: after 销号 with nothing outstanding
	its words (未清偿 0.00元 beside 请于…前足额清偿) are no longer true."""
	slip = declared("transfer_slip_item")
	problem = documents.printable_problem(slip["name"], slip["printable"], {"workflow_state": "已销号",
		"outstanding_amount": 0}, TODAY)  # fmt: skip
	assert problem and "尚有未清偿金额" in problem
	for state in ("已转办", "清偿中", "已销号"):
		values = {"workflow_state": state, "outstanding_amount": 100}
		assert documents.printable_problem(slip["name"], slip["printable"], values, TODAY) is None


def test_a_document_outside_its_states_names_them():
	notice = declared("deadline_repayment_notice")
	problem = documents.printable_problem(notice["name"], notice["printable"], {"workflow_state": "待报送",
		"outstanding_amount": 100}, TODAY)  # fmt: skip
	assert "“清偿中”" in problem and "当前为“待报送”" in problem
