"""Who may move what the per-unit scope (qingqian_app/permissions.py) is built from.

The scope of a user is read from two places only: the user's own record (its unit fields and
roles) and the records' unit fields (an item's debtor unit, a unit's parent and competent unit).
Both are guarded here, on every save path (form, REST, ``frappe.client``, bulk edit, Data
Import, the user profile page), wired in hooks.py ``doc_events``:

- **A user's unit** (``User.qingqian_member_unit`` / ``qingqian_debtor_unit``) is set only by
  those who administer users (System Manager; the office head does not: it has no permission
  on User at all, and administering users would let it grant itself any unit). A user's roles,
  role profile and user type are at permlevel 1 in Frappe's User, which Frappe resets on every
  save by someone without permlevel 1 (only System Manager has it); tests keep that true.
- **Scope moves**: a record whose unit fields change (SCOPE_FIELDS, declared once here) must
  be one its user may write as it was, and may read as it will be (after the controller
  computed the competent unit from the new unit). Offices (all records) are unaffected.
- **Shared masters** (OFFICE_ONLY): a Debtor Unit's place in the tree, competent unit, type,
  credit code and suspension, and the Enterprise master (name, credit code, size) are changed
  by the clearing office only; units propose to the office (请联系清欠办修改). A user may still
  correct an Enterprise it registered itself as long as no one else's record uses it.
"""

from __future__ import annotations

import frappe
from frappe import _

from qingqian_app.permissions import user_scope

# who administers users: sets the unit a user belongs to
USER_ADMIN_ROLES = frozenset({"System Manager"})
# the User fields permissions._scope reads besides the roles
USER_UNIT_FIELDS = ("qingqian_member_unit", "qingqian_debtor_unit", "qingqian_enterprise")

# who changes the shared masters
OFFICE_ROLES = frozenset({"System Manager", "Qingqian Office Head", "Qingqian Office Staff"})

# The fields each DocType's record-level scope (permissions.py) is read from; "table.field" for a
# child table's column. Ledger Import and Progress Bulletin are scoped by owner and state only.
SCOPE_FIELDS: dict[str, tuple[str, ...]] = {
	"Arrears Item": ("debtor_unit", "responsible_unit", "competent_unit"),
	"Debtor Unit": ("parent_debtor_unit", "competent_unit"),
	"Complaint Lead": ("transferred_to",),
	"Petition": ("involved_unit",),
	"Supervision": ("responsible_unit", "responsible_member_unit", "competent_unit"),
	"Unit Report": ("debtor_unit", "competent_unit"),
	"Bulletin Item": ("debtor_unit", "responsible_unit", "competent_unit"),
	"Accountability Action": ("target_unit", "competent_unit", "measures.implementing_unit"),
	"Audit Finding": ("audited_unit", "competent_unit"),
	"SOE Annual Report": ("debtor_unit", "competent_unit"),
	"Unit Annual Disclosure": ("debtor_unit", "competent_unit"),
	"Receivable Confirmation": ("debtor_unit", "competent_unit"),
	"Contract Review": ("paying_unit", "competent_unit", "investment_project"),
	"Investment Project": ("owner_unit", "competent_unit"),
}
SCOPED_BY_OWNER_OR_STATE = frozenset({"Ledger Import", "Progress Bulletin"})

# Shared masters: fields only the office changes on an existing record
OFFICE_ONLY: dict[str, tuple[str, ...]] = {
	"Debtor Unit": ("parent_debtor_unit", "competent_unit", "unit_type", "uscc", "is_suspended"),
	"Enterprise": ("enterprise_name", "uscc", "enterprise_scale"),
}


def _trusted(doc=None) -> bool:
	"""Install, migrate, patches, fixtures and the app's own code (``ignore_permissions``)."""
	f = frappe.flags
	if f.in_install or f.in_migrate or f.in_patch or f.in_fixtures:
		return True
	return bool(doc is not None and doc.flags.ignore_permissions)


def _value(doc, field: str):
	if doc is None:
		return None
	if "." in field:
		table, column = field.split(".", 1)
		return sorted(str(r.get(column) or "") for r in doc.get(table) or [])
	return doc.get(field) or None


def _changed(doc, before, fields) -> list[str]:
	return [f for f in fields if _value(doc, f) != _value(before, f)]


def _labels(doctype: str, fields) -> str:
	meta = frappe.get_meta(doctype)
	out = []
	for f in fields:
		name = f.split(".", 1)[0]
		out.append(_(meta.get_label(name)) if meta.has_field(name) else name)
	return "、".join(dict.fromkeys(out))


# --- the user's own unit --------------------------------------------------------------------


