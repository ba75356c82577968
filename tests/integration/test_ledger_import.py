"""台账导入 and 导出 on a real site: an xlsx and a GBK CSV with bad rows (bad credit code,
unknown unit, a matter twice, repaid more than owed, another unit's row) — the counts, the
returned workbook's 错误说明 read back, nothing of a refused row saved; the same file again
creates nothing; export → edit → import changes only the edited row; only the office head's
initial load lands rows in 已入账."""

import csv
import io
from pathlib import Path

import frappe
import openpyxl
import pytest

from qingqian_app.domain import ledger_import as li
from qingqian_app.ledger_io import export, importer, sheets

from .factories import PRIVATE, as_user, enterprise, user

HEADER = [c.header for c in li.COLUMNS]
EXPORT_HEADER = [c.header for c in li.EXPORT_COLUMNS]
XLS = Path(__file__).parent / "data" / "ledger.xls"  # two rows, saved by Excel 97–2003's format
OTHER_PRIVATE = "91110108MA01C7K3QM"  # another valid private code, not on the demo site


@pytest.fixture
def people(district):
	return frappe._dict(
		reporter=user("it.li.rep", ["Debtor Unit Reporter"], debtor_unit=district.agency),
		head=user("it.li.head", ["Qingqian Office Head"]),
	)


def cells(unit, **values):
	row = {h: None for h in HEADER}
	row.update({"欠款单位": unit, "民营企业名称": "导入测试建材有限公司", "统一社会信用代码": PRIVATE, "欠款类别": "货物",
		"欠款金额": 50000, "应付款日期": "2025-06-30", "合同编号": frappe.generate_hash(length=8)})  # fmt: skip
	row.update(values)
	return [row[h] for h in HEADER]


def workbook(tmp_path, rows, name="台账.xlsx"):
	path = tmp_path / name
	sheets.write(path, HEADER, rows)
	return path


def run(path, user_, dry_run=False, initial_load=False):
	as_user(user_)
	try:
		return importer.run(path, dry_run, initial_load, label="测试导入", commit=False)
	finally:
		as_user("Administrator")


def bad_and_good(district):
	enterprise("导入测试建材有限公司", PRIVATE)
	return [
		cells(
			district.agency,
			合同编号="HT-OK-1",
			合同金额=90000,
			合同名称="<img src=x onerror=alert(1)>办公家具",
		),
		cells(district.agency, 合同编号="HT-OK-2", 已清偿金额=10000, 清偿日期="2025-08-01"),
		cells(district.agency, 合同编号="HT-BAD-CODE", 统一社会信用代码="91310110666007217X"),
		cells("没有这个单位", 合同编号="HT-UNKNOWN"),
		cells(district.agency, 合同编号="HT-OK-1"),  # the first row's matter again
		cells(district.agency, 合同编号="HT-OVERPAID", 已清偿金额=60000, 清偿日期="2025-08-01"),
		cells(district.school, 合同编号="HT-OTHER-UNIT"),
	]


