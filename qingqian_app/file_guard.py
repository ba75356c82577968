"""Files follow the record they belong to (issue 21).

Frappe's File permissions are per DocType and per owner, not per record: whoever makes a
File record may read it (``frappe.core.doctype.file.file.has_permission`` grants the owner
first), a File may point at any file on disk by its ``file_url``, the list shows every
attachment of every readable DocType, and toggling ``is_private`` moves the file on disk and
writes the attached record's field with ``frappe.db.set_value``, past the per-state guard
(qingqian_app.workflow_guard). So, from the app (hooks.py):

- ``file_permission`` (has_permission, asked before Frappe's, a False wins): a File attached
  to a record is read only by those who may read the record, and changed, re-attached or
  deleted only by those who may write it; a new File is attached only to a record the user
  may write, and a File made from an address (``file_url``, no content) only from a private
  file that already belongs to a record the user may read (or that the user uploaded, when it
  belongs to no record): checked before Frappe reads anything from disk;
- ``file_conditions`` (permission_query_conditions, ANDed with Frappe's): files attached to
  the app's DocTypes are listed only for records the user may list (the app's own conditions
  of each DocType, in a subquery);
- ``before_validate`` (doc_events File, before Frappe's ``validate`` moves anything): the
  same rules for a changed address or attachment, the old record's write right to detach,
  ``content_hash`` never taken from the user (Frappe re-points every File of a hash when one
  is toggled), a toggle of ``is_private`` only by one who may change every record the file
  belongs to and the field it writes in that record's state (workflow_guard's declaration);
  an address that the database cannot tell from another file's (case, trailing spaces) is
  refused, since Frappe finds files by address with the column's collation;
- deleting a File asks has_permission("delete"): write on its record (remove_attach,
  REST DELETE; file_manager.remove_file skips the check only for those who may write);
- ``check_attach_fields`` (doc_events "*" before_validate): an Attach field is set to a private
  file's address only by one who may read a record that file belongs to (Frappe's
  ``attach_files_to_document`` would otherwise make a File for it, or move an unattached
  one, with ignore_permissions).
- ``make_communication`` (override of ``frappe.core.doctype.communication.email.make``): a
  mail attaches (and sends) only files the sender may read; Frappe makes the Communication's
  File from the given File's address with ignore_permissions.

Server code (``ignore_permissions``, install, migrate, patches) and Administrator are not
checked.
"""

from __future__ import annotations

import os
from urllib.parse import unquote, urlsplit

import frappe
from frappe import _
from frappe.utils import cint, cstr

APP = "qingqian_app"
PRIVATE, PUBLIC = "/private/files/", "/files/"
READ_TYPES = frozenset({"read", "select", "print", "email", "export", "report", "share"})
ATTACH_TYPES = ("Attach", "Attach Image")
PLACES = ("file_url", "is_private", "attached_to_doctype", "attached_to_name", "attached_to_field")


def _trusted(doc=None) -> bool:
	f = frappe.flags
	if frappe.session.user == "Administrator" or f.in_install or f.in_migrate or f.in_patch or f.in_fixtures:
		return True
	return bool(doc is not None and doc.flags.ignore_permissions)


def _refuse(message: str):
	frappe.throw(message, frappe.PermissionError, title=_("文件"))


# --- records and what the user may do with them ------------------------------------------------


def _record(doctype: str | None, name: str | None):
	"""The attached record, or None when it does not exist (yet)."""
	if not (doctype and name) or not frappe.db.exists("DocType", doctype):
		return None
	try:
		return frappe.get_doc(doctype, name)
	except frappe.DoesNotExistError:
		frappe.clear_last_message()
		return None


def _may(ref, ptype: str, user: str) -> bool:
	return bool(frappe.has_permission(ref.doctype, ptype, doc=ref, user=user))


def _holds(f, user: str, ptype: str = "read") -> bool:
	"""Whether ``user`` may ``ptype`` (read or write) the file of File row ``f`` by what it
	belongs to: its record, or its uploader when it belongs to none (or to a record not
	saved yet)."""
	ref = _record(f.get("attached_to_doctype"), f.get("attached_to_name"))
	if ref is None:
		return f.get("owner") == user
	return _may(ref, ptype, user)


