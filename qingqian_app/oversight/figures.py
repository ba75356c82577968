"""The ledger's figures as the oversight reports, the workspace and the bulletin read them:
one SQL aggregate per group, over the items a user may see that count in the figures.

Query builder and raw SQL bypass Frappe's permissions, so every query here applies the
user's unit scope itself (``permissions.arrears_item_conditions``, the same condition the
list view uses) and the one rule of what counts (``ledger.counts_in_figures``, stored on
each item as ``counted_in_ledger``). Sums come back as ``oversight.Tally``: rates are
computed from them, never averaged.
"""

from __future__ import annotations

from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import getdate, nowdate

from qingqian_app.domain.money import yuan
from qingqian_app.domain.oversight import LeadTally, Tally, age_sql, lead_tally
from qingqian_app.permissions import arrears_item_conditions, debtor_unit_conditions

# The measures of a summary row, each a SQL aggregate over `tabArrears Item` i.
MEASURES = {
	"items": "count(*)",
	"cleared_items": "sum(i.outstanding_amount <= 0)",
	"arrears_amount": "sum(i.arrears_amount)",
	"repaid_amount": "sum(i.repaid_amount)",
	"outstanding_amount": "sum(i.outstanding_amount)",
	"undisputed_amount": "sum(i.undisputed_amount)",
	"disputed_amount": "sum(i.disputed_amount)",
	"disputed_items": "sum(i.is_disputed)",
	"migrant_wage_amount": "sum(if(i.involves_migrant_wages, i.migrant_wage_amount, 0))",
	"migrant_wage_repaid": "sum(i.migrant_wage_repaid)",
}

# What a summary can be grouped by: the column of the item it groups on, and the report
# column that shows the group (its label, and the DocType it links to).
GROUPS = {"competent_unit": "i.competent_unit", "debtor_unit_type": "i.debtor_unit_type", "debtor_unit": "i.debtor_unit"}  # fmt: skip
GROUP_COLUMNS = {"competent_unit": ("主管部门", "Member Unit"), "debtor_unit_type": ("单位类型", None),
	"debtor_unit": ("欠款单位", "Debtor Unit")}  # fmt: skip


# Repaid by a date (%(end)s), per item: joined as r to `tabArrears Item` i by the figures
# taken as of a date (bulletins, disclosure, annual reports)
REPAID_BY = """left join (select parent, sum(amount) as paid from `tabArrears Repayment`
	where parenttype = 'Arrears Item' and payment_date <= %(end)s group by parent) r on r.parent = i.name"""
# Owed, and overdue, at %(end)s: counted items registered by then, past due and not paid in full
OWED_AT = "i.arrears_amount - least(ifnull(r.paid, 0), i.arrears_amount)"
OVERDUE_AT = f"i.due_date < %(end)s and {OWED_AT} > 0"


@frappe.read_only()
def overdue_as_of(end, units=None, unit_types=None) -> dict[str, dict]:
	"""{debtor unit: items, amount, longest days} of the counted items overdue and unpaid at
	``end`` by their due dates and repayments, whenever registered (a district loads arrears
	of past years today) — the disclosure, each unit's annual figures, an SOE's year end; for
	``units`` or units of ``unit_types`` (no scope: the callers are the office's and the public's)."""
	conds, values = ["i.counted_in_ledger = 1", OVERDUE_AT], {"end": end}
	if units is not None:
		conds.append("i.debtor_unit in %(units)s")
		values["units"] = tuple(units) or ("",)
	if unit_types:
		conds.append("i.debtor_unit_type in %(types)s")
		values["types"] = tuple(unit_types)
	rows = frappe.db.sql(
		f"""select i.debtor_unit, i.debtor_unit_type as unit_type, count(*) as items, sum({OWED_AT}) as amount,
			max(datediff(%(end)s, i.due_date)) as longest_days
		from `tabArrears Item` i {REPAID_BY}
		where {" and ".join(conds)} group by i.debtor_unit, i.debtor_unit_type""",
		values,
		as_dict=True,
	)
	return {r.debtor_unit: {**r, "amount": yuan(r.amount)} for r in rows}