def test_an_xlsx_with_bad_rows(district, people, tmp_path):
	path = workbook(tmp_path, bad_and_good(district))
	preview = run(path, people.reporter, dry_run=True)
	assert preview.counts == {"新建": 2, "更新": 0, "无变化": 0, "有误": 5}
	assert not frappe.db.exists("Arrears Item", {"contract_no": "HT-OK-1"})  # a dry run writes nothing
	result = run(path, people.reporter)
	assert result.counts == preview.counts
	errors = {n: text for n, _c, text in result.refused}
	assert "统一社会信用代码：校验码应为" in errors[4]
	assert "不是系统中的欠款单位" in errors[5]
	assert "与第 2 行是同一事项" in errors[6]
	assert "超过欠款金额" in errors[7]
	assert "不在您的单位范围内" in errors[8]
	# this test's unit only: the site may hold other HT- contracts (a contract review's items)
	made = frappe.get_all("Arrears Item", filters={"contract_no": ["like", "HT-%"], "owner": people.reporter},
		fields=["contract_no", "workflow_state",
		"repaid_amount", "owner"])  # fmt: skip
	assert {m.contract_no for m in made} == {"HT-OK-1", "HT-OK-2"}  # nothing of a refused row
	assert {m.workflow_state for m in made} == {"待报送"} and {m.owner for m in made} == {people.reporter}
	assert next(m for m in made if m.contract_no == "HT-OK-2").repaid_amount == 10000
	comment = frappe.get_all(
		"Comment", filters={"reference_name": made[0].name, "comment_type": "Info"}, pluck="content"
	)
	assert any("测试导入" in c for c in comment)
	# the refused rows come back as a workbook with 错误说明
	back = tmp_path / "errors.xlsx"
	sheets.write(back, [*HEADER, li.ERROR_HEADER], ([*c, t] for _n, c, t in result.refused))
	got = list(sheets.rows(back))
	assert got[0][-1] == li.ERROR_HEADER and len(got) == 6
	assert [r[HEADER.index("合同编号")] for r in got[1:]] == [
		"HT-BAD-CODE",
		"HT-UNKNOWN",
		"HT-OK-1",
		"HT-OVERPAID",
		"HT-OTHER-UNIT",
	]
	# typed text is sanitised as Frappe's save does (a chunk mixing rows with and without 合同金额)
	name = frappe.db.get_value("Arrears Item", {"contract_no": "HT-OK-1"}, "contract_name")
	assert "onerror" not in name and "办公家具" in name
	# the same file again creates nothing
	again = run(path, people.reporter)
	assert again.counts["新建"] == 0 and again.counts["无变化"] == 2, (again.counts, again.preview[:3])
	# a sheet without 已清偿金额 says nothing of repayments: the item keeps its repayment
	blank = workbook(tmp_path, [cells(district.agency, 合同编号="HT-OK-2")], "blank.xlsx")
	assert run(blank, people.reporter).counts == {"新建": 0, "更新": 0, "无变化": 1, "有误": 0}


def test_a_gbk_csv(district, people, tmp_path):
	enterprise("导入测试建材有限公司", PRIVATE)
	buf = io.StringIO()
	w = csv.writer(buf)
	w.writerow(
		[
			"序号",
			"欠款单位",
			"债权企业",
			"统一社会信用代码",
			"欠款类别",
			"欠款金额（万元）",
			"应付款日期",
			"合同编号",
			"自定义列",
		]
	)
	w.writerow(
		[1, district.agency, "导入测试建材有限公司", PRIVATE, "服务", "1.5", "2025/6/30", "HT-GBK-1", "x"]
	)
	w.writerow(
		[
			2,
			district.agency,
			"另一家民营企业有限公司",
			OTHER_PRIVATE,
			"工程",
			"2",
			"2025年7月1日",
			"HT-GBK-2",
			"y",
		]
	)
	path = tmp_path / "gbk.csv"
	path.write_bytes(buf.getvalue().encode("gbk"))
	result = run(path, people.reporter)
	assert result.counts["新建"] == 2, result.refused
	assert "未识别的列（未导入）：自定义列" in result.message
	amount = frappe.db.get_value("Arrears Item", {"contract_no": "HT-GBK-1"}, "arrears_amount")
	assert amount == 15000  # 万元 converted
	assert (
		frappe.db.get_value("Enterprise", {"uscc": OTHER_PRIVATE}, "enterprise_name")
		== "另一家民营企业有限公司"
	)


