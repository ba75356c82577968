"""In-process transport: reads and writes records through the Frappe API.

Used by the install and migrate hooks (qingqian_app.install); runs inside a site.
"""

from __future__ import annotations

import frappe

from .definitions import Record

REGISTER = "Qingqian Definition"
# Kept when the app is uninstalled: accounts are people's, and Frappe refuses to delete a
# user while no other System Manager exists. A reinstall finds them and leaves them be.
KEEP_ON_UNINSTALL = frozenset({"User"})


class LocalTransport:
	def registered(self) -> set[tuple[str, str]]:
		rows = frappe.get_all(REGISTER, fields=["ref_doctype", "ref_name"], limit_page_length=0)
		return {(r.ref_doctype, r.ref_name) for r in rows}

	def fetch(self, record: Record) -> dict | None:
		if not record.single and not frappe.db.exists(record.doctype, record.name):
			return None
		doc = frappe.get_doc(record.doctype, record.name)
		out = {}
		for key, want in record.values.items():
			if isinstance(want, list):
				out[key] = [row.as_dict() for row in doc.get(key)]
			else:
				out[key] = doc.get(key)
		return out

	def create(self, record: Record) -> None:
		values = {**record.values, **record.create_only}
		if record.single:
			doc = frappe.get_single(record.doctype)
			doc.update(values)
			doc.save(ignore_permissions=True)
			return
		doc = frappe.get_doc({"doctype": record.doctype, **values})
		if "name" in values:
			doc.flags.name_set = True
		doc.insert(ignore_permissions=True)

	def update(self, record: Record, changed: dict) -> None:
		doc = frappe.get_doc(record.doctype, record.name)
		for key, value in changed.items():
			doc.set(key, value)
		doc.save(ignore_permissions=True)

	def register(self, record: Record) -> None:
		frappe.get_doc(
			{
				"doctype": REGISTER,
				"ref_doctype": record.doctype,
				"ref_name": record.name,
				"source": record.source,
			}
		).insert(ignore_permissions=True)

	def unregister_all(self) -> list[tuple[str, str]]:
		"""Delete what the app created (newest first), but for KEEP_ON_UNINSTALL, and empty
		the register."""
		rows = frappe.get_all(
			REGISTER, fields=["name", "ref_doctype", "ref_name"], order_by="creation desc, name desc"
		)
		removed = []
		for r in rows:
			if r.ref_doctype in KEEP_ON_UNINSTALL or frappe.get_meta(r.ref_doctype).issingle:
				pass
			elif frappe.db.exists(r.ref_doctype, r.ref_name):
				frappe.delete_doc(r.ref_doctype, r.ref_name, ignore_permissions=True, force=True)
				removed.append((r.ref_doctype, r.ref_name))
			frappe.delete_doc(REGISTER, r.name, ignore_permissions=True)
		return removed
