"""Bad input on a real site (issue 21): a ledger import whose dry run says exactly what the
import stores, a segment all or nothing and never a traceback; files past the limits refused
before a reader opens them; repayments never dated after today; stored HTML inert in every
print format and the public page; 公开日期 the day the disclosure is recorded; a value of the
wrong type answered with a Chinese message naming its field."""

import zipfile
from datetime import timedelta
from pathlib import Path

import frappe
import pytest
from frappe.utils import add_days, getdate, nowdate

from qingqian_app.domain import ledger_import as li
from qingqian_app.ledger_io import importer, sheets

from .factories import PRIVATE, as_user, enterprise, fake_request, item, user

HEADER = [c.header for c in li.COLUMNS]
XSS = "<img src=x onerror=alert(1)>"


@pytest.fixture
def reporter(district):
	return user("it.bad.rep", ["Debtor Unit Reporter"], debtor_unit=district.agency)


def cells(unit, **values):
	row = {h: None for h in HEADER}
	row.update({"欠款单位": unit, "民营企业名称": "坏输入测试建材有限公司", "统一社会信用代码": PRIVATE,
		"欠款类别": "货物", "欠款金额": 50000, "应付款日期": "2025-06-30",
		"合同编号": "BAD-" + frappe.generate_hash(length=8)})  # fmt: skip
	row.update(values)
	return [row[h] for h in HEADER]


def run(path, user_, dry_run=False, initial_load=False):
	as_user(user_)
	try:
		return importer.run(path, dry_run, initial_load, label="坏输入测试", commit=False)
	finally:
		as_user("Administrator")


def stored(unit):
	return set(frappe.get_all("Arrears Item", filters={"debtor_unit": unit}, pluck="contract_no"))


# --- 1. the dry run checks everything the import stores -------------------------------------


def bad_rows(district):
	enterprise("坏输入测试建材有限公司", PRIVATE)
	return [
		cells(district.agency, 合同编号="BAD-OK"),
		cells(district.agency, 合同编号="BAD-LONG-" + "号" * 140),  # Data: 140
		cells(district.agency, 合同编号="BAD-NAME", 合同名称="名" * 141),
		cells(district.agency, 合同编号="BAD-TEXT", 备注="很" * 30000),  # 90 KB: more than TEXT holds
		cells(district.agency, 合同编号="BAD-AMOUNT", 欠款金额="1000000000000"),
		cells(district.agency, 合同编号="BAD-CONTRACT", 合同金额=5e15),
		cells(district.agency, 合同编号="BAD-DAYS", **{"约定付款期限（日）": 99999999999}),
		cells(district.agency, 合同编号="BAD-DATE", 应付款日期="0001-01-01"),
		cells(district.agency, 合同编号="BAD-TITLE", 责任人职务="长" * 141),
		cells(district.agency, 合同编号="BAD-FUTURE", 已清偿金额=100, 清偿日期=add_days(nowdate(), 1)),
		cells(district.agency, 合同编号="BAD-INTEREST", 欠款金额=999999999999, 应付款日期="2000-01-03"),
	]


def test_the_dry_run_refuses_what_the_import_could_not_store(district, reporter, tmp_path):
	path = tmp_path / "坏.xlsx"
	sheets.write(path, HEADER, bad_rows(district))
	preview = run(path, reporter, dry_run=True)
	assert preview.counts == {"新建": 1, "更新": 0, "无变化": 0, "有误": 10}, preview.refused
	result = run(path, reporter)
	assert result.counts == preview.counts  # what the dry run says is what the import does
	assert not result.message
	errors = {cells_[HEADER.index("合同编号")][:9]: text for _n, cells_, text in result.refused}
	assert "合同编号：不能超过 140 个字" in errors["BAD-LONG-"]
	assert "合同名称：不能超过 140 个字" in errors["BAD-NAME"]
	assert errors["BAD-TEXT"].startswith("备注：内容过长")
	assert errors["BAD-AMOUN"].startswith("欠款金额：") and "1 万亿" in errors["BAD-AMOUN"]
	assert errors["BAD-CONTR"].startswith("合同金额：")
	assert errors["BAD-DAYS"].startswith("约定付款期限（日）：")
	assert errors["BAD-DATE"].startswith("应付款日期：")
	assert errors["BAD-TITLE"].startswith("责任人职务：不能超过 140 个字")
	assert errors["BAD-FUTUR"].startswith("清偿日期：清偿日期") and "晚于今天" in errors["BAD-FUTUR"]
	assert "超出允许的范围" in errors["BAD-INTER"]  # computed: 逾期利息 beyond its column
	assert stored(district.agency) == {"BAD-OK"}