def test_export_edit_import_changes_only_the_edited_row(district, people, tmp_path):
	path = workbook(tmp_path, bad_and_good(district)[:2])
	run(path, people.reporter)
	as_user(people.reporter)
	out = tmp_path / "export.xlsx"
	sheets.write(out, EXPORT_HEADER, export.rows({"debtor_unit": district.agency}))
	as_user("Administrator")
	wb = openpyxl.load_workbook(out)
	ws = wb.active
	# the export shows each item's number and state, as the printout does; the import reads them
	# back as known columns, silently, and changes nothing by them
	numbers = {ws.cell(row=r, column=2).value: ws.cell(row=r, column=3).value for r in (2, 3)}
	assert all(n.startswith("QQ-") and s for n, s in numbers.items()), numbers
	for r in (2, 3):
		ws.cell(row=r, column=3, value="已销号")  # a state typed in the sheet is not an action
	col = EXPORT_HEADER.index("备注") + 1
	ws.cell(row=2, column=col, value="单位核实后补充的说明")
	wb.save(out)
	result = run(out, people.reporter)
	assert result.counts == {"新建": 0, "更新": 1, "无变化": 1, "有误": 0}, result.refused
	assert "未识别" not in result.message, result.message
	assert all(frappe.db.get_value("Arrears Item", n, "workflow_state") == s for n, s in numbers.items())


def test_a_column_the_user_may_not_fill_is_ignored_with_a_note(district, people, tmp_path):
	"""责任单位 is the office's (at 转办): a unit copying its ledger with it gets its rows
	imported without it, and the import says so once, never the row refused."""
	path = workbook(tmp_path, [cells(district.agency, 合同编号="HT-IGN-1", 责任单位=district.agency),
		cells(district.agency, 合同编号="HT-IGN-2", 责任单位=district.agency)])  # fmt: skip
	result = run(path, people.reporter)
	assert result.counts == {"新建": 2, "更新": 0, "无变化": 0, "有误": 0}, result.refused
	assert "责任单位（2 行）" in result.message and "已忽略" in result.message, result.message
	for contract in ("HT-IGN-1", "HT-IGN-2"):
		assert not frappe.db.get_value("Arrears Item", {"contract_no": contract}, "responsible_unit")


def test_only_the_office_heads_initial_load_lands_rows_entered(district, people, tmp_path):
	path = workbook(tmp_path, [cells(district.agency, 合同编号="HT-INIT-1", 责任单位=district.agency)])
	result = run(path, people.head, initial_load=True)
	assert result.counts["新建"] == 1, result.refused
	assert frappe.db.get_value("Arrears Item", {"contract_no": "HT-INIT-1"}, "workflow_state") == "已入账"


def test_an_imported_item_is_what_the_form_would_have_saved(district, people, tmp_path):
	"""New rows are written a chunk at once: each holds exactly what the controller stores."""
	path = workbook(tmp_path, [cells(district.agency, 合同编号="HT-SAME-1", 已清偿金额=1000, 清偿日期="2025-08-01",
		是否涉及农民工工资="是", 农民工工资金额=3000, 合同金额=90000, 计划清偿日期="2026-12-31")])  # fmt: skip
	assert run(path, people.reporter).counts["新建"] == 1
	name = frappe.db.get_value("Arrears Item", {"contract_no": "HT-SAME-1"})
	meta = frappe.get_meta("Arrears Item")
	fields = [
		df.fieldname
		for df in meta.fields
		if df.fieldtype not in ("Section Break", "Column Break", "Table", "Tab Break")
	]
	stored = frappe.db.get_value("Arrears Item", name, fields, as_dict=True)
	doc = frappe.get_doc("Arrears Item", name)
	doc.flags.ignore_permissions = True
	doc.save()  # the controller computes everything again
	again = frappe.db.get_value("Arrears Item", name, fields, as_dict=True)
	assert {f: stored[f] for f in fields} == {f: again[f] for f in fields}
	assert (
		stored.counted_in_ledger == 0
		and stored.outstanding_amount == 49000
		and stored.responsible_person_title == "主任"
	)
	assert [(r.amount, str(r.payment_date)) for r in doc.repayments] == [(1000, "2025-08-01")]
	assert doc.owner == people.reporter and doc.workflow_state == "待报送"


