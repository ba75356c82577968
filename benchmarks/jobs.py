"""A workflow step's background work, as the queue runs it (each job in a process Frappe's worker
forks for it): the approvers' mail (the record's PDF attached on a first visit), for the ledger (each step queued
as the desk's step queues it, queue_bookkeeping; drain jobs make the entries, then the mail, record
after record; qingqian_app/workflow_guard.py) against the bare-Frappe anchor of
benchmarks/load.py (Frappe makes the entries in the request, then queues the mail job), the same
records reaching 待审核 as the same reporter, in the same run, in turns. Prints, per step and per
mail, the CPU the workers and the PDF renderers spent, and the time until the queue was empty.
A ledger record that has left 待审核 before (load.py's records have) is mailed to the head who
took it out, with a link to its PDF, no PDF made (qingqian_app.domain.editing.to_mail), the
anchor's to every head with the PDF (Frappe's first visit): compare the figures a step, not a mail.
Prints figures, asserts nothing. Run from the bench's sites directory after load.py made its
records and users (with nothing else running on the machine):

    ../env/bin/python benchmarks/jobs.py --site SITE [--jobs 20] [--rounds 3]
"""

from __future__ import annotations

import argparse
import statistics

import frappe
from common import refuse_real_site
from load import ANCHOR, DOMAIN, MARK, cpu_seconds, delete_workflow_actions, drain_time, label, turns

REACHED = "待审核"


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("--site", required=True)
	ap.add_argument("--jobs", type=int, default=20)
	ap.add_argument("--rounds", type=int, default=3)
	args = ap.parse_args()
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	refuse_real_site(args.site)
	figures = {"Arrears Item": [], ANCHOR: []}
	for i, doctype in enumerate(turns(["Arrears Item", ANCHOR], args.rounds)):
		figures[doctype].append(run(doctype, args.jobs))
		print(f"round {i // 2 + 1} {label(doctype)}: " + line(figures[doctype][-1]))
	print(f"\nmedian of {args.rounds} rounds, {args.jobs} jobs each")
	medians = {}
	for doctype, runs in figures.items():
		medians[doctype] = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
		print(f"{label(doctype)} " + line(medians[doctype]))
	ledger, anchor = medians["Arrears Item"], medians[ANCHOR]
	print(
		"ledger against the anchor (the ledger's steps are returns to their handler: a link to the "
		"PDF, none made; the anchor's first visits: the PDF attached to every mail):\n"
		f"CPU a step {ledger['step_ms'] / anchor['step_ms']:.2f}×, "
		f"a mail {ledger['mail_ms'] / anchor['mail_ms']:.2f}×, queue empty {ledger['drain']:.2f} s "
		f"against {anchor['drain']:.2f} s"
	)
	frappe.destroy()


def line(f: dict) -> str:
	return (
		f"{f['workers']:.2f} s CPU in workers + {f['renderers']:.2f} s in PDF renderers = "
		f"{f['step_ms']:.0f} ms a step, {f['mails']:.0f} mails ({f['mail_ms']:.0f} ms a mail); "
		f"queue empty {f['drain']:.2f} s after the last step was queued"
	)


def run(doctype: str, count: int) -> dict:
	"""``count`` of the load's records put in 待审核 with no entries, then their step's
	background work queued as the reporter who took it, as the desk's step queues it."""
	names = frappe.get_all(doctype, filters={"contract_no": ["like", MARK + "%"]}, pluck="name", limit=count)
	for name in names:
		frappe.db.set_value(doctype, name, "workflow_state", REACHED, update_modified=False)
	delete_workflow_actions(doctype, names)
	frappe.db.commit()
	mails = frappe.db.count("Email Queue", {"reference_doctype": doctype})
	frappe.set_user(f"reporter00{DOMAIN}")
	before = cpu_seconds()
	for name in names:
		if doctype == "Arrears Item":  # as the step's commit queues it
			from qingqian_app.workflow_guard import queue_bookkeeping

			queue_bookkeeping(doctype, name, "on_update", REACHED, frappe.session.user)
		else:  # Frappe's own: the entries here (in the request), the mail job after the commit
			from frappe.workflow.doctype.workflow_action.workflow_action import process_workflow_actions

			process_workflow_actions(frappe.get_doc(doctype, name), "on_update")
	frappe.db.commit()
	drain = drain_time(doctype)  # from the last job queued
	after = cpu_seconds()
	frappe.set_user("Administrator")
	frappe.db.rollback()  # a fresh snapshot: the mails the jobs queued
	mailed = frappe.db.count("Email Queue", {"reference_doctype": doctype}) - mails
	workers = after.get("background jobs", 0) - before.get("background jobs", 0)
	renderers = after.get("PDF renderers", 0) - before.get("PDF renderers", 0)
	spent = (workers + renderers) * 1000
	return {
		"workers": workers,
		"renderers": renderers,
		"step_ms": spent / len(names),
		"mails": mailed,
		"mail_ms": spent / max(1, mailed),
		"drain": drain,
	}


if __name__ == "__main__":
	main()