def administers_users(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or bool(USER_ADMIN_ROLES & set(frappe.get_roles(user)))


def user_before_validate(doc, method=None):
	"""doc_events User before_validate: the unit a user belongs to is set by those who
	administer users, on every save path (a user's own form, "My Settings", REST, set_value,
	the profile page's update_profile_info, Data Import)."""
	if _trusted(doc) or administers_users():  # the app's own code (ignore_permissions) too
		return
	before = None if doc.is_new() else doc.get_doc_before_save()
	changed = _changed(doc, before, USER_UNIT_FIELDS)
	if changed:
		frappe.throw(
			_("{0}只能由系统管理员设置，您不能修改").format(_labels("User", changed)),
			frappe.PermissionError,
			title=_("不能修改所属单位"),
		)


# --- scope moves ----------------------------------------------------------------------------


def validate(doc, method=None):
	"""doc_events "*" validate (after the controller computed the competent unit): the shared
	masters' office-only fields, then the record's scope before and after a change of its unit
	fields."""
	if _trusted(doc) or frappe.session.user == "Administrator":
		return
	if doc.doctype in OFFICE_ONLY:
		_check_office_only(doc)
	if doc.doctype in SCOPE_FIELDS:
		_check_scope(doc)


def _is_office(user: str) -> bool:
	return bool(OFFICE_ROLES & set(frappe.get_roles(user)))


def _check_office_only(doc):
	user = frappe.session.user
	if doc.is_new() or _is_office(user):
		return
	changed = _changed(doc, doc.get_doc_before_save(), OFFICE_ONLY[doc.doctype])
	if not changed:
		return
	if doc.doctype == "Enterprise" and _own_unused_enterprise(doc, user):
		return
	frappe.throw(
		_("{0}的{1}由清欠办维护，请联系清欠办修改").format(_(doc.doctype), _labels(doc.doctype, changed)),
		frappe.PermissionError,
		title=_("请联系清欠办修改"),
	)


def _enterprise_links() -> list[tuple[str, str]]:
	"""(DocType, field) of every Link to Enterprise, in the app's DocTypes and custom fields."""
	links = frappe.get_all(
		"DocField", filters={"fieldtype": "Link", "options": "Enterprise"}, fields=["parent", "fieldname"]
	)
	links += frappe.get_all(
		"Custom Field", filters={"fieldtype": "Link", "options": "Enterprise"}, fields=["dt", "fieldname"]
	)
	return sorted({(r.get("parent") or r.get("dt"), r.fieldname) for r in links})


def _own_unused_enterprise(doc, user: str) -> bool:
	"""A user corrects an enterprise it registered itself while no one else's record uses it."""
	if doc.owner != user:
		return False
	for doctype, field in _enterprise_links():
		if frappe.get_meta(doctype).issingle:
			continue
		if frappe.db.exists(doctype, {field: doc.name, "owner": ["!=", user]}):
			return False
	return True


def _check_scope(doc):
	scope = user_scope()
	if scope.all_records:
		return
	before = None if doc.is_new() else doc.get_doc_before_save()
	changed = _changed(doc, before, SCOPE_FIELDS[doc.doctype])
	if not changed:
		return
	labels = _labels(doc.doctype, changed)
	if before is not None:
		ptype = "write" if before.docstatus == 0 else "read"
		if not frappe.has_permission(doc.doctype, ptype, doc=before):
			frappe.throw(
				_("您无权修改此{0}（{1}），不能更改其{2}").format(_(doc.doctype), doc.name, labels),
				frappe.PermissionError,
				title=_("超出本单位范围"),
			)
	if not frappe.has_permission(doc.doctype, "read", doc=doc):
		frappe.throw(
			_("{0}：所填的{1}不在本单位的范围内（只能填写本单位或主管范围内的单位）").format(
				_(doc.doctype), labels
			),
			frappe.PermissionError,
			title=_("超出本单位范围"),
		)
	if doc.doctype == "Debtor Unit" and doc.is_new() and doc.parent_debtor_unit:
		# a new unit under a parent: the parent's users will see it, so the parent must be one
		# the user sees (the office only moves units between competent units)
		if not frappe.has_permission("Debtor Unit", "read", doc=doc.parent_debtor_unit):
			frappe.throw(
				_("上级单位“{0}”不在本单位的范围内，请联系清欠办").format(doc.parent_debtor_unit),
				frappe.PermissionError,
				title=_("超出本单位范围"),
			)


# --- a credit code belongs to a unit or to an enterprise, never both ---------------------------
# (a unit with a creditor's code would freeze that creditor's items everywhere; an enterprise
# with a unit's code could not be owed anything: the ledger refuses a creditor that is a unit)
USCC_HOLDERS = ("Debtor Unit", "Enterprise")


def check_uscc_holder(doc):
	"""Controllers of Debtor Unit and Enterprise (validate): the code is not the other's."""
	from qingqian_app.domain import uscc

	if not doc.uscc or not (doc.is_new() or doc.has_value_changed("uscc")):
		return
	doc.uscc = uscc.normalize(doc.uscc)  # a code typed with blanks, as the other is stored
	other = next(d for d in USCC_HOLDERS if d != doc.doctype)
	holder = frappe.db.get_value(other, {"uscc": doc.uscc}, "name")
	if holder:
		frappe.throw(
			_("统一社会信用代码 {0} 已登记为{1}“{2}”，不能登记为{3}的统一社会信用代码").format(
				doc.uscc, _(other), holder, _(doc.doctype)
			),
			frappe.ValidationError,
			title=_("统一社会信用代码"),
		)
