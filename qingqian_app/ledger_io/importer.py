"""台账导入: a district's sheet into the ledger, row by row under the ledger's own rules.

Each row is read and checked by the domain (qingqian_app.domain.ledger_import: the columns,
the cells, the ledger's rules, a matter twice in the file), then saved through the Arrears
Item controller as the importing user — so the per-state editing declaration, the unit scope
and every rule of the form hold for an import exactly as they do for the form. Rows are taken
in chunks, each in its own transaction, streaming from the file: memory stays bounded and a
chunk fits the queue's timeout. A dry run does the same and rolls every chunk back (no record
numbers are taken: names are provisional), so its preview is what the import will do.

A row matched to an existing item (the same matter: domain.ledger.matter_key) updates only
what the sheet changed, in the states the workflow lets the importing user edit; a repayment
is the difference between the sheet's 已清偿金额 and the item's. Refused rows go back to the
unit as an xlsx of the same cells with an 错误说明 column.
"""

from __future__ import annotations

import csv
import html
import resource
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from itertools import islice
from pathlib import Path

import frappe
from frappe import _
from frappe.utils import cint, cstr, flt, getdate, now_datetime, nowdate

from qingqian_app.domain import ledger
from qingqian_app.domain import ledger_import as li
from qingqian_app.ledger_io import sheets
from qingqian_app.permissions import user_scope

CHUNK = 500
PREVIEW_ROWS = 200
IMPORTED_SOURCE = "单位自查"
ENTERED = "已入账"  # the clearing office's initial load lands rows here (workflows/arrears_item.json)
CREATE, UPDATE, SAME, REFUSE = "新建", "更新", "无变化", "有误"
PENDING = "待写入"


@dataclass
class Result:
	counts: dict = field(default_factory=lambda: {CREATE: 0, UPDATE: 0, SAME: 0, REFUSE: 0})
	preview: list = field(default_factory=list)  # (row number, action, unit, enterprise, amount, message)
	refused: list = field(default_factory=list)  # (row number, cells, error text)
	header: list = field(default_factory=list)
	message: str = ""

	def note(self, row: li.Row, action: str, cells=None, name: str = ""):
		self.counts[action] += 1
		v = row.values
		if len(self.preview) < PREVIEW_ROWS:
			self.preview.append(
				(row.number, action, v.get("debtor_unit"), v.get("enterprise"), v.get("arrears_amount"),
					row.error_text() if action == REFUSE else name)
			)  # fmt: skip
		if action == REFUSE:
			self.refused.append((row.number, cells, row.error_text()))

	def merge(self, other: Result):
		for k, n in other.counts.items():
			self.counts[k] += n
		self.preview += other.preview[: max(PREVIEW_ROWS - len(self.preview), 0)]
		self.refused += other.refused

	@property
	def total(self) -> int:
		return sum(self.counts.values())


def run(
	path: str | Path,
	dry_run: bool,
	initial_load: bool = False,
	progress=None,
	label: str = "",
	commit: bool = True,
) -> Result:
	"""Import the sheet at ``path`` as the session user; ``progress(done, total)`` is called
	after each chunk, each committed (``commit=False``: left to the caller, as a test does)."""
	from qingqian_app import workflow_guard

	workflow_guard.install()  # as every request and job does (also from a bench command)
	result = Result()
	reader = sheets.rows(path)
	try:
		head = list(islice(reader, 10))
	except (sheets.SheetError, csv.Error, UnicodeError) as e:
		result.message = _("无法读取文件：{0}").format(e)
		return result
	at = li.find_header_row(head)
	if at is None:
		found = li.match_headers(head[0] if head else [])
		result.message = _("没有找到表头行（前 10 行中须有一行含全部必填列）。") + "；".join(found.problems)
		return result
	headers = li.match_headers(head[at])
	result.header = [c for c in head[at]]
	if headers.twice:
		result.message = "；".join(headers.problems)
		return result
	notes = []
	if headers.unknown:
		notes.append(_("未识别的列（未导入）：{0}").format("、".join(headers.unknown)))
	try:  # the whole file within the limits before any row is stored
		total = _count_rows(path) - at - 1
	except (sheets.SheetError, csv.Error, UnicodeError) as e:
		result.message = _("无法读取文件：{0}").format(e)
		return result
	context = Context(initial_load=initial_load, label=label)
	seen: dict[str, int] = {}
	number = at + 1  # the sheet's row number (1-based) of the header
	done = 0
	body = iter(head[at + 1 :])
	rest = reader
	while True:
		batch = list(islice(body, CHUNK)) or []
		if len(batch) < CHUNK:
			batch += list(islice(rest, CHUNK - len(batch)))
		if not batch:
			break
		rows = []
		for cells in batch:
			number += 1
			row = li.read_row(number, cells, headers)
			if row is not None:
				rows.append((row, cells))
		_chunk(rows, context, seen, result, dry_run, commit)
		done += len(batch)
		if progress:
			progress(done, max(total, done))
	if context.ignored:
		notes.append(ignored_note(context.ignored))
	result.message = "\n".join(notes)
	return result


