"""What a user may not read, they cannot count, filter, sort or group by either.

Frappe v15 applies record permissions (``permission_query_conditions``, hooks.py) and
field levels (permlevel) to the *fields* a list returns, but not to its *filters*: a
desk user could find another record's permlevel-1 phone number by filtering on it, and
``frappe.client.get_count`` counts with no permission check at all (``frappe.db.count``),
so any user could learn another unit's exact amounts by counting. Here:

- every list query built by Frappe (``DatabaseQuery``: ``frappe.get_list``, ``/api/resource``,
  ``/api/v2``, ``frappe.client.get_list``/``get_value``, report view, sidebar and group-by
  counts, link search) is refused when its filters, sort or grouping name a field of any of
  its tables that the user may not read (:func:`install` wraps ``prepare_args``: Frappe has
  no hook there; hooks.py calls it before every request and job);
- ``frappe.client.get_count`` and the list's "assigned to" counts, which bypass
  ``DatabaseQuery``, are replaced (hooks.py ``override_whitelisted_methods``) by versions
  that count through it.
"""

from __future__ import annotations

import re

import frappe
from frappe import _

WORD = re.compile(r"[\w$]+", re.ASCII)  # (a letter beyond ASCII outside quotes is refused)
_installed = False


class Unparsable(ValueError):
	"""A quote left open: the text is not read as SQL."""


class Commented(Unparsable):
	"""A comment outside quotes (``#``, ``-- ``, ``/* */``): MariaDB skips it, so a quote in it
	would hide what follows from this reading (a field, a table named in a sub-select)."""


class NotAscii(Unparsable):
	"""A letter beyond ASCII outside a value: MariaDB folds some to ASCII as it compares column
	names (``İ`` to ``i``), Python's ``lower`` does not, so a field could be named unseen."""


def sql_names(text: str, whole: set[str] | None = None) -> set[str]:
	"""Every name ``text`` may refer to, in lower case (MariaDB column names ignore case):
	bare words and quoted names — `tabX`.`f`, "f" (a name under ANSI_QUOTES) — whatever
	the spacing or qualification, and the words inside a quoted name. What single quotes hold
	is a value, not a name. ``whole``, when given, gets the names written whole (a bare word,
	a quoted name), the only ones a table can have: a word inside a quoted name is part of
	it (`tabArrears Item` names no table `tabArrears`). A comment is not read: it raises
	:class:`Commented` (nothing Frappe writes has one); nor is a letter beyond ASCII outside
	single quotes: :class:`NotAscii` (Frappe's names are ASCII)."""
	names: set[str] = set()
	if whole is None:
		whole = set()
	i, n = 0, len(text)
	while i < n:
		c = text[i]
		if c == "'":
			i += 1
			while True:
				if i >= n:
					raise Unparsable(text)
				if text[i] == "\\":
					i += 2
				elif text[i] == "'" and text[i + 1 : i + 2] == "'":  # '' inside a literal
					i += 2
				elif text[i] == "'":
					i += 1
					break
				else:
					i += 1
		elif c in '`"':
			j, name = i + 1, []
			while j < n:
				if text[j] == c:
					if j + 1 < n and text[j + 1] == c:  # a doubled quote inside the name
						name.append(c)
						j += 2
						continue
					break
				if c == '"' and text[j] == "\\":
					name.append(text[j + 1 : j + 2])
					j += 2
					continue
				name.append(text[j])
				j += 1
			if j >= n:
				raise Unparsable(text)
			quoted = "".join(name).lower()
			if not quoted.isascii():
				raise NotAscii(text)
			names.add(quoted)
			whole.add(quoted)
			names.update(WORD.findall(quoted))
			i = j + 1
		elif c == "#" or text.startswith("/*", i) or _dashes(text, i):
			raise Commented(text)
		elif m := WORD.match(text, i):
			word = m.group().lower()
			names.add(word)
			whole.add(word)
			i = m.end()
		elif not c.isascii():
			raise NotAscii(text)
		else:
			i += 1
	return names


def _dashes(text: str, i: int) -> bool:
	"""``--`` at ``i`` starts a comment: MariaDB's needs a space or a control character after it."""
	return text.startswith("--", i) and (i + 2 == len(text) or text[i + 2] <= " " or text[i + 2] == "\x7f")


# each site's DocTypes by their table's name in lower case (`tabcomplaint lead`): a DocType keeps
# its table's name, so what is found is kept for the process. A name that finds a DocType only
# through the collation (`tabcomplaint lead ` with a trailing space, an accented letter) is kept
# by its request only: a user may send any number of such names.
_TABLE_DOCTYPES: dict[str, dict[str, str]] = {}


