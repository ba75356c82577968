"""Per-state editing and workflow steps, enforced on the server for every DocType with a
workflow declared in ``workflows/`` (rules: qingqian_app.domain.editing).

Frappe checks "Only Allow Edit For" in the browser only and self-approval only inside
``apply_workflow``; ``/api/resource``, ``frappe.client.set_value``/``save``, bulk edit and
Data Import reach neither. So, on every save of such a record (doc_events ``before_validate``
for "*", hooks.py):

- the fields changed are checked against what the user's roles may change in the record's
  current state (a new record: what may be filled in at the first state); a field the
  server computes is never taken from the user; an append-only table keeps its saved rows;
- the state changes only through a workflow action. The action is not guessed from the
  states (two actions may join the same states: 批准延期 and 不予延期): the app's wrappers
  of Frappe's entry points (``apply_workflow``, ``bulk_workflow_approval``, the mail's
  ``confirm_action``; hooks.py ``override_whitelisted_methods``) say which action is being
  taken, and the controller reads the step from ``doc.flags.workflow_step``;
- a record past its first state is never deleted or renamed (不予列入 and 重复 instead).

The app's own server code (``ignore_permissions``, install, migrate, patches) is not
checked; Administrator may correct fields but changes a state only by a workflow action.
The desk form reads the same declaration (``boot_session``).
"""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from functools import cache
from urllib.parse import urlencode

import frappe
from frappe import _
from frappe.utils import cint, cstr, flt, get_datetime, get_url, getdate, nowdate

from qingqian_app import workflow_mail
from qingqian_app.domain import editing, ledger, recovery
from qingqian_app.sync.definitions import REPO_ROOT

LAYOUT = frozenset({"Section Break", "Column Break", "Tab Break", "HTML", "Heading", "Button", "Fold"})
STATE_FIELD = "workflow_state"


@cache
def all_rules() -> dict[str, editing.Rules]:
	"""The declarations of workflows/*.json, by DocType (read once per process)."""
	out = {}
	for path in sorted((REPO_ROOT / "workflows").glob("*.json")):
		rules = editing.rules_from_definition(json.loads(path.read_text(encoding="utf-8")))
		out[rules.doctype] = rules
	return out


def rules_for(doctype: str) -> editing.Rules | None:
	return all_rules().get(doctype)


def workflow_doctypes() -> list[str]:
	return sorted(all_rules())


# --- the action being taken ----------------------------------------------------------------


@contextmanager
def taking(doctype: str, name: str, action: str):
	"""While inside, a save of ``doctype`` ``name`` ("*": any of that DocType) takes ``action``."""
	actions = frappe.local.qingqian_actions = getattr(frappe.local, "qingqian_actions", None) or {}
	key = (doctype, name)
	actions[key] = action
	try:
		yield
	finally:
		actions.pop(key, None)


def _action(doc) -> str | None:
	actions = getattr(frappe.local, "qingqian_actions", None) or {}
	return actions.get((doc.doctype, doc.name)) or actions.get((doc.doctype, "*"))


def step(doc) -> editing.Transition | None:
	"""The workflow step this save takes (set by the guard), or None."""
	return doc.flags.get("workflow_step")


@frappe.whitelist(methods=["POST"])
def apply_workflow(doc, action):
	"""Frappe's ``apply_workflow`` with the action known to the guard."""
	from frappe.model import workflow

	from qingqian_app.deadlocks import retried

	parsed = doc if isinstance(doc, frappe.model.document.Document) else frappe._dict(frappe.parse_json(doc))
	with taking(parsed.doctype, parsed.name, action):
		return retried(workflow.apply_workflow, doc, action)  # it reloads the record each try


BULK_NOW, BULK_MAX = 20, 500  # as Frappe's bulk_workflow_approval


@frappe.whitelist(methods=["POST"])
def bulk_workflow_approval(docnames, doctype, action):
	"""Frappe's bulk approval from the list, with the action known (also when enqueued)."""
	names = frappe.parse_json(docnames)
	if len(names) > BULK_MAX:
		frappe.throw(_("一次最多批量处理 {0} 条").format(BULK_MAX), title=_("批量操作"))
	if len(names) < BULK_NOW:
		return bulk_action(names, doctype, action)
	frappe.msgprint(_("批量“{0}”已转入后台执行").format(action), alert=True)
	frappe.enqueue(
		"qingqian_app.workflow_guard.bulk_action",
		docnames=names,
		doctype=doctype,
		action=action,
		queue="short",
		timeout=1000,
	)