def upload(name: str) -> str:
	return (
		frappe.get_doc({"doctype": "File", "file_name": name, "content": b"x", "is_private": 1})
		.insert()
		.file_url
	)


def test_an_import_is_seen_by_its_importer_and_the_office_only(district, people):
	other = user("it.li.other", ["Debtor Unit Reporter"], debtor_unit=district.school)
	as_user(people.reporter)
	mine = upload("mine.xlsx")
	doc = frappe.get_doc({"doctype": "Ledger Import", "import_file": mine}).insert()
	doc.status = "已完成"  # what the server records is never taken from a save
	doc.save()
	assert frappe.db.get_value("Ledger Import", doc.name, "status") == "待预检"
	as_user(other)
	assert doc.name not in frappe.get_list("Ledger Import", pluck="name")
	assert not frappe.has_permission("Ledger Import", "read", doc=doc)
	# nor can another user import it by its address
	with pytest.raises(frappe.PermissionError, match="须是您本人上传的文件"):
		frappe.get_doc({"doctype": "Ledger Import", "import_file": mine}).insert()
	as_user(people.head)
	assert doc.name in frappe.get_list("Ledger Import", pluck="name")


def test_an_xls_file(district, people, tmp_path):
	"""xls (Excel 97–2003, as older WPS saves): read, never written; date cells as dates."""
	enterprise("导入测试建材有限公司", PRIVATE)
	path = tmp_path / "台账.xls"
	path.write_bytes(XLS.read_bytes())
	result = run(path, people.reporter)
	assert result.counts == {"新建": 1, "更新": 0, "无变化": 0, "有误": 1}, result.refused
	assert "存在争议的，须填写争议金额" in result.refused[0][2]
	item = frappe.db.get_value(
		"Arrears Item", {"contract_no": "HT-XLS-1"}, ["arrears_amount", "due_date"], as_dict=True
	)
	assert item.arrears_amount == 66000.5 and str(item.due_date) == "2025-05-31"


def test_the_export_writes_formula_like_text_as_text(district, people, tmp_path):
	path = workbook(tmp_path, [cells(district.agency, 合同编号="HT-FORMULA", 备注='=HYPERLINK("http://x")')])
	assert run(path, people.reporter).counts["新建"] == 1
	out = tmp_path / "export.xlsx"
	as_user(people.reporter)
	sheets.write(out, EXPORT_HEADER, export.rows({"contract_no": "HT-FORMULA"}))
	as_user("Administrator")
	cell = openpyxl.load_workbook(out).active.cell(row=2, column=EXPORT_HEADER.index("备注") + 1)
	assert cell.value == '=HYPERLINK("http://x")' and cell.data_type == "s"


def test_a_refused_row_takes_nothing_with_it(district, people, tmp_path):
	"""A new enterprise made for a row that is then refused is gone with the row; the next row
	of the same credit code makes it again. A cell too long for its field is refused by name."""
	path = workbook(tmp_path, [
		cells(district.agency, 合同编号="HT-NEWENT-1", 民营企业名称="新登记测试有限公司", 统一社会信用代码=OTHER_PRIVATE,
			已清偿金额=60000, 清偿日期="2025-08-01"),  # more than owed: refused after the enterprise was made
		cells(district.agency, 合同编号="HT-NEWENT-2", 民营企业名称="新登记测试有限公司", 统一社会信用代码=OTHER_PRIVATE),
		cells(district.agency, 合同编号="HT-" + "长" * 150),
	])  # fmt: skip
	result = run(path, people.reporter)
	assert result.counts == {"新建": 1, "更新": 0, "无变化": 0, "有误": 2}, result.refused
	assert "超过欠款金额" in result.refused[0][2] and "不能超过 140 个字" in result.refused[1][2]
	item = frappe.db.get_value("Arrears Item", {"contract_no": "HT-NEWENT-2"}, "enterprise")
	assert item == "新登记测试有限公司" and frappe.db.exists("Enterprise", item)