def _may_attach(doctype: str | None, name: str | None, user: str) -> bool:
	"""Attaching to a record needs write on it; to a form not saved yet, create on its DocType."""
	if not doctype:
		return True
	ref = _record(doctype, name)
	if ref is None:
		return cstr(name).startswith("new-") and bool(frappe.has_permission(doctype, "create", user=user))
	return _may(ref, "write", user)


def may_write_field(ref, fieldname: str, user: str | None = None) -> bool:
	"""Whether ``user`` may set ``fieldname`` of record ``ref`` now: write on the record and,
	for a DocType with a workflow in workflows/, the field is one the user's roles may edit
	in the record's state (workflow_guard's declaration); otherwise a field the user may
	edit at its permission level (after submit only if allowed on submit)."""
	from qingqian_app import workflow_guard
	from qingqian_app.domain import editing

	user = user or frappe.session.user
	if user == "Administrator":
		return True
	df = ref.meta.get_field(fieldname)
	if df is None or not _may(ref, "write", user):
		return False
	rules = workflow_guard.rules_for(ref.doctype)
	if rules is not None:
		kind = workflow_guard.field_kinds(ref.meta).get(fieldname)
		if kind is None or kind.kind != editing.INPUT:
			return False
		state = ref.get(workflow_guard.STATE_FIELD) or rules.initial_state
		return fieldname in rules.editable(state, frozenset(frappe.get_roles(user)))
	if df.read_only or cint(ref.docstatus) == 2 or (cint(ref.docstatus) == 1 and not df.allow_on_submit):
		return False
	return df.permlevel in ref.get_permlevel_access("write")


# --- addresses ---------------------------------------------------------------------------------


def _local(url: str | None) -> tuple[str, bool, str] | None:
	"""The local file an address names, as Frappe stores its address: (address, private, path
	on disk); None for a remote address. An http(s) address whose path is under /files/ or
	/private/files/ names the local file whatever its host: Frappe reads it from disk when the
	request's Host is that host (File.get_full_path strips ``get_url()``, which follows Host).
	An address that names a file by a detour (``./``, ``..``, ``//``) is refused: the file
	would have two addresses and the permission check only knows one."""
	url = unquote(cstr(url))
	if url.startswith(("http://", "https://")):
		url = urlsplit(url).path
	if url.startswith(PRIVATE):
		private, base = True, frappe.get_site_path("private", "files")
	elif url.startswith(PUBLIC):
		private, base = False, frappe.get_site_path("public", "files")
	else:
		return None
	base = os.path.realpath(base)
	real = os.path.realpath(os.path.join(base, url.split("/files/", 1)[1]))
	canonical = (PRIVATE if private else PUBLIC) + os.path.relpath(real, base)
	if not real.startswith(base + os.sep) or canonical != url:
		_refuse(_("文件地址 {0} 不规范，请使用 {1}").format(frappe.bold(url), frappe.bold(canonical)))
	return url, private, real


def _files_at(url: str, exclude: str | None):
	"""The File rows the database finds at ``url`` (its collation: case and trailing spaces
	ignored), as Frappe's download finds them."""
	return frappe.get_all(
		"File",
		filters={"file_url": url, "name": ["!=", exclude or ""]},
		fields=["name", "file_url", "owner", "attached_to_doctype", "attached_to_name", "content_hash"],
		ignore_permissions=True,
	)


def check_address(url: str | None, user: str, exclude: str | None = None, from_content: bool = False):
	"""A File (or an Attach field) may name ``url`` only if no other file answers to the same
	address, and, unless the user brought the content, if it is a private file, only when it
	already belongs to a record the user may read (or the user uploaded it)."""
	local = _local(url)
	if local is None:
		return
	url, private, path = local
	files = _files_at(url, exclude)
	if any(f.file_url != url for f in files):
		_refuse(_("文件地址 {0} 与已有文件的地址只差大小写或空格，请改名后上传").format(frappe.bold(url)))
	if from_content or not private or not (files or os.path.exists(path)):
		return  # nothing there to read (Frappe refuses a File of a missing file itself)
	if not any(_holds(f, user) for f in files):
		_refuse(_("文件地址：{0} 须是您本人上传的文件，或属于您能查看的记录").format(frappe.bold(url)))


# --- hooks -------------------------------------------------------------------------------------