def bulk_action(docnames, doctype, action):
	from frappe.model.workflow import _bulk_workflow_action

	with taking(doctype, "*", action):
		_bulk_workflow_action(docnames, doctype, action)


@frappe.whitelist(allow_guest=True)
def confirm_action(doctype, docname, user, action):
	"""The approval mail's link (Frappe's ``confirm_action``), with the action known."""
	from frappe.workflow.doctype.workflow_action import workflow_action

	with taking(doctype, docname, action):
		return workflow_action.confirm_action(doctype, docname, user, action)


# --- Frappe's workflow-action bookkeeping -----------------------------------------------------

_frappe_process_workflow_actions = None


def process_workflow_actions(doc, state):
	"""Frappe's bookkeeping after each save of a record with a workflow (the approvers'
	Workflow Action entries and their mail, ~20 ms a save), for the DocTypes declared here:

	- a new record in its first state is a draft nobody else acts on yet (its one step is
	  its registrar's to take), so no approval entry or "待您处理" mail is made for it;
	- a save that leaves the state as it was (a progress note, a correction) changes nothing
	  there: the entries were made when the record reached its state (Frappe's own run
	  returns early then too), so nothing is queued for it;
	- otherwise the bookkeeping runs in the queue after the save commits, so that saving
	  stays cheap; the entries and mail are the same, a moment later. A record has one step
	  waiting at most: a step taken while its record's waits replaces it, and the latest step's
	  bookkeeping is done, as the user who took it; steps waiting are done by drain jobs, each
	  taking one record after another (:func:`queue_bookkeeping`, :func:`drain_bookkeeping`);
	  a step whose record has left the state it reached meanwhile does nothing (the step that
	  moved it does the work): nobody is mailed to act on a state the record is no longer in;
	- the mail goes to everyone who may act, except on a record come back to a state it has
	  left before: to whoever last took it out of that state, if they may act, with a link to
	  the record's form instead of the form (the rule: editing.to_mail; who moved it: the
	  record's Version log, :func:`state_moves`).

	Frappe runs ``process_workflow_actions`` from its own doc_events (``on_update``, also
	``on_trash``); :func:`install` puts this in its place."""
	rules = rules_for(doc.doctype)
	if rules is None or state == "on_trash":
		return _frappe_process_workflow_actions(doc, state)
	if doc.get(STATE_FIELD) == rules.initial_state and doc.flags.get("qingqian_inserted"):
		return
	if not doc.has_value_changed(STATE_FIELD):
		return
	step = (doc.doctype, doc.name, state, doc.get(STATE_FIELD), frappe.session.user)
	if frappe.flags.in_test:
		return workflow_bookkeeping(*step[:4])
	frappe.db.after_commit.add(lambda: queue_bookkeeping(*step))


# Steps waiting for their bookkeeping, in the queue's Redis beside the jobs (the cache's Redis
# evicts keys and is emptied by every clear_cache): the records with a step waiting (a set of
# [doctype, name] as JSON), each record's latest step ([state, reached, user, tries] as JSON, under
# the record), whether a drain job is queued and has not started (a flag), each drain job's hand
# (the steps it has taken, kept until each is done) and the hands there are (a set). Keys: PREFIX,
# the bench and the site; under "rq:", where Frappe's Redis users for the queue (use_rq_auth) may
# write.
PREFIX = "rq:bookkeeping:qingqian"
PENDING_SECONDS = 3600  # a step waits this long at most
QUEUED_SECONDS = 300  # a drain job that was queued and never started stops nobody queueing one after
DRAIN_SECONDS = 60  # a drain job takes records this long, then leaves the rest to the next one
# a waiting record's latest step taken into a job's hand, at once (a job killed midway loses nothing)
_TAKE = """
while true do
	local record = redis.call('SPOP', KEYS[1])
	if not record then return false end
	local note = redis.call('GETDEL', ARGV[1] .. record)
	if note then
		local step = record .. '\\n' .. note
		redis.call('SADD', KEYS[2], step)
		redis.call('EXPIRE', KEYS[2], ARGV[2])
		redis.call('SADD', KEYS[3], KEYS[2])
		return step
	end
end
"""
# a step out of a job's hand, put back to wait unless its record has a later one waiting, at once
_PUT_BACK = """
if ARGV[2] ~= '' and redis.call('SET', KEYS[2], ARGV[2], 'NX', 'EX', ARGV[3]) then
	redis.call('SADD', KEYS[1], ARGV[1])
end
redis.call('SREM', KEYS[3], ARGV[4])
return 1
"""


