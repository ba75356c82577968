"""Bad input, without Frappe: a repayment dated after today, a sheet cell the ledger cannot
hold, a file past the limits of what the import reads (issue 21)."""

from datetime import date
from decimal import Decimal as D

import pytest

from qingqian_app.domain import ledger
from qingqian_app.domain import ledger_import as li

from .factories import LIMITS, PRIVATE, TODAY, item

# --- a repayment is never dated after today ------------------------------------------------


def test_a_repayment_dated_after_today_is_refused_naming_the_date():
	tomorrow = [ledger.Repayment(date(2026, 11, 27), D("1000"))]
	found = ledger.problems(item(repayments=tomorrow), LIMITS, TODAY)
	assert [p.fieldname for p in found] == ["repayments"]
	assert "清偿记录第 1 行：清偿日期 2026-11-27 晚于今天" in found[0].message
	today = [ledger.Repayment(TODAY, D("1000"))]
	assert ledger.problems(item(repayments=today), LIMITS, TODAY) == []


def test_without_a_date_given_the_rule_holds_on_the_machines_today():
	far = [ledger.Repayment(date(2099, 1, 1), D("1000"))]
	assert ledger.problems(item(repayments=far), LIMITS)


def test_an_imported_row_repaid_after_today_is_refused_in_its_date_column():
	headers = li.match_headers([c.header for c in li.COLUMNS])
	cells = {c.header: None for c in li.COLUMNS}
	cells.update({"欠款单位": "区机关事务服务中心", "民营企业名称": "某公司", "统一社会信用代码": PRIVATE,
		"欠款类别": "货物", "欠款金额": 5000, "已清偿金额": 100, "清偿日期": "2026-12-01"})  # fmt: skip
	row = li.read_row(2, list(cells.values()), headers)
	li.check_row(row, li.Unit("区机关事务服务中心", "机关", None), LIMITS, today=TODAY)
	assert [h for h, _m in row.problems] == ["清偿日期"]
	assert "晚于今天" in row.error_text()


# --- cells the ledger cannot hold ------------------------------------------------------------


@pytest.mark.parametrize(
	"value", ["1000000000000", 1e12, "-1000000000000", "999999999999.995", "1e400", "NaN", "Infinity"]
)
def test_an_amount_beyond_what_the_ledger_holds_is_a_cell_error(value):
	with pytest.raises(li.CellError):
		li.money(value)


def test_the_largest_amount_the_ledger_holds_is_read():
	assert li.money("999999999999.99") == D("999999999999.99")
	with pytest.raises(li.CellError, match="万亿"):
		li.money("100000000", 10000)  # 1e8 万元 = 1e12 元


@pytest.mark.parametrize("value", ["2147483648", "99999999999", "-2147483648", "NaN"])
def test_days_beyond_an_integer_column_are_a_cell_error(value):
	with pytest.raises(li.CellError):
		li.integer(value)
	assert li.integer("2147483647") == 2147483647


@pytest.mark.parametrize("value", ["0001-01-01", "1899-12-31", "2100-01-01", "9999-12-31"])
def test_a_date_outside_the_ledgers_years_is_a_cell_error(value):
	with pytest.raises(li.CellError, match="不在 1900 年至 2099 年之间"):
		li.day(value)
	assert li.day("2099-12-31") == date(2099, 12, 31)


def test_a_refusal_without_a_column_reads_as_its_message():
	row = li.Row(3)
	row.refuse("", "合同编号：不能超过 140 个字")
	assert row.error_text() == "合同编号：不能超过 140 个字"


# --- what a file may be ------------------------------------------------------------------------

L = li.LIMITS


def test_a_file_larger_than_the_limit_is_refused():
	assert li.file_size_problem(L.file_bytes) is None
	assert "超过" in li.file_size_problem(L.file_bytes + 1)
	assert "超过 16 MB 的上限" in li.file_size_problem(L.xls_bytes + 1, xls=True)  # xlrd reads it whole


def test_a_zip_bomb_is_refused_by_its_directory():
	ok = [("xl/worksheets/sheet1.xml", 2 * li.MB, 20 * li.MB), ("xl/sharedStrings.xml", li.MB, 5 * li.MB)]
	assert li.archive_problem(ok) is None
	# 307 KB that unpacks to a gigabyte: each limit alone refuses it
	bomb = [("xl/worksheets/sheet1.xml", 307 * 1024, 1024 * li.MB)]
	assert "解压后" in li.archive_problem(bomb)
	ratio = [("xl/worksheets/sheet1.xml", 100 * 1024, 100 * li.MB)]
	assert "压缩比异常" in li.archive_problem(ratio)
	strings = [("xl/sharedStrings.xml", 10 * li.MB, L.member_bytes + 1)]  # read whole by openpyxl
	assert "sharedStrings" in li.archive_problem(strings)
	many = [(f"xl/worksheets/sheet{i}.xml", 100 * li.MB, 100 * li.MB) for i in range(6)]
	assert "共" in li.archive_problem(many)


def test_rows_and_columns_past_the_limits_are_refused_while_streaming():
	assert li.shape_problem(L.rows, L.columns) is None
	assert "行的上限" in li.shape_problem(L.rows + 1, 1)
	assert "列的上限" in li.shape_problem(5, 16384)


# --- 公开日期 ------------------------------------------------------------------------------------


def test_a_unit_records_its_publication_today_only():
	from qingqian_app.domain import disclosure

	recorded = date(2026, 1, 1)
	late = disclosure.publication_date_problem(date(2026, 3, 30), None, TODAY, recorded, office=False)
	assert late and "只能填今天" in late and late.startswith("公开日期")
	assert disclosure.publication_date_problem(TODAY, None, TODAY, recorded, office=False) is None
	# unchanged (saved before): not asked again
	assert (
		disclosure.publication_date_problem(date(2026, 3, 30), date(2026, 3, 30), TODAY, recorded, False)
		is None
	)
	# the office corrects within the record's life, never after today
	assert disclosure.publication_date_problem(date(2026, 3, 30), None, TODAY, recorded, office=True) is None
	assert "早于本记录建立之日" in disclosure.publication_date_problem(
		date(2025, 12, 31), None, TODAY, recorded, True
	)
	assert "晚于今天" in disclosure.publication_date_problem(date(2026, 11, 27), None, TODAY, recorded, True)
