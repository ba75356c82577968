"""Accountability actions in force (约束惩戒; rules: qingqian_app.domain.accountability): which
member unit implements each measure (by its duty), the measures each debtor unit is under (shown
on the Debtor Unit, in the ledger list and the reports), the lists the implementing units take
away (限制参与政府采购 for the procurement office, 失信主体名录 for the credit platform)."""

from __future__ import annotations

from datetime import date

import frappe
from frappe import _
from frappe.utils import getdate, now_datetime, nowdate

from qingqian_app.domain import accountability as rules
from qingqian_app.oversight.supervision import unit_with_duty

ACTION, MEASURE = "`tabAccountability Action`", "`tabAccountability Measure`"


def implementing_unit(measure: str) -> str | None:
	"""The member unit whose duty the measure is (工作方案附件)."""
	duty = rules.implementing_duty(measure)
	return unit_with_duty(duty) if duty else None


def rows_in_force(today: date | None = None, names=None, measure: str | None = None) -> list[dict]:
	"""Measures of actions in force whose period covers ``today``, with their action and unit
	(``names``: only these actions, e.g. those the user may see)."""
	today = getdate(today or nowdate())
	conds, values = ["a.workflow_state = %(state)s"], {"state": rules.IN_FORCE, "today": today}
	if names is not None:
		conds.append("a.name in %(names)s")
		values["names"] = tuple(names) or ("",)
	if measure:
		conds.append("m.measure = %(measure)s")
		values["measure"] = measure
	return frappe.db.sql(
		f"""select a.name as action, a.target_unit, a.unit_type, a.target_unit_uscc as uscc, a.competent_unit,
			a.target_person_title, a.decided_on, a.facts, m.measure, m.implementing_unit, m.start_date, m.end_date
		from {ACTION} a join {MEASURE} m on m.parent = a.name and m.parenttype = 'Accountability Action'
		where {" and ".join(conds)} and m.start_date <= %(today)s and (m.end_date is null or m.end_date >= %(today)s)
		order by a.target_unit, m.idx""",
		values,
		as_dict=True,
	)


def refresh_units(units=None, today: date | None = None) -> int:
	"""Write each unit's measures in force on its Debtor Unit (all units under a measure, and
	``units`` whose measures may have ended)."""
	rows = rows_in_force(today)
	by_unit: dict[str, list] = {}
	for r in rows:
		by_unit.setdefault(r.target_unit, []).append(r)
	stale = set(
		frappe.get_all("Debtor Unit", filters={"measures_in_force": ["is", "set"]}, pluck="name")
	) | set(units or ())
	for unit in stale | set(by_unit):
		text = rules.summary(by_unit.get(unit, [])) or None
		if frappe.db.get_value("Debtor Unit", unit, "measures_in_force") != text:
			frappe.db.set_value("Debtor Unit", unit, "measures_in_force", text, update_modified=False)
	return len(by_unit)


def daily():
	"""scheduler: measures start and end by their dates."""
	refresh_units()


@frappe.whitelist()
def units_under_measures() -> dict[str, str]:
	"""The units the user may see that are under a measure in force, with the measures (the
	ledger list marks their items)."""
	return {
		r.name: r.measures_in_force
		for r in frappe.get_list(
			"Debtor Unit", filters={"measures_in_force": ["is", "set"]}, fields=["name", "measures_in_force"]
		)
	}


# --- 失信主体名录 ------------------------------------------------------------------------------


def credit_rows(names=None, today=None) -> list[dict]:
	"""The list as the credit platform takes it (domain CREDIT_COLUMNS)."""
	out = []
	for r in rows_in_force(today, names, rules.CREDIT_LIST.label):
		out.append(
			{
				"action": r.action,
				"unit_name": r.target_unit,
				"uscc": r.uscc,
				"measure": r.measure,
				"basis": _("{0}：{1}").format(r.action, (r.facts or "").strip()[:200]),
				"decided_on": str(r.decided_on or ""),
				"valid_until": str(r.end_date or ""),
			}
		)
	return out


def last_export():
	names = frappe.get_all("Credit List Export", order_by="exported_on desc", limit=1, pluck="name")
	return frappe.get_doc("Credit List Export", names[0]) if names else None