def _key(*parts: str) -> str:
	return ":".join((PREFIX, _bench_id(), frappe.local.site, *parts))


@cache
def _bench_id() -> str:
	"""Frappe's ``get_bench_id`` (the bench's config, else its path resolved on disk), read once:
	it is the same for the process's life, and keys are made several times a step."""
	from frappe.utils import get_bench_id

	return get_bench_id()


def _redis():
	from frappe.utils.background_jobs import get_redis_conn

	return get_redis_conn()


def queue_bookkeeping(doctype: str, name: str, state: str, reached: str, user: str):
	"""After a step commits: note it as its record's latest step (a step the record had waiting
	is replaced), and queue a drain job unless one is queued already (it finds the note when it
	starts)."""
	record = json.dumps([doctype, name])
	redis = _redis()
	with redis.pipeline() as both:  # (MULTI: both or neither)
		both.set(_key("step", record), json.dumps([state, reached, user, 0]), ex=PENDING_SECONDS)
		both.sadd(_key("waiting"), record)
		both.execute()
	queue_drain(redis)


def queue_drain(redis=None) -> bool:
	"""A drain job queued, unless one is queued and has not started yet."""
	redis, flag = redis or _redis(), _key("queued")
	if not redis.set(flag, 1, nx=True, ex=QUEUED_SECONDS):
		return False
	try:
		frappe.enqueue("qingqian_app.workflow_guard.drain_bookkeeping", queue="short")
	except Exception:
		redis.delete(flag)
		raise
	return True


def waiting(redis=None) -> int:
	"""Records with a step waiting for a drain job."""
	return (redis or _redis()).scard(_key("waiting"))


def drain_bookkeeping():
	"""The queued bookkeeping: the waiting steps done one record after another, each as the
	user who took it, in their language, and committed on its own, until none is waiting (or
	DRAIN_SECONDS have passed: the rest to another job). Under load a job does many records:
	the process Frappe's worker forks for each job, with its imports, site and database
	connection, is set up once for all of them, which halves a step's CPU (benchmarks/jobs.py).
	A job that finds more waiting than the step it took queues another, so that every worker
	takes part.

	The steps a job has taken stay in its hand in Redis until each is done: the same job queued
	again by the recovery (qingqian_app/operations/recovery.py) after its process was killed
	does those first, and the recovery puts a hand no job will come back for back to wait
	(:func:`release_hands`). A step whose bookkeeping fails is rolled back and logged; one that
	lost a deadlock even after its tries, or was cut off by a lost database or the job's time
	(the job then ends), waits again, up to recovery.STEP_TRIES tries in all."""
	from rq import get_current_job

	redis = _redis()
	redis.delete(_key("queued"))  # started: a step from now on queues the next job
	job = get_current_job()
	hand = _key("hand", job.id if job else frappe.generate_hash(length=12))
	held = [step.decode() for step in redis.smembers(hand)]  # this job's, from a run killed midway
	take = redis.register_script(_TAKE)
	lang, deadline, helped = frappe.local.lang, time.monotonic() + DRAIN_SECONDS, False
	while time.monotonic() < deadline:
		step = held.pop() if held else take(keys=[_key("waiting"), hand, _key("hands")], args=[_key("step", ""), PENDING_SECONDS])  # fmt: skip
		if step is None:
			return
		step = step if isinstance(step, str) else step.decode()
		if not helped and waiting(redis):
			helped = queue_drain(redis)
		frappe.local.lang = lang  # the job's own: a user without a language gets it, not the last one's
		_do(redis, hand, step)
	if waiting(redis):
		queue_drain(redis)


