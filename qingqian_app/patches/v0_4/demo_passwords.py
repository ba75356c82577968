"""Sites that loaded the demo data while the repository published the demo accounts' password:
each such account still on it gets this site's own generated password (install.demo_password),
so no account anywhere keeps a password written in the repository."""

import json
from pathlib import Path

import frappe
from frappe.utils.password import check_password, update_password

USERS = Path(__file__).resolve().parents[3] / "fixtures" / "demo" / "30_users.json"
PUBLISHED = "Qingqian@Demo2026"  # as the repository published it up to this version


def execute():
	from qingqian_app.install import demo_password

	for record in json.loads(USERS.read_text("utf-8"))["records"]:
		email = record["email"]
		if not frappe.db.exists("User", email):
			continue
		try:
			check_password(email, PUBLISHED, delete_tracker_cache=True)
		except frappe.AuthenticationError:
			continue  # changed by its user already
		update_password(email, demo_password(), logout_all_sessions=True)
