"""What is picked up again after a fault: jobs whose process was killed, mail cut off mid-send."""

from datetime import datetime, timedelta

from qingqian_app.domain import recovery

KILLED = "Work-horse terminated unexpectedly; waitpid returned 9 (signal 9); "
ABANDONED = "Moved to FailedJobRegistry, due to AbandonedJobError, at 2026-11-28 02:00:00"
BOOKKEEPING = "qingqian_app.workflow_guard.drain_bookkeeping"


def test_a_killed_or_abandoned_job_of_ours_is_queued_again():
	assert recovery.to_requeue(KILLED, BOOKKEEPING, 0)
	assert recovery.to_requeue(ABANDONED, "frappe.email.queue.flush", 1)
	assert recovery.to_requeue(
		KILLED, "frappe.core.doctype.scheduled_job_type.scheduled_job_type.run_scheduled_job", 2
	)


def test_a_job_that_failed_by_itself_or_keeps_dying_is_left_for_a_person():
	error = "Traceback (most recent call last):\n  ...\nfrappe.exceptions.ValidationError: 金额必须大于 0"
	assert not recovery.to_requeue(error, BOOKKEEPING, 0)
	assert not recovery.to_requeue(
		"rq.timeouts.JobTimeoutException: Task exceeded maximum timeout value", BOOKKEEPING, 0
	)
	assert not recovery.to_requeue(None, BOOKKEEPING, 0)
	duplicate = "pymysql.err.IntegrityError: (1062, \"Duplicate entry 'QQ-2026-00001' for key 'PRIMARY'\")"
	assert not recovery.to_requeue(duplicate, BOOKKEEPING, 0)
	assert not recovery.to_requeue(KILLED, BOOKKEEPING, recovery.REQUEUE_LIMIT)


def test_only_jobs_that_may_run_twice_are_requeued():
	assert not recovery.to_requeue(KILLED, "erpnext.accounts.utils.repost_gle", 0)
	assert not recovery.to_requeue(KILLED, None, 0)
	assert not recovery.to_requeue(KILLED, "qingqian", 0)  # a prefix, not a module of ours


def test_mail_cut_off_mid_send_goes_back_to_the_queue():
	now = datetime(2026, 11, 28, 10, 0)
	assert recovery.mail_stuck("Sending", now - timedelta(minutes=6), now)
	assert not recovery.mail_stuck("Sending", now - timedelta(minutes=4), now)  # may still be sending
	assert not recovery.mail_stuck("Not Sent", now - timedelta(hours=5), now)
	assert recovery.mail_status_after_interruption(any_recipient_sent=True) == "Partially Sent"
	assert recovery.mail_status_after_interruption(any_recipient_sent=False) == "Not Sent"


def test_a_step_cut_off_by_a_lost_database_waits_again_a_few_times():
	assert recovery.connection_lost(2013) and recovery.connection_lost(2006)
	assert not recovery.connection_lost(1054)  # an unknown column is the job's own fault
	assert recovery.step_again(1) and recovery.step_again(recovery.STEP_TRIES - 1)
	assert not recovery.step_again(recovery.STEP_TRIES)
	assert recovery.interrupted("pymysql.err.OperationalError: (2013, 'Lost connection')")