def credit_changes(names=None) -> list[dict]:
	"""The list now against the last export, both cut to the actions ``names`` (those the user
	may see; None: all)."""
	last = last_export()
	previous = frappe.parse_json(last.rows) if last and last.rows else []
	if names is not None:
		visible = set(names)
		previous = [r for r in previous if r.get("action") in visible]
	return rules.credit_changes(previous, credit_rows(names))


@frappe.whitelist(methods=["POST"])
def record_credit_export() -> str:
	"""登记本次报送: the list as it is now becomes the baseline of the next export's changes."""
	frappe.has_permission("Credit List Export", "create", throw=True)
	# one registration at a time (the DocType's own row locked until the request commits); a
	# list the same as the latest export's is that export, not a new one
	frappe.db.get_value("DocType", "Credit List Export", "name", for_update=True)
	changes = credit_changes()  # the whole list is what goes to the platform
	current = [r for r in changes if r["change"] != rules.REMOVED]
	rows = [{k: v for k, v in r.items() if k != "change"} for r in current]
	latest = frappe.db.sql(
		"""select name, `rows` from `tabCredit List Export`
		order by exported_on desc, creation desc limit 1 for update""",
		as_dict=True,
	)  # a locking read: it sees an export committed while this one waited
	if latest and frappe.parse_json(latest[0].rows or "[]") == frappe.parse_json(frappe.as_json(rows)):
		return latest[0].name
	counts = {}
	for r in changes:
		counts[r["change"]] = counts.get(r["change"], 0) + 1
	doc = frappe.get_doc(
		{
			"doctype": "Credit List Export",
			"exported_on": now_datetime(),
			"exported_by": frappe.session.user,
			"row_count": len(current),
			"changes": "，".join(f"{k} {v}" for k, v in counts.items()) or _("无"),
			"rows": frappe.as_json(rows),
		}
	)
	doc.flags.qingqian_export = True
	doc.insert()
	return doc.name


# --- from an SOE's annual report ---------------------------------------------------------------


@frappe.whitelist(methods=["POST"])
def open_from_soe_report(name: str) -> str:
	"""A draft action 列入经营异常名录 against an SOE whose annual report disagrees with the
	ledger, based on its items overdue at year end (drafted by the office, or 市场监管局 提请)."""
	from qingqian_app.accountability.disclosure import overdue_items_at

	report = frappe.get_doc("SOE Annual Report", name)
	report.check_permission("read")
	roles = set(frappe.get_roles())
	if not roles & {"Qingqian Office Staff", "Market Regulation Officer", "System Manager"}:
		frappe.throw(_("只有清欠办工作人员或市场监管局可以提请惩戒"), frappe.PermissionError)
	if report.matches:
		frappe.throw(_("{0} 的年报与台账一致，无需提请").format(report.debtor_unit))
	# the report's row locked: two clicks at once make one action, the second returns it
	if existing := frappe.db.get_value(
		"SOE Annual Report", report.name, "accountability_action", for_update=True
	):
		return existing
	items = overdue_items_at(date(report.year, 12, 31), units=[report.debtor_unit])
	if not items:
		frappe.throw(_("台账中没有 {0} 年末逾期未支付的欠款，无法列出依据").format(report.debtor_unit))
	action = frappe.get_doc(
		{
			"doctype": "Accountability Action",
			"target_unit": report.debtor_unit,
			"target_person_title": frappe.db.get_value("Debtor Unit", report.debtor_unit, "principal_title")
			or _("主要负责人"),
			"facts": _("{0} {1} 年度报告披露逾期未支付民营企业合同 {2} 笔、{3} 元，台账年末为 {4} 笔、{5} 元（{6}），涉嫌年报弄虚作假。").format(
				report.debtor_unit, report.year, report.disclosed_count, f"{report.disclosed_amount:,.2f}",
				report.ledger_count, f"{report.ledger_amount:,.2f}", report.difference),
			"basis": [{"arrears_item": i} for i in items[:50]],
			"measures": [{"measure": rules.ABNORMAL_LIST.label}],
			"source_soe_report": report.name,
		}
	)  # fmt: skip
	action.flags.ignore_permissions = True
	action.insert()
	frappe.db.set_value("SOE Annual Report", report.name, "accountability_action", action.name)
	return action.name