def _do(redis, hand: str, step: str):
	"""One step out of the job's hand: done, failed and logged, or put back to wait. A step that
	leaves otherwise (the process killed) stays in the hand for the recovery."""
	record, (doctype, name), note = _parts(step)
	state, reached, user, _tries = note
	again = _next_try(note)
	try:
		_as_a_new_request(user)
		workflow_bookkeeping(doctype, name, state, reached)
		frappe.db.commit()
		done = None
	except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
		frappe.db.rollback()
		done = again  # (it lost a deadlock after its tries)
	except Exception as e:
		if _cut_off(e):  # the job cannot go on (the database away, its time up): it ends
			_put_back(redis, hand, step, record, again)
			if again is None:
				frappe.logger("qingqian").error(f"workflow bookkeeping of {doctype} {name} given up: {e!r}")
			raise
		frappe.db.rollback()
		frappe.log_error(title=_("审批待办与提醒邮件未能生成：{0} {1}").format(_(doctype), name))
		frappe.db.commit()
		done = None
	_put_back(redis, hand, step, record, done)


def _cut_off(error: Exception) -> bool:
	"""The job was cut off, not failed by the record: RQ's timeout, or MariaDB away."""
	from pymysql.err import InterfaceError, OperationalError
	from rq.timeouts import BaseTimeoutException

	if isinstance(error, BaseTimeoutException | InterfaceError):
		return True
	return isinstance(error, OperationalError) and recovery.connection_lost(
		error.args[0] if error.args else None
	)


def _parts(step: str) -> tuple[str, list, list]:
	"""A step as a hand holds it: the record's JSON, (doctype, name), [state, reached, user, tries]."""
	record, note = step.split("\n", 1)
	return record, json.loads(record), json.loads(note)


def _next_try(note: list) -> list | None:
	"""The step to wait again with one more try counted; None once its tries are used up."""
	state, reached, user, tries = note
	return [state, reached, user, tries + 1] if recovery.step_again(tries + 1) else None


def _put_back(redis, hand: str, step: str, record: str, note: list | None):
	"""The step out of the hand; with ``note``, waiting again (unless a later one waits)."""
	redis.register_script(_PUT_BACK)(
		keys=[_key("waiting"), _key("step", record), hand],
		args=[record, json.dumps(note) if note else "", PENDING_SECONDS, step],
	)


def _as_a_new_request(user: str):
	"""What one record's bookkeeping finds in the process is what a job of its own would find:
	the step's user and language, no messages, no values cached by the record before it."""
	frappe.set_user(user)
	frappe.set_user_lang(user)
	frappe.local.message_log = []
	if hasattr(frappe.local, "request_cache"):
		frappe.local.request_cache.clear()
	frappe.db.value_cache.clear()
	frappe.local.qingqian_scopes = {}
	frappe.flags.ignore_print_permissions = False


def release_hands() -> int:
	"""The steps in the hand of a drain job that will not come back for them (it ended, failed
	for good, or is gone from RQ), put back to wait with one more try counted: the recovery runs
	this after it has queued again the jobs that were killed. Returns how many were put back."""
	from rq.exceptions import NoSuchJobError
	from rq.job import Job, JobStatus

	redis, hands, back, job_of = _redis(), _key("hands"), 0, len(_key("hand", ""))
	alive = (JobStatus.QUEUED, JobStatus.STARTED, JobStatus.DEFERRED, JobStatus.SCHEDULED)
	for hand in redis.smembers(hands):
		hand = hand.decode()
		try:
			status = Job.fetch(hand[job_of:], connection=redis).get_status()
		except NoSuchJobError:
			status = None
		if status in alive and redis.exists(hand):
			continue
		for step in redis.smembers(hand):
			step = step.decode()
			record, _doc, note = _parts(step)
			again = _next_try(note)
			_put_back(redis, hand, step, record, again)
			if again:
				back += 1
			else:  # (a step that kills its job each time ends)
				frappe.logger("qingqian").error(f"workflow bookkeeping given up: {record}")
		redis.srem(hands, hand)
	return back


