"""Sites installed before prevention at the source (合同付款条款审查, 应收账款确权): the settings those
read — the 1-year LPR table and the 30 days of 条例第十六条 — are taken from the settings
fixture (fixtures/30_settings.json), where a site has none of its own."""

import json
from pathlib import Path

import frappe

FIXTURE = Path(__file__).resolve().parents[3] / "fixtures" / "30_settings.json"


def execute():
	seed = json.loads(FIXTURE.read_text("utf-8"))["records"][0]
	s = frappe.get_single("Qingqian Settings")
	if not s.receivable_confirmation_days:
		s.receivable_confirmation_days = seed["receivable_confirmation_days"]
	if not s.lpr_rates:
		for row in seed["lpr_rates"]:
			s.append("lpr_rates", row)
	s.flags.ignore_permissions = True
	s.save()
