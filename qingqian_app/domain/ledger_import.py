"""The 台账 sheet as districts keep it (Excel or WPS, one sheet, a header row): its columns,
the names they go by, and each row read into the ledger's own terms and checked by the
ledger's own rules (qingqian_app.domain.ledger), so that an imported row is held to exactly
what the form holds an item to. Pure Python: the readers (xlsx, xls, CSV) hand rows of cells
in, the importer takes the values and problems out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from . import ledger, uscc
from .money import yuan

TEXT, MONEY, INT, DATE, YESNO, CHOICE, CODE, CHECK, INDEX = (
	"text", "money", "int", "date", "yesno", "choice", "code", "check", "index",
)  # fmt: skip
SCALES = ("大型", "中型", "小型", "微型")


@dataclass(frozen=True)
class Column:
	header: str  # as the template writes it
	field: str | None  # the value's name in a row (an Arrears Item field, or the importer's)
	kind: str = TEXT
	required: bool = False
	variants: tuple[str, ...] = ()  # other names districts give it
	choices: tuple[str, ...] = ()
	exported: str | None = None  # an export-only column: the item field it shows (never imported)


# The template, in the order districts lay it out (工作方案二（一）的台账).
COLUMNS = (
	Column("序号", None, INDEX, variants=("编号", "序")),
	Column("欠款单位", "debtor_unit", TEXT, True, ("欠款单位名称", "债务单位", "拖欠单位")),
	Column("单位类型", "debtor_unit_type", CHECK, variants=("欠款单位类型", "单位性质")),
	Column("主管部门", "competent_unit", CHECK, variants=("主管单位",)),
	Column(
		"民营企业名称",
		"enterprise",
		TEXT,
		True,
		("债权企业", "债权人", "民营企业", "企业名称", "债权企业名称"),
	),
	Column("统一社会信用代码", "uscc", CODE, True, ("社会信用代码", "信用代码", "企业统一社会信用代码")),
	Column("企业规模", "enterprise_scale", CHOICE, variants=("企业类型",), choices=SCALES),
	Column(
		"欠款类别", "arrears_category", CHOICE, True, ("欠款类型", "拖欠类别", "款项类别"), ledger.CATEGORIES
	),
	Column("合同编号", "contract_no", TEXT, variants=("合同号",)),
	Column("合同名称", "contract_name", TEXT, variants=("项目名称", "合同（项目）名称")),
	Column("合同金额", "contract_amount", MONEY, variants=("合同价款",)),
	Column(
		"约定付款期限（日）",
		"agreed_payment_days",
		INT,
		variants=("约定付款期限", "付款期限（日）", "付款期限"),
	),
	Column("应付款日期", "due_date", DATE, variants=("应付日期", "应付款时间", "约定付款日期")),
	Column("欠款金额", "arrears_amount", MONEY, True, ("拖欠金额", "欠款额", "应付未付金额")),
	Column("已清偿金额", "repaid_amount", MONEY, variants=("已偿还金额", "已支付金额", "已清偿")),
	Column("清偿日期", "repaid_on", DATE, variants=("偿还日期", "支付日期")),
	Column("是否存在争议", "is_disputed", YESNO, variants=("是否有争议", "有无争议", "存在争议")),
	Column("争议金额", "disputed_amount", MONEY, variants=("有争议金额", "分歧金额")),
	Column("是否涉及农民工工资", "involves_migrant_wages", YESNO, variants=("涉及农民工工资",)),
	Column("农民工工资金额", "migrant_wage_amount", MONEY, variants=("其中农民工工资", "农民工工资")),
	Column("是否进入司法程序", "in_judicial_process", YESNO, variants=("进入司法程序", "是否诉讼")),
	Column("责任单位", "responsible_unit", TEXT),
	Column("责任人职务", "responsible_person_title", TEXT, variants=("责任人",)),
	Column("计划清偿日期", "planned_repay_date", DATE, variants=("计划还款日期", "计划清偿时间")),
	Column("备注", "description", TEXT, variants=("说明",)),
)
# The export (导出台账): the template's columns with the item's number and state after 序号, as
# the printout shows them; an import reads them back as known columns and takes nothing from them.
EXPORT_COLUMNS = (
	COLUMNS[0],
	Column("台账编号", None, TEXT, exported="name"),
	Column("状态", None, TEXT, exported="workflow_state"),
	*COLUMNS[1:],
)
BY_FIELD = {c.field: c for c in COLUMNS if c.field}
# What the sheet says that the item stores as it is (the rest: resolved, checked or turned into
# a repayment by the importer)
ITEM_FIELDS = (
	"debtor_unit", "arrears_category", "contract_no", "contract_name", "contract_amount", "agreed_payment_days",
	"due_date", "arrears_amount", "disputed_amount", "involves_migrant_wages", "migrant_wage_amount",
	"in_judicial_process", "responsible_unit", "responsible_person_title", "planned_repay_date", "description",
)  # fmt: skip
ERROR_HEADER = "错误说明"

# --- the template's 填写说明 sheet: what each column takes, and whether this user's import takes it

NOTES_HEADER = ("列名", "必填", "您新建台账时", "怎么填")
_HOW = {
	TEXT: "文字",
	MONEY: "金额，单位为元；表头写成“欠款金额（万元）”则按万元读",
	INT: "整数",
	DATE: "日期，四位年份，如 2025-06-30、2025/6/30 或 2025年6月30日",
	YESNO: "是 / 否",
	CODE: "18 位统一社会信用代码（校验位须正确）",
	CHECK: "核对用：须与系统中该单位的登记一致，不一致的行不导入；可不填",
	INDEX: "序号，可不填，不导入",
}
_COMPUTED = {"repaid_amount": "记为一笔清偿（与“清偿日期”一起填）", "uscc": "按代码找到或登记民营企业"}


def template_notes(allowed_new: frozenset | None) -> list[list[str]]:
	"""One row per column: its name, whether required, whether a new item of this user takes it
	(``allowed_new``: the item fields the user may fill in a new item; None: every column), how to
	fill it. Updates of existing items take what the item's state lets the user change."""
	out = []
	for c in COLUMNS:
		how = _HOW[c.kind] if c.kind != CHOICE else "选择：" + "、".join(c.choices)
		how = f"{how}；{_COMPUTED[c.field]}" if c.field in _COMPUTED else how
		if c.field in ITEM_FIELDS and allowed_new is not None and c.field not in allowed_new:
			takes = "不导入（由其他角色填写，填了也会被忽略）"
		elif c.kind in (CHECK, INDEX):
			takes = "核对，不导入" if c.kind == CHECK else "不导入"
		else:
			takes = "导入"
		out.append([c.header, "是" if c.required else "", takes, how])
	return out


