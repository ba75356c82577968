"""The site's side of the fault drill (scripts/fault-drill.sh, README “生产运行”): the drill kills
and restarts processes as root; these steps, run as the bench user, give the processes work to
lose and check afterwards that nothing was lost or half-made. Everything stays on loopback and
every wait is bounded.

    ../env/bin/python -m qingqian_app.operations.drills STEP --site SITE [options]   (from sites/)

Steps: ``jobs`` (queue idempotent drill jobs), ``wait-jobs``, ``mails`` (queue mail and send it
through a slow loopback SMTP sink, ``smtp-sink``), ``wait-mails``, ``writes`` (users saving
progress notes over HTTP while the drill strikes), ``check-writes``, ``cleanup``.
"""

from __future__ import annotations

import argparse
import json
import socketserver
import sys
import threading
import time

import frappe

MARK = "APITEST-DRILL-"  # the drill's ledger item, removed with the test records (qingqian_app.testing)
DONE = "qingqian_drill_done:"  # a drill job's marker (a default value: survives restarts)
DRILL_ACCOUNT = "清欠故障演练"
SINK_PORT = 2525
# the demo unit and enterprise the drill's (and the load benchmark's) items are made for
UNIT, ENTERPRISE = "区机关事务服务中心", "晋城市宏达建材有限公司"
RECIPIENT = "drill@qingqian.example.com"  # the sink takes it; nothing leaves the machine


def drill_job(key: str, seconds: float = 20) -> None:
	"""An idempotent job of ours: works for a while, then marks itself done (once, however often
	it runs)."""
	time.sleep(seconds)
	frappe.db.set_default(DONE + key, frappe.utils.now())
	frappe.db.commit()


def done(key: str) -> bool:
	# read from the table: a long-lived process keeps the defaults it has read in memory
	return bool(frappe.db.get_value("DefaultValue", {"defkey": DONE + key}, "defvalue"))


def queue_jobs(count: int, seconds: float, queue: str) -> list[str]:
	keys = [f"{queue}-{time.time_ns()}-{i}" for i in range(count)]
	for key in keys:
		frappe.enqueue(
			"qingqian_app.operations.drills.drill_job", queue=queue, key=key, seconds=seconds, job_id=key
		)
	return keys


def wait(check, timeout: float, what: str) -> float:
	start = time.monotonic()
	while time.monotonic() - start < timeout:
		frappe.db.rollback()  # a fresh snapshot each look
		if check():
			return time.monotonic() - start
		time.sleep(1)
	print(f"未在 {timeout:.0f} 秒内完成：{what}")
	sys.exit(1)


# --- mail ---------------------------------------------------------------------------------


def ensure_account() -> None:
	"""An outgoing account to the loopback sink, only on a site that sends no mail of its own."""
	own = frappe.get_all("Email Account", filters={"default_outgoing": 1, "name": ["!=", DRILL_ACCOUNT]})
	if own:
		print("站点已有发件邮箱：演练和压测不改动它")
		sys.exit(2)
	if not frappe.db.exists("Email Account", DRILL_ACCOUNT):
		frappe.get_doc({
			"doctype": "Email Account", "email_account_name": DRILL_ACCOUNT, "email_id": "drill.sender@qingqian.example.com",
			"enable_outgoing": 1, "default_outgoing": 1, "smtp_server": "127.0.0.1", "smtp_port": SINK_PORT,
			"no_smtp_authentication": 1, "use_tls": 0, "use_ssl_for_outgoing": 0,
		}).insert(ignore_permissions=True)  # fmt: skip
	frappe.db.commit()


def queue_mails(count: int) -> list[str]:
	ensure_account()
	names = []
	for i in range(count):
		frappe.sendmail(
			recipients=[RECIPIENT],
			subject=f"{MARK}{time.time_ns()}-{i}",
			message="故障演练邮件",
			delayed=True,
		)
		names.append(frappe.db.get_value("Email Queue", {}, "name", order_by="creation desc"))
	frappe.db.commit()
	frappe.enqueue("frappe.email.queue.flush", queue="short")
	return names


def mails_sent(names: list[str]) -> bool:
	statuses = frappe.get_all("Email Queue", filters={"name": ["in", names]}, pluck="status")
	return len(statuses) == len(names) and all(s == "Sent" for s in statuses)


