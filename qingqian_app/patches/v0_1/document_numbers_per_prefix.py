"""Document numbers count per 代字 and year, not per kind: kinds sharing a 代字 would
otherwise repeat a number. The unique index on (kind, year, sequence) goes (document_number
itself stays unique), and each 代字's counter starts after the highest number it issued."""

import re

import frappe

from qingqian_app.domain.docnumber import series_key


def execute():
	if frappe.db.sql(
		"show index from `tabIssued Document` where Key_name = 'unique_document_kind_year_sequence'"
	):
		frappe.db.sql_ddl("alter table `tabIssued Document` drop index `unique_document_kind_year_sequence`")
	highest: dict[str, int] = {}
	for number, year, sequence in frappe.get_all(
		"Issued Document", fields=["document_number", "year", "sequence"], as_list=True
	):
		m = re.fullmatch(r"(.+)〔(\d{4})〕(\d+)号", number or "")
		if m:
			key = series_key(m.group(1), int(year))
			highest[key] = max(highest.get(key, 0), int(sequence))
	for key, current in highest.items():
		frappe.db.sql(
			"insert into `tabSeries` (`name`, `current`) values (%s, %s)"
			" on duplicate key update `current` = greatest(`current`, values(`current`))",
			(key, current),
		)