def test_the_office_heads_initial_load_holds_to_the_same_checks(district, tmp_path):
	head = user("it.bad.head", ["Qingqian Office Head"])
	enterprise("坏输入测试建材有限公司", PRIVATE)
	path = tmp_path / "初始.xlsx"
	sheets.write(path, HEADER, [cells(district.agency, 合同编号="BAD-LINK", 责任单位="没有这个单位"),
		cells(district.agency, 合同编号="BAD-LOAD", 合同名称="名" * 141), cells(district.agency, 合同编号="BAD-OK")])  # fmt: skip
	preview = run(path, head, dry_run=True, initial_load=True)
	result = run(path, head, initial_load=True)
	assert preview.counts == result.counts == {"新建": 1, "更新": 0, "无变化": 0, "有误": 2}
	errors = [text for _n, _c, text in result.refused]
	assert errors == ["责任单位：系统中没有“没有这个单位”", "合同名称：不能超过 140 个字（现有 141 个）"]
	assert stored(district.agency) == {"BAD-OK"}


def test_an_update_holds_to_the_same_checks(district, reporter, tmp_path):
	path = tmp_path / "更新.xlsx"
	enterprise("坏输入测试建材有限公司", PRIVATE)
	sheets.write(path, HEADER, [cells(district.agency, 合同编号="BAD-UPD")])
	assert run(path, reporter).counts["新建"] == 1
	sheets.write(path, HEADER, [cells(district.agency, 合同编号="BAD-UPD", 合同名称="名" * 141)])
	preview = run(path, reporter, dry_run=True)
	result = run(path, reporter)
	assert preview.counts == result.counts == {"新建": 0, "更新": 0, "无变化": 0, "有误": 1}
	assert "合同名称：不能超过 140 个字" in result.refused[0][2]


def test_a_row_the_database_refuses_is_reported_and_the_segment_goes_on(
	district, reporter, tmp_path, monkeypatch
):
	"""A value that passed every check and still fails at store time (here: made to)."""
	import pymysql

	path = tmp_path / "更新.xlsx"
	enterprise("坏输入测试建材有限公司", PRIVATE)
	sheets.write(
		path, HEADER, [cells(district.agency, 合同编号="BAD-U1"), cells(district.agency, 合同编号="BAD-U2")]
	)
	assert run(path, reporter).counts["新建"] == 2
	sheets.write(path, HEADER, [cells(district.agency, 合同编号="BAD-U1", 合同名称="甲"),
		cells(district.agency, 合同编号="BAD-U2", 合同名称="乙")])  # fmt: skip
	save = importer._update

	def failing(name, values, *args):
		if values.get("contract_name") == "甲":
			raise pymysql.err.DataError(1406, "Data too long for column 'contract_name' at row 1")
		return save(name, values, *args)

	monkeypatch.setattr(importer, "_update", failing)
	result = run(path, reporter)
	assert result.counts == {"新建": 0, "更新": 1, "无变化": 0, "有误": 1}
	assert result.refused[0][2] == "合同名称：内容过长"
	names = dict(frappe.get_all("Arrears Item", filters={"contract_no": ["like", "BAD-U%"]},
		fields=["contract_no", "contract_name"], as_list=True))  # fmt: skip
	assert names == {"BAD-U1": None, "BAD-U2": "乙"}


