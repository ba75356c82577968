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

IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_installed = False


def unreadable_fields(doctype: str, user: str) -> dict[str, str]:
	"""The permlevel fields of ``doctype`` that ``user`` may not read: fieldname → label."""
	from frappe.model import get_permitted_fields

	meta = frappe.get_meta(doctype)
	levelled = {df.fieldname: df.label for df in meta.fields if df.permlevel}
	if not levelled:
		return {}
	permitted = set(get_permitted_fields(doctype, user=user))
	return {f: label for f, label in levelled.items() if f not in permitted}


def check_query(query, args) -> None:
	"""Refuse a query whose conditions, sort or grouping name a field the user may not read."""
	user = query.user
	if user == "Administrator":
		return
	text = " ".join(str(args.get(k) or "") for k in ("conditions", "order_by", "group_by", "fields"))
	tokens = set(IDENTIFIER.findall(text))
	doctypes = [t.strip("`")[3:] for t in query.tables] + [t.doctype for t in query.link_tables]
	for doctype in dict.fromkeys(doctypes):
		hidden = unreadable_fields(doctype, user)
		named = [label for f, label in hidden.items() if f in tokens]
		if named:
			frappe.throw(
				_("您无权查看“{0}”，不能按其筛选、排序或统计").format("、".join(_(n) for n in named)),
				frappe.PermissionError,
				title=_("没有权限"),
			)


def install(**kwargs):
	"""Wrap ``DatabaseQuery.prepare_args`` in this process (once)."""
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
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	"""The list sidebar's counts; "assigned to" counted over the records the user may see
	(Frappe's version counts over every record that matches the filters)."""
	from frappe.desk import listview

	if field != "assigned_to":
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