def chosen_grouping(filters: dict, choices, default: str) -> str:
	"""The report's 汇总方式, refused with the choices when it is not one of them."""
	group_by = filters.get("group_by") or default
	if group_by not in choices:
		frappe.throw(_("汇总方式“{0}”无效：可选 {1}。").format(group_by, "、".join(choices)))
	return group_by


def group_column(label: str, link: str | None, width: int = 220) -> dict:
	"""The first column of a report: the group, a link where it names a record."""
	column = {
		"fieldname": "group",
		"label": _(label),
		"width": width,
		"fieldtype": "Link" if link else "Data",
	}
	return {**column, "options": link} if link else column


def column(
	fieldname: str, label: str, fieldtype: str = "Data", width: int = 120, options: str | None = None
) -> dict:
	"""A report column, its label translated."""
	out = {"fieldname": fieldname, "label": _(label), "fieldtype": fieldtype, "width": width}
	return {**out, "options": options} if options else out


def number(value):
	"""An amount or rate as a report or a stored figure carries it: a number (a Decimal would
	reach the desk, the Excel export and JSON as text)."""
	return float(value) if isinstance(value, Decimal) else value


def numbers(rows: list[dict]) -> list[dict]:
	return [{k: number(v) for k, v in r.items()} for r in rows]


def where(filters: dict | None, user: str | None = None, counted: bool = True) -> tuple[str, dict]:
	"""The WHERE clause of every figure: counted items in the user's scope, narrowed by the
	report's filters (a debtor unit includes its subsidiaries). Over the items (alias i), or
	over the tallies (counted=False: they hold counted items only, by the same columns)."""
	filters = filters or {}
	conds, values = ["i.counted_in_ledger = 1"] if counted else [], {}
	scope = arrears_item_conditions(user)
	if scope:
		conds.append(scope.replace("`tabArrears Item`.", "i."))
	for field in ("competent_unit", "debtor_unit_type", "arrears_category"):
		if filters.get(field):
			conds.append(f"i.{field} = %({field})s")
			values[field] = filters[field]
	if filters.get("debtor_unit"):
		conds.append(
			"i.debtor_unit in (select d.name from `tabDebtor Unit` d, `tabDebtor Unit` p"
			" where p.name = %(debtor_unit)s and d.lft >= p.lft and d.rgt <= p.rgt)"
		)
		values["debtor_unit"] = filters["debtor_unit"]
	if filters.get("involves_migrant_wages"):
		conds.append("i.involves_migrant_wages = 1")
	return " and ".join(conds) or "1 = 1", values


@frappe.read_only()
def tallies(
	group_by: str, filters: dict | None = None, user: str | None = None, scan: bool = False
) -> dict[str, Tally]:
	"""{group value: Tally} of the counted items the user may see: from the aggregates kept
	up to date (oversight/tallies.py), or by a scan of the items (scan=True)."""
	column = GROUPS[group_by]
	cond, values = where(filters, user, counted=scan)
	if scan:
		table, measures = "`tabArrears Item`", MEASURES.items()
	else:
		table, measures = "`tabArrears Tally`", ((m, f"sum(i.{m})") for m in MEASURES)
	rows = frappe.db.sql(
		f"select {column} as grp, {', '.join(f'{sql} as {name}' for name, sql in measures)}"
		f" from {table} i where {cond} group by {column}",
		values,
		as_dict=True,
	)
	return {r.grp or "": Tally.of(r) for r in rows}


def measures_of(units) -> dict[str, str]:
	"""The accountability measures in force on each of ``units`` (kept on the Debtor Unit by
	qingqian_app/accountability/actions.py), for the reports that list units."""
	if not units:
		return {}
	return dict(
		frappe.db.sql(
			"select name, measures_in_force from `tabDebtor Unit` where name in %s and ifnull(measures_in_force, '') != ''",
			(tuple(units),),
		)
	)


