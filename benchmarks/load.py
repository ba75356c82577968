"""Load held: concurrent users doing a clerk's day on the production setup, against the same mix
on a bare Frappe DocType of the same shape in the same run (the anchor). Prints figures, asserts
nothing; bounded in time and count, loopback only. Run from the bench's sites directory:

    ../env/bin/python benchmarks/load.py --site SITE --url https://localhost [--users 20] [--seconds 120]
        [--anchor-first] [--rounds N]

The mix, per user and request, as the desk makes them: the list with filters and its count
(frappe.desk.reportview.get / get_count, the count bounded as the list view bounds it), opening a record (frappe.desk.form.load.getdoc),
saving a progress note (frappe.desk.form.save.savedocs), a workflow action (apply_workflow:
报送 by the unit's reporters, 退回 by the competent unit's heads, so items go round), and a PDF
(download_pdf: 台账登记表 for the ledger, Frappe's Standard format, wkhtmltopdf, for the anchor).

The anchor, "Qingqian Load Anchor": every field of Arrears Item, each of its child tables (progress
notes, responsibility history, repayments) as a child DocType of the same fields, the same rows
and children copied, a two-state Frappe workflow with the same roles and mail; no
controller, no unit scope, no per-state editing. Frappe mails the approvers only the first time
a record reaches a state; the ledger mails each time, a record come back to a state to whoever
last took it out of it, with a link to its PDF rather than the PDF (qingqian_app.domain.editing.to_mail),
so the mails per action differ.
A concurrent edit of the same record must come back as Frappe's "changed by someone else"
(counted as a conflict), never a 5xx (an error).
After each run the time the background queues take to drain the workflow mails (the PDF
attached to each first visit's) is printed too. Which side runs first moves the figures (a run warms the machine
for the next): ``--rounds N`` runs the sides in turns, the order reversed every other round
(ledger, anchor, anchor, ledger, ...), and compares what each side did over all its runs. ``--cleanup`` removes the load users, items and the anchor.

Refuses a site without ``qingqian_test_site`` unless QINGQIAN_ALLOW_REAL_SITE=1 (it makes users
and items), like scripts/test.sh.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import threading
import time
from collections import defaultdict

import frappe
import requests
import urllib3
from common import LIST_FIELDS, refuse_real_site
from frappe.model import no_value_fields

from qingqian_app.operations.drills import ENTERPRISE, UNIT

ANCHOR, ANCHOR_NOTE, ANCHOR_FLOW = (
	"Qingqian Load Anchor",
	"Qingqian Load Anchor Note",
	"Qingqian Load Anchor Flow",
)
# the ledger's child tables and the anchor's copies of them (same fields, same rows)
ANCHOR_TABLES = {
	"Arrears Progress Update": ANCHOR_NOTE,
	"Arrears Responsibility": "Qingqian Load Anchor Responsibility",
	"Arrears Repayment": "Qingqian Load Anchor Repayment",
}
MARK = "APITEST-LOAD-"  # removed with the API suite's records (qingqian_app.testing)
DOMAIN = "@load.qingqian.example.com"
# who the users are: (name, demo user they copy, how many of the 20 per 20)
PROFILES = [("reporter", "debtor.reporter", 10), ("head", "finance.head", 5), ("office", "office.staff", 5)]
# what each kind of user does, and how often (weights)
MIX = {
	"reporter": {"list": 35, "open": 30, "note": 20, "action": 15},
	"head": {"list": 40, "open": 35, "action": 25},
	"office": {"list": 40, "open": 35, "pdf": 25},
}
ACTIONS = {"reporter": ("待报送", "报送"), "head": ("待审核", "退回")}
COUNT_UPPER_BOUND = 1001  # frappe/public/js/frappe/list/list_view.js
ITEMS = 60  # fresh items of the unit going round 待报送 ⇄ 待审核


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("--site", required=True)
	ap.add_argument("--url", required=True)
	ap.add_argument("--users", type=int, default=20)
	ap.add_argument("--seconds", type=int, default=120)
	ap.add_argument("--anchor-first", action="store_true", help="run the anchor first (what the order does)")
	ap.add_argument(
		"--rounds",
		type=int,
		default=1,
		help="runs of each side, in turns (ABBA; even: each side first as often)",
	)
	ap.add_argument("--cleanup", action="store_true")
	args = ap.parse_args()
	if args.rounds < 1:
		ap.error("--rounds: at least 1 (an even number gives each side as many first turns)")
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	refuse_real_site(args.site)
	frappe.set_user("Administrator")
	if args.cleanup:
		return cleanup()
	password = frappe.conf.get("qingqian_demo_password")
	mail_to_sink()
	users = prepare_users(args.users, password)
	prepare_items()
	prepare_anchor()
	frappe.db.commit()
	print(f"site {args.site} via {args.url}: {args.users} users, {args.seconds} s each, "
		f"{frappe.db.count('Arrears Item'):,} ledger items, {frappe.db.count(ANCHOR):,} anchor rows")  # fmt: skip
	first = [ANCHOR, "Arrears Item"] if args.anchor_first else ["Arrears Item", ANCHOR]
	order = turns(first, args.rounds)
	runs = defaultdict(list)
	for i, target in enumerate(order, 1):
		runs[target].append(one_run(args, target, users, password))
		res = runs[target][-1]
		print(f"run {i}/{len(order)}: {label(target)} {rate(res):.1f} req/s, "
			f"{res['backlog']} jobs or workflow steps waiting or running at its end, drain {res['drain']:.2f} s", flush=True)  # fmt: skip
	results = {target: pooled(each) for target, each in runs.items()}
	report(results)
	frappe.destroy()


def one_run(args, target, users, password):
	forget_workflow_actions(target)
	forget_notes(target)
	mails_before = frappe.db.count("Email Queue", {"reference_doctype": target})
	fresh_workers(args.url)  # each run starts from new web workers: their size after it is its own
	cpu = cpu_seconds()
	res = run(args, target, users, password)
	res["rss"] = worker_rss()
	frappe.db.rollback()
	res["mails_in_run"] = frappe.db.count("Email Queue", {"reference_doctype": target}) - mails_before
	res["backlog"] = pending_jobs()
	res["drain"] = drain_time(target)
	after = cpu_seconds()
	res["cpu"] = {k: after.get(k, 0) - cpu.get(k, 0) for k in after}
	frappe.db.rollback()  # a fresh snapshot: the mails the drained jobs queued
	res["mails"] = frappe.db.count("Email Queue", {"reference_doctype": target}) - mails_before
	return res


def pooled(each: list[dict]) -> dict:
	"""One side's runs as one: requests, time, outcomes, mails and CPU added up; the median drain;
	the largest workers'."""
	out = {"stats": defaultdict(list), "outcomes": defaultdict(lambda: defaultdict(int)), "samples": [],
		"elapsed": 0.0, "mails": 0, "mails_in_run": 0, "backlogs": [], "cpu": defaultdict(float), "rss": []}  # fmt: skip
	for res in each:
		for kind, values in res["stats"].items():
			out["stats"][kind] += values
		for kind, counts in res["outcomes"].items():
			for outcome, n in counts.items():
				out["outcomes"][kind][outcome] += n
		for k, v in res["cpu"].items():
			out["cpu"][k] += v
		for sample in res["samples"]:  # three of each outcome, as a run keeps them
			if sum(kept.split()[0] == sample.split()[0] for kept in out["samples"]) < 3:
				out["samples"].append(sample)
		out["elapsed"] += res["elapsed"]
		out["mails"] += res["mails"]
		out["mails_in_run"] += res["mails_in_run"]
		out["backlogs"].append(res["backlog"])
		out["rss"] = max(out["rss"], res["rss"], key=lambda r: max(r, default=0))
	drains = sorted(res["drain"] for res in each)
	out["drain"] = statistics.median(drains)
	out["drains"] = drains
	out["runs"] = len(each)
	return out