class SlowSMTP(socketserver.StreamRequestHandler):
	"""Just enough SMTP to take a message, slowly (so that a drill can kill the sender mid-send);
	each message's subject is appended to the server's ``log``."""

	def reply(self, line: str) -> None:
		self.wfile.write((line + "\r\n").encode())

	def handle(self):
		self.reply("220 qingqian drill sink")
		subject = ""
		while line := self.rfile.readline():
			command = line.decode("utf-8", "replace").strip().upper()
			if command.startswith(("EHLO", "HELO")):
				self.reply("250 ok")
			elif command.startswith("DATA"):
				self.reply("354 go on")
				while (data := self.rfile.readline()) not in (b".\r\n", b".\n", b""):
					if data.lower().startswith(b"subject:"):
						subject = data.decode("utf-8", "replace").split(":", 1)[1].strip()
				time.sleep(self.server.delay)
				with open(self.server.log, "a", encoding="utf-8") as f:
					f.write(subject + "\n")
				self.reply("250 queued")
			elif command.startswith("QUIT"):
				self.reply("221 bye")
				return
			else:  # MAIL, RCPT, RSET, NOOP
				self.reply("250 ok")


def smtp_sink(log: str, delay: float) -> None:
	socketserver.ThreadingTCPServer.allow_reuse_address = True
	socketserver.ThreadingTCPServer.daemon_threads = True  # a sender that never says QUIT holds nothing up
	with socketserver.ThreadingTCPServer(("127.0.0.1", SINK_PORT), SlowSMTP) as server:
		server.log, server.delay = log, delay
		server.serve_forever()


# --- ledger writes under faults -------------------------------------------------------------


def drill_item() -> str:
	name = frappe.db.get_value("Arrears Item", {"contract_no": MARK + "ITEM"})
	if name:
		return name
	frappe.set_user(
		frappe.db.get_value("User", {"email": "debtor.reporter@demo.qingqian.example.com"}) or "Administrator"
	)
	doc = frappe.get_doc({
		"doctype": "Arrears Item", "debtor_unit": UNIT, "enterprise": ENTERPRISE,
		"arrears_category": "货物", "contract_no": MARK + "ITEM", "arrears_amount": 50000, "delivery_date": "2026-09-01",
	}).insert()  # fmt: skip
	frappe.db.commit()
	return doc.name


def writes(url: str, seconds: float, users: int, out: str) -> None:
	"""``users`` reporters each adding a progress note to the drill item over and over for
	``seconds``; every attempt's token and outcome goes to ``out``."""
	import requests
	import urllib3

	urllib3.disable_warnings()
	name = drill_item()
	today = frappe.utils.today()
	password = frappe.conf.get("qingqian_demo_password")
	attempts, lock = [], threading.Lock()
	deadline = time.monotonic() + seconds

	def loop(n):
		s = requests.Session()
		s.verify = False
		s.trust_env = False  # loopback: no proxy, no CA bundle from the environment
		logged_in = False
		i = 0
		while time.monotonic() < deadline:
			i += 1
			token = f"{MARK}{n}-{i}-{time.time_ns()}"
			outcome, detail = "unknown", ""
			try:
				if not logged_in:
					s.post(f"{url}/api/method/login", timeout=10,
						data={"usr": "debtor.reporter@demo.qingqian.example.com", "pwd": password}).raise_for_status()  # fmt: skip
					logged_in = True
				# a note added the way frappe.client adds a child row: the item saved with it
				note = {"doctype": "Arrears Progress Update", "parenttype": "Arrears Item", "parent": name,
					"parentfield": "progress_updates", "update_date": today, "content": token}  # fmt: skip
				r = s.post(
					f"{url}/api/method/frappe.client.insert", data={"doc": json.dumps(note)}, timeout=30
				)
				outcome = "saved" if r.ok else f"refused {r.status_code}"
				if not r.ok:
					detail = said(r)
				if r.status_code >= 500 or r.status_code == 403:
					logged_in = False
			except requests.RequestException as e:
				outcome, detail = "no answer", type(e).__name__
				logged_in = False
				time.sleep(0.5)
			with lock:
				attempts.append({"token": token, "outcome": outcome, "detail": detail})

	threads = [threading.Thread(target=loop, args=(n,)) for n in range(users)]
	for t in threads:
		t.start()
	for t in threads:
		t.join()
	with open(out, "w", encoding="utf-8") as f:
		json.dump({"item": name, "attempts": attempts}, f, ensure_ascii=False)


