"""Existing items get their matter key (one matter, one item: a unique index now stands
behind it) and are counted by the one rule of what counts in the figures
(qingqian_app.domain.ledger.counts_in_figures: approved, not excluded or duplicate, not in
court, not of a suspended enterprise). Where two existing items already record the same
matter, the older keeps the key and the others are listed for the office to mark 重复."""

import frappe

from qingqian_app.domain import ledger
from qingqian_app.qingqian.doctype.arrears_item.arrears_item import recount

CHUNK = 20_000


def execute():
	seen: dict[str, str] = {}
	repeated = []
	last = ""
	while True:
		rows = frappe.db.sql(
			"""select name, debtor_unit, enterprise, contract_no, arrears_amount, due_date, workflow_state
			from `tabArrears Item` where name > %s order by name limit %s""",
			(last, CHUNK),
			as_dict=True,
		)
		if not rows:
			break
		last = rows[-1].name
		keys = []
		for r in rows:
			if r.workflow_state == ledger.DUPLICATE:
				continue
			key = ledger.matter_key(r.debtor_unit, r.enterprise, r.contract_no, r.arrears_amount, r.due_date)
			if key in seen:
				repeated.append((r.name, seen[key]))
				continue
			seen[key] = r.name
			keys.append((r.name, key))
		if keys:
			frappe.db.sql(
				"create temporary table if not exists `_qq_keys` (name varchar(140) primary key, k varchar(140))"
			)
			frappe.db.sql("delete from `_qq_keys`")
			values = ", ".join(f"({frappe.db.escape(n)}, {frappe.db.escape(k)})" for n, k in keys)
			frappe.db.sql(f"insert into `_qq_keys` (name, k) values {values}")
			frappe.db.sql(
				"update `tabArrears Item` i join `_qq_keys` t on t.name = i.name set i.matter_key = t.k"
			)
		frappe.db.commit()
	recount()
	frappe.db.commit()
	for name, first in repeated:
		print(f"台账 {name} 与 {first} 是同一事项：请清欠办核实后将其“标记重复”")