def test_a_segment_that_cannot_be_written_is_written_not_at_all(district, reporter, tmp_path, monkeypatch):
	"""The chunk's new items fail at the bulk write: none of the segment is stored, every row
	goes back in the error sheet, no exception reaches the caller (a traceback to the user)."""
	import pymysql

	path = tmp_path / "段.xlsx"
	enterprise("坏输入测试建材有限公司", PRIVATE)
	paid = {"已清偿金额": 100, "清偿日期": "2025-08-01"}
	sheets.write(path, HEADER, [cells(district.agency, 合同编号=f"BAD-SEG-{i}", **paid) for i in range(3)])
	bulk = importer._bulk

	def broken(doctype, rows):  # the items are written, then their repayments fail
		if doctype == importer.REPAYMENT:
			raise pymysql.err.OperationalError(1205, "Lock wait timeout exceeded")
		bulk(doctype, rows)

	monkeypatch.setattr(importer, "_bulk", broken)
	result = run(path, reporter)
	assert result.counts["有误"] == 3 and result.counts["新建"] == 0
	assert all("本段（第 2–4 行）写入时出错，整段未导入" in text for _n, _c, text in result.refused)
	assert not stored(district.agency)
	assert not frappe.get_all("Comment", filters={"content": ["like", "%坏输入测试%"]})


def test_a_failed_import_shows_a_sentence_not_a_traceback(district, reporter, tmp_path, monkeypatch):
	from qingqian_app.qingqian.doctype.ledger_import import ledger_import

	doc = frappe.get_doc({"doctype": "Ledger Import", "import_file": "/private/files/x.xlsx"})
	doc.flags.ignore_validate = True
	doc.insert(ignore_permissions=True)
	monkeypatch.setattr(ledger_import, "_process", lambda *a: 1 / 0)
	monkeypatch.setattr(frappe.db, "commit", lambda: None)  # the test's transaction is kept
	monkeypatch.setattr(frappe.db, "rollback", lambda **k: None)
	ledger_import.process(doc.name, 1, "Administrator")
	message, status = frappe.db.get_value("Ledger Import", doc.name, ["message", "status"])
	assert status == "失败" and "处理时出错，已停止（错误日志" in message
	assert "Traceback" not in message and "ZeroDivisionError" not in message


# --- 2. files past the limits -----------------------------------------------------------------


def rewrite(path: Path, member: str, change):
	"""The xlsx at ``path`` with one member's XML changed."""
	out = path.with_name("改" + path.name)
	with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
		for info in src.infolist():
			data = src.read(info.filename)
			dst.writestr(info.filename, change(data) if info.filename == member else data)
	return out


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(district, reporter, tmp_path, monkeypatch):
	import openpyxl

	path = tmp_path / "炸弹.xlsx"
	sheets.write(path, HEADER, [cells(district.agency)])
	sheet = "xl/worksheets/sheet1.xml"
	bomb = rewrite(path, sheet, lambda x: x.replace(b"</worksheet>", b" " * (40 << 20) + b"</worksheet>"))
	assert bomb.stat().st_size < 300 * 1024  # 40 MB of XML in less than 300 KB
	opened = []
	monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: opened.append(a))
	result = run(bomb, reporter, dry_run=True)
	assert "压缩比异常" in result.message and result.total == 0 and not opened


def test_a_sheet_declaring_a_million_rows_and_columns_is_read_as_it_is(district, reporter, tmp_path):
	path = tmp_path / "尺寸.xlsx"
	sheets.write(path, HEADER, [cells(district.agency)])
	sheet = "xl/worksheets/sheet1.xml"

	def huge(xml):  # as the file declares it: 1,048,576 rows of 16,384 columns
		return xml.replace(b"</sheetPr>", b'</sheetPr><dimension ref="A1:XFD1048576"/>', 1)

	declared = rewrite(path, sheet, huge)
	got = list(sheets.rows(declared))  # not a million rows of 16,384 cells
	assert len(got) == 2 and len(got[0]) == len(HEADER)
	# a sheet that holds a cell in the last column, or a row past the limit, is refused
	wide = rewrite(
		path,
		sheet,
		lambda x: x.replace(b"</row>", b'<c r="XFD1" t="inlineStr"><is><t>x</t></is></c></row>', 1),
	)
	with pytest.raises(sheets.SheetError, match="列的上限"):
		list(sheets.rows(wide))
	assert "列的上限" in run(wide, reporter, dry_run=True).message
	far = rewrite(
		path,
		sheet,
		lambda x: x.replace(
			b"</sheetData>",
			b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
		),
	)
	with pytest.raises(sheets.SheetError, match="行的上限"):
		list(sheets.rows(far))


