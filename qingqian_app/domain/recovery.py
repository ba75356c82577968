"""What is picked up again after a fault (README “生产运行”): a background job whose process was
killed (the worker or its work horse: RQ moves it to the failed registry and nothing retries it)
and a mail whose sending was cut off (Frappe leaves it “Sending”, which its queue never sends
again). Pure Python; qingqian_app/operations/recovery.py applies it every few minutes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

# How a job ends that did not fail by its own doing: RQ's words for a job whose process died under
# it (rq.worker, rq.registry.StartedJobRegistry.cleanup), MariaDB's client errors for a database
# that was restarting (2003 can't connect, 2006 gone away, 2013 lost the connection) and its
# answers to two transactions in each other's way (1213 deadlock, 1205 lock wait timeout), which
# MariaDB itself says to try again
CONNECTION_LOST = (2003, 2006, 2013)
INTERRUPTED = (
	"Work-horse terminated unexpectedly",
	"AbandonedJobError",
	*(f"OperationalError: ({code}," for code in CONNECTION_LOST),
	"QueryDeadlockError: (1213,",
	"QueryTimeoutError: (1205,",
)
REQUEUE_LIMIT = 3  # a job that dies every time it runs is left in the failed registry for a person
# Jobs that may run again from the start without doing anything twice: the app's own (each checks
# what is already done: the ledger import's rows, the workflow's open actions, the day's reminders),
# Frappe's scheduled jobs (they run again on their next tick anyway), its mail sending (each
# recipient's status is kept; one already sent is skipped) and its workflow mails.
RERUNNABLE = (
	"qingqian_app.",
	"frappe.core.doctype.scheduled_job_type.scheduled_job_type.",
	"frappe.email.",
	# an approval mail sent twice is better than an approval nobody hears of
	"frappe.workflow.doctype.workflow_action.workflow_action.",
)
MAIL_STUCK_AFTER = timedelta(minutes=5)  # a send takes seconds; Frappe gives SMTP 2 minutes a step


def interrupted(exc_info: str | None) -> bool:
	"""The job did not fail by its own doing: its process was killed or lost, or the database
	was away."""
	return any(words in (exc_info or "") for words in INTERRUPTED)


def rerunnable(method: str | None) -> bool:
	return bool(method) and method.startswith(RERUNNABLE)


def to_requeue(exc_info: str | None, method: str | None, times_requeued: int) -> bool:
	return interrupted(exc_info) and rerunnable(method) and times_requeued < REQUEUE_LIMIT


# A workflow step whose bookkeeping was cut off (the database away, the job's time up) waits again,
# this many times in all; then it is logged for a person
STEP_TRIES = 3


def connection_lost(error_code) -> bool:
	"""A MariaDB client error (pymysql's first argument) that says the database was away."""
	return error_code in CONNECTION_LOST


def step_again(tries: int) -> bool:
	"""A step cut off after ``tries`` tries waits again."""
	return tries < STEP_TRIES


def mail_stuck(status: str, modified: datetime, now: datetime) -> bool:
	return status == "Sending" and now - modified > MAIL_STUCK_AFTER


def mail_status_after_interruption(any_recipient_sent: bool) -> str:
	"""The status that puts the mail back in Frappe's queue (its flush takes these two); the
	recipients already sent keep their own status and are not sent again."""
	return "Partially Sent" if any_recipient_sent else "Not Sent"
