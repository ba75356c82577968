"""After a fault (README “生产运行”, rules in qingqian_app/domain/recovery.py): every two minutes
(hooks.py ``scheduler_events``) the jobs of this site that a killed worker left behind are queued
again, mail that was cut off mid-send goes back to Frappe's mail queue, and workflow steps left
waiting with no job queued for them (qingqian_app/workflow_guard.py) get one.
"""

from __future__ import annotations

import frappe
from frappe.utils import now_datetime
from frappe.utils.background_jobs import get_queue, get_queue_list
from rq.job import Job
from rq.registry import FailedJobRegistry, StartedJobRegistry

from qingqian_app.domain import recovery as rules

META_KEY = "qingqian_requeued"


def every_two_minutes() -> dict:
	jobs = requeue_interrupted_jobs()  # first: a drain job queued again does its own hand
	return {"jobs": jobs, "mails": release_stuck_mail(), "bookkeeping": queue_waiting_bookkeeping()}


def queue_waiting_bookkeeping() -> int:
	"""Workflow steps left in the hand of a drain job that will not come back for them (failed
	for good, timed out, gone) are put back to wait, and the steps waiting get a drain job (one
	queued and not started is enough; each step queues one as it is taken: this covers a job
	that failed before it started, or was lost with the queue). Returns the steps waiting."""
	from qingqian_app import workflow_guard

	workflow_guard.release_hands()
	count = workflow_guard.waiting()
	if count:
		workflow_guard.queue_drain()
	return count


def requeue_interrupted_jobs() -> list[str]:
	requeued = []
	for name in get_queue_list():
		queue = get_queue(name)
		# a worker killed outright leaves its job "started" until its heartbeat expires (~90 s)
		StartedJobRegistry(queue=queue).cleanup()
		failed = FailedJobRegistry(queue=queue)
		for job in Job.fetch_many(failed.get_job_ids(), connection=queue.connection):
			if job is None or (job.kwargs or {}).get("site") != frappe.local.site:
				continue
			method = (job.kwargs or {}).get("job_name") or job.func_name
			times = int(job.meta.get(META_KEY, 0))
			if not rules.to_requeue(job.exc_info, method, times):
				continue
			job.meta[META_KEY] = times + 1
			job.save_meta()
			failed.requeue(job)
			requeued.append(f"{name}:{method}")
	if requeued:
		frappe.logger("qingqian").info(f"requeued interrupted jobs: {requeued}")
	return requeued


def release_stuck_mail() -> list[str]:
	now = now_datetime()
	released = []
	for mail in frappe.get_all("Email Queue", filters={"status": "Sending"}, fields=["name", "modified"]):
		if not rules.mail_stuck("Sending", mail.modified, now):
			continue
		sent = frappe.db.exists("Email Queue Recipient", {"parent": mail.name, "status": "Sent"})
		frappe.db.set_value(
			"Email Queue", mail.name, "status", rules.mail_status_after_interruption(bool(sent)),
			update_modified=False,
		)  # fmt: skip
		released.append(mail.name)
	return released