_UNIT = re.compile(r"[（(]\s*(万元|元)\s*[）)]$")
_SPACE = re.compile(r"[\s\u3000]+")


def _plain(header) -> str:
	text = _SPACE.sub("", str(header or "")).replace("(", "（").replace(")", "）")
	return text.rstrip("*＊:：")


def read_header(header) -> tuple[str, int]:
	"""A header as written → (its name without the unit, the multiplier to yuan):
	'欠款金额（万元）' → ('欠款金额', 10000); '欠款金额(元)' → ('欠款金额', 1)."""
	text = _plain(header)
	m = _UNIT.search(text)
	if m:
		return text[: m.start()], 10000 if m.group(1) == "万元" else 1
	return text, 1


_NAMES = {_plain(n): c for c in EXPORT_COLUMNS for n in (c.header, *c.variants)}


@dataclass
class Headers:
	"""Which sheet column holds which template column."""

	columns: dict[int, tuple[Column, int]] = field(default_factory=dict)  # index → (column, multiplier)
	unknown: list[str] = field(default_factory=list)
	missing: list[str] = field(default_factory=list)
	twice: list[str] = field(default_factory=list)

	@property
	def problems(self) -> list[str]:
		out = []
		if self.missing:
			out.append(f"缺少必填列：{'、'.join(self.missing)}")
		if self.twice:
			out.append(f"列重复：{'、'.join(self.twice)}")
		return out


def match_headers(row) -> Headers:
	"""Match a header row by name and the common variants, not by position; a column with no
	name is ignored, an unknown name is reported."""
	out = Headers()
	seen: set[str] = set()
	for i, raw in enumerate(row):
		if raw is None or not str(raw).strip():
			continue
		name, multiplier = read_header(raw)
		column = _NAMES.get(name)
		if column is None:
			out.unknown.append(str(raw).strip())
		elif column.header in seen:
			out.twice.append(column.header)
		else:
			seen.add(column.header)
			out.columns[i] = (column, multiplier)
	out.missing = [c.header for c in COLUMNS if c.required and c.header not in seen]
	return out