def test_a_csv_larger_than_the_limit_is_refused_unread(reporter, tmp_path):
	path = tmp_path / "大.csv"
	with path.open("wb") as f:
		f.truncate(li.LIMITS.file_bytes + 1)  # sparse: nothing written
	result = run(path, reporter, dry_run=True)
	assert "超过 64 MB 的上限" in result.message and result.total == 0


def test_a_csv_with_a_huge_cell_is_refused_in_chinese(reporter, tmp_path):
	path = tmp_path / "长.csv"
	path.write_text(",".join(HEADER) + "\n" + "x" * 200_000 + "\n", encoding="utf-8")
	assert "CSV 第 2 行无法读取" in run(path, reporter, dry_run=True).message


def test_a_csv_with_too_many_columns_is_refused(district, reporter, tmp_path):
	path = tmp_path / "宽.csv"
	path.write_text(",".join(HEADER + [f"列{i}" for i in range(300)]) + "\n", encoding="utf-8")
	assert "列的上限" in run(path, reporter, dry_run=True).message


# --- 3. a repayment is never dated after today ------------------------------------------------


def test_a_repayment_dated_after_today_is_refused_on_the_form(district):
	doc = item(district.agency)
	doc.append(
		"repayments", {"payment_date": add_days(nowdate(), 1), "amount": 1000, "payment_method": "银行转账"}
	)
	with pytest.raises(frappe.ValidationError, match="清偿日期 .* 晚于今天"):
		doc.save()
	doc.reload()
	doc.append("repayments", {"payment_date": nowdate(), "amount": 1000, "payment_method": "银行转账"})
	doc.save()
	assert doc.repaid_amount == 1000


def test_a_repayment_dated_after_today_is_refused_through_set_value(district):
	from frappe.client import set_value

	doc = item(district.agency)
	doc.append("repayments", {"payment_date": nowdate(), "amount": 1000, "payment_method": "银行转账"})
	doc.save()
	row = doc.repayments[0].name
	tomorrow = str(getdate(nowdate()) + timedelta(days=1))
	with pytest.raises(frappe.ValidationError, match="晚于今天"):
		set_value("Arrears Repayment", row, "payment_date", tomorrow)


def test_a_save_checks_what_it_changes_not_the_rows_stored_before(district, monkeypatch):
	"""A record's stored rows are not checked again on each save (they came from the database):
	a progress note added to an item checks that note and the fields that changed. A stored row
	sent back changed, or a new row, is checked as ever."""
	from qingqian_app import input_guard

	doc = item(district.agency)
	for n in range(3):
		doc.append("progress_updates", {"update_date": nowdate(), "content": f"进展 {n}"})
	doc.save()
	checked = []
	own = input_guard.problems

	def problems(meta, values, **kwargs):
		checked.append((meta.name, dict(values)))
		return own(meta, values, **kwargs)

	monkeypatch.setattr(input_guard, "problems", problems)
	doc.reload()
	doc.append("progress_updates", {"update_date": nowdate(), "content": "新的进展"})
	doc.save()
	notes = [v for name, v in checked if name == "Arrears Progress Update"]
	assert notes and all(v.get("content") == "新的进展" for v in notes if v)
	assert all(not v for v in notes if v.get("content") != "新的进展")  # the stored three: nothing
	doc.reload()
	doc.progress_updates[0].update_date = add_days(nowdate(), 1)  # a stored row sent back changed
	with pytest.raises(frappe.ValidationError, match="进展.*第 1 行.*晚于今天"):
		doc.save()


# --- 4. stored HTML is text in every print format and the public page --------------------------


def filled(doctype: str, **values):
	"""An unsaved record of ``doctype`` whose every text and link field (and its child rows')
	holds the payload: numbers 1, dates today, selects their first choice."""
	from frappe.model import table_fields

	def fill(doc, meta):
		for df in meta.fields:
			if df.fieldtype in (
				"Data",
				"Small Text",
				"Text",
				"Long Text",
				"Text Editor",
				"Link",
				"Dynamic Link",
			):
				doc.set(df.fieldname, XSS)
			elif df.fieldtype in ("Currency", "Float", "Int", "Percent"):
				doc.set(df.fieldname, 1)
			elif df.fieldtype == "Date":
				doc.set(df.fieldname, nowdate())
			elif df.fieldtype == "Check":
				doc.set(df.fieldname, 1)
			elif df.fieldtype == "Select" and df.options:
				doc.set(df.fieldname, next(o for o in df.options.split("\n") if o))

	doc = frappe.new_doc(doctype)
	fill(doc, doc.meta)
	for df in doc.meta.fields:
		if df.fieldtype in table_fields:
			row = doc.append(df.fieldname, {})
			fill(row, frappe.get_meta(df.options))
	doc.name = "TEST-XSS"
	doc.update(values)
	return doc


