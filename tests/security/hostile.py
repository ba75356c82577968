"""What the hostile suite shares: the victims (records of 区机关事务服务中心, one per workflow
DocType, made by the demo users the way the permission matrix makes them, with a private file,
a comment, a version and a mail hanging on each), the attackers (every demo user whom the
record's own REST read refuses), how a reply is judged (refused, or empty, and never a victim's
name or value in it) and the count of cells tried per DocType × path."""

from __future__ import annotations

import json
import re
from collections import Counter
from urllib.parse import quote

from tests.api.conftest import URL
from tests.api.helpers import DEBTOR, DEMO, Actor, mark, message
from tests.api.records import ALL_USERS, CREATE, DEFS, DOCTYPES, RULES, USERS, Records, demo

# cells tried: (DocType, path) -> count; printed at the end of the run (conftest.py)
CELLS: Counter = Counter()
REFUSED = (401, 403, 404, 417)
# each workflow DocType's field that carries the record's mark (the victim's unique value), and
# the field an attacker tries to write (the same, but for a petition, whose number is its name)
MARK_FIELD = {
	"Arrears Item": "contract_no",
	"Complaint Lead": "contract_no",
	"Petition": "petition_no",
	"Unit Report": "statement",
	"Progress Bulletin": "title",
	"Accountability Action": "facts",
	"Disclosure": "title",
	"Audit Finding": "source_document",
	"Investment Project": "project_name",
	"Contract Review": "contract_no",
	"Receivable Confirmation": "contract_no",
	"Public Opinion Event": "title",
	"Enterprise Account": "enterprise_name",
}
WRITE_FIELD = {**MARK_FIELD, "Petition": "content"}
# the victim item's outstanding amount: in nothing else on the site (a crafted 督办函 would print it)
ITEM_AMOUNT, ITEM_OUTSTANDING = 54321.77, ("44,321.77", "44321.77")
HACK = "APITEST-HACKED"
# the demo users' own units (to make a crafted document look like the attacker's own)
UNITS = {
	r.name: (r.values.get("qingqian_debtor_unit"), r.values.get("qingqian_member_unit"))
	for r in DEFS.by_doctype("User")
}


def _print_formats() -> dict[str, list[str]]:
	from pathlib import Path

	out: dict[str, list[str]] = {}
	for p in sorted((Path(__file__).resolve().parents[2] / "print_formats").glob("*/format.json")):
		m = json.loads(p.read_text("utf-8"))
		out.setdefault(m["doc_type"], []).append(m["name"])
	return out


PRINT_FORMATS = _print_formats()


def child_tables(doctype: str) -> list[tuple[str, str]]:
	return [
		(f["fieldname"], f["options"])
		for f in DOCTYPES[doctype]["fields"]
		if f["fieldtype"] in ("Table", "Table MultiSelect")
	]


def links_to(doctype: str) -> list[tuple[str, str, str]]:
	"""(DocType, Link field, print format): a print format's document that names a record of
	``doctype`` in one of its fields (a crafted one names the victim there)."""
	out = []
	for outer, formats in PRINT_FORMATS.items():
		for f in DOCTYPES.get(outer, {}).get("fields", []):
			if f["fieldtype"] == "Link" and f.get("options") == doctype:
				out += [(outer, f["fieldname"], fmt) for fmt in formats]
			if f["fieldtype"] == "Dynamic Link":
				out += [(outer, f["fieldname"], fmt) for fmt in formats]
	return out


def url(doctype, name=None) -> str:
	u = f"{URL}/api/resource/{quote(doctype)}"
	return u if name is None else f"{u}/{quote(name, safe='')}"


class Victim:
	"""One record of the demo unit, with what hangs on it."""

	def __init__(self, doctype, name, mark_value, creator):
		self.doctype, self.name, self.mark, self.creator = doctype, name, mark_value, creator
		self.file: dict = {}
		self.attackers: list[str] = []
		self.writers: list[str] = []  # for a master: every user outside the office
		self.values: tuple[str, ...] = ()
		self.doc: dict = {}

	def __repr__(self):
		return f"{self.doctype} {self.name}"

	def leaked(self, text: str, name_too: bool = True) -> str | None:
		"""What of the victim's a reply shows: its mark, a value of its own, or (where the
		attacker did not send it) its name."""
		for v in (self.mark, *self.values):
			if v and v in text:
				return v
		if name_too and re.search(rf"(?<![\w-]){re.escape(self.name)}(?![\w-])", text):
			return self.name
		return None