def ignored_note(ignored: Counter) -> str:
	"""The columns left out of new items because the user may not fill them in."""
	columns = "、".join(
		_("{0}（{1} 行）").format(li.BY_FIELD[f].header if f in li.BY_FIELD else _(f), n)
		for f, n in ignored.items()
	)
	return _("以下列在新建台账时由其他角色填写，您填写的内容已忽略，其余各列照常导入：{0}").format(columns)


def _count_rows(path) -> int:
	"""Rows in the file (a second streaming pass; for the progress bar)."""
	return sum(1 for _row in sheets.rows(path))


@dataclass
class Context:
	initial_load: bool
	label: str
	limits: ledger.Limits = None
	state_owned: frozenset = frozenset()
	comments: list = field(default_factory=list)
	facts: dict = field(default_factory=dict)  # (unit, enterprise) → FACTS_COLUMNS row
	today: date = None  # the site's date (a repayment is never dated after it)
	ignored: Counter = field(default_factory=Counter)  # field → rows whose value was left out

	def __post_init__(self):
		self.today = getdate(nowdate())
		from qingqian_app.qingqian.doctype.arrears_item.arrears_item import limits

		self.limits = limits()
		self.state_owned = frozenset(
			frappe.get_all("Debtor Unit", filters={"uscc": ["is", "set"]}, pluck="uscc")
		)
		scope = user_scope()
		self.all_units = scope.all_records
		self.my_units = set(scope.debtor_units)
		self.member_unit = scope.member_unit


def _units(names) -> dict[str, li.Unit]:
	rows = frappe.get_all(
		"Debtor Unit",
		filters={"name": ["in", sorted(names) or [""]]},
		fields=["name", "unit_type", "competent_unit", "is_suspended"],
		ignore_permissions=True,
	)
	return {r.name: li.Unit(r.name, r.unit_type, r.competent_unit, bool(r.is_suspended)) for r in rows}


def _in_scope(unit: li.Unit, ctx: Context) -> bool:
	return (
		ctx.all_units
		or unit.name in ctx.my_units
		or (ctx.member_unit and unit.competent_unit == ctx.member_unit)
	)


def _chunk(rows, ctx: Context, seen: dict, result: Result, dry_run: bool, commit: bool):
	"""One segment, all or nothing: its rows stored (or refused, each with its reason), or, when
	the segment itself cannot be written, none of it, every row back in the error sheet."""
	frappe.db.savepoint("ledger_import_chunk")
	part, seen_before = Result(), dict(seen)
	try:
		_chunk_rows(rows, ctx, seen, part, dry_run)
		_write_log(ctx)
	except Exception:
		_undo_chunk()
		ctx.comments.clear()
		ctx.facts.clear()  # what was read inside the segment is gone with it
		seen.clear()
		seen.update(seen_before)
		frappe.local.message_log = []
		log = frappe.log_error(title=_("台账导入：一段未能写入"))
		numbers = [row.number for row, _c in rows]
		text = _("本段（第 {0}–{1} 行）写入时出错，整段未导入，请稍后重新导入这些行（错误日志 {2}）").format(
			min(numbers), max(numbers), log.name
		)
		for row, cells in rows:
			row.problems.append(("", text))
			result.note(row, REFUSE, cells)
		if commit and not dry_run:
			frappe.db.commit()  # the error log
		return
	result.merge(part)
	if dry_run:
		frappe.db.rollback(save_point="ledger_import_chunk")
	elif commit:
		frappe.db.commit()