def print_formats():
	"""Each print_formats/ folder's Print Format as the sync engine writes it (the files of
	this checkout, not the site's last sync)."""
	import json

	from qingqian_app.sync.definitions import REPO_ROOT, print_format_record

	out = []
	for path in sorted((REPO_ROOT / "print_formats").glob("*/format.json")):
		meta = json.loads(path.read_text(encoding="utf-8"))
		problems = []
		record = print_format_record(meta, path.parent, str(path), problems)
		assert not problems
		out.append((meta["name"], meta["doc_type"], record.values["html"]))
	return out


@pytest.mark.parametrize(
	"name,doctype,html", print_formats(), ids=lambda v: v if isinstance(v, str) and len(v) < 20 else ""
)
def test_every_print_format_shows_stored_html_as_text(district, name, doctype, html):
	import json

	extra = {}
	if doctype == "Progress Bulletin":  # its tables come from the snapshot's JSON
		unit = {
			"items": 1,
			"arrears_amount": 1,
			"repaid_amount": 0,
			"outstanding_amount": 1,
			"amount_rate": 0,
		}
		extra["statistics"] = json.dumps({"by_competent_unit": {XSS: unit}, "total": unit,
			"ranking": [{"rank": 1, "unit": XSS, "amount_rate": 0, "rank_change": 0, "overdue_outstanding": 1}]})  # fmt: skip
	if doctype == "Supervision":  # the 督办函 shows its item
		linked = item(district.agency, contract_no=XSS)
		frappe.db.set_value("Arrears Item", linked.name, "contract_name", XSS)
		extra.update(time_limit="台账清偿", reference_doctype="Arrears Item", reference_name=linked.name)
	doc = filled(doctype, **extra)
	context = {"doc": doc}
	if name == "清欠台账":  # the list's printout (qingqian_app/printouts.py) passes its rows
		context.update(items=[doc], scope=XSS, totals={"listed": 1, "count": 1})
	out = frappe.render_template(html, context)
	assert "&lt;img src=x onerror=alert(1)&gt;" in out, name
	assert "<img src=x" not in out and "onerror=alert(1)>" not in out, name
	assert "<div class=" in out  # the template's own markup stays markup


def test_the_print_preview_of_a_saved_item_escapes_it(district):
	"""The real path: the synced Print Format rendered by Frappe's printview."""
	from qingqian_app.sync.local import LocalTransport
	from qingqian_app.sync.planner import apply_plan, build_plan

	records = [r for r in __import__("qingqian_app.sync.definitions", fromlist=["load"]).load().records
		if r.doctype == "Print Format" and r.name == "台账登记表"]  # fmt: skip
	transport = LocalTransport()
	apply_plan(build_plan(records, transport), transport)
	doc = item(district.agency)
	frappe.db.set_value(
		"Arrears Item", doc.name, {"description": XSS, "contract_name": XSS}
	)  # as a bulk write
	out = frappe.get_print("Arrears Item", doc.name, print_format="台账登记表")
	assert "&lt;img src=x onerror=alert(1)&gt;" in out and "<img src=x" not in out


def test_the_public_page_escapes_every_value(monkeypatch):
	from frappe.website.serve import get_response_content

	from qingqian_app.accountability import disclosure as public

	data = {"title": XSS, "as_of_date": nowdate(), "approved_on": nowdate(), "note": XSS, "unit_count": 1,
		"item_count": 1, "overdue_amount": 1, "rows": [{"debtor_unit": XSS, "unit_type": XSS, "item_count": 1,
		"overdue_amount": 1, "longest_overdue_days": 1}], "cases": [{"debtor_unit": XSS, "decided_on": nowdate(),
		"measures": XSS, "case_summary": XSS, "enterprise_names": XSS}]}  # fmt: skip
	monkeypatch.setattr(public, "published", lambda: data)
	frappe.set_user("Guest")
	try:
		out = get_response_content("arrears-disclosure")
	finally:
		frappe.set_user("Administrator")
	assert out.count("&lt;img src=x onerror=alert(1)&gt;") >= 8
	assert "<img src=x" not in out