def workflow_bookkeeping(
	doctype: str, name: str, state: str, reached: str | None = None, pending: bool = False
):
	"""One step's bookkeeping: the approvers' entries, then their mail (its PDF, if it has one,
	rendered once, here), as the session's user. Two drain jobs can have steps of one record at once, and
	deadlock on its entries (met under load): the loser is rolled back and run again, as a desk
	save is. ``pending``: a job queued for one record by an earlier release of the app, which
	takes the record's latest step first."""
	from qingqian_app.deadlocks import retried

	if pending:  # its note of the record's latest step, in the cache's Redis then
		note = frappe.cache.getdel(frappe.cache.make_key(f"qingqian:bookkeeping:{doctype}:{name}"))
		if note:
			state, reached, user = json.loads(note)
			if user != frappe.session.user:
				frappe.set_user(user)
	retried(_bookkeeping, doctype, name, state, reached)


def _bookkeeping(doctype: str, name: str, state: str, reached: str | None = None):
	from frappe.workflow.doctype.workflow_action import workflow_action

	try:
		doc = frappe.get_doc(doctype, name)
	except frappe.DoesNotExistError:
		return  # deleted since
	if reached and doc.get(STATE_FIELD) != reached:
		return  # moved on since: its next step's job does the work
	forget_finished_entries(doc)  # (a deletion's bookkeeping is Frappe's own, never queued here)
	queue, users, common = (
		workflow_action.enqueue,
		workflow_action.get_users_next_action_data,
		workflow_action.get_common_email_args,
	)
	mailing: editing.Mailing | None = None  # editing.to_mail's answer, once Frappe asks whom to mail

	def now(method, **kwargs):
		return queue(method, **{**kwargs, "now": True})

	def to_mail(transitions, doc):
		nonlocal mailing
		state, moves = doc.get(STATE_FIELD), list(state_moves(doc))
		who = editing.handler(moves, state)
		actions = {t.action for t in transitions}
		if who:  # the handler alone first: everyone's permission is checked only when needed
			mine = _users_among(users, transitions, doc, who)
			mailing = editing.to_mail(_actions(mine), actions, moves, state)
			if not mailing.form_attached:
				return mine
		eligible = users(transitions, doc)
		mailing = editing.to_mail(_actions(eligible), actions, moves, state)
		return {user: eligible[user] for user in mailing.recipients}

	def email_args(doc):  # asked after to_mail (Frappe's send_workflow_action_email)
		args = (mailing and not mailing.form_attached and _with_form_link(doc)) or common(doc)
		return {**args, "header": _(args["header"])}  # Frappe's heading, in the mail's language

	workflow_action.enqueue, workflow_action.get_users_next_action_data = now, to_mail
	workflow_action.get_common_email_args = email_args
	try:
		with workflow_mail.made_once():
			_frappe_process_workflow_actions(doc, state)
	finally:
		workflow_action.enqueue, workflow_action.get_users_next_action_data = queue, users
		workflow_action.get_common_email_args = common


FORM_LINK = "form_link"  # the mail template's name for the link to the record's form


def _with_form_link(doc) -> dict | None:
	"""The mail as Frappe's get_common_email_args makes it, without the record's form attached
	(no PDF made): its template given ``form_link``, a link to the form's PDF through the login
	(the reader's own download: Frappe's download_pdf, with their permission, the record as it is
	when they open it; one not signed in in the browser signs in first). None where the state's
	template gives no link (the office's own wording, another workflow's): the form is attached
	then, so that no mail says less than its text."""
	from frappe.workflow.doctype.workflow_action import workflow_action

	template = workflow_action.get_email_template(doc)
	if not template or FORM_LINK not in (template.response or ""):
		return None
	query = {"doctype": doc.doctype, "name": doc.name, "format": doc.meta.default_print_format or "Standard"}
	pdf = f"/api/method/frappe.utils.print_format.download_pdf?{urlencode(query)}"
	context = {**vars(doc), FORM_LINK: get_url(f"/login?{urlencode({'redirect-to': pdf})}")}
	return {
		"template": "workflow_action",
		"header": "Workflow Action",
		"attachments": [],
		"subject": frappe.render_template(template.subject, context),
		"message": frappe.render_template(template.response, context),
	}


def _actions(users: dict) -> dict:
	"""Frappe's users to mail (user → their possible actions and links): user → action names."""
	return {user: {a.action_name for a in data.possible_actions} for user, data in users.items()}


