"""Where a request's time goes: each kind of the load mix (benchmarks/load.py) sent in this process
through Frappe's own WSGI application, as a logged-in user, against the ledger and against the
bare-Frappe anchor of the same shape (made by load.py), with the median time of each and, with
``--profile KIND``, cProfile's list of what that request spent its time in. Prints figures,
asserts nothing; writes nothing but the sessions of the users it logs in as.

Run from the bench's sites directory, after benchmarks/load.py made its users and the anchor:

    ../env/bin/python benchmarks/requests_profile.py --site SITE [--repeat 15] [--profile list]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats

import frappe
import frappe.app
from common import LIST_FIELDS, timed
from load import ANCHOR, ANCHOR_NOTE, DOMAIN, MARK, list_filters
from werkzeug.test import Client


def client(site: str, user: str, password: str) -> Client:
	frappe.app._site, frappe.app._sites_path = site, "."
	c = Client(frappe.app.application)
	r = c.post("/api/method/login", data={"usr": user, "pwd": password})
	assert r.status_code == 200, r.get_data(as_text=True)[:300]
	return c


def kinds(doctype: str, name: str, state: str | None):
	"""The requests of the mix, as (kind, method, path, data)."""
	filters = json.dumps(list_filters(doctype, state))
	api = "/api/method"
	return {
		"list": (
			"POST",
			f"{api}/frappe.desk.reportview.get",
			{
				"doctype": doctype,
				"fields": json.dumps([f"`tab{doctype}`.`{f}`" for f in LIST_FIELDS]),
				"filters": filters,
				"order_by": f"`tab{doctype}`.`modified` desc",
				"start": 0,
				"page_length": 20,
				"view": "List",
				"with_comment_count": 1,
			},
		),
		"count": (
			"POST",
			f"{api}/frappe.desk.reportview.get_count",
			{"doctype": doctype, "filters": filters, "fields": "[]", "distinct": "false", "limit": 1001},
		),
		"open": ("GET", f"{api}/frappe.desk.form.load.getdoc", {"doctype": doctype, "name": name}),
		"pdf": (
			"GET",
			f"{api}/frappe.utils.print_format.download_pdf",
			{
				"doctype": doctype,
				"name": name,
				"format": "台账登记表" if doctype == "Arrears Item" else "Standard",
			},
		),
	}


def write(c: Client, kind: str, doctype: str, name: str, action: str | None = None):
	"""A progress note saved on the record (savedocs), or a workflow action applied to it, as the
	form does: the record loaded first, then sent back."""
	api = "/api/method"
	doc = send(c, "GET", f"{api}/frappe.desk.form.load.getdoc", {"doctype": doctype, "name": name}).json[
		"docs"
	][0]
	if kind == "note":
		note = "Arrears Progress Update" if doctype == "Arrears Item" else ANCHOR_NOTE
		doc["progress_updates"].append(
			{"doctype": note, "update_date": "2026-11-27", "content": "剖析进展", "__islocal": 1}
		)
		return send(
			c, "POST", f"{api}/frappe.desk.form.save.savedocs", {"doc": json.dumps(doc), "action": "Save"}
		)
	return send(
		c, "POST", f"{api}/frappe.model.workflow.apply_workflow", {"doc": json.dumps(doc), "action": action}
	)


def send(c: Client, method: str, path: str, data: dict):
	if method == "GET":
		r = c.get(path, query_string=data)
	else:
		r = c.post(path, data=data)
	assert r.status_code == 200, f"{path}: HTTP {r.status_code} {r.get_data(as_text=True)[:300]}"
	return r


def main():
	ap = argparse.ArgumentParser()
	ap.add_argument("--site", required=True)
	ap.add_argument("--repeat", type=int, default=15)
	ap.add_argument("--profile", default="", help="kinds to profile: list,count,open,pdf,note,action")
	ap.add_argument("--user", default=f"office00{DOMAIN}", help="who reads")
	ap.add_argument("--state", default=None)
	args = ap.parse_args()
	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	password = frappe.conf.get("qingqian_demo_password")
	mark = {"contract_no": ["like", MARK + "%"]}
	names = {d: frappe.db.get_value(d, mark, "name") for d in ("Arrears Item", ANCHOR)}
	# one record each going round 待报送 → 报送 → 待审核 → 退回 → 待报送, by its unit's reporter and head
	rounds = {d: frappe.db.get_value(d, {**mark, "workflow_state": "待报送"}, "name") for d in names}
	frappe.destroy()
	reader = client(args.site, args.user, password)
	reporter = client(args.site, f"reporter00{DOMAIN}", password)
	head = client(args.site, f"head00{DOMAIN}", password)

	def request(kind, doctype):
		if kind == "note":
			return lambda: write(reporter, "note", doctype, rounds[doctype])
		if kind == "action":
			return lambda: (
				write(reporter, "action", doctype, rounds[doctype], "报送"),
				write(head, "action", doctype, rounds[doctype], "退回"),
			)
		method, path, data = kinds(doctype, names[doctype], args.state)[kind]
		return lambda: send(reader, method, path, data)

	print(
		f"reads as {args.user}, writes as the unit's reporter and head; median ms of {args.repeat} (after one)"
	)
	for kind in ("list", "count", "open", "pdf", "note", "action"):
		medians = []
		for doctype in ("Arrears Item", ANCHOR):
			fn = request(kind, doctype)
			fn()  # warm
			medians.append(timed(fn, args.repeat)[0])
		ledger, anchor = medians
		what = " (报送 + 退回)" if kind == "action" else ""
		print(f"{kind:6} ledger {ledger:7.1f}   anchor {anchor:7.1f}   ({ledger / anchor:.2f}×){what}")
	for kind in filter(None, args.profile.split(",")):
		for doctype in ("Arrears Item", ANCHOR):
			fn = request(kind, doctype)
			profile = cProfile.Profile()
			profile.enable()
			for _ in range(args.repeat):
				fn()
			profile.disable()
			out = io.StringIO()
			stats = pstats.Stats(profile, stream=out).sort_stats("cumulative")
			stats.print_stats(40)
			stats.print_stats("qingqian_app", 25)  # what the app adds to Frappe's own path
			print(f"\n===== {kind} {doctype}: cumulative, {args.repeat} requests")
			print(out.getvalue())


if __name__ == "__main__":
	main()