def find_header_row(rows, look=10) -> int | None:
	"""The index of the header row among the first ``look`` rows (a title or a unit line may
	come first): the first row that names every required column."""
	for i, row in enumerate(rows[:look]):
		if not match_headers(row).missing:
			return i
	return None


def decode_csv(data: bytes) -> str:
	"""CSV as Chinese Excel and WPS save it: UTF-8 (with or without BOM), else GB18030 (a
	superset of GBK and GB2312)."""
	try:
		return data.decode("utf-8-sig")
	except UnicodeDecodeError:
		return data.decode("gb18030")


# --- what a file may be -----------------------------------------------------------------------
# Checked before a reader opens the file and while it streams, so that a small file cannot take
# the worker's memory: a zip bomb, a huge shared-strings table, a sheet that declares or holds
# a million rows or columns. Declared once here; the readers (ledger_io/sheets.py) apply them.

MB = 1 << 20


@dataclass(frozen=True)
class SheetLimits:
	file_bytes: int = 64 * MB  # the file as uploaded: xlsx or CSV (read streaming)
	xls_bytes: int = 16 * MB  # an xls, which xlrd reads whole (65,536 rows at most)
	unzipped_bytes: int = 512 * MB  # an xlsx's members together, uncompressed
	sheet_bytes: int = 512 * MB  # one worksheet, uncompressed (read streaming)
	member_bytes: int = 32 * MB  # any other member (shared strings and styles are read whole)
	ratio: int = 200  # a member's uncompressed size over its compressed size ...
	ratio_from_bytes: int = 4 * MB  # ... for a member larger than this
	rows: int = 200_000  # rows of the sheet, empty ones and the header included
	columns: int = 100  # the template has 25; a district's sheet may add some of its own


LIMITS = SheetLimits()


def _mb(n: int) -> str:
	return f"{n / MB:.0f} MB" if n >= MB else f"{n / 1024:.0f} KB"


def file_size_problem(size: int, limits: SheetLimits = LIMITS, xls: bool = False) -> str | None:
	limit = limits.xls_bytes if xls else limits.file_bytes
	if size > limit:
		return f"文件有 {_mb(size)}，超过 {_mb(limit)} 的上限，请分成几个文件导入"
	return None


def archive_problem(members, limits: SheetLimits = LIMITS) -> str | None:
	"""An xlsx's members (name, compressed size, uncompressed size), as its zip directory says
	(Python's zipfile never reads more of a member than that): within the limits, or why not."""
	total = 0
	for name, compressed, size in members:
		total += size
		worksheet = name.startswith("xl/worksheets/")
		if size > (limits.sheet_bytes if worksheet else limits.member_bytes):
			return f"文件中的“{name}”解压后有 {_mb(size)}，超过上限，无法导入（请另存为新的 xlsx 或分成几个文件）"
		if size > limits.ratio_from_bytes and size > max(compressed, 1) * limits.ratio:
			return f"文件中的“{name}”压缩比异常（{_mb(compressed)} 解压为 {_mb(size)}），无法导入"
	if total > limits.unzipped_bytes:
		return f"文件解压后共 {_mb(total)}，超过 {_mb(limits.unzipped_bytes)} 的上限，请分成几个文件导入"
	return None


def shape_problem(row_number: int, width: int, limits: SheetLimits = LIMITS) -> str | None:
	"""A row read while streaming (``width``: up to its last filled cell)."""
	if row_number > limits.rows:
		return f"表格超过 {limits.rows} 行的上限，请分成几个文件导入"
	if width > limits.columns:
		return f"第 {row_number} 行有 {width} 列，超过 {limits.columns} 列的上限（请删去多余的列）"
	return None


# --- cells ---------------------------------------------------------------------------------

EXCEL_EPOCH = date(1899, 12, 30)
# What the ledger can hold (its amounts: 12 digits before the point; its days: a 32-bit integer;
# its dates: those input_guard takes): a cell beyond it is refused by the dry run, naming its
# column, rather than by the database at the import.
MONEY_LIMIT = Decimal(10) ** 12
INT_LIMIT = 2**31 - 1
EARLIEST, LATEST = date(1900, 1, 1), date(2099, 12, 31)
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
YES = frozenset({"是", "有", "Y", "YES", "1", "TRUE", "√", "涉及", "存在"})
NO = frozenset({"否", "无", "N", "NO", "0", "FALSE", "×", "不涉及", "不存在", ""})


