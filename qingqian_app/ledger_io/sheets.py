"""Reading and writing the 台账 sheet (its columns: qingqian_app.domain.ledger_import).

Read streaming, whatever the size: xlsx through openpyxl's read-only mode, CSV line by line
in the encoding found by a first pass (UTF-8, else GB18030), xls through xlrd (an xls holds
65,536 rows at most). Written streaming (openpyxl's write-only mode): the template with its
choice lists as data validation, an export of the ledger, and a refused file returned with an
错误说明 column. A cell that Excel would run as a formula is written as text.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator
from pathlib import Path

from qingqian_app.domain import ledger_import as li

READABLE = (".xlsx", ".xlsm", ".xls", ".csv")
FORMULA_START = ("=", "+", "-", "@")


class SheetError(ValueError):
	pass


def rows(path: str | Path) -> Iterator[list]:
	"""The first sheet's rows as lists of cell values (trailing empty cells dropped), within
	the limits of ledger_import.LIMITS: refused (SheetError) before the reader opens the file,
	or at the first row past them."""
	path = Path(path)
	suffix = path.suffix.lower()
	if suffix in (".xlsx", ".xlsm"):
		reader = _xlsx
	elif suffix == ".xls":
		reader = _xls
	elif suffix == ".csv":
		reader = _csv
	else:
		raise SheetError(f"不支持的文件类型“{suffix or path.name}”：请上传 xlsx、xls 或 CSV")
	too_big = li.file_size_problem(path.stat().st_size, xls=reader is _xls)
	if too_big:
		raise SheetError(too_big)
	for number, row in enumerate(reader(path), 1):
		while row and row[-1] is None:
			row.pop()
		shape = li.shape_problem(number, len(row))
		if shape:
			raise SheetError(shape)
		yield row


def check_archive(path: Path):
	"""An xlsx's zip directory against the limits, before openpyxl reads any of it."""
	import zipfile

	try:
		with zipfile.ZipFile(path) as z:
			members = [(i.filename, i.compress_size, i.file_size) for i in z.infolist()]
	except (zipfile.BadZipFile, OSError) as e:
		raise SheetError(f"无法读取 Excel 文件：{e}") from None
	found = li.archive_problem(members)
	if found:
		raise SheetError(found)


def _xlsx(path: Path) -> Iterator[list]:
	import openpyxl

	check_archive(path)
	try:
		wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
	except Exception as e:  # a damaged or mislabelled file
		raise SheetError(f"无法读取 Excel 文件：{e}") from None
	try:
		ws = wb.worksheets[0]
		# the rows as the sheet holds them, not padded to the size it declares (a sheet that
		# says A1:XFD1048576 would give a million rows of 16,384 cells)
		ws.reset_dimensions()
		for row in ws.iter_rows(values_only=True):
			yield list(row)
	finally:
		wb.close()


def _xls(path: Path) -> Iterator[list]:
	import xlrd

	try:
		book = xlrd.open_workbook(path, on_demand=True)
	except Exception as e:
		raise SheetError(f"无法读取 xls 文件：{e}") from None
	sheet = book.sheet_by_index(0)
	shape = li.shape_problem(sheet.nrows, 0) or li.shape_problem(1, sheet.ncols)
	if shape:
		book.release_resources()
		raise SheetError(shape)
	for i in range(sheet.nrows):
		out = []
		for c in sheet.row(i):
			if c.ctype == xlrd.XL_CELL_DATE:
				out.append(xlrd.xldate_as_datetime(c.value, book.datemode))
			elif c.ctype == xlrd.XL_CELL_EMPTY:
				out.append(None)
			else:
				out.append(c.value)
		yield out
	book.release_resources()


def csv_encoding(path: Path) -> str:
	"""UTF-8 (BOM or not) if the whole file decodes as UTF-8, else GB18030: one pass in
	chunks, nothing kept."""
	decoder = codecs.getincrementaldecoder("utf-8")()
	with path.open("rb") as f:
		try:
			while chunk := f.read(1 << 20):
				decoder.decode(chunk)
			decoder.decode(b"", final=True)
		except UnicodeDecodeError:
			return "gb18030"
	return "utf-8-sig"


def _csv(path: Path) -> Iterator[list]:
	with path.open(encoding=csv_encoding(path), newline="") as f:
		reader = csv.reader(f)  # a cell longer than csv.field_size_limit() (128 KB) is refused
		try:
			for row in reader:
				yield [v if v != "" else None for v in row]
		except (csv.Error, UnicodeError):
			raise SheetError(
				f"CSV 第 {reader.line_num} 行无法读取：单元格内容过长、引号不成对或编码有误"
			) from None


# --- writing -------------------------------------------------------------------------------


def _text_cell(ws, value):
	"""A cell whose text starts like a formula, written as text."""
	from openpyxl.cell import WriteOnlyCell

	cell = WriteOnlyCell(ws, value=value)
	cell.data_type = "s"
	return cell


def _cells(ws, values):
	return [_text_cell(ws, v) if isinstance(v, str) and v.startswith(FORMULA_START) else v for v in values]


def content(header: list[str], body: Iterable[list], notes: list[list] | None = None) -> bytes:
	"""The workbook as bytes (a download or an attachment): no file on disk."""
	buf = io.BytesIO()
	write(buf, header, body, notes=notes)
	return buf.getvalue()


def write(path, header: list[str], body: Iterable[list], validations: bool = True, notes=None):
	"""A workbook at ``path`` (or into a file object): the header row, then ``body``'s rows,
	streaming; ``notes``: a second sheet 填写说明 (li.NOTES_HEADER and its rows)."""
	import openpyxl
	from openpyxl.styles import Font, PatternFill
	from openpyxl.utils import get_column_letter
	from openpyxl.worksheet.datavalidation import DataValidation

	wb = openpyxl.Workbook(write_only=True)
	ws = wb.create_sheet("台账")
	ws.freeze_panes = "A2"
	for i, name in enumerate(header, 1):
		ws.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(name) * 2 + 4))
	if validations:
		for i, name in enumerate(header, 1):
			column = next((c for c in li.COLUMNS if c.header == name), None)
			choices = (
				column.choices
				if column and column.kind == li.CHOICE
				else ("是", "否")
				if column and column.kind == li.YESNO
				else ()
			)
			if choices:
				dv = DataValidation(type="list", formula1=f'"{",".join(choices)}"', allow_blank=True)
				dv.error, dv.errorTitle = f"请选择：{'、'.join(choices)}", name
				dv.add(f"{get_column_letter(i)}2:{get_column_letter(i)}1048576")
				ws.data_validations.append(dv)

	bold, fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
	ws.append([_bold(ws, name, bold, fill) for name in header])
	for values in body:
		ws.append(_cells(ws, values))
	if notes:
		guide = wb.create_sheet("填写说明")
		for letter, width in zip("ABCD", (22, 6, 36, 70), strict=True):
			guide.column_dimensions[letter].width = width
		guide.append([_bold(guide, h, bold, fill) for h in li.NOTES_HEADER])
		for row in notes:
			guide.append(row)
	wb.save(path)


def _bold(ws, value, font, fill):
	from openpyxl.cell import WriteOnlyCell

	cell = WriteOnlyCell(ws, value=value)
	cell.font, cell.fill = font, fill
	return cell
