"""Arrears items and complaint leads were numbered from one counter shared with every
DocType named by a ``format:`` expression; each kind now counts on its own per year
(qingqian_app.numbering). Each new counter starts after the highest number already given."""

import frappe

from qingqian_app.numbering import DIGITS, PREFIX, series_key


def execute():
	for doctype, prefix in PREFIX.items():
		rows = frappe.db.sql(
			f"""select substring(name, {len(prefix) + 2}, 4) as year,
				max(cast(substring(name, {len(prefix) + 7}) as unsigned)) as last
			from `tab{doctype}` where name regexp %s group by year""",
			f"^{prefix}-[0-9]{{4}}-[0-9]{{{DIGITS}}}$",
			as_dict=True,
		)
		for r in rows:
			key = series_key(doctype, int(r.year))
			frappe.db.sql(
				"""insert into `tabSeries` (`name`, `current`) values (%s, %s)
				on duplicate key update `current` = greatest(`current`, values(`current`))""",
				(key, r.last),
			)
