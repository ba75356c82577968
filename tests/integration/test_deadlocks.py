"""A save that loses a deadlock to another user's is run again (qingqian_app/deadlocks.py)."""

import json

import frappe
import pytest

from qingqian_app import deadlocks


def test_a_try_chosen_as_a_deadlock_victim_is_rolled_back_and_run_again():
	tries, committed = [], []

	def save():
		tries.append(len(tries) + 1)
		frappe.db.after_commit.add(lambda: committed.append(len(tries)))
		if len(tries) == 1:
			raise frappe.QueryDeadlockError("Deadlock found when trying to get lock")
		return "saved"

	assert deadlocks.retried(save) == "saved"
	assert tries == [1, 2]
	frappe.db.commit()
	assert committed == [2]  # what the lost try queued for after its commit went with it


def test_a_save_that_keeps_deadlocking_fails_after_the_last_try():
	tries = []

	def save():
		tries.append(1)
		raise frappe.QueryDeadlockError("Deadlock found when trying to get lock")

	with pytest.raises(frappe.QueryDeadlockError):
		deadlocks.retried(save)
	assert len(tries) == deadlocks.ATTEMPTS


def test_the_desk_saves_through_the_retry():
	assert frappe.get_hooks("override_whitelisted_methods")["frappe.desk.form.save.savedocs"] == [
		"qingqian_app.deadlocks.savedocs"
	]
	frappe.local.response = frappe._dict(docs=[])  # as a request starts (not what tests before left)
	deadlocks.savedocs(json.dumps({"doctype": "ToDo", "description": "重试保存"}), "Save")
	saved = frappe.local.response.docs[0]
	assert frappe.db.get_value("ToDo", saved.name, "description") == "重试保存"


def test_the_workflow_bookkeeping_job_runs_again_after_a_deadlock(monkeypatch):
	from qingqian_app import workflow_guard

	tries = []

	def bookkeeping(*args):
		tries.append(args)
		if len(tries) == 1:
			raise frappe.QueryDeadlockError("Deadlock found when trying to get lock")

	monkeypatch.setattr(workflow_guard, "_bookkeeping", bookkeeping)
	workflow_guard.workflow_bookkeeping("Arrears Item", "QQ-2026-99999", "on_update")
	assert tries == [("Arrears Item", "QQ-2026-99999", "on_update", None)] * 2
