"""An accountability action over REST as the demo users take it: the office drafts, 司法局
returns it (refused without a written opinion) and passes it, the office may not decide, the
问责建议书 is drafted, signed and downloaded as PDF, the leader decides, the unit sees its
measures in force (its Debtor Unit, the ledger list's marks, the procurement list), another unit
sees nothing, the office head lifts it."""

import json
import time

import pytest

from .conftest import URL
from .helpers import DEBTOR, Actor, mark, message

AA = "Accountability Action"
REGISTER = "qingqian_app.qingqian.doctype.issued_document.issued_document"


@pytest.fixture(scope="module")
def a():
	names = ("office.staff", "office.head", "legal.reviewer", "leader", "debtor.head", "school.reporter",
		"finance.staff")  # fmt: skip
	return {n: Actor(n) for n in names}


def basis_item(admin) -> str:
	r = admin.get(f"{URL}/api/resource/Arrears Item", timeout=30,
		params={"filters": json.dumps([["debtor_unit", "=", DEBTOR], ["counted_in_ledger", "=", 1],
			["outstanding_amount", ">", 0]])})  # fmt: skip
	return r.json()["data"][0]["name"]


def act(actor, name, action):
	return actor.act(name, action, AA)


def doc(actor, name):
	r = actor.get(name, AA)
	assert r.status_code == 200, message(r)
	return r.json()["data"]


def test_an_action_through_its_whole_workflow(a, admin, tmp_path):
	end = time.strftime("%Y") + "-12-31"
	r = a["office.staff"].create(AA, target_unit=DEBTOR, target_person_title="主任",
		facts=f"{mark()} 拖欠民营企业货款逾期，经督办仍未清偿", basis=[{"arrears_item": basis_item(admin)}],
		measures=[{"measure": "限制参与政府采购", "end_date": end}, {"measure": "约谈"}])  # fmt: skip
	assert r.status_code == 200, message(r)
	name = r.json()["data"]["name"]
	assert {m["measure"]: m["implementing_unit"] for m in r.json()["data"]["measures"]} == {
		"限制参与政府采购": "区财政局", "约谈": "区工信局"}  # fmt: skip
	assert act(a["office.staff"], name, "提交审查").status_code == 200
	# 司法局 returns it, only with its opinion in writing
	r = act(a["legal.reviewer"], name, "退回")
	assert r.status_code == 417 and "合法性审查意见" in message(r)
	assert (
		a["legal.reviewer"].put(name, AA, legal_review="约谈对象应为单位主要负责人，请明确").status_code
		== 200
	)
	assert act(a["legal.reviewer"], name, "退回").status_code == 200
	assert doc(a["office.staff"], name)["workflow_state"] == "草稿"
	assert act(a["office.staff"], name, "提交审查").status_code == 200
	assert a["legal.reviewer"].put(name, AA, legal_review="经审查，措施有法可依，程序合法").status_code == 200
	assert act(a["legal.reviewer"], name, "审查通过").status_code == 200
	# the office cannot decide; the 问责建议书 goes out under the office head's signature
	r = act(a["office.head"], name, "决定")
	assert r.status_code != 200 and doc(a["office.head"], name)["workflow_state"] == "待决定"
	r = a["office.staff"].call(
		f"{REGISTER}.draft", document_kind="问责建议书", reference_doctype=AA, reference_name=name
	)
	assert r.status_code == 200, message(r)
	r = a["office.head"].call(
		f"{REGISTER}.sign", document_kind="问责建议书", reference_doctype=AA, reference_name=name
	)
	assert r.status_code == 200, message(r)
	number = r.json()["message"]
	pdf = a["office.head"].method_get(
		"frappe.utils.print_format.download_pdf", doctype=AA, name=name, format="问责建议书"
	)
	assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), message(pdf)
	(tmp_path / "proposal.pdf").write_bytes(pdf.content)
	print(f"\n问责建议书 {number}：{len(pdf.content)} 字节")
	# the leader decides; the unit is under the measures from today
	r = act(a["leader"], name, "决定")
	assert r.status_code == 200, message(r)
	d = doc(a["debtor.head"], name)
	assert d["workflow_state"] == "执行中" and d["decided_by"] == a["leader"].user
	unit = a["debtor.head"].get(DEBTOR, "Debtor Unit").json()["data"]
	assert "限制参与政府采购（至" in unit["measures_in_force"]
	marks = (
		a["debtor.head"].call("qingqian_app.accountability.actions.units_under_measures").json()["message"]
	)
	assert DEBTOR in marks
	assert a["school.reporter"].get(name, AA).status_code == 403
	rows = a["finance.staff"].method_get("frappe.desk.query_report.run", report_name="Measures In Force",
		filters=json.dumps({"measure": "限制参与政府采购"})).json()["message"]["result"]  # fmt: skip
	assert DEBTOR in {r["target_unit"] for r in rows}
	# lifted by the office head, with its reason
	assert a["office.head"].put(name, AA, lift_reason="期限届满").status_code == 200
	assert act(a["office.head"], name, "解除").status_code == 200
	assert doc(a["office.head"], name)["workflow_state"] == "已解除"