def _undo_chunk():
	try:
		frappe.db.rollback(save_point="ledger_import_chunk")
	except Exception:  # the database ended the transaction itself (a deadlock)
		frappe.db.rollback()


# a row the database refuses for its values (MariaDB's error codes): the row is refused, the
# segment goes on; any other error of the database (a deadlock, a lost connection) ends it
CANNOT_STORE = "此行的值无法保存，未导入；请核对各列的格式后重新导入"
ROW_ERRORS = {
	1264: "超出范围",
	1265: "超出范围",
	1292: "不是有效的值",
	1366: "不是有效的值",
	1406: "内容过长",
}


def _row_error(e) -> str | None:
	"""The Chinese reason for an error raised while storing one row, naming its column; None
	for an error of the segment (which _chunk turns into the segment's refusal)."""
	import re

	import pymysql

	if isinstance(e, pymysql.err.MySQLError):
		code = e.args[0] if e.args else None
		if code not in ROW_ERRORS:
			return None
		m = re.search(r"column [`']?(\w+)", cstr(e.args[1] if len(e.args) > 1 else ""))
		column = li.BY_FIELD.get(m.group(1)) if m else None
		name = column.header if column else (m.group(1) if m else "")
		return f"{name}：{ROW_ERRORS[code]}" if name else ROW_ERRORS[code]
	if isinstance(e, ValueError | ArithmeticError | TypeError):  # a value the rules could not take
		return CANNOT_STORE
	return None


def _chunk_rows(rows, ctx: Context, seen: dict, result: Result, dry_run: bool):
	units = _units({r.values.get("debtor_unit") for r, _c in rows if r.values.get("debtor_unit")})
	for row, _cells in rows:
		unit = units.get(row.values.get("debtor_unit"))
		li.check_row(row, unit, ctx.limits, ctx.state_owned, ctx.today)
		if row.ok and not _in_scope(unit, ctx):
			row.refuse("debtor_unit", _("不在您的单位范围内：只能导入本单位（或主管范围内单位）的台账"))
	codes = {r.values["uscc"] for r, _c in rows if r.ok and r.values.get("uscc")}
	enterprises = dict(
		frappe.get_all(
			"Enterprise",
			filters={"uscc": ["in", sorted(codes) or [""]]},
			fields=["uscc", "name"],
			as_list=True,
		)
	)
	for r, _c in rows:  # the matter by the enterprise its credit code names on the site
		if r.ok and r.values.get("uscc") in enterprises:
			r.values["enterprise"] = enterprises[r.values["uscc"]]
	li.mark_duplicates([r for r, _c in rows], seen)
	keys = {li.key_of(r): r for r, _c in rows if r.ok}
	existing = {
		x.matter_key: x.name
		for x in frappe.get_all("Arrears Item", filters={"matter_key": ["in", list(keys) or [""]]}, fields=["name", "matter_key"], ignore_permissions=True)
	}  # fmt: skip
	pending = []  # new items of this chunk, written at once (_insert)
	for row, cells in rows:
		if not row.ok:
			result.note(row, REFUSE, cells)
			continue
		frappe.db.savepoint("ledger_import_row")
		known = set(enterprises)
		try:
			action, name = _save(row, ctx, enterprises, existing.get(li.key_of(row)), dry_run)
		except Exception as e:
			if isinstance(e, frappe.ValidationError | frappe.PermissionError | frappe.DuplicateEntryError):
				reason = _plain(e)
			else:
				reason = _row_error(e)
				if reason is None:
					raise  # not the row's: the segment's (_chunk)
			frappe.db.rollback(save_point="ledger_import_row")
			if reason == CANNOT_STORE:  # a value the rules could not take: for the developers
				frappe.log_error(title=_("台账导入：第 {0} 行未能写入").format(row.number), defer_insert=True)
			gone = {enterprises.pop(code) for code in set(enterprises) - known}  # made for this row
			ctx.facts = {k: f for k, f in ctx.facts.items() if k[1] not in gone}
			frappe.clear_last_message()
			row.refuse("", reason)
			result.note(row, REFUSE, cells)
			continue
		if action == PENDING:
			pending.append((row, cells, name))
		else:
			result.note(row, action, cells, "" if dry_run and action == CREATE else name)
	try:
		for row, cells, name in _insert(pending, ctx, dry_run):
			result.note(row, CREATE, cells, name)
	except Retry:
		for row, cells, _values in pending:
			result.note(row, REFUSE, cells)
	frappe.local.message_log = []


