"""Removing what tests/api made over HTTP. Records past their first state are never
deleted through the app (qingqian_app.workflow_guard.on_trash: 不予列入 and 重复 instead), so
scripts/test.sh removes the API suite's records in process on the bench, by their mark
(``APITEST-`` in the contract or petition number, or at the start of a description, a
title, an action's facts, a finding's source document, a project's name, an enterprise's name;
portal logins by their ``apitest-`` addresses; the ratings of those leads, and the security
suite's, whose reasons start 矩阵测试):

    bench --site SITE execute qingqian_app.testing.purge_api_records

Never whitelisted: nothing over HTTP can reach it.
"""

from __future__ import annotations

import frappe

MARK = "APITEST-"


def purge_api_records() -> dict[str, int]:
	frappe.set_user("Administrator")
	frappe.flags.qingqian_purge_test_records = True
	like = MARK + "%"
	try:
		leads = frappe.get_all("Complaint Lead", filters=[["contract_no", "like", like]], pluck="name")
		petitions = frappe.get_all("Petition", filters=[["petition_no", "like", like]], pluck="name")
		events = frappe.get_all("Public Opinion Event", filters=[["title", "like", like]],
			fields=["name", "complaint_lead"])  # fmt: skip
		leads += [e.complaint_lead for e in events if e.complaint_lead]
		items = set(
			frappe.get_all(
				"Arrears Item",
				or_filters=[["contract_no", "like", like], ["description", "like", like]],
				pluck="name",
			)
		)
		items |= {
			i
			for i in frappe.get_all("Complaint Lead", filters={"name": ["in", leads]}, pluck="arrears_item")
			if i
		}
		reports = frappe.get_all("Unit Report", filters=[["statement", "like", like]], pluck="name")
		bulletins = frappe.get_all("Progress Bulletin", filters=[["title", "like", like]], pluck="name")
		actions = frappe.get_all("Accountability Action", filters=[["facts", "like", like]], pluck="name")
		disclosures = frappe.get_all("Disclosure", filters=[["title", "like", like]], pluck="name")
		findings = frappe.get_all("Audit Finding", filters=[["source_document", "like", like]], pluck="name")
		contracts = frappe.get_all("Contract Review", filters=[["contract_no", "like", like]], pluck="name")
		projects = frappe.get_all(
			"Investment Project", filters=[["project_name", "like", like]], pluck="name"
		)
		confirmations = frappe.get_all(
			"Receivable Confirmation", filters=[["contract_no", "like", like]], pluck="name"
		)
		records = [("Petition", petitions), ("Complaint Lead", leads), ("Accountability Action", actions),
			("Audit Finding", findings), ("Arrears Item", sorted(items)), ("Unit Report", reports),
			("Progress Bulletin", bulletins), ("Disclosure", disclosures),
			("Public Opinion Event", [e.name for e in events]), ("Contract Review", contracts),
			("Investment Project", projects), ("Receivable Confirmation", confirmations)]  # fmt: skip
		register = frappe.get_all(
			"Issued Document",
			filters={"reference_name": ["in", [n for _, names in records for n in names] or [""]]},
			pluck="name",
		)
		counts = {"Issued Document": _delete("Issued Document", register)}
		# the enterprises' ratings of those leads, and the security suite's of a demo lead
		ratings = frappe.get_all(
			"Handling Rating",
			or_filters=[["complaint_lead", "in", leads or [""]], ["reasons", "like", "矩阵测试%"]],
			pluck="name",
		)
		counts["Handling Rating"] = _delete("Handling Rating", ratings)
		# a lead joined to a real one as the same matter is listed among its channels
		frappe.db.delete("Lead Channel", {"complaint_lead": ["in", leads or [""]]})
		for doctype, names in records:
			counts[doctype] = _delete(doctype, names)
		# enterprise logins of the portal tests (apitest-…@ addresses) and the enterprises they made
		accounts = frappe.get_all(
			"Enterprise Account", filters=[["email", "like", "apitest-%"]], fields=["name", "user"]
		)
		counts["Enterprise Account"] = _delete("Enterprise Account", [a.name for a in accounts])
		counts["User"] = _delete(
			"User", [a.user for a in accounts if a.user and frappe.db.exists("User", a.user)]
		)
		enterprises = frappe.get_all("Enterprise", filters=[["enterprise_name", "like", like]], pluck="name")
		counts["Enterprise"] = _delete("Enterprise", enterprises)
		from qingqian_app.accountability import actions as in_force
		from qingqian_app.accountability import disclosure

		in_force.refresh_units()
		disclosure.clear_public_cache()
		frappe.db.commit()
		return counts
	finally:
		frappe.flags.qingqian_purge_test_records = False


def _delete(doctype: str, names) -> int:
	for name in names:
		frappe.delete_doc(doctype, name, force=True, ignore_permissions=True, delete_permanently=True)
	return len(names)