def turns(first: list[str], rounds: int) -> list[str]:
	"""The sides in turns, the order reversed every other round (A B B A ...): neither side
	always has the machine as the other left it."""
	return [t for r in range(rounds) for t in (first if r % 2 == 0 else first[::-1])]


def label(target):
	return "ledger" if target == "Arrears Item" else "anchor"


def rate(res):
	return sum(len(v) for v in res["stats"].values()) / res["elapsed"]


# --- what the run needs -------------------------------------------------------------------


def mail_to_sink():
	"""The workflow mails go somewhere real: a loopback SMTP server of the drill's, through an
	outgoing account made for it (qingqian_app.operations.drills; removed by --cleanup)."""
	from qingqian_app.operations import drills

	log = os.path.join(frappe.get_site_path("private"), "load-mail.log")
	threading.Thread(target=drills.smtp_sink, args=(log, 0), daemon=True).start()
	time.sleep(0.5)  # listening before the account is checked against it
	drills.ensure_account()


def prepare_users(count, password):
	from frappe.utils.password import update_password

	users = []
	for profile, model, share in PROFILES:
		like = frappe.get_doc("User", model + "@demo.qingqian.example.com")
		for i in range(max(1, round(count * share / 20))):
			email = f"{profile}{i:02d}{DOMAIN}"
			if not frappe.db.exists("User", email):
				user = frappe.get_doc({
					"doctype": "User", "email": email, "first_name": f"压测{profile}{i:02d}",
					"send_welcome_email": 0, "language": "zh", "roles": [{"role": r.role} for r in like.roles],
					"qingqian_member_unit": like.get("qingqian_member_unit"),
					"qingqian_debtor_unit": like.get("qingqian_debtor_unit"),
				})  # fmt: skip
				user.insert(ignore_permissions=True)
			update_password(email, password)
			users.append((profile, email))
	return users[:count]