def _users_among(users, transitions, doc, who: str) -> dict:
	"""Frappe's ``get_users_next_action_data`` for one user: the role holders it checks narrowed
	to ``who`` (each holder costs a permission check on the record)."""
	from frappe.workflow.doctype.workflow_action import workflow_action

	holders = workflow_action.get_users_with_role
	workflow_action.get_users_with_role = lambda role: [u for u in holders(role) if u == who]
	try:
		return users(transitions, doc)
	finally:
		workflow_action.get_users_with_role = holders


MOVES_PAGE = 10  # versions read at a time, newest first, until the state's last leaving is found


def state_moves(doc):
	"""The record's state changes, newest first, as (user, from state, to state): from its
	Version log (every DocType with a workflow here tracks changes), read a page at a time, as
	far as the last leaving of the state it is in now (editing.handler needs no more)."""
	state, start = doc.get(STATE_FIELD), 0
	while True:
		rows = frappe.get_all(
			"Version",
			filters={"ref_doctype": doc.doctype, "docname": doc.name, "data": ["like", f'%"{STATE_FIELD}"%']},
			fields=["owner", "data"],
			order_by="creation desc, name desc",
			start=start,
			limit=MOVES_PAGE,
		)
		for row in rows:
			for change in json.loads(row.data).get("changed") or ():
				if change[0] == STATE_FIELD:
					yield row.owner, change[1], change[2]
					if change[1] == state:
						return
		if len(rows) < MOVES_PAGE:
			return
		start += MOVES_PAGE


def forget_finished_entries(doc):
	"""Frappe makes the approvers' entries and mail only the first time a record reaches a state:
	any entry of that state, even one completed long ago, stops it, so that an item sent back
	(退回) and reported again would reach nobody's 我的待审批 or mailbox the second time. The
	record's completed entries of the state it is in now are removed (what was done stays in
	its timeline), so that Frappe makes them, and the mail (editing.to_mail says to whom), anew;
	an open entry is left as it is."""
	frappe.db.delete(
		"Workflow Action",
		{
			"reference_doctype": doc.doctype,
			"reference_name": doc.name,
			"workflow_state": doc.get(STATE_FIELD),
			"status": ["!=", "Open"],
		},
	)


def install(**kwargs):
	"""Put :func:`process_workflow_actions` in the place of Frappe's in this process (once;
	hooks.py before_request and before_job)."""
	global _frappe_process_workflow_actions
	if _frappe_process_workflow_actions is not None:
		return
	from frappe.workflow.doctype.workflow_action import workflow_action

	_frappe_process_workflow_actions = workflow_action.process_workflow_actions
	workflow_action.process_workflow_actions = process_workflow_actions


# --- the checks on save --------------------------------------------------------------------


def _server_code(doc) -> bool:
	"""The app's own code acting on a record (``ignore_permissions``), or install, migrate,
	patches: trusted with the state and the fields. Administrator is trusted with the
	fields, never with a state change outside a workflow action."""
	f = frappe.flags
	return bool(doc.flags.ignore_permissions or f.in_install or f.in_migrate or f.in_patch or f.in_fixtures)


def before_validate(doc, method=None):
	"""doc_events "*" before_validate: the declaration, for DocTypes that have one."""
	rules = rules_for(doc.doctype)
	if rules is None:
		return
	before = None if doc.is_new() else doc.get_doc_before_save()
	doc.flags.qingqian_inserted = before is None
	server = _server_code(doc)
	roles = frozenset(frappe.get_roles())
	_check_state(doc, before, rules, roles, server)
	if server or frappe.session.user == "Administrator":
		return
	fields = field_kinds(doc.meta)
	if before is None:
		state, baseline = rules.initial_state, _new_record_values(doc.doctype, fields)
		allowed = rules.editable(state, roles)
		if not allowed:
			frappe.throw(
				_("您不能登记{0}").format(_(doc.doctype)), frappe.PermissionError, title=_("不能新建")
			)
	else:
		state, baseline = before.get(STATE_FIELD) or rules.initial_state, values(before, fields)
		allowed = rules.editable(state, roles)
	sent = values(doc, fields)
	changes = editing.refused_changes(fields, baseline, sent, allowed, rules.append_only)
	if changes and _shown_otherwise(before) and any(c.reason == "computed" for c in changes):
		# the form was given some computed values as of today (the DocType's onload: an item's
		# overdue days and interest), not as stored: sent back as shown, they are not a change
		shown = values(_as_shown(before), fields)
		again = editing.refused_changes(fields, shown, sent, allowed, rules.append_only)
		still = {c.fieldname for c in again if c.reason == "computed"}
		changes = [c for c in changes if c.reason != "computed" or c.fieldname in still]
	if changes:
		_refuse(doc, state, changes, new=before is None)