# --- 5. 公开日期 is the day the unit records it ---------------------------------------------------


@pytest.fixture
def annual(district):
	year = getdate(nowdate()).year - 1
	return frappe.get_doc(
		{"doctype": "Unit Annual Disclosure", "debtor_unit": district.agency, "year": year}
	).insert(ignore_permissions=True)


def test_a_unit_cannot_backdate_its_publication(district, annual):
	unit_head = user("it.bad.unithead", ["Debtor Unit Head"], debtor_unit=district.agency)
	frappe.db.set_value("Unit Annual Disclosure", annual.name, "creation", add_days(nowdate(), -90))
	as_user(unit_head)
	doc = frappe.get_doc("Unit Annual Disclosure", annual.name)
	doc.published_on, doc.published_where = add_days(nowdate(), -1), "https://example.gov.cn/xxgk"
	with pytest.raises(frappe.ValidationError, match="公开日期.*只能填今天"):
		doc.save()
	doc = frappe.get_doc("Unit Annual Disclosure", annual.name)
	doc.published_on, doc.published_where = nowdate(), "https://example.gov.cn/xxgk"
	doc.save()
	assert frappe.db.get_value("Unit Annual Disclosure", annual.name, "published_on") == getdate(nowdate())


def test_the_office_corrects_a_date_but_not_before_the_record_or_after_today(district, annual):
	staff = user("it.bad.staff", ["Qingqian Office Staff"])
	frappe.db.set_value("Unit Annual Disclosure", annual.name, "creation", add_days(nowdate(), -10))
	as_user(staff)
	days = (add_days(nowdate(), -11), add_days(nowdate(), 1), add_days(nowdate(), -3))
	for day, words in zip(days, ("早于本记录建立之日", "晚于今天", None), strict=True):
		doc = frappe.get_doc("Unit Annual Disclosure", annual.name)
		doc.published_on, doc.published_where = day, "https://example.gov.cn/xxgk"
		if words is None:
			doc.save()  # a date the office verified
		else:
			with pytest.raises(frappe.ValidationError, match=words):
				doc.save()
	saved = frappe.db.get_value("Unit Annual Disclosure", annual.name, "published_on")
	assert saved == getdate(add_days(nowdate(), -3))


# --- 6. a value of the wrong type: a Chinese message naming the field, never a 500 ----------------


@pytest.mark.parametrize(
	"values,words",
	[
		({"arrears_amount": "abc"}, "欠款金额（元）：“abc”不是数字"),
		({"arrears_amount": 1e15}, "欠款金额（元）：1000000000000000.0 超出允许的范围"),
		({"agreed_payment_days": "abc"}, "约定付款期限（日）：“abc”不是整数"),
		({"agreed_payment_days": 99999999999}, "约定付款期限（日）：99999999999 超出允许的范围"),
		({"agreed_payment_days": "1.5"}, "约定付款期限（日）：“1.5”不是整数"),
		({"due_date": "2025-13-45"}, "应付款日期：“2025-13-45”不是日期"),
		({"due_date": "0001-01-01"}, "应付款日期：日期 0001-01-01 不在 1900-01-01 至 2099-12-31 之间"),
		({"contract_date": "1999-03-15"}, "合同签订日期：1999-03-15 早于 2000 年，请核对年份"),
		({"contract_date": "2099-03-15"}, "合同签订日期：2099-03-15 晚于今天"),
		({"due_date": "2095-06-30"}, "应付款日期：2095-06-30 在 10 年之后，请核对年份"),
		({"arrears_category": "借款"}, "欠款类别：“借款”不是可选值（可选：货物、工程、服务）"),
		({"contract_name": "长" * 141}, "合同名称：不能超过 140 个字（现有 141 个）"),
		({"description": "很" * 30000}, "欠款情况说明：内容过长"),
		({"involves_migrant_wages": "abc"}, "涉及农民工工资：只能是 0 或 1"),
		({"contract_name": {"a": 1}}, "合同名称：应为文字，不能是 dict"),
		(
			{"repayments": [{"payment_date": "bad", "amount": "x", "payment_method": "银行转账"}]},
			"清偿记录第 1 行 付款日期：“bad”不是日期",
		),
	],
	ids=lambda v: next(iter(v)) if isinstance(v, dict) else None,
)
def test_a_value_the_database_would_refuse_is_refused_naming_its_field(district, values, words):
	doc = frappe.get_doc({"doctype": "Arrears Item", "debtor_unit": district.agency, "enterprise": enterprise(),
		"arrears_category": "货物", "arrears_amount": 1000, "contract_no": frappe.generate_hash(length=8), **values})  # fmt: skip
	with pytest.raises(frappe.ValidationError) as e:
		doc.insert()
	assert words in str(e.value), str(e.value)