def make_victim(doctype, actors, admin, bare: bool = False) -> Victim:
	"""A record of the demo unit; unless ``bare``, with a private file, a comment, a mail and a
	version of its own."""
	records = Records(doctype, actors, admin)
	who, build = CREATE[doctype]
	values = build()
	if doctype == "Arrears Item":  # an amount of its own, and a progress note (a child table more)
		values["arrears_amount"] = ITEM_AMOUNT
		values["progress_updates"] = [{"update_date": "2026-11-20", "content": "进展：已约谈"}]
	r = actors[who].create(doctype, **values)
	assert r.status_code == 200, (doctype, message(r))
	doc = r.json()["data"]
	v = Victim(doctype, doc["name"], doc[MARK_FIELD[doctype]], who)
	if doctype == "Arrears Item":
		v.values = ITEM_OUTSTANDING
	a = actors[who]
	if bare:
		return v
	# a private file, a comment, a version, a mail: each a path of its own to the record
	up = a.s.post(
		f"{URL}/api/method/upload_file",
		files={"file": (f"{v.mark}.txt", f"受害记录附件 {v.mark}".encode())},
		data={"doctype": doctype, "docname": v.name, "is_private": 1},
		timeout=30,
	)
	assert up.status_code == 200, (doctype, message(up))
	v.file = up.json()["message"]
	a.call("frappe.desk.form.utils.add_comment", reference_doctype=doctype, reference_name=v.name,
		content=f"内部意见 {v.mark}", comment_email=a.user, comment_by=who)  # fmt: skip
	a.call("frappe.core.doctype.communication.email.make", doctype=doctype, name=v.name,
		content=f"函件 {v.mark}", subject=f"函件 {v.mark}", recipients="apitest@example.com", send_email=0)  # fmt: skip
	# a version: the creator changes the record once (the mark stays in it)
	a.put(
		v.name,
		doctype,
		**{WRITE_FIELD[doctype]: f"{v.mark}（改）" if doctype != "Petition" else f"{v.mark} 来信"},
	)
	records.get(v.name)  # readable by Administrator
	return v


def read_back(admin, v: Victim) -> dict | None:
	r = admin.get(url(v.doctype, v.name), timeout=30)
	return r.json()["data"] if r.status_code == 200 else None


def snapshot(admin, v: Victim) -> dict:
	doc = read_back(admin, v) or {}
	keep = ("name", "modified", "workflow_state", "docstatus", WRITE_FIELD.get(v.doctype, "name"))
	out = {k: doc.get(k) for k in keep}
	out["_liked_by"] = admin.post(f"{URL}/api/method/frappe.client.get_value", timeout=30,
		data={"doctype": v.doctype, "filters": json.dumps({"name": v.name}), "fieldname": "_liked_by"},
	).json().get("message")  # fmt: skip
	for doctype, field in (("Comment", "reference_name"), ("File", "attached_to_name")):
		r = admin.get(url(doctype), timeout=30,
			params={"filters": json.dumps([[field, "=", v.name]]), "limit_page_length": 0})  # fmt: skip
		out[doctype] = len(r.json()["data"])
	return out


def refused_or_empty(r, v: Victim, *, name_too=True, count=False) -> str | None:
	"""None when the attacker got nothing; else what went wrong."""
	if r.status_code in REFUSED:
		# a refusal may repeat the name the attacker sent, never the record's data
		what = v.leaked(r.text, name_too=False) if v.mark != v.name else None
		return f"refused but shows {what}" if what else None
	if r.status_code != 200:
		return f"HTTP {r.status_code}: {message(r)[:120]}"
	if count:
		body = r.json()
		n = body.get("message", body.get("data"))
		if isinstance(n, dict):
			n = n.get("value", n.get("count"))
		return None if not n else f"count {n}"
	what = v.leaked(r.text, name_too=name_too)
	return f"HTTP 200 shows {what}" if what else None


def each_attacker(v: Victim, attempt, at_once: int = 4) -> list:
	"""``attempt(user)`` for each of the victim's attackers, ``at_once`` at a time (each with
	a session of its own), in the attackers' order."""
	from concurrent.futures import ThreadPoolExecutor

	with ThreadPoolExecutor(at_once) as pool:
		return list(zip(v.attackers, pool.map(attempt, v.attackers), strict=True))


def actors_for(users) -> dict[str, Actor]:
	return {demo(u): Actor(demo(u)) for u in users}


# the attackers: one demo user for each role (as the permission matrix picks them, with a
# reporter of another unit), and a member unit's head that is not the demo unit's competent unit
ATTACKERS = sorted({*USERS, "edu.head" + DEMO})
ALL_DEMO = sorted(ALL_USERS)
WORKFLOW_DOCTYPES = sorted(RULES)
__all__ = [
	"ALL_DEMO",
	"CELLS",
	"DEBTOR",
	"DEMO",
	"HACK",
	"WORKFLOW_DOCTYPES",
	"mark",
]


def _reports() -> dict[str, list[str]]:
	"""The app's Script Reports by the DocType they report on."""
	from pathlib import Path

	out: dict[str, list[str]] = {}
	for p in sorted((Path(__file__).resolve().parents[2] / "qingqian_app").glob("*/report/*/*.json")):
		m = json.loads(p.read_text("utf-8"))
		if m.get("doctype") == "Report" and m.get("report_type") == "Script Report":
			out.setdefault(m["ref_doctype"], []).append(m["name"])
	return out


REPORTS = _reports()
