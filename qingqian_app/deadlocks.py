"""A save that loses a deadlock is tried again, not answered with HTTP 500.

Two users saving the same record at once (a progress note and a workflow action, say) can
deadlock inside Frappe's own save: each locks the record, then its child rows, and MariaDB
picks one transaction to roll back. The 20-user load (benchmarks/load.py) met it on the ledger
and on the bare-Frappe anchor alike, as ``QueryDeadlockError`` and HTTP 500. Frappe retries a
background job that deadlocks; a request it does not. Here the desk's save and the workflow
action are run again after the rollback: the second try either saves, or meets the other
user's change and says so as Frappe does ("文档在你打开后已被修改"), never a server error.
"""

from __future__ import annotations

import time

import frappe

ATTEMPTS = 3


def retried(fn, *args, **kwargs):
	"""``fn(*args, **kwargs)``, run again (up to ATTEMPTS in all) when MariaDB chose it as a
	deadlock's victim; what the failed try queued for after its commit is dropped with it."""
	for attempt in range(1, ATTEMPTS + 1):
		try:
			return fn(*args, **kwargs)
		except frappe.QueryDeadlockError:
			if attempt == ATTEMPTS:
				raise
			frappe.db.rollback()
			frappe.local.message_log = []
			time.sleep(0.05 * attempt)


@frappe.whitelist(methods=["POST"])
def savedocs(doc, action):
	"""The desk form's save (``frappe.desk.form.save.savedocs``), tried again on a deadlock."""
	from frappe.desk.form import save

	return retried(save.savedocs, doc, action)