def forget_workflow_actions(doctype):
	"""The load's records go round two states, and Frappe makes an approver's entry and mail only
	the first time a record reaches a state (the ledger makes them at each visit:
	qingqian_app.workflow_guard.forget_finished_entries): each run starts with none, so that the
	anchor mails at all. The report gives the mails per action taken, since the ledger's are more."""
	names = frappe.get_all(doctype, filters={"contract_no": ["like", MARK + "%"]}, pluck="name")
	if names:
		delete_workflow_actions(doctype, names)
		frappe.db.commit()


def delete_workflow_actions(doctype: str, names: list[str] | None = None):
	"""The Workflow Action entries of ``doctype`` (of ``names`` only, when given), with their rows of
	permitted roles."""
	filters = {"reference_doctype": doctype}
	if names is not None:
		filters["reference_name"] = ["in", names]
	actions = frappe.get_all("Workflow Action", filters=filters, pluck="name")
	for start in range(0, len(actions), 1000):
		chunk = actions[start : start + 1000]
		frappe.db.delete("Workflow Action Permitted Role", {"parent": ["in", chunk]})
		frappe.db.delete("Workflow Action", {"name": ["in", chunk]})


def forget_notes(doctype):
	"""The mix appends a progress note to the same records at each save (about 300 a run): each
	run starts from the records' first note, so that runs, and the two sides of one, open,
	save and print records of the same size."""
	table = "Arrears Progress Update" if doctype == "Arrears Item" else ANCHOR_NOTE
	names = frappe.get_all(doctype, filters={"contract_no": ["like", MARK + "%"]}, pluck="name")
	if names:
		frappe.db.delete(table, {"parenttype": doctype, "parent": ["in", names], "idx": [">", 1]})
		frappe.db.commit()


def prepare_items():
	have = frappe.db.count("Arrears Item", {"contract_no": ["like", MARK + "%"]})
	frappe.set_user(f"reporter00{DOMAIN}")
	for i in range(have, ITEMS):
		frappe.get_doc({
			"doctype": "Arrears Item", "debtor_unit": UNIT, "enterprise": ENTERPRISE, "arrears_category": "货物",
			"contract_no": f"{MARK}{i:04d}", "arrears_amount": 50000 + i, "delivery_date": "2026-09-01",
			"progress_updates": [{"update_date": "2026-11-20", "content": "压测初始进展"}],
		}).insert()  # fmt: skip
	frappe.set_user("Administrator")