def file_permission(doc, ptype=None, user=None, debug=False):
	"""has_permission for File (asked before Frappe's; None lets it decide, False denies)."""
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	if doc.get("is_folder"):
		_no_address_on_folder(doc)
		return None
	if ptype == "create":
		# the insert's permission check, before Frappe reads or writes anything on disk
		doc.flags.qingqian_from_content = _brings_content(doc)
		if not _may_attach(doc.get("attached_to_doctype"), doc.get("attached_to_name"), user):
			_refuse(
				_("附加到：您不能修改{0} {1}，不能为它添加附件").format(
					_(doc.attached_to_doctype), doc.get("attached_to_name")
				)
			)
		check_address(doc.get("file_url"), user, doc.name, from_content=doc.flags.qingqian_from_content)
		return None
	ref = _record(doc.get("attached_to_doctype"), doc.get("attached_to_name"))
	if ref is None:
		return None
	return None if _may(ref, "read" if ptype in READ_TYPES else "write", user) else False


def _no_address_on_folder(doc):
	"""A folder names no file: Frappe's download finds File rows by address, folders too."""
	if doc.get("file_url"):
		_refuse(_("文件夹不能有文件地址（file_url）"))


def _brings_content(doc) -> bool:
	"""Whether a new File brings its own content (Frappe then writes it, or finds the same
	content already stored): content that decodes to nothing leaves the given address."""
	from frappe.core.doctype.file.utils import decode_file_content

	content = doc.get("content")
	if cstr(doc.get("file_url")).startswith(("http://", "https://")):
		return False  # Frappe keeps a remote address (its own site's becomes local) and no content
	if content and doc.get("decode"):
		try:
			content = decode_file_content(content)
		except Exception:
			content = None
	return bool(content)


def file_conditions(user: str | None = None) -> str:
	"""permission_query_conditions for File: files attached to the app's DocTypes only of the
	records the user may list (each DocType's own conditions)."""
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	hooks = frappe.get_hooks("permission_query_conditions", app_name=APP)
	restricted, allowed = [], []
	for doctype, methods in sorted(hooks.items()):
		if doctype == "File" or frappe.db.get_value("DocType", doctype, "istable") in (None, 1):
			continue
		conds = [c for c in (frappe.call(m, user=user) for m in methods) if c]
		if conds:  # none: the user lists every record of it
			where = " and ".join(f"({c})" for c in conds)
			restricted.append(frappe.db.escape(doctype))
			allowed.append(
				f"(`tabFile`.`attached_to_doctype` = {frappe.db.escape(doctype)} and `tabFile`.`attached_to_name`"
				f" in (select `tab{doctype}`.`name` from `tab{doctype}` where {where}))"
			)
	if not restricted:
		return ""
	return (
		f"(ifnull(`tabFile`.`attached_to_doctype`, '') not in ({', '.join(restricted)})"
		f" or {' or '.join(allowed)})"
	)


def _changed(before, doc, field: str) -> bool:
	if field == "is_private":
		return cint(before.get(field)) != cint(doc.get(field))
	return cstr(before.get(field)) != cstr(doc.get(field))


def before_validate(doc, method=None):
	"""doc_events File before_validate: runs before File.validate moves a file or writes the
	attached record's field."""
	if _trusted(doc):
		return
	if doc.get("is_folder"):
		return _no_address_on_folder(doc)
	user = frappe.session.user
	before = doc.get_doc_before_save()
	if before is None or _changed(before, doc, "file_name"):
		from qingqian_app.input_guard import markup_problem

		if problem := markup_problem(doc.file_name):
			frappe.throw(problem, frappe.ValidationError, title=_("文件名"))
	if before is None:  # a new File: its final address (Frappe may have taken an existing file's)
		check_address(doc.file_url, user, doc.name, from_content=doc.flags.qingqian_from_content is not False)
		return
	if _changed(before, doc, "content_hash"):
		_refuse(_("内容校验值（content_hash）由系统计算，不能修改"))
	changed = [f for f in PLACES if _changed(before, doc, f)]
	if not changed:
		return
	old = _record(before.get("attached_to_doctype"), before.get("attached_to_name"))
	if old is not None and not _may(old, "write", user):
		_refuse(_("您不能修改{0} {1}，不能改动它的附件").format(_(old.doctype), old.name))
	if {"attached_to_doctype", "attached_to_name"} & set(changed) and not _may_attach(
		doc.get("attached_to_doctype"), doc.get("attached_to_name"), user
	):
		_refuse(
			_("附加到：您不能修改{0} {1}，不能为它添加附件").format(
				_(doc.attached_to_doctype), doc.get("attached_to_name")
			)
		)
	if "file_url" in changed:
		check_address(doc.file_url, user, doc.name)
	if "is_private" in changed:
		_check_toggle(doc, before, user)


