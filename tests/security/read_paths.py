"""The read paths of the hostile suite (tests/security/test_reads.py, test_other_doctypes.py): every read path, tried by every attacker (each demo user whom the record's own REST read
refuses: other units' users of every role) on a record of 区机关事务服务中心 of each workflow
DocType: REST v1 and v2, frappe.client, the report view, link and global search, the form,
prints by name and of crafted documents, PDF, reports, number cards, dashboard charts, the
record's files, child rows, versions, comments, mails, workflow actions and link titles. Each
cell (DocType × path × attacker) must answer a refusal or nothing, and never show the record's
name, mark or own values."""

import json

import pytest

from tests.api.conftest import URL

from .hostile import (
	CELLS,
	DOCTYPES,
	MARK_FIELD,
	PRINT_FORMATS,
	REFUSED,
	REPORTS,
	UNITS,
	WORKFLOW_DOCTYPES,
	child_tables,
	each_attacker,
	links_to,
	refused_or_empty,
	url,
)
from .hostile import DEMO as DEMO_DOMAIN


def _f(v):
	return json.dumps([["name", "=", v.name]])


def _fields(v):
	return json.dumps(["name", MARK_FIELD[v.doctype]])


def _post(a, method, **data):
	return a.s.post(f"{URL}/api/method/{method}", data=data, timeout=60)


def _get(a, method, **params):
	return a.s.get(f"{URL}/api/method/{method}", params=params, timeout=60)


# path -> function(actor, victim) -> [(reply, judge options)]
def _one(r, **kw):
	return [(r, kw)]