def prepare_anchor():
	"""The bare DocType of the ledger's shape: its fields, each of its child tables (a copy of
	each child DocType), its rows and their children copied from the ledger. An anchor made by
	an earlier version of this script without every child table is made again."""
	if anchor_complete():
		return
	drop_anchor()  # whatever an earlier version or an interrupted run left
	item = frappe.get_meta("Arrears Item")
	for ledger_child, child in ANCHOR_TABLES.items():
		frappe.get_doc({
			"doctype": "DocType", "name": child, "module": "Qingqian", "custom": 1, "istable": 1,
			"fields": [field_copy(f) for f in frappe.get_meta(ledger_child).fields],
		}).insert()  # fmt: skip
	fields = []
	for f in item.fields:
		if f.fieldtype == "Table":
			fields.append(
				{
					"fieldname": f.fieldname,
					"label": f.label,
					"fieldtype": "Table",
					"options": ANCHOR_TABLES[f.options],
				}
			)
		elif f.fieldtype != "Table MultiSelect":
			fields.append(field_copy(f))
	roles = {r for _p, model, _s in PROFILES for r in frappe.get_roles(model + "@demo.qingqian.example.com")}
	roles -= {"All", "Guest", "Desk User"}
	frappe.get_doc({
		"doctype": "DocType", "name": ANCHOR, "module": "Qingqian", "custom": 1, "autoname": "Prompt",
		"fields": fields, "track_changes": 1,
		"permissions": [{"role": r, "read": 1, "write": 1, "create": 1, "print": 1, "email": 1} for r in sorted(roles)],
	}).insert()  # fmt: skip
	flow = json.load(open(os.path.join(os.path.dirname(__file__), "..", "workflows", "arrears_item.json")))
	transitions = [
		t for t in flow["transitions"] if (t["from"], t["action"]) in {("待报送", "报送"), ("待审核", "退回")}
	]
	frappe.get_doc({
		"doctype": "Workflow", "workflow_name": ANCHOR_FLOW, "document_type": ANCHOR, "is_active": 1,
		"workflow_state_field": "workflow_state", "send_email_alert": 1, "override_status": 1,
		"states": [{"state": s, "doc_status": "0", "allow_edit": r} for s, r in
			(("待报送", "Debtor Unit Reporter"), ("待审核", "Member Unit Head"))],
		"transitions": [{"state": t["from"], "action": t["action"], "next_state": t["to"], "allowed": t["role"],
			"allow_self_approval": 1} for t in transitions],
	}).insert()  # fmt: skip
	columns = [f["fieldname"] for f in fields if f["fieldtype"] not in no_value_fields]
	copy_rows("Arrears Item", ANCHOR, columns)
	for ledger_child, child in ANCHOR_TABLES.items():
		child_columns = [
			f.fieldname for f in frappe.get_meta(ledger_child).fields if f.fieldtype not in no_value_fields
		]
		copy_rows(ledger_child, child, ["parent", "parentfield", "idx", *child_columns], parenttype=ANCHOR)


def anchor_complete() -> bool:
	"""The anchor as :func:`prepare_anchor` makes it: its DocTypes, its workflow and its rows."""
	return (
		all(frappe.db.exists("DocType", d) for d in (ANCHOR, *ANCHOR_TABLES.values()))
		and bool(frappe.db.exists("Workflow", ANCHOR_FLOW))
		and bool(frappe.db.sql(f"select 1 from `tab{ANCHOR}` limit 1"))
	)


def copy_rows(source: str, target: str, columns: list[str], parenttype: str | None = None):
	shared = ", ".join(f"`{c}`" for c in ["name", "owner", "creation", "modified", "modified_by", *columns])
	if parenttype is None:
		frappe.db.sql(f"insert into `tab{target}` ({shared}) select {shared} from `tab{source}`")
	else:
		frappe.db.sql(
			f"insert into `tab{target}` ({shared}, parenttype) select {shared}, %s from `tab{source}`"
			" where parenttype = 'Arrears Item'",
			parenttype,
		)


def field_copy(f):
	keep = (
		"fieldname",
		"label",
		"fieldtype",
		"options",
		"reqd",
		"in_list_view",
		"in_standard_filter",
		"search_index",
		"default",
	)
	copy = {k: f.get(k) for k in keep if f.get(k) not in (None, "")}
	if f.fieldtype == "Link" and f.options == "Workflow State":
		copy["options"] = "Workflow State"
	copy.pop("reqd", None)  # the rows are copied as they are
	return copy


# --- the run ------------------------------------------------------------------------------


def login(url, email, password):
	s = requests.Session()
	s.verify = False
	s.trust_env = False  # loopback: no proxy, no CA bundle from the environment
	r = s.post(f"{url}/api/method/login", data={"usr": email, "pwd": password}, timeout=30)
	r.raise_for_status()
	return s


