"""信息披露 (rules: qingqian_app.domain.disclosure).

- ``Disclosure``: a dated snapshot of the overdue unpaid arrears by debtor unit and of the
  typical cases approved for 曝光, generated while a draft and frozen once the office head
  approves it; the latest approved one is the public page ``/arrears-disclosure``
  (qingqian_app/www) and its CSV (a guest method, rate-limited per client). Both read only the
  snapshot's public columns, cached, and the cache is cleared when a disclosure is approved or
  withdrawn.
- ``Unit Annual Disclosure``: each 机关 and 事业单位's figures of the previous year, prepared
  from the ledger (条例第十八条), with when and where the unit published them.
- ``SOE Annual Report``: what an SOE's annual report disclosed against the ledger at year end.
"""

from __future__ import annotations

from datetime import date

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import getdate, now_datetime, nowdate

from qingqian_app.accountability import actions
from qingqian_app.domain import accountability, disclosure
from qingqian_app.domain.ledger import AGENCY_TYPES
from qingqian_app.oversight.figures import OVERDUE_AT, REPAID_BY, number, overdue_as_of

PAGE = "arrears-disclosure"
CACHE_KEY = "qingqian:public_disclosure"
CACHE_SECONDS = 3600  # also cleared on every approval and withdrawal


def generate(doc):
	"""Take the snapshot as of ``doc.as_of_date`` (a draft only: the workflow lets nobody
	change an approved one, and this is never called for it)."""
	end = getdate(doc.as_of_date)
	rows = sorted(overdue_as_of(end).values(), key=lambda r: (-r["amount"], r["debtor_unit"]))
	doc.set(
		"rows",
		[
			{
				"debtor_unit": r["debtor_unit"],
				"unit_type": r["unit_type"],
				"item_count": r["items"],
				"overdue_amount": number(r["amount"]),
				"longest_overdue_days": r["longest_days"],
			}
			for r in rows
		],
	)
	doc.set("cases", typical_cases(end))
	doc.unit_count = len(rows)
	doc.item_count = sum(r["items"] for r in rows)
	doc.overdue_amount = number(sum(r["amount"] for r in rows))
	doc.generated_on = now_datetime()


def typical_cases(end: date) -> list[dict]:
	"""Actions in force at ``end`` with the measure 典型案例曝光, in the words the office wrote
	for the public; the creditors' names only where the office approved showing them."""
	out = []
	for r in actions.rows_in_force(end, measure=accountability.EXPOSURE.label):
		action = frappe.get_doc("Accountability Action", r.action)
		names = ""
		if action.publish_enterprise_name:
			names = "、".join(dict.fromkeys(b.enterprise for b in action.basis if b.enterprise))
		out.append(
			{
				"accountability_action": action.name,
				"debtor_unit": action.target_unit,
				"measures": action.measures_text,
				"decided_on": action.decided_on,
				"case_summary": action.case_summary or "",
				"enterprise_names": names,
			}
		)
	return out


def overdue_items_at(end: date, units) -> list[str]:
	"""The counted items of ``units`` overdue and unpaid at ``end`` (an action's basis)."""
	return frappe.db.sql(
		f"""select i.name from `tabArrears Item` i {REPAID_BY}
		where i.counted_in_ledger = 1 and {OVERDUE_AT}
			and i.debtor_unit in %(units)s order by i.due_date""",
		{"end": end, "units": tuple(units) or ("",)},
		pluck=True,
	)


# --- the public page -----------------------------------------------------------------------


def published() -> dict | None:
	"""The disclosure approved last, public columns only, cached until the next approval."""
	cached = frappe.cache.get_value(CACHE_KEY)
	if cached is not None:
		return cached or None
	names = frappe.get_all(
		"Disclosure",
		filters={"workflow_state": disclosure.PUBLISHED},
		order_by="approved_on desc",  # the office's latest approval is what the public sees
		limit=1,
		pluck="name",
	)
	data = {}
	if names:
		doc = frappe.get_doc("Disclosure", names[0])
		data = {
			"name": doc.name,
			"title": doc.title,
			"as_of_date": str(doc.as_of_date),
			"approved_on": str(getdate(doc.approved_on)) if doc.approved_on else "",
			"note": doc.note or "",
			"unit_count": doc.unit_count,
			"item_count": doc.item_count,
			"overdue_amount": doc.overdue_amount,
			"rows": [{f: r.get(f) for f, _label in disclosure.PUBLIC_COLUMNS} for r in doc.rows],
			"cases": [
				{
					"debtor_unit": c.debtor_unit,
					"measures": c.measures,
					"decided_on": str(c.decided_on or ""),
					"case_summary": c.case_summary,
					"enterprise_names": c.enterprise_names,
				}
				for c in doc.cases
			],
		}
	frappe.cache.set_value(CACHE_KEY, data, expires_in_sec=CACHE_SECONDS)
	return data or None


def clear_public_cache():
	from frappe.website.utils import delete_page_cache

	frappe.cache.delete_value(CACHE_KEY)
	delete_page_cache(PAGE)


def page_context(context):
	data = published()
	context.no_cache = 0
	context.disclosure = data
	context.columns = disclosure.PUBLIC_COLUMNS
	context.title = data["title"] if data else _("逾期未支付民营企业账款信息公开")
	context.office_name = frappe.db.get_single_value("Qingqian Settings", "office_name")
	return context


@frappe.whitelist(allow_guest=True, methods=["GET"])
@rate_limit(limit=30, seconds=60)
def csv():
	"""The page's table as CSV (UTF-8 with BOM), 30 downloads a minute per client."""
	data = published()
	if not data:
		raise frappe.DoesNotExistError(_("尚未发布"))
	frappe.response["type"] = "download"
	frappe.response["filename"] = f"arrears-disclosure-{data['as_of_date']}.csv"
	frappe.response["filecontent"] = disclosure.to_csv(data["rows"]).encode("utf-8")
	frappe.response["content_type"] = "text/csv"  # Frappe adds the charset


# --- each unit's annual disclosure (条例第十八条) ---------------------------------------------


def annual_figures(unit: str, year: int) -> dict:
	figures = overdue_as_of(disclosure.year_end(year), units=[unit]).get(unit) or {}
	return {"count": figures.get("items", 0), "amount": figures.get("amount", 0)}


def annual_disclosures(today: date | None = None) -> int:
	"""scheduler (daily): from 1 January, every 机关 and 事业单位's record of the previous year,
	its figures from the ledger; the statuses of the year's records (逾期未公开 after 31 March)."""
	today = getdate(today or nowdate())
	year = today.year - 1
	have = set(frappe.get_all("Unit Annual Disclosure", filters={"year": year}, pluck="debtor_unit"))
	made = 0
	for unit in frappe.get_all(
		"Debtor Unit", filters={"unit_type": ["in", sorted(AGENCY_TYPES)]}, pluck="name"
	):
		if unit in have:
			continue
		doc = frappe.get_doc({"doctype": "Unit Annual Disclosure", "debtor_unit": unit, "year": year})
		doc.flags.ignore_permissions = True
		doc.insert()
		made += 1
	for name in frappe.get_all(
		"Unit Annual Disclosure",
		filters={"status": disclosure.NOT_YET, "due_date": ["<", today]},
		pluck="name",
	):
		frappe.db.set_value("Unit Annual Disclosure", name, "status", disclosure.MISSED)
	return made