def named_doctypes(names: set[str]) -> list[str]:
	"""The DocTypes whose tables ``names`` name (`tabComplaint Lead`, in any case). A DocType found
	by its own table name is kept for the process (it was looked up in the database on every
	request: ~4% of the web workers' time under load); any other answer, a name that is no
	DocType included, is kept by the request (``frappe.local.cache``, which every request and
	job starts empty), so a DocType made since (a custom one) is found at once."""
	site = frappe.local.site
	kept = _TABLE_DOCTYPES.setdefault(site, {})
	asked = frappe.local.cache.setdefault(f"qingqian_table_doctypes|{site}", {})
	out = []
	for name in names:
		if not name.startswith("tab") or len(name) < 4:
			continue
		doctype = kept.get(name)
		if doctype is None:
			if name not in asked:
				asked[name] = frappe.db.get_value("DocType", {"name": name[3:]}, "name")
			doctype = asked[name]
			if not doctype:
				continue
			if doctype.lower() == name[3:]:
				kept[name] = doctype
		out.append(doctype)
	return out


def _forget(doctype: str) -> None:
	"""A kept DocType that is gone (deleted, renamed, the site restored from an older backup)."""
	kept = _TABLE_DOCTYPES.get(frappe.local.site, {})
	for name in [n for n, d in kept.items() if d == doctype]:
		del kept[name]


def unreadable_fields(doctype: str, user: str) -> dict[str, str]:
	"""The permlevel fields of ``doctype`` that ``user`` may not read: fieldname → label."""
	from frappe.model import get_permitted_fields

	try:
		meta = frappe.get_meta(doctype)
	except frappe.DoesNotExistError:  # kept by named_doctypes, gone since: it hides nothing
		frappe.clear_last_message()
		_forget(doctype)
		return {}
	levelled = {df.fieldname: df.label for df in meta.fields if df.permlevel}
	if not levelled:
		return {}
	permitted = set(get_permitted_fields(doctype, user=user))
	return {f: label for f, label in levelled.items() if f not in permitted}


def refuse(labels) -> None:
	frappe.throw(
		_("您无权查看“{0}”，不能按其筛选、排序或统计").format("、".join(_(n) for n in labels)),
		frappe.PermissionError,
		title=_("没有权限"),
	)


def check_names(text: str | list[str], doctypes, user: str) -> None:
	"""Refuse ``text`` (SQL a user wrote or chose: one piece, or a query's pieces) when it
	names a field of ``doctypes``, or of any table it names itself, that ``user`` may not
	read — in any case or quoting. Each piece is read on its own: a quote opened in one piece
	and closed in another would cover one text here and another in the query MariaDB reads
	(its pieces in another order)."""
	pieces = [text] if isinstance(text, str) else text
	if user == "Administrator" or not any(pieces):
		return
	names: set[str] = set()
	whole: set[str] = set()
	try:
		for piece in pieces:
			names |= sql_names(piece, whole)
	except Commented:
		frappe.throw(_("查询条件中不能有注释（#、--、/* */）"), frappe.ValidationError)
	except NotAscii:
		frappe.throw(_("查询条件中引号外的字段名、表名只能用 ASCII 字符"), frappe.ValidationError)
	except Unparsable:
		frappe.throw(_("查询条件中的引号不成对"), frappe.ValidationError)
	for doctype in dict.fromkeys([*doctypes, *named_doctypes(whole)]):
		hidden = unreadable_fields(doctype, user)
		named = [label for f, label in hidden.items() if f.lower() in names]
		if named:
			refuse(named)


def check_query(query, args) -> None:
	"""Refuse a query whose conditions, sort, grouping or columns name a field the user may
	not read. The record-level conditions the permission hooks add are the app's own SQL
	and are not read as the user's."""
	user = query.user
	if user == "Administrator":
		return
	conditions = str(args.get("conditions") or "")
	match = getattr(query, "_qingqian_match", None)
	if match:
		conditions = conditions.replace(f"({match})", " ", 1)
	pieces = [conditions, *(str(args.get(k) or "") for k in ("order_by", "group_by", "fields"))]
	doctypes = [t.strip("`")[3:] for t in query.tables] + [t.doctype for t in query.link_tables]
	check_names(pieces, doctypes, user)


def install(**kwargs):
	"""Wrap ``DatabaseQuery.prepare_args`` (and remember what ``build_match_conditions``
	added) in this process (once)."""
	global _installed
	if _installed:
		return
	from frappe.model.db_query import DatabaseQuery

	original = DatabaseQuery.prepare_args
	if not getattr(original, "qingqian", False):

		def prepare_args(self):
			args = original(self)
			if not self.flags.ignore_permissions:
				check_query(self, args)
			return args

		prepare_args.qingqian = True
		DatabaseQuery.prepare_args = prepare_args

	build_match = DatabaseQuery.build_match_conditions
	if not getattr(build_match, "qingqian", False):

		def build_match_conditions(self, as_condition=True):
			out = build_match(self, as_condition)
			if as_condition:
				self._qingqian_match = out
			return out

		build_match_conditions.qingqian = True
		DatabaseQuery.build_match_conditions = build_match_conditions
	_installed = True