def run(args, doctype, users, password):
	urllib3.disable_warnings()
	url = args.url
	sessions = [(profile, login(url, email, password)) for profile, email in users]
	stats = defaultdict(list)  # kind → seconds
	outcomes = defaultdict(lambda: defaultdict(int))  # kind → ok / conflict / error
	samples = []
	lock = threading.Lock()
	start = time.monotonic()
	deadline = start + args.seconds

	def user_loop(profile, s, seed):
		rnd = random.Random(seed)
		kinds, weights = zip(*MIX[profile].items(), strict=True)
		while time.monotonic() < deadline:
			kind = rnd.choices(kinds, weights)[0]
			t = time.perf_counter()
			outcome, detail = do(kind, profile, s, url, doctype, rnd)
			took = time.perf_counter() - t
			with lock:
				stats[kind].append(took)
				outcomes[kind][outcome] += 1
				if outcome != "ok" and sum(s.startswith(outcome) for s in samples) < 3:
					samples.append(f"{outcome} {kind}: {detail}")

	threads = [threading.Thread(target=user_loop, args=(p, s, i)) for i, (p, s) in enumerate(sessions)]
	for th in threads:
		th.start()
	for th in threads:
		th.join()
	elapsed = time.monotonic() - start
	return {"stats": stats, "outcomes": outcomes, "elapsed": elapsed, "samples": samples}


def list_filters(doctype, state=None):
	filters = [[doctype, "debtor_unit", "=", UNIT]]
	if state:
		filters.append([doctype, "workflow_state", "=", state])
	return filters


def do(kind, profile, s, url, doctype, rnd):
	api = f"{url}/api/method"
	try:
		if kind == "list":
			state = rnd.choice([None, "待报送", "待审核", "清偿中"])
			form = {"doctype": doctype, "fields": json.dumps([f"`tab{doctype}`.`{f}`" for f in LIST_FIELDS]),
				"filters": json.dumps(list_filters(doctype, state)), "order_by": f"`tab{doctype}`.`modified` desc",
				"start": 0, "page_length": 20, "view": "List", "with_comment_count": 1}  # fmt: skip
			r = s.post(f"{api}/frappe.desk.reportview.get", data=form, timeout=120)
			if r.ok:
				# with the list view's count_upper_bound, as the desk asks ("1,000+" beyond it)
				r = s.post(f"{api}/frappe.desk.reportview.get_count", timeout=120, data={"doctype": doctype,
					"filters": form["filters"], "fields": "[]", "distinct": "false", "limit": COUNT_UPPER_BOUND})  # fmt: skip
			return classify(r)
		state = (
			ACTIONS.get(profile, ("清偿中", None))[0]
			if kind == "action"
			else rnd.choice(["待报送", "待审核"])
		)
		name = pick(s, api, doctype, state, rnd)
		if not name:
			return "ok", "nothing to act on"
		r = s.get(
			f"{api}/frappe.desk.form.load.getdoc", params={"doctype": doctype, "name": name}, timeout=60
		)
		if kind == "open" or not r.ok:
			return classify(r)
		doc = r.json()["docs"][0]
		if kind == "note":
			doc["progress_updates"].append({"doctype": doc_note(doctype), "update_date": "2026-11-27",
				"content": f"压测进展 {rnd.random():.6f}", "__islocal": 1})  # fmt: skip
			r = s.post(
				f"{api}/frappe.desk.form.save.savedocs",
				data={"doc": json.dumps(doc), "action": "Save"},
				timeout=60,
			)
		elif kind == "action":
			r = s.post(f"{api}/frappe.model.workflow.apply_workflow",
				data={"doc": json.dumps(doc), "action": ACTIONS[profile][1]}, timeout=60)  # fmt: skip
		elif kind == "pdf":
			fmt = "台账登记表" if doctype == "Arrears Item" else "Standard"
			r = s.get(f"{api}/frappe.utils.print_format.download_pdf", timeout=120,
				params={"doctype": doctype, "name": name, "format": fmt})  # fmt: skip
			if r.ok and not r.content.startswith(b"%PDF"):
				return "error", f"not a PDF: {r.text[:200]}"
		return classify(r)
	except requests.RequestException as e:
		return "error", repr(e)


def pick(s, api, doctype, state, rnd):
	r = s.post(f"{api}/frappe.desk.reportview.get", timeout=60, data={
		"doctype": doctype, "fields": json.dumps([f"`tab{doctype}`.`name`"]),
		"filters": json.dumps([*list_filters(doctype, state), [doctype, "contract_no", "like", MARK + "%"]]),
		"start": 0, "page_length": 20, "order_by": f"`tab{doctype}`.`modified` desc"})  # fmt: skip
	if not r.ok:
		return None
	values = (r.json().get("message") or {}).get("values") or []
	return rnd.choice(values)[0] if values else None


