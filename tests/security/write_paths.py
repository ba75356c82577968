"""The write paths of the hostile suite (tests/security/test_writes.py, test_other_doctypes.py): every write path, tried by every attacker on a record of 区机关事务服务中心 of each workflow
DocType: PUT (v1 and v2), frappe.client.set_value and save, bulk edit, workflow actions (one
and bulk), cancel, rename, delete (REST v1, v2, frappe.client, the list's delete), likes,
comments, attachments and File tricks (a File of one's own on the victim's private URL, the
victim's File made public or moved, a File whose is_private toggle writes the victim's field).
Each cell must be refused (or answer nothing done), and the record read back as
Administrator must be as it was."""

import json

import pytest

from tests.api.conftest import URL
from tests.api.records import RULES

from .hostile import (
	CELLS,
	HACK,
	REFUSED,
	WORKFLOW_DOCTYPES,
	WRITE_FIELD,
	each_attacker,
	make_victim,
	read_back,
	snapshot,
	url,
)


def _post(a, method, **data):
	return a.s.post(f"{URL}/api/method/{method}", data=data, timeout=60)


def _first_action(doctype) -> str:
	rules = RULES[doctype]
	return sorted(t.action for t in rules.actions_from(rules.initial_state))[0]


def _file_of_own(a, v):
	"""A File of the attacker's on the victim's private URL, then the victim's file fetched."""
	a.s.post(
		url("File"), json={"file_url": v.file["file_url"], "file_name": "x.txt", "is_private": 1}, timeout=30
	)  # fmt: skip  (refused or not: the file must stay closed to them)
	return [a.s.get(f"{URL}{v.file['file_url']}", timeout=30)]


def _file_sets_field(a, v):
	"""A File attached to the victim's field, then its is_private toggled (Frappe then writes the
	file's URL into that field with db.set_value)."""
	field = "confirmation_document" if v.doctype == "Arrears Item" else WRITE_FIELD[v.doctype]
	r = a.s.post(f"{URL}/api/method/upload_file", timeout=30,
		files={"file": ("apitest-hack.txt", b"APITEST-HACKED")},
		data={"is_private": 1, "doctype": v.doctype, "docname": v.name, "fieldname": field})  # fmt: skip
	out = [r]
	if r.status_code != 200:
		# one's own File, pointed at the victim afterwards
		r = a.s.post(f"{URL}/api/method/upload_file", timeout=30,
			files={"file": ("apitest-hack.txt", b"APITEST-HACKED")}, data={"is_private": 1})  # fmt: skip
		if r.status_code != 200:
			return out
		name = r.json()["message"]["name"]
		out.append(a.s.put(url("File", name), timeout=30, json={"attached_to_doctype": v.doctype,
			"attached_to_name": v.name, "attached_to_field": field}))  # fmt: skip
	else:
		name = r.json()["message"]["name"]
	out.append(a.s.put(url("File", name), json={"is_private": 0}, timeout=30))
	return out