def test_what_the_controller_computes_is_checked_before_it_is_stored(district):
	"""An interest beyond its column, computed in validate: refused by before_save, not a
	DataError from the database."""
	with pytest.raises(frappe.ValidationError, match="逾期利息.*超出允许的范围"):
		item(district.agency, arrears_amount=999999999999, due_date="2000-01-03")


def test_a_child_table_that_is_not_a_list_of_rows_is_refused_before_frappe_builds_it(district):
	from werkzeug.test import EnvironBuilder
	from werkzeug.wrappers import Request

	from qingqian_app import input_guard

	def post(path, body):
		request = Request(EnvironBuilder(path=path, method="POST", json=body).get_environ())
		with fake_request(request, body):
			input_guard.before_request()

	for body, words in (
		({"repayments": "abc"}, "清偿记录：应为行的列表，不能是 str"),
		({"repayments": [1, 2]}, "清偿记录第 1 行：应为一行（JSON object），不能是 int"),
	):
		with pytest.raises(frappe.ValidationError, match=words):
			post("/api/resource/Arrears%20Item", body)
		with pytest.raises(frappe.ValidationError, match=words):
			post("/api/v2/document/Arrears Item/QQ-1", body)
		with pytest.raises(frappe.ValidationError, match=words):
			post("/api/method/frappe.client.insert", {"doc": {"doctype": "Arrears Item", **body}})
	post("/api/resource/Arrears%20Item", {"repayments": [{"amount": 1}]})  # rows: Frappe builds them
	post("/api/resource/ToDo", {"description": "x"})  # not the app's: Frappe's own handling


def test_an_attachment_named_as_markup_is_refused(district):
	doc = item(district.agency)
	doc.append("repayments", {"payment_date": nowdate(), "amount": 1, "payment_method": "银行转账",
		"voucher": f"/private/files/{XSS}.pdf"})  # fmt: skip
	with pytest.raises(frappe.ValidationError, match="凭证：文件名不能含有"):
		doc.save()


def test_the_import_forms_message_shows_a_column_named_as_markup_as_text(district, tmp_path, monkeypatch):
	from frappe.utils.file_manager import save_file

	from qingqian_app.qingqian.doctype.ledger_import import ledger_import

	monkeypatch.setattr(frappe.db, "commit", lambda: None)  # the job commits: the test rolls back
	enterprise("坏输入测试建材有限公司", PRIVATE)
	content = sheets.content([*HEADER, XSS], [[*cells(district.agency), "x"]])
	saved = save_file("台账.xlsx", content, None, None, is_private=1)
	try:
		doc = frappe.get_doc({"doctype": "Ledger Import", "import_file": saved.file_url}).insert()
		ledger_import._process(doc, 1, "Administrator")
		message = frappe.db.get_value("Ledger Import", doc.name, "message")
	finally:
		Path(saved.get_full_path()).unlink(missing_ok=True)
	assert "未识别的列" in message and "&lt;img src=x" in message and "<img" not in message


def test_an_xls_larger_than_its_limit_is_refused_unread(reporter, tmp_path, monkeypatch):
	import xlrd

	path = tmp_path / "大.xls"
	with path.open("wb") as f:
		f.truncate(li.LIMITS.xls_bytes + 1)
	monkeypatch.setattr(xlrd, "open_workbook", lambda *a, **k: pytest.fail("xlrd opened it"))
	result = run(path, reporter, dry_run=True)
	assert "超过 16 MB 的上限" in result.message and result.total == 0