READS = {
	"resource.get": lambda a, v: _one(a.s.get(url(v.doctype, v.name), timeout=30)),
	"resource.list": lambda a, v: _one(
		a.s.get(url(v.doctype), params={"filters": _f(v), "fields": _fields(v)}, timeout=30)
	),
	"resource.list.mark": lambda a, v: _one(
		a.s.get(
			url(v.doctype),
			timeout=30,
			params={
				"filters": json.dumps([[MARK_FIELD[v.doctype], "like", f"%{v.mark[8:]}%"]]),
				"fields": _fields(v),
			},
		)  # fmt: skip
	),
	"v2.get": lambda a, v: _one(a.s.get(f"{URL}/api/v2/document/{v.doctype}/{v.name}", timeout=30)),
	"v2.list": lambda a, v: _one(
		a.s.get(
			f"{URL}/api/v2/document/{v.doctype}", params={"filters": _f(v), "fields": _fields(v)}, timeout=30
		)  # fmt: skip
	),
	"v2.count": lambda a, v: _one(
		a.s.get(f"{URL}/api/v2/doctype/{v.doctype}/count", params={"filters": _f(v)}, timeout=30), count=True
	),
	"client.get": lambda a, v: _one(_post(a, "frappe.client.get", doctype=v.doctype, name=v.name)),
	"client.get_list": lambda a, v: _one(
		_post(a, "frappe.client.get_list", doctype=v.doctype, filters=_f(v), fields=_fields(v))
	),
	"client.get_value": lambda a, v: _one(
		_post(a, "frappe.client.get_value", doctype=v.doctype, fieldname=_fields(v), filters=_f(v))
	),
	"client.get_count": lambda a, v: _one(
		_post(a, "frappe.client.get_count", doctype=v.doctype, filters=_f(v)), count=True
	),
	"reportview.get": lambda a, v: _one(
		_post(a, "frappe.desk.reportview.get", doctype=v.doctype, fields=_fields(v), filters=_f(v))
	),
	"reportview.get_count": lambda a, v: _one(
		_post(a, "frappe.desk.reportview.get_count", doctype=v.doctype, filters=_f(v)), count=True
	),
	"search.search_link": lambda a, v: _one(
		_post(a, "frappe.desk.search.search_link", doctype=v.doctype, txt=v.name)
	),
	"search.search_widget": lambda a, v: [
		(_post(a, "frappe.desk.search.search_widget", doctype=v.doctype, txt=v.name), {}),
		(
			_post(
				a,
				"frappe.desk.search.search_widget",
				doctype=v.doctype,
				txt="",
				filters=json.dumps({MARK_FIELD[v.doctype]: v.mark}),
				as_dict=1,
			),
			{},
		),  # fmt: skip
	],
	"global_search": lambda a, v: [
		(_post(a, "frappe.utils.global_search.search", text=v.name), {}),
		(_post(a, "frappe.utils.global_search.search", text=v.mark), {}),
	],
	"form.getdoc": lambda a, v: _one(_get(a, "frappe.desk.form.load.getdoc", doctype=v.doctype, name=v.name)),
	"form.get_docinfo": lambda a, v: _one(
		_get(a, "frappe.desk.form.load.get_docinfo", doctype=v.doctype, name=v.name)
	),
	"printview.name": lambda a, v: [
		(
			_post(a, "frappe.www.printview.get_html_and_style", doc=v.doctype, name=v.name, print_format=fmt),
			{},
		)
		for fmt in PRINT_FORMATS.get(v.doctype, ["Standard"])
	],
	"printview.page": lambda a, v: _one(
		a.s.get(f"{URL}/printview", params={"doctype": v.doctype, "name": v.name}, timeout=60)
	),
	"pdf": lambda a, v: [
		(
			_get(a, "frappe.utils.print_format.download_pdf", doctype=v.doctype, name=v.name, format=fmt),
			{"strict": True},
		)
		for fmt in PRINT_FORMATS.get(v.doctype, ["Standard"])[:1]
	],
	"file.list": lambda a, v: _one(
		a.s.get(
			url("File"),
			timeout=30,
			params={
				"filters": json.dumps([["attached_to_name", "=", v.name]]),
				"fields": json.dumps(["name", "file_url", "attached_to_name", "file_name"]),
			},
		)  # fmt: skip
	),
	"file.get": lambda a, v: _one(a.s.get(url("File", v.file["name"]), timeout=30), name_too=False),
	"file.download": lambda a, v: _one(a.s.get(f"{URL}{v.file['file_url']}", timeout=30), name_too=False),
	"version": lambda a, v: [
		(
			a.s.get(
				url("Version"),
				timeout=30,
				params={
					"filters": json.dumps([["ref_doctype", "=", v.doctype], ["docname", "=", v.name]]),
					"fields": json.dumps(["name", "docname", "data"]),
				},
			),
			{},
		),
		(
			_post(
				a,
				"frappe.client.get_list",
				doctype="Version",
				filters=json.dumps({"docname": v.name}),
				fields=json.dumps(["name", "docname", "data"]),
			),
			{},
		),
	],  # fmt: skip
	"comment": lambda a, v: [
		(
			a.s.get(
				url("Comment"),
				timeout=30,
				params={
					"filters": json.dumps([["reference_name", "=", v.name]]),
					"fields": json.dumps(["name", "reference_name", "content"]),
				},
			),
			{},
		),
		(
			_post(
				a,
				"frappe.client.get_list",
				doctype="Comment",
				filters=json.dumps({"reference_name": v.name}),
				fields=json.dumps(["name", "reference_name", "content"]),
			),
			{},
		),
	],  # fmt: skip
	"communication": lambda a, v: _one(
		a.s.get(
			url("Communication"),
			timeout=30,
			params={
				"filters": json.dumps([["reference_name", "=", v.name]]),
				"fields": json.dumps(["name", "reference_name", "subject", "content"]),
			},
		)  # fmt: skip
	),
	"workflow_action": lambda a, v: [
		(
			a.s.get(
				url("Workflow Action"),
				timeout=30,
				params={
					"filters": json.dumps(
						[["reference_doctype", "=", v.doctype], ["reference_name", "=", v.name]]
					),
					"fields": json.dumps(["name", "reference_name", "workflow_state"]),
				},
			),
			{},
		),
		(
			_post(
				a,
				"frappe.client.get_list",
				doctype="Workflow Action",
				filters=json.dumps({"reference_name": v.name}),
				fields=json.dumps(["name", "reference_name", "workflow_state"]),
			),
			{},
		),
	],  # fmt: skip
	"get_link_title": lambda a, v: _one(
		_post(a, "frappe.desk.search.get_link_title", doctype=v.doctype, docname=v.name), title=True
	),
	"number_card": lambda a, v: _one(
		_post(
			a,
			"frappe.desk.doctype.number_card.number_card.get_result",
			filters=_f_card(v),
			doc=json.dumps(
				{
					"document_type": v.doctype,
					"function": "Count",
					"type": "Document Type",
					"filters_json": "[]",
				}
			),
		),  # fmt: skip
		count=True,
	),
	"dashboard_chart": lambda a, v: _one(
		_post(
			a,
			"frappe.desk.doctype.dashboard_chart.dashboard_chart.get",
			no_cache=1,
			filters=_f_card(v),
			chart=json.dumps(
				{
					"chart_type": "Group By",
					"document_type": v.doctype,
					"group_by_type": "Count",
					"group_by_based_on": MARK_FIELD[v.doctype],
					"type": "Bar",
					"filters_json": "[]",
				}
			),
		)  # fmt: skip
	),
}