@frappe.whitelist()
def get_count(doctype: str, filters=None, debug=False, cache=False) -> int:
	"""``frappe.client.get_count``, counted through the user's permissions."""
	from frappe.client import get_safe_filters

	rows = frappe.get_list(
		doctype, filters=get_safe_filters(filters), fields=["count(*) as count"], order_by=None
	)
	return rows[0].count if rows else 0


@frappe.whitelist()
def number_card_result(doc, filters, to_date=None):
	"""A number card's figure: its aggregate's column is the user's choice too (Frappe drops a
	column the user may not read and answers 0; refused here, in any case or quoting)."""
	from frappe.desk.doctype.number_card import number_card

	card = frappe.parse_json(doc)
	if card.get("aggregate_function_based_on") and card.get("document_type"):
		check_names(str(card.aggregate_function_based_on), [card.document_type], frappe.session.user)
	return number_card.get_result(doc, filters, to_date)


@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	"""The list sidebar's counts; "assigned to" counted over the records the user may see
	(Frappe's version counts over every record that matches the filters)."""
	from frappe.desk import listview
	from frappe.model import default_fields

	if field != "assigned_to":
		check_names(field, [doctype], frappe.session.user)  # COMPLAINANT_PHONE as complainant_phone
		if not frappe.get_meta(doctype).has_field(field) and field not in default_fields:
			frappe.throw(  # Frappe's own answer is a ValueError: HTTP 500
				_("{0}没有字段“{1}”，不能按其统计").format(_(doctype), field), frappe.ValidationError
			)
		return listview.get_group_by_count(doctype, current_filters, field)
	names = frappe.get_list(
		doctype,
		filters=frappe.parse_json(current_filters),
		fields=[f"`tab{doctype}`.`name`"],
		order_by=None,
		run=False,
	)
	return frappe.db.sql(
		f"""select t.allocated_to as name, count(*) as count
		from `tabToDo` t join `tabUser` u on u.name = t.allocated_to
		where t.status != 'Cancelled' and u.user_type = 'System User'
			and t.reference_type = %s and t.reference_name in ({names})
		group by t.allocated_to order by count desc limit 50""",
		doctype,
		as_dict=True,
	)


@frappe.whitelist()
def dashboard_chart(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
	refresh=None,
):
	"""``frappe.desk.doctype.dashboard_chart.dashboard_chart.get``, computed for the user
	through ``frappe.get_list``. Frappe's caches a chart's data under the chart's name for
	every user (a unit saw the figures computed for the office; a crafted chart JSON that
	bears a saved chart's name replaced them for everyone), and sums a heatmap with
	``frappe.get_all``, past every permission and this guard."""
	import inspect

	from frappe.desk.doctype.dashboard_chart import dashboard_chart as charts

	if chart_name:
		saved = frappe.get_doc("Dashboard Chart", chart_name)
		saved.check_permission("read")
		spec = saved
	else:
		spec = frappe._dict(frappe.parse_json(chart) or {})
	if spec.get("chart_type") != "Group By" and spec.get("type") == "Heatmap":
		return _heatmap(spec, filters, heatmap_year)
	return inspect.unwrap(charts.get)(  # Frappe's, without its cache shared by every user
		chart_name=chart_name,
		chart=chart,
		filters=filters,
		from_date=from_date,
		to_date=to_date,
		timespan=timespan,
		time_interval=time_interval,
		heatmap_year=heatmap_year,
	)


def _heatmap(chart, filters, heatmap_year) -> dict:
	"""Frappe's heatmap of a chart, counted over the records the user may read."""
	import datetime

	from frappe.desk.doctype.dashboard_chart.dashboard_chart import get_aggregate_function
	from frappe.utils import cint, getdate, nowdate

	try:
		function = get_aggregate_function(chart.get("chart_type"))
	except KeyError:
		frappe.throw(_("图表的“图表类型”（chart_type）无效"), frappe.ValidationError)
	filters = frappe.parse_json(filters) or frappe.parse_json(chart.get("filters_json")) or []
	doctype, datefield = chart.get("document_type"), chart.get("based_on")
	value_field = chart.get("value_based_on") or "1"
	year = cint(heatmap_year or chart.get("heatmap_year")) or getdate(nowdate()).year
	filters.append([doctype, "docstatus", "<", 2, False])
	filters.append([doctype, datefield, ">", datetime.date(year, 1, 1).isoformat(), False])
	filters.append([doctype, datefield, "<", datetime.date(year + 1, 1, 1).isoformat(), False])
	rows = frappe.get_list(
		doctype,
		fields=[
			f"unix_timestamp({datefield})",
			f"{function}({value_field})",
		],
		filters=filters,
		group_by=f"date({datefield})",
		as_list=1,
		order_by=f"{datefield} asc",
		ignore_ifnull=True,
		parent_doctype=chart.get("parent_document_type"),
	)
	return {"labels": [], "dataPoints": dict(rows)}