def _check_toggle(doc, before, user: str):
	"""Making a file public or private moves it on disk for every File of its content
	(Frappe's update_existing_file_docs) and writes the attached record's field."""
	url = cstr(doc.file_url)
	others = _files_at(url, doc.name) if url else []
	if doc.content_hash:
		others += frappe.get_all(
			"File",
			filters={"content_hash": doc.content_hash, "name": ["!=", doc.name], "is_folder": 0},
			fields=["name", "file_url", "owner", "attached_to_doctype", "attached_to_name", "content_hash"],
			ignore_permissions=True,
		)
	for f in others:
		if not _holds(f, user, "write"):
			_refuse(_("公开/私有：该文件也属于您不能修改的记录，不能改变它的公开状态"))
	ref = _record(doc.attached_to_doctype, doc.attached_to_name)
	if ref is None:
		return
	field = doc.attached_to_field or _field_holding(ref, url)
	if field and not may_write_field(ref, field, user):
		_refuse(
			_("公开/私有：改变此附件的公开状态会改写{0} {1} 的“{2}”，您在当前状态不能修改该字段").format(
				_(ref.doctype), ref.name, _(ref.meta.get_label(field))
			)
		)


def _field_holding(ref, url: str) -> str | None:
	"""The field Frappe's File.fetch_attached_to_field finds (one whose value is the address)."""
	for key, value in ref.as_dict().items():
		if value == url:
			return key
	return None


def _attach_fields(doctype: str) -> tuple[str, ...]:
	cache = frappe.local.qingqian_attach_fields = getattr(frappe.local, "qingqian_attach_fields", None) or {}
	if doctype not in cache:
		cache[doctype] = tuple(
			df.fieldname for df in frappe.get_meta(doctype).fields if df.fieldtype in ATTACH_TYPES
		)
	return cache[doctype]


def check_attach_fields(doc, method=None):
	"""doc_events "*" before_validate: an Attach field (of the record or a row of its tables) set to
	a private file's address: only one that belongs to a record the user may read."""
	if doc.doctype == "File" or _trusted(doc):
		return
	tables = [df.fieldname for df in doc.meta.get_table_fields() if _attach_fields(df.options)]
	if not (_attach_fields(doc.doctype) or tables):
		return
	before = doc.get_doc_before_save()
	rows = [(doc, before)]
	for table in tables:
		saved = {r.name: r for r in (before.get(table) if before else None) or []}
		rows += [(r, saved.get(r.name)) for r in doc.get(table) or []]
	user = frappe.session.user
	for row, old in rows:
		for fieldname in _attach_fields(row.doctype):
			value = row.get(fieldname)
			if not value or (old is not None and old.get(fieldname) == value):
				continue
			try:
				check_address(value, user)
			except frappe.PermissionError as e:
				frappe.clear_last_message()
				_refuse(f"{_(row.meta.get_label(fieldname))}：{e}")


@frappe.whitelist(methods=["POST"])
def make_communication(**kwargs):
	"""Frappe's ``communication.email.make`` (the desk's mail dialog): it attaches the Files it
	is given by name to the new Communication with ignore_permissions, and mails them; only
	files the user may read (their record's reader, or their uploader) are taken."""
	from frappe.core.doctype.communication import email

	user = frappe.session.user
	attachments = kwargs.get("attachments")
	if isinstance(attachments, str):
		attachments = frappe.parse_json(attachments)
	for a in attachments or []:
		if not isinstance(a, str) or user == "Administrator":
			continue
		f = frappe.db.get_value(
			"File",
			a,
			["name", "file_url", "is_private", "owner", "attached_to_doctype", "attached_to_name"],
			as_dict=True,
		)
		if f is None or (cint(f.is_private) and not _holds(f, user)):
			_refuse(_("附件：{0} 不是您上传的文件，也不属于您能查看的记录").format(frappe.bold(a)))
	kwargs.pop("cmd", None)
	return email.make(**kwargs)