def _shown_otherwise(before) -> bool:
	"""A stored record whose controller changes it as the form loads it (an ``onload``)."""
	return before is not None and callable(getattr(type(before), "onload", None))


def _as_shown(before):
	"""The stored record as Frappe's form load gives it (``getdoc`` runs its ``onload``), on a
	copy: the record before the save stays as Frappe compares and versions it."""
	shown = frappe.get_doc(before.as_dict())
	shown.run_method("onload")
	return shown


def _check_state(doc, before, rules: editing.Rules, roles, trusted: bool):
	old = (before.get(STATE_FIELD) if before else None) or None
	new = doc.get(STATE_FIELD) or None
	if before is None:
		if new not in (None, rules.initial_state) and not trusted:
			frappe.throw(
				_("新建的{0}须从“{1}”开始").format(_(doc.doctype), rules.initial_state),
				frappe.PermissionError,
				title=_("流程"),
			)
		return
	if old == new or old is None:
		return
	action = _action(doc)
	if action is None:
		if trusted:
			return
		frappe.throw(
			_("状态只能通过流程操作改变（不能直接从“{0}”改为“{1}”）").format(old, new),
			frappe.PermissionError,
			title=_("流程"),
		)
	t = rules.step(old, action, roles)
	if t is None or t.to_state != new:
		frappe.throw(
			_("您不能在“{0}”状态执行“{1}”").format(old, action), frappe.PermissionError, title=_("流程")
		)
	user = frappe.session.user
	if not t.self_approval_allowed and user != "Administrator" and user == doc.owner:
		frappe.throw(
			_("“{0}”须由他人审批，不能审批本人登记的单据").format(action),
			frappe.PermissionError,
			title=_("不能自行审批"),
		)
	doc.flags.workflow_step = t


def _refuse(doc, state: str, changes: list[editing.Change], new: bool):
	def labels(reason):
		return "、".join(_(doc.meta.get_label(c.fieldname)) for c in changes if c.reason == reason)

	parts = []
	if labels("edit"):
		parts.append(
			_("新建{0}时您不能填写：{1}").format(_(doc.doctype), labels("edit"))
			if new
			else _("{0}处于“{1}”状态，您不能修改：{2}").format(_(doc.doctype), state, labels("edit"))
		)
	if labels("computed"):
		parts.append(_("由系统计算或记录，不能填写：{0}").format(labels("computed")))
	if labels("log"):
		parts.append(_("已保存的记录不能修改或删除，只能新增：{0}").format(labels("log")))
	frappe.throw("<br>".join(parts), frappe.PermissionError, title=_("不能修改"))


def on_trash(doc, method=None):
	"""Past its first state a record stays: 不予列入 or 重复, never deleted."""
	rules = rules_for(doc.doctype)
	if rules is None or frappe.flags.qingqian_purge_test_records:
		return
	if doc.get(STATE_FIELD) not in (None, "", rules.initial_state):
		frappe.throw(
			_("{0} {1} 已进入流程（{2}），不能删除：不属于范围的请“不予列入”，重复登记的请“标记重复”").format(
				_(doc.doctype), doc.name, doc.get(STATE_FIELD)
			),
			frappe.PermissionError,
			title=_("不能删除"),
		)


def before_rename(doc, method=None, old=None, new=None, merge=False):
	rules = rules_for(doc.doctype)
	if rules is not None and doc.get(STATE_FIELD) not in (None, "", rules.initial_state):
		frappe.throw(
			_("{0} {1} 已进入流程，不能改名").format(_(doc.doctype), doc.name), frappe.PermissionError
		)


# --- fields and values, for the domain rules --------------------------------------------------