def _plain(e) -> str:
	text = cstr(e) or e.__class__.__name__
	return html.unescape(frappe.utils.strip_html(text.replace("<br>", "；"))).strip()  # a sheet: text


def _enterprise(row: li.Row, enterprises: dict) -> str:
	"""The enterprise of the row's credit code, registered when new (its code is valid: checked)."""
	v = row.values
	code = v["uscc"]
	if code in enterprises:
		return enterprises[code]
	if frappe.db.exists("Enterprise", v["enterprise"]):
		raise frappe.ValidationError(
			_("民营企业名称：系统中已有“{0}”，统一社会信用代码不同（{1}）").format(v["enterprise"], code)
		)
	doc = frappe.get_doc(
		{"doctype": "Enterprise", "enterprise_name": v["enterprise"], "uscc": code, "enterprise_scale": v.get("enterprise_scale") or None}
	)  # fmt: skip
	doc.insert(ignore_permissions=True)  # any unit may register a creditor it owes (the ledger's rule)
	enterprises[code] = doc.name
	return doc.name


def _values(row: li.Row) -> dict:
	v = row.values
	out = {f: v.get(f) for f in li.ITEM_FIELDS if f in v}
	for f in ("involves_migrant_wages", "in_judicial_process"):
		if f in out:
			out[f] = int(bool(out[f]))
	return {k: val for k, val in out.items() if val not in (None, "") or k in v}


def _save(
	row: li.Row, ctx: Context, enterprises: dict, existing: str | None, dry_run: bool
) -> tuple[str, object]:
	v = row.values
	enterprise = _enterprise(row, enterprises)
	values = {**_values(row), "enterprise": enterprise}
	repaid = v.get("repaid_amount")  # None: the sheet says nothing of repayments
	if existing:
		return _update(existing, values, repaid, v.get("repaid_on"), ctx)
	values = {"source": IMPORTED_SOURCE, **{k: x for k, x in values.items() if x not in (None, "")}}
	if repaid:
		values["repayments"] = [
			{"payment_date": v["repaid_on"], "amount": repaid, "payment_method": "银行转账"}
		]
	if not ctx.initial_load:
		return PENDING, _checked_new(values, ctx)
	_as_saved(values, frappe.get_meta(ITEM))  # the office head's load: the same checks, its columns named
	doc = frappe.get_doc({"doctype": "Arrears Item", **values})
	if ctx.initial_load:
		doc.flags.ignore_permissions = True  # the office head's load: 责任单位 and 争议 as the sheet has them
	doc.flags.qingqian_import = ctx.label
	doc.insert(set_name=f"DRY-{row.number}" if dry_run else None)
	if ctx.initial_load:
		# straight into the ledger (no 报送 and 审核: the office loads the district's existing 台账),
		# then saved again so that what follows from the state (counted, the tallies) is computed
		frappe.db.set_value("Arrears Item", doc.name, "workflow_state", ENTERED, update_modified=False)
		doc = frappe.get_doc("Arrears Item", doc.name)
		doc.flags.ignore_permissions = True
		doc.save()
	_log(doc.name, ctx, row.number, _("导入新建"))
	return CREATE, doc.name


# --- new items, a chunk at once ---------------------------------------------------------------
# A new item lands in the first state, owned by the importing user, through the same reading of
# its facts, the same rules and the same stored figures as the form's save (the Arrears Item
# controller's item_facts, ledger.problems, ledger.figures, stored, matter_key), and only with
# the fields the workflow declaration lets the user fill in at that state (the guard's rule);
# then the chunk's items and repayments are written in two statements and numbered in one.

ITEM, REPAYMENT = "Arrears Item", "Arrears Repayment"


class Retry(Exception):
	"""The chunk's new items met a concurrent registration: refused, to be imported again."""


def _facts_row(values: dict, ctx: Context):
	"""What the item's facts read of its unit and enterprise: once per pair in an import."""
	from qingqian_app.qingqian.doctype.arrears_item.arrears_item import read_facts

	pair = (values["debtor_unit"], values["enterprise"])
	if pair not in ctx.facts:
		ctx.facts[pair] = read_facts(*pair)
	return ctx.facts[pair]


