# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

from frappe.model.document import Document


class ArrearsTally(Document):
	"""Kept by qingqian_app.oversight.tallies, never edited by hand."""


def on_doctype_update():
	import frappe

	frappe.db.add_index("Arrears Tally", ["competent_unit", "debtor_unit"])