def _new_record_values(doctype: str, fields) -> dict:
	"""What a new record holds before the user fills anything in (its defaults), once per
	request."""
	cache = frappe.local.qingqian_new_values = getattr(frappe.local, "qingqian_new_values", None) or {}
	key = (doctype, frappe.session.user)
	if key not in cache:
		cache[key] = values(frappe.new_doc(doctype), fields)
	return cache[key]


def field_kinds(meta) -> dict[str, editing.Field]:
	cache = frappe.local.qingqian_field_kinds = getattr(frappe.local, "qingqian_field_kinds", None) or {}
	if meta.name not in cache:
		cache[meta.name] = _field_kinds(meta)
	return cache[meta.name]


def _field_kinds(meta) -> dict[str, editing.Field]:
	out = {}
	for df in meta.fields:
		if df.fieldtype in LAYOUT or df.fieldname == STATE_FIELD:
			continue
		if df.fieldtype in ("Table", "Table MultiSelect"):
			child = frappe.get_meta(df.options)
			out[df.fieldname] = editing.Field(
				editing.TABLE,
				computed_columns=frozenset(
					c.fieldname for c in child.fields if c.read_only and not c.fetch_from
				),
				read_only_table=bool(df.read_only),
			)
		elif df.fetch_from:
			out[df.fieldname] = editing.Field(editing.FETCHED, fieldtype=df.fieldtype)
		elif df.read_only or df.hidden:
			out[df.fieldname] = editing.Field(editing.COMPUTED, fieldtype=df.fieldtype)
		else:
			out[df.fieldname] = editing.Field(editing.INPUT, fieldtype=df.fieldtype)
	return out


def values(doc, fields: dict[str, editing.Field]) -> dict:
	out = {}
	for name, f in fields.items():
		if f.kind == editing.TABLE:
			out[name] = [_row(r) for r in doc.get(name) or []]
		else:
			out[name] = normalise(f.fieldtype, doc.get(name))
	return out


def _row(row) -> dict:
	meta = frappe.get_meta(row.doctype)
	out = {"name": row.name}
	for df in meta.fields:
		if df.fieldtype in LAYOUT or df.fetch_from:  # a column copied from its link follows the link
			continue
		value = normalise(df.fieldtype, row.get(df.fieldname))
		if df.read_only and value == _default(df):
			value = None  # a column's default (a new row's reporter): the server's to set
		out[df.fieldname] = value
	return out


def _default(df):
	if df.default == "__user":
		return frappe.session.user
	if df.default == "Today":
		return getdate(nowdate())
	return normalise(df.fieldtype, df.default)


def normalise(fieldtype: str, v):
	"""A value as stored, whatever form it came in (a REST client sends dates as text)."""
	if fieldtype == "Date":
		return getdate(v) if v else None
	if fieldtype == "Datetime":
		return get_datetime(v) if v else None
	if fieldtype == "Currency":
		return flt(v, 2)
	if fieldtype in ("Float", "Percent"):
		return flt(v, 6)
	if fieldtype in ("Int", "Check"):
		return cint(v)
	return cstr(v).strip() or None


# --- the desk form reads the same declaration ------------------------------------------------


def boot_session(bootinfo):
	from qingqian_app.documents import declarations, kinds_of

	doctypes = {m["doc_type"] for m in declarations().values()}
	bootinfo.qingqian_document_kinds = {dt: kinds_of(dt) for dt in sorted(doctypes) if kinds_of(dt)}
	bootinfo.qingqian_blank_zero = {dt: list(fields) for dt, fields in ledger.BLANK_WHEN_ZERO.items()}
	bootinfo.qingqian_edit_rules = {
		dt: {
			"initial": r.initial_state,
			"fields": sorted(r.fields),
			"append_only": sorted(r.append_only),
			"edit": {
				state: {role: sorted(fs) for role, fs in roles.items()} for state, roles in r.edit.items()
			},
		}
		for dt, r in all_rules().items()
	}


def throw_problems(doc, found, title: str):
	"""Domain problems as one error naming each field by its label."""
	if found:
		frappe.throw(
			"<br>".join(f"{_(doc.meta.get_label(p.fieldname))}：{p.message}" for p in found), title=_(title)
		)