def doc_note(doctype):
	return "Arrears Progress Update" if doctype == "Arrears Item" else ANCHOR_NOTE


def classify(r):
	if r.ok:
		return "ok", ""
	text = r.text[:300]
	# two users acting on the same record: Frappe's clear refusal, not a fault
	if r.status_code < 500 and any(w in text for w in ("TimestampMismatchError", "已被修改", "changed", "modified after",
			"WorkflowTransitionError", "不能", "not allowed", "不允许", "正在处理")):  # fmt: skip
		return "conflict", text
	return "error", f"HTTP {r.status_code} {text}"


def pending_jobs() -> int:
	"""Jobs waiting in the background queues and those running, and the ledger's workflow steps
	waiting for a drain job (qingqian_app.workflow_guard): a job a worker has just taken from
	its queue is in neither RQ list for a moment, while its steps still wait."""
	from frappe.utils.background_jobs import get_queue, get_queue_list
	from rq.registry import StartedJobRegistry

	from qingqian_app.workflow_guard import waiting

	jobs = sum(len(get_queue(q)) + len(StartedJobRegistry(queue=get_queue(q))) for q in get_queue_list())
	return jobs + waiting()


DRAIN_POLL = 0.05  # seconds between two looks at the queues after a run


def drain_time(doctype):
	"""Seconds until the background queues are empty (the workflow mails, and the PDFs of those that carry one): the
	first of two looks in a row, DRAIN_POLL apart, that find nothing waiting or running (a job
	a worker is just taking from its queue can be in neither RQ list for a moment)."""
	start = time.monotonic()
	empty_since = None
	while time.monotonic() - start < 600:
		if pending_jobs():
			empty_since = None
		elif empty_since is None:
			empty_since = time.monotonic() - start
		else:
			return empty_since
		time.sleep(DRAIN_POLL)
	return float("inf")


def gunicorn_master() -> int | None:
	"""The bench's gunicorn master (Frappe's production web server), when it runs on this machine
	as this user."""
	bench = os.path.realpath(os.path.join(os.getcwd(), ".."))
	for pid in filter(str.isdigit, os.listdir("/proc")):
		try:
			cmd = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
			ppid_cmd = open(f"/proc/{open(f'/proc/{pid}/stat').read().split()[3]}/cmdline", "rb").read()
		except OSError:
			continue
		if (
			any(a.endswith(b"/gunicorn") for a in cmd)
			and bench.encode() in cmd[0]
			and b"gunicorn" not in ppid_cmd
		):
			return int(pid)
	return None


def worker_pids() -> list[int]:
	master = gunicorn_master()
	if not master:
		return []
	out = []
	for pid in filter(str.isdigit, os.listdir("/proc")):
		try:
			if int(open(f"/proc/{pid}/stat").read().split()[3]) == master:
				out.append(int(pid))
		except OSError:
			continue
	return out


def fresh_workers(url):
	"""Gunicorn's graceful reload (HUP): new workers, the old ones finish what they serve."""
	import signal

	master, before = gunicorn_master(), set(worker_pids())
	if not master:
		print("(no gunicorn of this bench here: the workers are not renewed, their size not read)")
		return
	os.kill(master, signal.SIGHUP)
	for _ in range(120):
		time.sleep(0.5)
		now = set(worker_pids())
		if now and not now & before:
			break
	requests.get(f"{url}/api/method/ping", timeout=60, verify=False)


