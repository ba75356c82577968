# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

import frappe
from frappe.model.document import Document


class BulletinItem(Document):
	"""Written only by the bulletin's snapshot (qingqian_app/oversight/bulletins.py)."""


def on_doctype_update():
	frappe.db.add_index("Bulletin Item", ["bulletin", "debtor_unit"])