class CellError(ValueError):
	pass


def _text(value) -> str:
	if value is None:
		return ""
	if isinstance(value, float) and value.is_integer():
		return str(int(value))
	return _SPACE.sub(" ", str(value)).strip()


def money(value, multiplier: int = 1) -> Decimal | None:
	if value is None or _text(value) == "":
		return None
	text = _text(value).replace(",", "").replace("，", "").replace("¥", "").replace("￥", "")
	text = text.removesuffix("万元").removesuffix("元") if multiplier == 1 else text.removesuffix("万元")
	try:
		amount = Decimal(repr(value) if isinstance(value, float) else text)
	except InvalidOperation:
		raise CellError(f"“{_text(value)}”不是金额") from None
	if not amount.is_finite():
		raise CellError(f"“{_text(value)}”不是金额")
	if abs(amount * multiplier) >= MONEY_LIMIT or abs(amount := yuan(amount * multiplier)) >= MONEY_LIMIT:
		raise CellError(f"“{_text(value)}”超出金额的范围（须小于 1 万亿元）")
	return amount


def integer(value) -> int | None:
	if value is None or _text(value) == "":
		return None
	try:
		number = Decimal(_text(value).removesuffix("日").removesuffix("天"))
	except InvalidOperation:
		raise CellError(f"“{_text(value)}”不是整数") from None
	if not number.is_finite() or number != number.to_integral_value():
		raise CellError(f"“{_text(value)}”不是整数")
	if abs(number) > INT_LIMIT:
		raise CellError(f"“{_text(value)}”超出范围")
	return int(number)


def day(value) -> date | None:
	"""A date as a sheet holds it: a date cell, an Excel serial number, or text such as
	2025-06-30, 2025/6/30, 2025.6.30, 2025年6月30日; between EARLIEST and LATEST."""
	found = _day(value)
	if found is not None and not EARLIEST <= found <= LATEST:
		raise CellError(f"“{_text(value)}”不在 {EARLIEST.year} 年至 {LATEST.year} 年之间")
	return found


def _day(value) -> date | None:
	if value is None or _text(value) == "":
		return None
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	if isinstance(value, int | float) and 20000 < value < 80000:  # 1954–2119 as Excel counts days
		return EXCEL_EPOCH + timedelta(days=int(value))
	m = _DATE.match(_text(value))
	if m:
		try:
			return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
		except ValueError:
			pass
	raise CellError(f"“{_text(value)}”不是日期（如 2025-06-30）")


def yesno(value) -> bool:
	text = _text(value).upper()
	if text in YES:
		return True
	if text in NO:
		return False
	raise CellError(f"“{_text(value)}”应填“是”或“否”")


def cell(column: Column, value, multiplier: int = 1):
	if column.kind == MONEY:
		return money(value, multiplier)
	if column.kind == INT:
		return integer(value)
	if column.kind == DATE:
		return day(value)
	if column.kind == YESNO:
		return yesno(value)
	text = _text(value)
	if column.kind == CODE:
		return uscc.normalize(text) if text else ""
	if column.kind == CHOICE and text and text not in column.choices:
		raise CellError(f"“{text}”不在可选值中：{'、'.join(column.choices)}")
	return text


# --- a row ---------------------------------------------------------------------------------


@dataclass
class Row:
	number: int  # the sheet's row number, as Excel shows it
	values: dict = field(default_factory=dict)
	problems: list[tuple[str, str]] = field(default_factory=list)  # (column header, message)

	def refuse(self, fieldname_or_header: str, message: str):
		column = BY_FIELD.get(fieldname_or_header)
		self.problems.append((column.header if column else fieldname_or_header, message))

	@property
	def ok(self) -> bool:
		return not self.problems

	def error_text(self) -> str:
		return "；".join(f"{h}：{m}" if h else m for h, m in self.problems)