def _checked_new(values: dict, ctx: Context) -> dict:
	"""The new item's stored values, or a refusal in the form's words."""
	from qingqian_app import input_guard, workflow_guard
	from qingqian_app.qingqian.doctype.arrears_item.arrears_item import item_facts, linked_values, stored

	meta = frappe.get_meta(ITEM)
	if frappe.session.user != "Administrator":
		if not frappe.has_permission(ITEM, "create"):
			raise frappe.PermissionError(_("您不能登记欠款台账"))
		rules = workflow_guard.rules_for(ITEM)
		allowed = rules.editable(rules.initial_state, frozenset(frappe.get_roles()))
		# a column the user may not fill in a new item (责任单位: the office's, at 转办) is left out
		# of the row, said once for the import (run), never the row refused for it
		for k in [k for k in values if k not in allowed and k != "source"]:
			if values.pop(k) not in (None, ""):
				ctx.ignored[k] += 1
	values.update(_as_saved(values, meta))
	facts_row = _facts_row(values, ctx)
	values.update(linked_values(values, facts_row))
	facts = item_facts(values, facts_row)
	found = ledger.problems(facts, ctx.limits, ctx.today)
	if found:
		raise frappe.ValidationError(
			"<br>".join(f"{_(meta.get_label(p.fieldname))}：{p.message}" for p in found)
		)
	values.update(stored(ledger.figures(facts, ctx.limits, ctx.today)))
	values["matter_key"] = ledger.matter_key(
		values["debtor_unit"], values["enterprise"], values.get("contract_no"), values["arrears_amount"],
		values.get("due_date"),
	)  # fmt: skip
	values["responsible_person_title"] = values.get("responsible_person_title") or facts_row.principal_title
	# what the rules computed (an interest beyond its column) is checked as what was typed
	found = input_guard.problems(meta, {k: x for k, x in values.items() if k != "repayments"})
	if found:
		raise frappe.ValidationError("；".join(_column(f, m) for f, m in found))
	return values


def _as_saved(values: dict, meta) -> dict:
	"""The typed values as Frappe's save keeps them: HTML sanitised; a value the database could
	not store (too long, out of range, not a date, not an option, a link to nothing) refused,
	naming its column — in the dry run as at the import (qingqian_app.input_guard)."""
	from qingqian_app import input_guard

	probe = frappe.new_doc(ITEM)
	probe.update({k: x for k, x in values.items() if k != "repayments"})
	probe._sanitize_content()
	saved = {k: probe.get(k) for k in values if k != "repayments"}
	# the unit and the enterprise: looked up for the whole segment (_chunk_rows, _enterprise)
	found = input_guard.problems(meta, saved, links=True, resolved={"debtor_unit", "enterprise"})
	repayment = frappe.get_meta(REPAYMENT)
	for r in values.get("repayments") or []:
		found += input_guard.problems(repayment, r)
	if found:
		raise frappe.ValidationError("；".join(_column(f, m) for f, m in found))
	return saved


def _column(fieldname: str, message: str) -> str:
	"""A problem of a field in the words of the sheet: its column's header."""
	column = li.BY_FIELD.get(
		{"payment_date": "repaid_on", "amount": "repaid_amount"}.get(fieldname, fieldname)
	)
	if column is None:
		return message
	return f"{column.header}：{message.split('：', 1)[-1]}"


