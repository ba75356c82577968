"""What the database will store, checked before it is asked to: a value of the wrong type or
size in one of the app's DocTypes is refused with a Chinese message naming the field (HTTP
417), never left to MariaDB (a DataError: HTTP 500) or turned silently into 0.

Frappe checks Select options, the length of Data and Link values and whether a link exists
(in English); it turns text in a number field into 0 (``flt``/``cint`` at save), passes a
number too large for its column, a date that is no date and a text too long for a TEXT column
to the database. doc_events "*" before_validate (hooks.py) checks every field of a record of
the app's modules and of its child rows; the ledger import checks its rows with the same
``problems`` before its dry run says they can be stored (ledger_io/importer.py).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from pathlib import Path

import frappe
from frappe import _
from frappe.utils import cstr, getdate, nowdate

from qingqian_app.domain import dates

NUMBERS = frozenset({"Currency", "Float", "Percent"})
INTEGERS = {"Int": 2**31 - 1, "Long Int": 2**63 - 1}
# decimal(21,9): 12 digits before the point
NUMBER_LIMIT = Decimal(10) ** 12
TEXTS = {"Small Text": 65535, "Text": 65535, "Attach": 65535, "Attach Image": 65535}  # bytes (TEXT)
VARCHARS = frozenset(
	{"Data", "Link", "Dynamic Link", "Select", "Read Only", "Color", "Phone", "Autocomplete"}
)
EARLIEST, LATEST = date(1900, 1, 1), date(2099, 12, 31)
_INTEGER = re.compile(r"^[+-]?\d+$")
_MARKUP = re.compile(r"[<>\"'`]")


def _number(value) -> Decimal:
	if isinstance(value, bool):
		return Decimal(int(value))
	if isinstance(value, int | Decimal):
		return Decimal(value)
	if isinstance(value, float):
		return Decimal(repr(value))
	if isinstance(value, str):
		return Decimal(value.strip().replace(",", ""))
	raise InvalidOperation


def _day(value) -> date:
	if isinstance(value, datetime):
		return value.date()
	if isinstance(value, date):
		return value
	if not isinstance(value, str):
		raise ValueError
	text = value.strip()
	try:
		return datetime.fromisoformat(text).date()  # 2025-06-30, 2025-06-30 10:00:00(.000000)
	except ValueError:
		pass
	# the system's date format (dd-mm-yyyy …), as the desk may send it; never frappe's getdate,
	# which adds its own English-formatted message to the response before raising
	form = frappe.utils.get_user_date_format() or "yyyy-mm-dd"
	form = form.replace("yyyy", "%Y").replace("dd", "%d").replace("mm", "%m")
	return datetime.strptime(text.split(" ")[0], form).date()


def markup_problem(file_name) -> str | None:
	"""A file's name the desk would show as HTML (its Attach control, the form's attachments)."""
	if _MARKUP.search(cstr(file_name)):
		return _("文件名不能含有 < > \" ' 等字符，请改名后重新上传")
	return None


def value_problem(df, value, varchar_len: int = 140, lengths: bool = True) -> str | None:
	"""Why ``value`` cannot be stored in the field ``df`` (None: it can); ``lengths=False``: not
	its length yet (before the controller has normalised it: a credit code typed with spaces)."""
	if value is None or value == "":
		return None
	kind = df.fieldtype
	if kind in NUMBERS or kind in INTEGERS:
		what = _("“{0}”不是整数") if kind in INTEGERS else _("“{0}”不是数字")
		try:
			number = _number(value)
		except (InvalidOperation, ValueError):
			return what.format(cstr(value)[:50])
		if not number.is_finite():
			return _("“{0}”不是数字").format(cstr(value)[:50])
		if kind in INTEGERS:
			if (
				isinstance(value, str) and not _INTEGER.match(value.strip())
			) or number != number.to_integral_value():
				return _("“{0}”不是整数").format(cstr(value)[:50])
			if abs(number) > INTEGERS[kind]:
				return _("{0} 超出允许的范围").format(cstr(value)[:50])
		elif abs(number) >= NUMBER_LIMIT:
			return _("{0} 超出允许的范围（绝对值须小于 1 万亿）").format(cstr(value)[:50])
		return None
	if kind in ("Date", "Datetime"):
		try:
			day = _day(value)
		except Exception:
			return _("“{0}”不是日期（如 2025-06-30）").format(cstr(value)[:50])
		if not EARLIEST <= day <= LATEST:
			return _("日期 {0} 不在 {1} 至 {2} 之间").format(day, EARLIEST, LATEST)
		return None
	if kind == "Check":
		if isinstance(value, str) and value.strip() not in ("0", "1"):
			return _("只能是 0 或 1")
		return None
	if not isinstance(value, str | int | float | Decimal | date | datetime):
		return _("应为文字，不能是 {0}").format(type(value).__name__)
	if kind == "Select" and df.options:
		options = df.options.split("\n")
		if any(options) and cstr(value).strip() not in options:
			return _("“{0}”不是可选值（可选：{1}）").format(
				cstr(value)[:50], "、".join(_(o) for o in options if o)
			)
	if kind in ("Attach", "Attach Image"):
		# Frappe's Attach control shows the file's name as HTML (the desk form)
		return markup_problem(value)
	if not lengths:
		return None
	if kind in VARCHARS:
		limit = int(df.get("length") or 0) or varchar_len
		if len(cstr(value)) > limit:
			return _("不能超过 {0} 个字（现有 {1} 个）").format(limit, len(cstr(value)))
	elif kind in TEXTS and len(cstr(value).encode("utf-8")) > TEXTS[kind]:
		return _("内容过长（不能超过 {0} 字节，约 {1} 个汉字）").format(TEXTS[kind], TEXTS[kind] // 3)
	return None


def problems(
	meta, values: dict, links=False, resolved=frozenset(), lengths: bool = True
) -> list[tuple[str, str]]:
	"""(fieldname, message naming the field) for each value of ``values`` that ``meta``'s
	fields cannot store, or a typed date that is implausible (domain/dates.py); ``links``: also a Link to a record that does not exist (but for the
	fields in ``resolved``, which the caller has looked up itself)."""
	from frappe.model import table_fields

	out, today = [], None
	varchar_len = frappe.db.VARCHAR_LEN
	for fieldname, value in values.items():
		df = meta.get_field(fieldname)
		if df is None or df.fieldtype in table_fields:
			continue
		found = value_problem(df, value, varchar_len, lengths)
		if not found and df.fieldtype in ("Date", "Datetime") and value and not df.read_only:
			today = today or getdate(nowdate())  # once per record, not per date field
			found = dates.problem(fieldname, _day(value), today)
		if (
			not found
			and links
			and df.fieldtype == "Link"
			and fieldname not in resolved
			and value
			and not frappe.db.exists(df.options, value, cache=True)
		):
			found = _("系统中没有“{0}”").format(cstr(value)[:50])
		if found:
			out.append((fieldname, f"{_(df.label or fieldname)}：{found}"))
	return out


MODULES = frozenset(
	line.strip()
	for line in (Path(__file__).parent / "modules.txt").read_text(encoding="utf-8").splitlines()
	if line.strip()
)


def _ours(meta) -> bool:
	return meta.module in MODULES


def before_validate(doc, method=None, lengths=False):
	"""doc_events "*" before_validate: a record of the app's DocTypes and its child rows (their
	lengths once the controller has normalised them: before_save). On a save of a stored record
	only what differs from the stored one is checked: the rest came from the database, which
	held it (a record's progress notes grow to hundreds of rows, each saved once)."""
	if not _ours(doc.meta):
		return
	from frappe.model import table_fields

	stored = None if doc.is_new() else doc.get_doc_before_save()
	found = problems(doc.meta, changed(doc, stored, doc.meta), lengths=lengths)
	for df in doc.meta.fields:
		if df.fieldtype not in table_fields:
			continue
		child = frappe.get_meta(df.options)
		stored_rows = {r.name: r for r in stored.get(df.fieldname) or []} if stored else {}
		for row in doc.get(df.fieldname) or []:
			values = changed(row, stored_rows.get(row.name), child)
			for _f, message in problems(child, values, lengths=lengths):
				found.append(("", _("{0}第 {1} 行 {2}").format(_(df.label), row.idx, message)))
	if found:
		frappe.throw(
			"<br>".join(frappe.utils.escape_html(m) for _f, m in found),
			frappe.ValidationError,
			title=_("填写有误"),
		)


def changed(doc, stored, meta) -> dict:
	"""``doc``'s values (a record or a child row) that are not the same as ``stored``'s (all of
	them for a new one). A value given as text equal to what is stored (a date, a number the
	form sends back) counts as changed and is checked: never the other way round."""
	values = {df.fieldname: doc.get(df.fieldname) for df in meta.fields}
	if stored is None:
		return values
	return {f: v for f, v in values.items() if v != stored.get(f)}


def before_save(doc, method=None):
	"""doc_events "*" before_save: what the controller computed and normalised, lengths too."""
	before_validate(doc, method, lengths=True)


# --- a record's shape, before Frappe builds it -----------------------------------------------
# A child table given as anything but a list of rows (a string, a list of numbers) makes Frappe's
# Document raise ValueError while it is being built from the request — before any hook — and the
# answer is HTTP 500. The entry points that build a record from a request's JSON are checked in
# before_request (hooks.py), for the app's DocTypes.

RESOURCE = ("/api/resource/", "/api/v2/document/")
DOC_METHODS = {
	"frappe.client.insert": "doc",
	"frappe.client.save": "doc",
	"frappe.client.insert_many": "docs",
	"frappe.desk.form.save.savedocs": "doc",
}


def _json(value):
	import json

	if isinstance(value, str):
		try:
			return json.loads(value)
		except ValueError:
			frappe.throw(_("提交的内容不是有效的 JSON"), frappe.ValidationError, title=_("填写有误"))
	return value


def shape_problems(doctype: str, data) -> list[str]:
	"""What in ``data`` (a record of ``doctype`` as a request gives it) Frappe cannot build: a
	child table that is not a list of rows, a row that is not an object."""
	from frappe.model import table_fields

	if not isinstance(data, dict):
		return [_("{0}：应为一个对象（JSON object）").format(_(doctype))]
	try:
		meta = frappe.get_meta(doctype)
	except frappe.DoesNotExistError:
		return []
	if not _ours(meta):
		return []
	out = []
	for df in meta.fields:
		if df.fieldtype not in table_fields or data.get(df.fieldname) in (None, ""):
			continue
		rows = data[df.fieldname]
		if not isinstance(rows, list):
			out.append(_("{0}：应为行的列表，不能是 {1}").format(_(df.label), type(rows).__name__))
			continue
		for i, row in enumerate(rows, 1):
			if not isinstance(row, dict):
				out.append(
					_("{0}第 {1} 行：应为一行（JSON object），不能是 {2}").format(
						_(df.label), i, type(row).__name__
					)
				)
	return out


def before_request():
	"""hooks.py before_request: the records a write request would build, by their shape."""
	from urllib.parse import unquote

	request = getattr(frappe.local, "request", None)
	if request is None or request.method not in ("POST", "PUT", "PATCH"):
		return
	path, form = request.path, frappe.local.form_dict
	found = []
	prefix = next((p for p in RESOURCE if path.startswith(p)), None)
	if prefix:
		doctype = unquote(path[len(prefix) :].split("/")[0])
		data = _json(form.get("data")) if form.get("data") is not None else form
		found = shape_problems(doctype, data)
	elif path.startswith("/api/method/"):
		method = path[len("/api/method/") :].strip("/")
		key = DOC_METHODS.get(method) or DOC_METHODS.get(form.get("cmd"))
		if key and form.get(key) is not None:
			docs = _json(form.get(key))
			for doc in docs if key == "docs" and isinstance(docs, list) else [docs]:
				doctype = doc.get("doctype") if isinstance(doc, dict) else None
				found += shape_problems(doctype, doc) if doctype else []
	if found:
		frappe.throw(
			"<br>".join(frappe.utils.escape_html(m) for m in found),
			frappe.ValidationError,
			title=_("填写有误"),
		)