def worker_rss() -> list[int]:
	"""Each web worker's resident size in MB."""
	sizes = []
	for pid in worker_pids():
		with open(f"/proc/{pid}/status") as f:
			sizes += [int(line.split()[1]) // 1024 for line in f if line.startswith("VmRSS:")]
	return sorted(sizes)


# where the machine's time went during a run (and its drain): processes by what they are
CPU_KINDS = (
	("web workers", b"gunicorn"),
	("background jobs", b"frappe worker"),
	("PDF renderers", b"pdf_render"),
	("wkhtmltopdf", b"wkhtmltopdf"),
	("MariaDB", b"mariadbd"),
	("Redis", b"redis-server"),
	("nginx", b"nginx"),
)


def cpu_seconds() -> dict[str, float]:
	"""CPU seconds used so far by each kind of process, with their reaped children (a worker's
	forked jobs, a renderer's children); processes that ended before the reading are missed."""
	tick = os.sysconf("SC_CLK_TCK")
	out: dict[str, float] = {}
	for pid in filter(str.isdigit, os.listdir("/proc")):
		try:
			cmd = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ")
			fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
		except OSError:
			continue
		kind = next((k for k, word in CPU_KINDS if word in cmd), None)
		if kind:
			out[kind] = out.get(kind, 0) + sum(int(v) for v in fields[11:15]) / tick
	return out


def report(results):
	def pct(values, p):
		values = sorted(values)
		return values[min(len(values) - 1, int(p / 100 * len(values)))] * 1000

	print(f"\n{'':14}{'kind':8}{'n':>6}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'conflicts':>11}{'errors':>8}")
	for target, res in results.items():
		name = label(target)
		total = sum(len(v) for v in res["stats"].values())
		for kind in ("list", "open", "note", "action", "pdf"):
			values = res["stats"].get(kind)
			if not values:
				continue
			o = res["outcomes"][kind]
			print(f"{name:14}{kind:8}{len(values):>6}{pct(values, 50):>9.0f}{pct(values, 95):>9.0f}{pct(values, 99):>9.0f}"
				f"{o['conflict']:>11}{o['error']:>8}")  # fmt: skip
		print(f"{name:14}{'all':8}{total:>6}  {total / res['elapsed']:.1f} req/s over {res['elapsed']:.0f} s; "
			f"{res['mails']} workflow mails queued ({res['mails'] / max(1, res['outcomes']['action']['ok']):.1f} per action), "
			f"{res['mails_in_run']} of them by the run's end, {'/'.join(map(str, res['backlogs']))} jobs or workflow steps waiting or running then; "
			f"queues drained {res['drain']:.2f} s after the run"
			+ (f" (median of {res['runs']} runs: {', '.join(f'{d:.2f}' for d in res['drains'])} s)" if res["runs"] > 1 else ""))  # fmt: skip
		if res.get("cpu"):
			spent = ", ".join(
				f"{k} {v:.0f} s" for k, v in sorted(res["cpu"].items(), key=lambda kv: -kv[1]) if v >= 0.5
			)
			print(f"{name:14}{'cpu':8}  run and drain: {spent}")
		if res.get("rss"):
			print(
				f"{name:14}{'memory':8}  web workers after the run: {', '.join(f'{m} MB' for m in res['rss'])}"
			)
		for sample in res["samples"]:
			print(f"    {sample[:300]}")
	ledger, anchor = (results[t] for t in ("Arrears Item", ANCHOR))

	print(f"\nledger against the anchor: throughput {rate(ledger) / rate(anchor):.2f}×", end="")
	for kind in ("list", "open", "note", "action", "pdf"):
		if ledger["stats"].get(kind) and anchor["stats"].get(kind):
			print(
				f", {kind} p95 {pct(ledger['stats'][kind], 95) / pct(anchor['stats'][kind], 95):.2f}×", end=""
			)
	if ledger.get("rss") and anchor.get("rss"):
		print(f", largest worker {max(ledger['rss']) / max(anchor['rss']):.2f}×", end="")
	print(f"; drain {ledger['drain']:.2f} s against {anchor['drain']:.2f} s")


def drop_anchor():
	"""The anchor: its workflow, its DocType and its child DocTypes, and their tables."""
	if frappe.db.exists("Workflow", ANCHOR_FLOW):
		frappe.delete_doc("Workflow", ANCHOR_FLOW, force=True)
	delete_workflow_actions(ANCHOR)
	for doctype in (ANCHOR, *ANCHOR_TABLES.values()):
		if frappe.db.exists("DocType", doctype):
			frappe.delete_doc("DocType", doctype, force=True)
		frappe.db.sql_ddl(f"drop table if exists `tab{doctype}`")  # Frappe keeps a deleted DocType's table


def cleanup():
	from qingqian_app.operations import drills
	from qingqian_app.testing import purge_api_records

	for email in frappe.get_all("User", filters={"name": ["like", "%" + DOMAIN]}, pluck="name"):
		frappe.delete_doc("User", email, force=True, ignore_permissions=True)
	drop_anchor()
	frappe.db.commit()
	drills.cleanup()  # the mail account to the sink, the drill's records
	print("removed: load users, anchor, items, mail account")


if __name__ == "__main__":
	main()