WRITES = {
	"resource.put": lambda a, v: [
		a.s.put(url(v.doctype, v.name), json={WRITE_FIELD[v.doctype]: HACK}, timeout=30)
	],
	"v2.put": lambda a, v: [
		a.s.put(
			f"{URL}/api/v2/document/{v.doctype}/{v.name}", json={WRITE_FIELD[v.doctype]: HACK}, timeout=30
		)
	],
	"client.set_value": lambda a, v: [
		_post(
			a,
			"frappe.client.set_value",
			doctype=v.doctype,
			name=v.name,
			fieldname=WRITE_FIELD[v.doctype],
			value=HACK,
		)  # fmt: skip
	],
	"client.save": lambda a, v: [
		_post(a, "frappe.client.save", doc=json.dumps({**v.doc, WRITE_FIELD[v.doctype]: HACK}))
	],
	"bulk_update": lambda a, v: [
		_post(
			a,
			"frappe.desk.doctype.bulk_update.bulk_update.submit_cancel_or_update_docs",
			doctype=v.doctype,
			docnames=json.dumps([v.name]),
			action="update",
			data=json.dumps({WRITE_FIELD[v.doctype]: HACK}),
		)  # fmt: skip
	],
	"workflow.apply": lambda a, v: [
		_post(
			a, "frappe.model.workflow.apply_workflow", doc=json.dumps(v.doc), action=_first_action(v.doctype)
		)
	],
	"workflow.bulk": lambda a, v: [
		_post(
			a,
			"frappe.model.workflow.bulk_workflow_approval",
			docnames=json.dumps([v.name]),
			doctype=v.doctype,
			action=_first_action(v.doctype),
		)  # fmt: skip
	],
	"cancel": lambda a, v: [_post(a, "frappe.client.cancel", doctype=v.doctype, name=v.name)],
	"rename.client": lambda a, v: [
		_post(a, "frappe.client.rename_doc", doctype=v.doctype, old_name=v.name, new_name=f"{v.name}-X")
	],
	"rename.update_document_title": lambda a, v: [
		_post(
			a,
			"frappe.model.rename_doc.update_document_title",
			doctype=v.doctype,
			docname=v.name,
			name=f"{v.name}-Y",
			title=HACK,
		)  # fmt: skip
	],
	"delete.resource": lambda a, v: [a.s.delete(url(v.doctype, v.name), timeout=30)],
	"delete.v2": lambda a, v: [a.s.delete(f"{URL}/api/v2/document/{v.doctype}/{v.name}", timeout=30)],
	"delete.client": lambda a, v: [_post(a, "frappe.client.delete", doctype=v.doctype, name=v.name)],
	"delete.reportview": lambda a, v: [
		_post(a, "frappe.desk.reportview.delete_items", doctype=v.doctype, items=json.dumps([v.name]))
	],
	"like": lambda a, v: [
		_post(a, "frappe.desk.like.toggle_like", doctype=v.doctype, name=v.name, add="Yes")
	],
	"comment.add": lambda a, v: [
		_post(
			a,
			"frappe.desk.form.utils.add_comment",
			reference_doctype=v.doctype,
			reference_name=v.name,
			content="APITEST-HACKED",
			comment_email=a.user,
			comment_by="x",
		)  # fmt: skip
	],
	"file.attach": lambda a, v: [
		a.s.post(
			f"{URL}/api/method/upload_file",
			files={"file": ("apitest-hack.txt", b"APITEST-HACKED")},
			data={"doctype": v.doctype, "docname": v.name, "is_private": 1},
			timeout=30,
		)  # fmt: skip
	],
	"file.attach_url": lambda a, v: [
		a.s.post(
			f"{URL}/api/method/upload_file",
			data={"doctype": v.doctype, "docname": v.name, "file_url": v.file["file_url"], "is_private": 1},
			timeout=30,
		)  # fmt: skip
	],
	"file.own_on_victims_url": _file_of_own,
	"file.make_public": lambda a, v: [
		a.s.put(url("File", v.file["name"]), json={"is_private": 0}, timeout=30)
	],
	"file.move": lambda a, v: [
		a.s.put(
			url("File", v.file["name"]),
			json={
				"attached_to_name": "APITEST-elsewhere",
				"attached_to_doctype": "User",
				"attached_to_field": "",
			},
			timeout=30,
		)  # fmt: skip
	],
	"file.sets_field": _file_sets_field,
}


def _nothing_done(r) -> bool:
	"""A 200 that did nothing: bulk edits report the names they failed on; the list's delete
	answers 200 whatever happened (the record is read back)."""
	body = r.json() if r.headers.get("content-type", "").startswith("application/json") else {}
	msg = body.get("message")
	if isinstance(msg, list) and msg:  # failed docnames
		return True
	return msg in (None, "", [], {}) and "data" not in body