def _insert(pending: list, ctx: Context, dry_run: bool) -> list:
	"""Write the chunk's new items (nothing in a dry run): numbered in one step, inserted in
	two statements."""
	from qingqian_app.numbering import next_names

	if not pending:
		return []
	if dry_run:
		return [(row, cells, "") for row, cells, _values in pending]
	frappe.db.savepoint("ledger_import_insert")  # before the numbers: a rollback gives them back
	names = next_names(ITEM, len(pending))
	now, user = now_datetime(), frappe.session.user
	base = {"creation": now, "modified": now, "owner": user, "modified_by": user, "docstatus": 0}
	items, payments = [], []
	for name, (_row, _cells, values) in zip(names, pending, strict=True):
		for i, r in enumerate(values.pop("repayments", []), 1):
			payments.append({**base, **r, "name": frappe.generate_hash(length=10), "parent": name,
				"parenttype": ITEM, "parentfield": "repayments", "idx": i})  # fmt: skip
		items.append({**base, **values, "name": name, "workflow_state": ledger.SUBMITTED, "idx": 0})
	try:
		_bulk(ITEM, items)
		_bulk(REPAYMENT, payments)
	except Exception as e:
		if not frappe.db.is_unique_key_violation(e):
			raise
		# another user registered one of these matters meanwhile (the unique matter key)
		frappe.db.rollback(save_point="ledger_import_insert")
		for row, _cells, _values in pending:
			row.refuse(
				"contract_no", _("本段导入时有人同时登记了相同事项，请重新导入此文件（已登记的会按原样对应）")
			)
		raise Retry(pending) from None
	out = []
	for name, (row, cells, _values) in zip(names, pending, strict=True):
		_log(name, ctx, row.number, _("导入新建"))
		out.append((row, cells, name))
	return out


NUMBERS = frozenset({"Int", "Float", "Currency", "Percent", "Check"})


def _bulk(doctype: str, rows: list[dict]):
	"""One statement for the rows; a column a row leaves empty gets what Frappe stores for it
	(0 for numbers, which are NOT NULL)."""
	if not rows:
		return
	meta = frappe.get_meta(doctype)
	fields = sorted({k for r in rows for k in r})
	empty = {f: 0 if (meta.get_field(f) and meta.get_field(f).fieldtype in NUMBERS) else None for f in fields}
	frappe.db.bulk_insert(
		doctype,
		fields,
		[tuple(r.get(f, empty[f]) if r.get(f) is not None else empty[f] for f in fields) for r in rows],
	)


def _same(a, b) -> bool:
	if isinstance(a, Decimal | float | int) or isinstance(b, Decimal | float | int):
		return flt(a, 2) == flt(b, 2)
	if isinstance(a, date) or isinstance(b, date):
		return (getdate(a) if a else None) == (getdate(b) if b else None)
	return cstr(a).strip() == cstr(b).strip()


def _update(name: str, values: dict, repaid: Decimal, repaid_on, ctx: Context) -> tuple[str, str]:
	doc = frappe.get_doc("Arrears Item", name)
	values = _as_saved(values, doc.meta)
	# an empty cell leaves the item's value as it is (the server fills some: 责任人职务)
	changes = {
		k: x
		for k, x in values.items()
		if x not in (None, "") and k in doc.as_dict() and not _same(doc.get(k), x)
	}
	more = Decimal(0) if repaid is None else Decimal(str(repaid)) - Decimal(str(doc.repaid_amount or 0))
	if more < 0:
		raise frappe.ValidationError(
			_("已清偿金额：{0} 元少于系统中已记录的清偿 {1} 元，清偿记录只增不减").format(
				repaid, doc.repaid_amount
			)
		)
	if not changes and not more:
		return SAME, name
	doc.update(changes)
	if more:
		doc.append(
			"repayments",
			{"payment_date": repaid_on or getdate(), "amount": more, "payment_method": "银行转账"},
		)
	doc.flags.qingqian_import = ctx.label
	doc.save()
	_log(
		name,
		ctx,
		None,
		_("导入更新：{0}").format("、".join(_(doc.meta.get_label(k)) for k in changes) or _("清偿记录")),
	)
	return UPDATE, name


def _log(name: str, ctx: Context, number, what: str):
	"""The item's timeline shows the import (its version history the changes): one Info
	comment per item, written for the chunk at once."""
	where = _("，第 {0} 行").format(number) if number else ""
	load = _("，清欠办初始导入，直接入账") if ctx.initial_load else ""
	ctx.comments.append((name, f"{what}（{ctx.label}{where}{load}）"))


def _write_log(ctx: Context):
	if not ctx.comments:
		return
	now, user = now_datetime(), frappe.session.user
	frappe.db.bulk_insert(
		"Comment",
		["name", "creation", "modified", "owner", "modified_by", "comment_type", "reference_doctype",
			"reference_name", "content", "comment_email"],
		[(frappe.generate_hash(length=10), now, now, user, user, "Info", "Arrears Item", name, content, user)
			for name, content in ctx.comments],
	)  # fmt: skip
	ctx.comments.clear()


def peak_memory_mb() -> float:
	return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def clock():
	return time.perf_counter()
