"""Member units installed before duties existed get the duty their seed record now declares
(fixtures/20_member_units.json, matched by the seeded name); a duty already set is kept."""

import json
from pathlib import Path

import frappe


def execute():
	seed = Path(frappe.get_app_path("qingqian_app")).parent / "fixtures" / "20_member_units.json"
	for record in json.loads(seed.read_text("utf-8"))["records"]:
		if record.get("duty") and frappe.db.exists("Member Unit", record["unit_name"]):
			if not frappe.db.get_value("Member Unit", record["unit_name"], "duty"):
				frappe.db.set_value(
					"Member Unit", record["unit_name"], "duty", record["duty"], update_modified=False
				)
