"""The 台账 sheet read into the ledger's terms (qingqian_app.domain.ledger_import)."""

from datetime import date, datetime
from decimal import Decimal

import pytest

from qingqian_app.domain import ledger
from qingqian_app.domain import ledger_import as li

PRIVATE = "91310110666007217T"
UNIT = li.Unit("区机关事务服务中心", "机关", "区财政局")
HEADER = [c.header for c in li.COLUMNS]


def row_of(**values):
	cells = {c.header: "" for c in li.COLUMNS}
	cells.update({"序号": 1, "欠款单位": UNIT.name, "民营企业名称": "某某建材有限公司", "统一社会信用代码": PRIVATE,
		"欠款类别": "货物", "欠款金额": 50000, "应付款日期": "2025-06-30"})  # fmt: skip
	cells.update(values)
	return [cells[h] for h in HEADER]


def read(cells, unit=UNIT, headers=None):
	row = li.read_row(5, cells, headers or li.match_headers(HEADER))
	return li.check_row(row, unit, ledger.Limits())


def test_headers_by_name_and_variants_not_by_position():
	h = li.match_headers(
		[
			"备注",
			"债权企业",
			"欠款单位",
			" 统一社会信用代码 ",
			"欠款金额（万元）",
			"欠款类别",
			"自定义列",
			None,
		]
	)
	got = {i: (c.header, m) for i, (c, m) in h.columns.items()}
	assert got == {0: ("备注", 1), 1: ("民营企业名称", 1), 2: ("欠款单位", 1), 3: ("统一社会信用代码", 1),
		4: ("欠款金额", 10000), 5: ("欠款类别", 1)}  # fmt: skip
	assert h.unknown == ["自定义列"] and h.missing == [] and h.problems == []
	assert li.match_headers(["欠款单位", "欠款单位"]).twice == ["欠款单位"]
	assert "缺少必填列" in li.match_headers(["欠款单位"]).problems[0]
	assert li.read_header("欠款金额(元)") == ("欠款金额", 1)


def test_the_header_row_is_found_below_a_title():
	rows = [["某区拖欠民营企业账款台账"], ["填报单位：", None], HEADER, row_of()]
	assert li.find_header_row(rows) == 2
	assert li.find_header_row([["a"], ["b"]]) is None


def test_csv_in_utf8_with_or_without_bom_and_in_gbk():
	text = "欠款单位,民营企业名称\n区第一中学,某公司\n"
	for data in (text.encode("utf-8"), text.encode("utf-8-sig"), text.encode("gbk"), text.encode("gb18030")):
		assert li.decode_csv(data) == text


def test_cells_as_sheets_hold_them():
	assert li.money("1,234.5") == Decimal("1234.50") and li.money(12.34, 10000) == Decimal("123400.00")
	assert li.money("¥88元") == Decimal("88.00") and li.money(None) is None
	assert li.day(45838) == date(2025, 6, 30)
	assert li.day(datetime(2025, 6, 30, 0, 0)) == date(2025, 6, 30)
	for text in ("2025-06-30", "2025/6/30", "2025.6.30", "2025年6月30日"):
		assert li.day(text) == date(2025, 6, 30)
	assert li.yesno("是") and not li.yesno("否") and not li.yesno(None) and li.yesno("Y")
	with pytest.raises(li.CellError, match="不是日期"):
		li.day("六月底")
	with pytest.raises(li.CellError, match="是”或“否"):
		li.yesno("可能")
	with pytest.raises(li.CellError, match="不是整数"):
		li.integer("30.5")


def test_a_good_row_reads_into_the_items_fields():
	row = read(
		row_of(已清偿金额=10000, 清偿日期="2025-08-01", 是否存在争议="否", **{"约定付款期限（日）": "30"})
	)
	assert row.ok, row.problems
	assert row.values["arrears_amount"] == Decimal("50000.00") and row.values["repaid_on"] == date(2025, 8, 1)
	assert row.values["due_date"] == date(2025, 6, 30) and row.values["is_disputed"] is False


def test_each_bad_cell_names_its_column():
	row = read(row_of(统一社会信用代码="91310110666007217X", 欠款金额="五万", 应付款日期="月底"))
	assert {h for h, _m in row.problems} == {"欠款金额", "应付款日期"}  # unreadable cells first
	row = read(row_of(统一社会信用代码="91310110666007217X"))
	assert row.problems == [("统一社会信用代码", "校验码应为“T”，实际为“X”")]
	row = read(row_of(已清偿金额=60000, 清偿日期="2025-08-01"))
	assert row.problems[0][0] == "已清偿金额" and "超过欠款金额" in row.problems[0][1]
	row = read(row_of(单位类型="事业单位", 主管部门="教科局"))
	assert {h for h, _m in row.problems} == {"单位类型", "主管部门"}
	assert read(row_of(), unit=None).problems[0][0] == "欠款单位"
	assert read(row_of(已清偿金额=100)).problems == [("清偿日期", "填写了已清偿金额的，须填写清偿日期")]
	assert read(row_of(欠款类别="租金")).problems[0][0] == "欠款类别"
	assert read(row_of(民营企业名称="")).problems == [("民营企业名称", "必填")]
	assert read(row_of(主管部门="财政局")).ok  # the competent unit by its short name


def test_a_matter_twice_in_a_file_is_refused_after_the_first():
	rows = [read(row_of(合同编号="HT-1")), read(row_of(合同编号="HT-1")), read(row_of(合同编号="HT-2"))]
	for n, r in enumerate(rows, 2):
		r.number = n
	assert li.mark_duplicates(rows) == 1
	assert rows[1].problems == [("合同编号", "与第 2 行是同一事项（同一欠款单位、企业和合同）")]
	assert rows[0].ok and rows[2].ok
	assert rows[1].error_text().startswith("合同编号：")


def test_the_template_says_which_columns_a_new_item_takes():
	"""填写说明: every column once; a reporter's import of new items leaves out 责任单位."""
	allowed = frozenset(li.ITEM_FIELDS) - {"responsible_unit"}
	notes = li.template_notes(allowed)
	assert [r[0] for r in notes] == [c.header for c in li.COLUMNS]
	by = {r[0]: r for r in notes}
	assert by["责任单位"][2].startswith("不导入") and by["欠款金额"][2] == "导入"
	assert by["欠款单位"][1] == "是" and by["备注"][1] == ""
	assert "2025-06-30" in by["应付款日期"][3] and "货物、工程、服务" in by["欠款类别"][3]
	assert by["主管部门"][2] == "核对，不导入"
	assert all(r[2] == "导入" for r in li.template_notes(None) if r[0] == "责任单位")