def said(r) -> str:
	"""What a refusal says: its exception and its first message."""
	try:
		body = r.json()
		messages = json.loads(body.get("_server_messages") or "[]")
		first = json.loads(messages[0]).get("message", "") if messages else ""
		return f"{body.get('exc_type', '')} {first}".strip()[:200]
	except ValueError:
		return r.text[:200]


def check_writes(path: str) -> dict:
	"""Of this run's saves: every answered one is in the ledger exactly once, every refused one is
	not there at all, an unanswered one (the connection cut) is whole or absent."""
	run = json.load(open(path, encoding="utf-8"))
	tokens = {a["token"] for a in run["attempts"]}
	stored = {}
	for content in frappe.get_all(
		"Arrears Progress Update",
		filters={"parent": run["item"], "content": ["like", MARK + "%"]},
		pluck="content",
	):
		if content in tokens:
			stored[content] = stored.get(content, 0) + 1
	outcomes, samples = {}, {}
	for a in run["attempts"]:
		outcomes[a["outcome"]] = outcomes.get(a["outcome"], 0) + 1
		if a["outcome"] != "saved":
			samples.setdefault(a["outcome"], a.get("detail", "")[:160])
	by = {kind: [a["token"] for a in run["attempts"] if a["outcome"].startswith(kind)] for kind in ("saved", "refused", "no answer")}  # fmt: skip
	return {
		"attempts": len(run["attempts"]), "outcomes": outcomes,
		"lost": sum(1 for t in by["saved"] if t not in stored),
		"doubled": sum(1 for n in stored.values() if n > 1),
		"refused_but_stored": sum(1 for t in by["refused"] if t in stored),
		"unanswered_stored": sum(1 for t in by["no answer"] if t in stored),
		"samples": samples,
	}  # fmt: skip


def cleanup() -> None:
	from qingqian_app.testing import purge_api_records

	frappe.db.delete("DefaultValue", {"defkey": ["like", DONE + "%"]})
	frappe.db.delete("Email Queue", {"message": ["like", f"%{MARK}%"]})
	if frappe.db.exists("Email Account", DRILL_ACCOUNT):
		frappe.delete_doc("Email Account", DRILL_ACCOUNT, ignore_permissions=True, force=True)
	frappe.db.commit()
	purge_api_records()


def main(argv=None) -> int:
	ap = argparse.ArgumentParser(prog="python -m qingqian_app.operations.drills")
	ap.add_argument("step")
	ap.add_argument("--site")
	ap.add_argument("--url", default="https://localhost")
	ap.add_argument("--count", type=int, default=3)
	ap.add_argument("--seconds", type=float, default=20)
	ap.add_argument("--queue", default="long")
	ap.add_argument("--users", type=int, default=2)
	ap.add_argument("--file")
	ap.add_argument("--keys", default="", help="what `jobs` or `mails` printed")
	ap.add_argument("--delay", type=float, default=6)
	ap.add_argument("--timeout", type=float, default=420)
	args = ap.parse_args(argv)
	if args.step == "smtp-sink":
		smtp_sink(args.file, args.delay)
		return 0
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	try:
		if args.step == "jobs":
			print(" ".join(queue_jobs(args.count, args.seconds, args.queue)))
		elif args.step == "wait-jobs":
			keys = args.keys.split()
			took = wait(lambda: all(done(k) for k in keys), args.timeout, "演练任务")
			print(f"{len(keys)} 个任务均已完成（等待 {took:.0f} 秒）")
		elif args.step == "mails":
			print(" ".join(queue_mails(args.count)))
		elif args.step == "wait-mails":
			names = args.keys.split()
			took = wait(lambda: mails_sent(names), args.timeout, "演练邮件")
			print(f"{len(names)} 封邮件均已发出（等待 {took:.0f} 秒）")
		elif args.step == "sending":  # how many drill mails are being sent right now
			print(frappe.db.count("Email Queue", {"status": "Sending", "message": ["like", f"%{MARK}%"]}))
		elif args.step == "writes":
			writes(args.url, args.seconds, args.users, args.file)
		elif args.step == "check-writes":
			result = check_writes(args.file)
			print(json.dumps(result, ensure_ascii=False))
			return 1 if result["lost"] or result["doubled"] or result["refused_but_stored"] else 0
		elif args.step == "cleanup":
			cleanup()
		else:
			ap.error(f"unknown step {args.step}")
	finally:
		frappe.destroy()
	return 0


if __name__ == "__main__":
	sys.exit(main())