def measures_column() -> dict:
	return column("measures_in_force", "执行中的惩戒措施", width=200)


def units_tree(names, user: str | None = None) -> list[dict]:
	"""The debtor units named and those of their ancestors the user may see, in tree order
	(lft); a unit whose parent the user may not see has no parent here (a root)."""
	if not names:
		return []
	scope = debtor_unit_conditions(user).replace("`tabDebtor Unit`.", "a.")
	rows = frappe.db.sql(
		f"""select distinct a.name, a.unit_type, a.parent_debtor_unit, a.lft, a.measures_in_force
		from `tabDebtor Unit` a join `tabDebtor Unit` d on d.lft >= a.lft and d.rgt <= a.rgt
		where d.name in %(names)s {"and " + scope if scope else ""} order by a.lft""",
		{"names": tuple(names)},
		as_dict=True,
	)
	shown = {r.name for r in rows}
	for r in rows:
		if r.parent_debtor_unit not in shown:
			r.parent_debtor_unit = None
	return rows


@frappe.read_only()
def ageing(group_by: str, filters: dict | None = None, user: str | None = None) -> dict[str, dict]:
	"""{group value: {age label: (items, outstanding)}} of the counted overdue items the user
	may see (overdue days as the daily job keeps them, ages as domain.oversight.AGES)."""
	column = GROUPS[group_by]
	cond, values = where(filters, user)
	rows = frappe.db.sql(
		f"""select {column} as grp, {age_sql("i.overdue_days")} as age, count(*) as items,
			sum(i.outstanding_amount) as outstanding
		from `tabArrears Item` i
		where {cond} and i.overdue_days > 0 and i.outstanding_amount > 0
		group by {column}, age""",
		values,
		as_dict=True,
	)
	out: dict[str, dict] = {}
	for r in rows:
		out.setdefault(r.grp or "", {})[r.age] = (int(r["items"]), yuan(r.outstanding))
	return out


LEAD_FIELDS = (
	"channel", "transferred_to", "workflow_state", "accepted_on", "transfer_deadline", "transferred_on",
	"handling_deadline", "result_on", "closed_on", "verification_result", "arrears_item",
)  # fmt: skip
LEAD_GROUPS = {"channel": "l.channel", "transferred_to": "l.transferred_to"}


@frappe.read_only()
def lead_tallies(group_by: str, filters: dict | None = None, user: str | None = None) -> dict[str, LeadTally]:
	"""{group value: LeadTally} of the leads the user may see (registered, not merged into
	another lead of the same matter), received within the filters' dates."""
	from qingqian_app.permissions import complaint_lead_conditions
	from qingqian_app.working_calendar import site_calendar

	filters = filters or {}
	conds, values = ["ifnull(l.duplicate_of, '') = ''"], {}
	scope = complaint_lead_conditions(user)
	if scope:
		conds.append(scope.replace("`tabComplaint Lead`.", "l."))
	for key, cond in (
		("from_date", "l.received_on >= %(from_date)s"),
		("to_date", "l.received_on <= %(to_date)s"),
	):
		if filters.get(key):
			conds.append(cond)
			values[key] = filters[key]
	for field in ("channel", "transferred_to"):
		if filters.get(field):
			conds.append(f"l.{field} = %({field})s")
			values[field] = filters[field]
	rows = frappe.db.sql(
		f"""select {LEAD_GROUPS[group_by]} as grp, {", ".join(f"l.{f}" for f in LEAD_FIELDS)}
		from `tabComplaint Lead` l where {" and ".join(conds)}""",
		values,
		as_dict=True,
	)
	calendar, today = site_calendar(), getdate(nowdate())
	out: dict[str, LeadTally] = {}
	for r in rows:
		key = r.grp or ""
		out[key] = out.get(key, LeadTally()) + lead_tally(r, calendar.working_days_between, today)
	return out