def read_row(number: int, cells, headers: Headers) -> Row | None:
	"""One sheet row into values (None for an empty row); what cannot be read is a problem
	of its column."""
	row = Row(number)
	if all(_text(v) == "" for v in cells):
		return None
	for i, (column, multiplier) in headers.columns.items():
		if column.field is None:
			continue
		raw = cells[i] if i < len(cells) else None
		try:
			row.values[column.field] = cell(column, raw, multiplier)
		except CellError as e:
			row.refuse(column.header, str(e))
	for column in COLUMNS:
		if column.required and column.field in row.values and row.values[column.field] in (None, ""):
			row.refuse(column.header, "必填")
	return row


@dataclass(frozen=True)
class Unit:
	"""What a row's debtor unit is on the site."""

	name: str
	unit_type: str
	competent_unit: str | None
	suspended: bool = False


def check_row(
	row: Row,
	unit: Unit | None,
	limits: ledger.Limits,
	state_owned_codes=frozenset(),
	today: date | None = None,
) -> Row:
	"""The ledger's rules on a row read from the sheet, with the unit it names (None: not on
	the site), on ``today`` (the site's date). 单位类型 and 主管部门 are checked against the
	unit, never written."""
	v = row.values
	if not row.ok:
		return row
	if unit is None:
		row.refuse("debtor_unit", f"“{v.get('debtor_unit')}”不是系统中的欠款单位（请先由清欠办登记该单位）")
		return row
	if v.get("debtor_unit_type") and v["debtor_unit_type"] != unit.unit_type:
		row.refuse("debtor_unit_type", f"与系统中该单位的类型“{unit.unit_type}”不一致")
	if (
		v.get("competent_unit")
		and unit.competent_unit
		and v["competent_unit"]
		not in (
			unit.competent_unit,
			unit.competent_unit.removeprefix("区"),
		)
	):
		row.refuse("competent_unit", f"与系统中该单位的主管部门“{unit.competent_unit}”不一致")
	found = uscc.problem(v.get("uscc"))
	if found:
		row.refuse("uscc", found.message)
	repaid, owed = v.get("repaid_amount") or Decimal(0), v.get("arrears_amount") or Decimal(0)
	if repaid and not v.get("repaid_on"):
		row.refuse("repaid_on", "填写了已清偿金额的，须填写清偿日期")
	disputed = v.get("disputed_amount") or Decimal(0)
	if disputed and not v.get("is_disputed"):
		v["is_disputed"] = True
	if v.get("is_disputed") and not disputed:
		row.refuse("disputed_amount", "存在争议的，须填写争议金额")
	item = ledger.Item(
		debtor_type=unit.unit_type,
		debtor_suspended=unit.suspended,
		enterprise_uscc=v.get("uscc") or "",
		arrears_category=v.get("arrears_category") or "",
		arrears_amount=owed,
		disputed_amount=disputed,
		migrant_wage_amount=v.get("migrant_wage_amount") or Decimal(0),
		involves_migrant_wages=bool(v.get("involves_migrant_wages")),
		in_judicial_process=bool(v.get("in_judicial_process")),
		agreed_payment_days=v.get("agreed_payment_days"),
		due_date=v.get("due_date"),
		repayments=[ledger.Repayment(v.get("repaid_on"), repaid)] if repaid else [],
		debtor_unit_codes=frozenset(state_owned_codes),
	)
	for p in ledger.problems(item, limits, today):
		if p.fieldname == "repayments":
			message = p.message.replace("清偿记录第 1 行：", "")
			row.refuse("repaid_on" if message.startswith("清偿日期") else "repaid_amount", message)
		elif p.fieldname == "enterprise" and found:
			continue  # the credit code's own message says it
		else:
			row.refuse(p.fieldname, p.message)
	return row


def key_of(row: Row) -> str:
	"""The row's matter (one matter, one item: domain.ledger.matter_key)."""
	v = row.values
	return ledger.matter_key(
		v.get("debtor_unit"),
		v.get("enterprise"),
		v.get("contract_no"),
		v.get("arrears_amount"),
		v.get("due_date"),
	)


def mark_duplicates(rows: list[Row], first: dict[str, int] | None = None) -> int:
	"""A matter that appears twice in the file: the later rows refused, naming the first
	(``first``: the matters of the rows read so far, for a file read in chunks)."""
	first = {} if first is None else first
	count = 0
	for row in rows:
		if not row.ok:
			continue
		k = key_of(row)
		if k in first:
			row.refuse("contract_no", f"与第 {first[k]} 行是同一事项（同一欠款单位、企业和合同）")
			count += 1
		else:
			first[k] = row.number
	return count