def _f_card(v):
	return json.dumps([[v.doctype, "name", "=", v.name]])


def _children(a, v):
	out = []
	for _field, child in child_tables(v.doctype):
		f = json.dumps([["parent", "=", v.name]])
		out += [
			(_post(a, "frappe.client.get_list", doctype=child, parent=v.doctype, filters=f,
				fields=json.dumps(["*"])), {"name_too": True}),
			(a.s.get(url(child), params={"parent": v.doctype, "filters": f, "fields": json.dumps(["*"])},
				timeout=30), {}),
			(a.s.get(f"{URL}/api/v2/document/{child}", params={"parent": v.doctype, "filters": f,
				"fields": json.dumps(["*"])}, timeout=30), {}),
			(_post(a, "frappe.desk.reportview.get", doctype=child, parent_doctype=v.doctype, filters=f,
				fields=json.dumps(["*"])), {}),
		]  # fmt: skip
	return out


def _crafted(a, v, user):
	"""Prints of unsaved documents: the victim's own name in a document of its DocType, and each
	print format's document whose link field names the victim (the 督办函 loads its item)."""
	unit, member = UNITS[user]
	out = []
	own = {"doctype": v.doctype, "name": v.name, "docstatus": 0}
	for fmt in PRINT_FORMATS.get(v.doctype, ["Standard"])[:1]:
		out.append((_post(a, "frappe.www.printview.get_html_and_style", doc=json.dumps(own), print_format=fmt),
			{"name_too": False, "crafted": True}))  # fmt: skip
	seen = set()
	for outer, field, fmt in links_to(v.doctype):
		if (outer, field) in seen or (outer == "Supervision" and v.doctype != "Arrears Item"):
			continue  # one format a document; the 督办函 loads a ledger item only
		seen.add((outer, field))
		doc = {"doctype": outer, "name": "APITEST-crafted", "docstatus": 0, field: v.name}
		if outer == "Supervision":
			doc.update(reference_doctype=v.doctype, time_limit="台账清偿", deadline="2026-11-01")
		for f in DOCTYPES.get(outer, {}).get("fields", []):
			if f["fieldtype"] == "Link" and f.get("options") == "Debtor Unit" and unit:
				doc.setdefault(f["fieldname"], unit)
		if member:
			doc.setdefault("competent_unit", member)
		out.append((_post(a, "frappe.www.printview.get_html_and_style", doc=json.dumps(doc), print_format=fmt),
			{"name_too": False, "crafted": True}))  # fmt: skip
	return out


def _reports(a, v):
	return [
		(
			_post(
				a, "frappe.desk.query_report.run", report_name=report, filters="{}", ignore_prepared_report=1
			),
			{},
		)
		for report in REPORTS.get(v.doctype, [])
	]


def judge(r, v, **kw) -> str | None:
	if kw.pop("title", False) and r.status_code == 200:
		title = r.json().get("message")
		return None if title in (None, "", v.name) else f"title {title!r}"
	if kw.pop("strict", False):  # a PDF: its text is not searchable, a 200 is the leak
		return None if r.status_code in REFUSED else f"HTTP {r.status_code} {r.headers.get('content-type')}"
	if kw.pop("crafted", False):
		if r.status_code not in (403, 417):
			return f"a print of an unsaved document: HTTP {r.status_code}" + (
				f", shows {v.leaked(r.text, name_too=False)}" if v.leaked(r.text, name_too=False) else ""
			)
		return None
	return refused_or_empty(r, v, **kw)


def attack_reads(doctype: str, path: str, v, attempt) -> list[str]:
	"""Each attacker's replies to ``attempt``, counted as cells and judged: what went wrong."""
	wrong = []
	for user, replies in each_attacker(v, attempt):
		for r, kw in replies:
			CELLS[(doctype, path)] += 1
			problem = judge(r, v, **kw)
			if problem:
				wrong.append(f"{user}: {r.request.method} {r.request.url[len(URL):][:90]} → {problem}")
	return wrong
