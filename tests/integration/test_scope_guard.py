"""What the per-unit scope is built from cannot be moved by those it scopes (issue 21):
a user's own unit, a record's unit fields, a unit's place in the tree, the shared masters
(qingqian_app/scope_guard.py). Each attack goes through a real entry point as a demo user,
is refused and leaves nothing written; the office / System Manager still do each."""

import json

import frappe
import frappe.client
import pytest
from frappe.desk.form.save import savedocs
from frappe.desk.page.user_profile.user_profile import update_profile_info

from qingqian_app.domain.uscc import check_character
from qingqian_app.permissions import user_scope

from .factories import PRIVATE, as_user, enterprise, item, unit

DEMO = "demo.qingqian.example.com"
DEBTOR = f"debtor.reporter@{DEMO}"  # 区机关事务服务中心 (区财政局)
SCHOOL = f"school.reporter@{DEMO}"  # 区第一中学 (区教科局)
FINANCE = f"finance.staff@{DEMO}"  # member unit 区财政局
OFFICE = f"office.staff@{DEMO}"
OFFICE_HEAD = f"office.head@{DEMO}"
SYSADMIN = f"sysadmin@{DEMO}"
OTHER_PRIVATE = "91310110666007218" + check_character("91310110666007218")


def _code(first17: str) -> str:
	return first17 + check_character(first17)


def rest_put(doctype, name, data):
	"""PUT /api/resource/<doctype>/<name>, as Frappe's REST handler does it."""
	from frappe.api.v1 import update_doc

	saved = frappe.local.form_dict
	frappe.local.form_dict = frappe._dict(data=json.dumps(data))
	try:
		return update_doc(doctype, name)
	finally:
		frappe.local.form_dict = saved


def form_save(doctype, name, values):
	"""The desk form's save (frappe.desk.form.save.savedocs): the whole document as JSON."""
	doc = frappe.get_doc(doctype, name).as_dict()
	doc.update(values)
	savedocs(json.dumps(doc, default=str), "Save")


# --- a user picks its own unit ---------------------------------------------------------------

USER_PATHS = {
	"REST PUT": lambda user, values: rest_put("User", user, values),
	"frappe.client.set_value": lambda user, values: frappe.client.set_value("User", user, values),
	"form / My Settings": lambda user, values: form_save("User", user, values),
	"user profile page": lambda user, values: update_profile_info(json.dumps(values)),
	"get_doc().save()": lambda user, values: frappe.get_doc("User", user).update(values).save(),
}


@pytest.mark.parametrize("path", sorted(USER_PATHS))
@pytest.mark.parametrize(
	"values", [{"qingqian_debtor_unit": "区第一中学"}, {"qingqian_member_unit": "区教科局"}]
)
def test_a_user_cannot_pick_its_own_unit(path, values):
	before = frappe.db.get_value("User", DEBTOR, list(values), as_dict=True)
	as_user(DEBTOR)
	with pytest.raises(frappe.PermissionError, match="只能由系统管理员设置"):
		USER_PATHS[path](DEBTOR, values)
	assert frappe.db.get_value("User", DEBTOR, list(values), as_dict=True) == before
	frappe.local.qingqian_scopes = {}
	assert user_scope(DEBTOR).debtor_units[0] == "区机关事务服务中心"
	assert user_scope(DEBTOR).member_unit is None


def _has_role_row(user):
	return frappe.db.get_value("Has Role", {"parent": user, "parenttype": "User"}, "name")


ROLE_PATHS = {
	"REST PUT": lambda: rest_put(
		"User",
		DEBTOR,
		{"roles": [{"role": "Qingqian Office Head"}, {"role": "System Manager"}], "user_type": "System User"},
	),
	"user profile page": lambda: update_profile_info(
		json.dumps({"roles": [{"role": "System Manager"}], "role_profile_name": None})
	),
	"frappe.client.insert of a Has Role row": lambda: frappe.client.insert(
		{
			"doctype": "Has Role",
			"parenttype": "User",
			"parentfield": "roles",
			"parent": DEBTOR,
			"role": "Qingqian Office Head",
		}
	),
	"frappe.client.set_value of a Has Role row": lambda: frappe.client.set_value(
		"Has Role", _has_role_row(DEBTOR), "role", "Qingqian Office Head"
	),
}


@pytest.mark.parametrize("path", sorted(ROLE_PATHS))
def test_a_user_cannot_give_itself_roles_or_a_user_type(path):
	"""Roles, role profile and user type are at permlevel 1 of Frappe's User (System Manager
	only): Frappe puts them back on a user's own save, on every path."""
	roles = sorted(frappe.get_roles(DEBTOR))
	as_user(DEBTOR)
	try:
		ROLE_PATHS[path]()
	except frappe.PermissionError:
		pass
	frappe.clear_cache(user=DEBTOR)
	assert sorted(frappe.get_roles(DEBTOR)) == roles
	frappe.local.qingqian_scopes = {}
	assert not user_scope(DEBTOR).all_records


def test_the_office_head_does_not_administer_users():
	as_user(OFFICE_HEAD)
	with pytest.raises(frappe.PermissionError):
		frappe.client.set_value("User", DEBTOR, "qingqian_debtor_unit", "区第一中学")
	assert frappe.db.get_value("User", DEBTOR, "qingqian_debtor_unit") == "区机关事务服务中心"


def test_a_system_manager_sets_a_users_unit():
	as_user(SYSADMIN)
	frappe.client.set_value("User", DEBTOR, "qingqian_debtor_unit", "区第一中学")
	assert frappe.db.get_value("User", DEBTOR, "qingqian_debtor_unit") == "区第一中学"
	frappe.local.qingqian_scopes = {}
	assert user_scope(DEBTOR).debtor_units == ("区第一中学",)


def test_a_users_other_fields_still_save():
	as_user(DEBTOR)
	update_profile_info(json.dumps({"bio": "清欠填报"}))
	rest_put("User", DEBTOR, {"language": "zh"})
	assert frappe.db.get_value("User", DEBTOR, "bio") == "清欠填报"


# --- scope moves: a record's unit fields --------------------------------------------------------


def test_a_member_unit_cannot_move_an_item_to_another_competent_units_unit(district):
	doc = item(district.agency)  # 区财政局's
	as_user(FINANCE)
	with pytest.raises(frappe.PermissionError, match="不在本单位的范围内"):
		frappe.client.set_value("Arrears Item", doc.name, "debtor_unit", district.school)  # 区教科局's
	assert frappe.db.get_value("Arrears Item", doc.name, ["debtor_unit", "competent_unit"]) == (
		district.agency,
		"区财政局",
	)


def test_a_member_unit_still_moves_an_item_between_its_own_units(district):
	other = unit("测试机关庚")  # 区财政局's too
	doc = item(district.agency)
	as_user(FINANCE)
	rest_put("Arrears Item", doc.name, {"debtor_unit": other})
	assert frappe.db.get_value("Arrears Item", doc.name, "debtor_unit") == other


def test_a_unit_cannot_pull_another_units_item_into_its_own(district):
	doc = item(district.agency)
	as_user(SCHOOL)
	with pytest.raises(frappe.PermissionError, match="您无权修改此"):
		rest_put("Arrears Item", doc.name, {"debtor_unit": "区第一中学"})
	assert frappe.db.get_value("Arrears Item", doc.name, "debtor_unit") == district.agency


def test_a_unit_cannot_push_its_item_to_another_unit(district):
	doc = item("区机关事务服务中心")
	as_user(DEBTOR)
	# refused by Frappe's own write check on the new values (a debtor unit's user has no
	# competent unit to fall back on); the member unit's case above is the guard's
	with pytest.raises(frappe.PermissionError):
		form_save("Arrears Item", doc.name, {"debtor_unit": district.agency})
	assert frappe.db.get_value("Arrears Item", doc.name, "debtor_unit") == "区机关事务服务中心"


def test_the_office_moves_items_anywhere(district):
	doc = item(district.agency)
	as_user(OFFICE)
	frappe.client.set_value("Arrears Item", doc.name, "debtor_unit", district.school)
	assert frappe.db.get_value("Arrears Item", doc.name, ["debtor_unit", "competent_unit"]) == (
		district.school,
		"区教科局",
	)


def test_every_scoped_doctype_declares_its_unit_fields():
	"""Each DocType with a record-level scope (permissions.py) is in SCOPE_FIELDS, and each
	declared field exists: the guard cannot silently miss a DocType or a renamed field."""
	from qingqian_app import scope_guard

	scoped = {
		dt
		for dt, hooks in frappe.get_hooks("has_permission").items()
		if any(h.startswith("qingqian_app.permissions.") for h in hooks)
	}
	assert scoped <= set(scope_guard.SCOPE_FIELDS) | scope_guard.SCOPED_BY_OWNER_OR_STATE
	for doctype, fields in scope_guard.SCOPE_FIELDS.items():
		meta = frappe.get_meta(doctype)
		for f in fields:
			table, _dot, column = f.partition(".")
			assert meta.has_field(table), (doctype, f)
			if column:
				assert frappe.get_meta(meta.get_field(table).options).has_field(column), (doctype, f)


# --- scope moves: a unit's place in the tree -------------------------------------------------


@pytest.mark.parametrize(
	"values",
	[
		{"parent_debtor_unit": "区第一中学"},
		{"competent_unit": "区教科局"},
		{"unit_type": "事业单位"},
		{"uscc": "11140502MB1A0099XR"},
		{"is_suspended": 1},
	],
)
def test_only_the_office_changes_a_units_place(district, values):
	field = next(iter(values))
	before = frappe.db.get_value("Debtor Unit", district.agency, [field, "lft", "rgt"])
	as_user(FINANCE)
	# another competent unit is refused already by Frappe's write check on the new values
	match = None if field == "competent_unit" else "请联系清欠办修改"  # Frappe's own, its message in the log
	with pytest.raises(frappe.PermissionError, match=match):
		rest_put("Debtor Unit", district.agency, values)
	assert frappe.db.get_value("Debtor Unit", district.agency, [field, "lft", "rgt"]) == before


def test_the_office_reparents_a_unit(district):
	as_user(OFFICE)
	rest_put("Debtor Unit", district.agency, {"parent_debtor_unit": "区第一中学"})
	assert frappe.db.get_value("Debtor Unit", district.agency, "parent_debtor_unit") == "区第一中学"
	frappe.local.qingqian_scopes = {}
	assert district.agency in user_scope(SCHOOL).debtor_units


def test_a_member_unit_still_edits_its_units_other_fields(district):
	as_user(FINANCE)
	rest_put("Debtor Unit", district.agency, {"principal_title": "局长"})
	assert frappe.db.get_value("Debtor Unit", district.agency, "principal_title") == "局长"


@pytest.mark.parametrize(
	"values",
	[
		{"competent_unit": "区教科局"},  # another member unit's
		{"competent_unit": "区财政局", "parent_debtor_unit": "区第一中学"},  # under its unit
	],
)
def test_a_member_unit_registers_units_only_in_its_own_scope(values):
	as_user(FINANCE)
	doc = frappe.get_doc(
		{
			"doctype": "Debtor Unit",
			"unit_name": "测试新单位辛",
			"unit_type": "机关",
			"principal_title": "主任",
			**values,
		}
	)
	# another competent unit: refused by Frappe's create check; a parent out of scope: the guard
	match = "上级单位" if values.get("parent_debtor_unit") else None  # Frappe's own
	with pytest.raises(frappe.PermissionError, match=match):
		doc.insert()
	assert not frappe.db.exists("Debtor Unit", "测试新单位辛")


def test_a_member_unit_registers_its_own_unit():
	as_user(FINANCE)
	frappe.get_doc(
		{
			"doctype": "Debtor Unit",
			"unit_name": "测试新单位壬",
			"unit_type": "机关",
			"principal_title": "主任",
			"competent_unit": "区财政局",
			"parent_debtor_unit": "区机关事务服务中心",
		}
	).insert()
	assert frappe.db.get_value("Debtor Unit", "测试新单位壬", "parent_debtor_unit") == "区机关事务服务中心"


def test_a_units_tree_bounds_are_never_typed(district):
	"""lft/rgt bound what a unit's users see (its subtree): a save never sets them, not even
	the office's."""
	bounds = frappe.db.get_value("Debtor Unit", district.agency, ["lft", "rgt"])
	as_user(OFFICE)
	rest_put("Debtor Unit", district.agency, {"lft": 1, "rgt": 10**7, "old_parent": "区第一中学"})
	assert frappe.db.get_value("Debtor Unit", district.agency, ["lft", "rgt"]) == bounds
	frappe.get_doc(
		{
			"doctype": "Debtor Unit",
			"unit_name": "测试新单位癸",
			"unit_type": "机关",
			"principal_title": "主任",
			"competent_unit": "区财政局",
			"lft": 1,
			"rgt": 10**7,
		}
	).insert()
	lft, rgt = frappe.db.get_value("Debtor Unit", "测试新单位癸", ["lft", "rgt"])
	assert rgt == lft + 1


# --- credit codes: a unit's or an enterprise's, never both -----------------------------------


def test_a_unit_with_an_enterprises_credit_code_is_refused():
	enterprise()  # PRIVATE
	as_user(OFFICE)
	doc = frappe.get_doc(
		{
			"doctype": "Debtor Unit",
			"unit_name": "测试冒用代码单位",
			"unit_type": "机关",
			"principal_title": "主任",
			"competent_unit": "区财政局",
			"uscc": PRIVATE.lower(),
		}
	)
	with pytest.raises(frappe.ValidationError, match="统一社会信用代码.*测试民营企业"):
		doc.insert()
	assert not frappe.db.exists("Debtor Unit", "测试冒用代码单位")
	assert not frappe.db.exists("Debtor Unit", {"uscc": PRIVATE})


def test_an_enterprise_with_a_units_credit_code_is_refused(district):
	frappe.db.set_value("Debtor Unit", district.school, "uscc", district.institution_code)
	as_user(f"liaison@{DEMO}")
	doc = frappe.get_doc(
		{"doctype": "Enterprise", "enterprise_name": "测试冒用企业", "uscc": district.institution_code}
	)
	with pytest.raises(frappe.ValidationError, match="统一社会信用代码.*测试学校乙"):
		doc.insert()
	assert not frappe.db.exists("Enterprise", {"uscc": district.institution_code})
	# nor by changing an enterprise's code to it (the office's own edit)
	name = enterprise()
	as_user(OFFICE)
	with pytest.raises(frappe.ValidationError, match="统一社会信用代码"):
		frappe.client.set_value("Enterprise", name, "uscc", district.institution_code)
	assert frappe.db.get_value("Enterprise", name, "uscc") == PRIVATE


# --- the shared Enterprise master ------------------------------------------------------------


@pytest.mark.parametrize(
	"values", [{"enterprise_scale": "大型"}, {"uscc": OTHER_PRIVATE}, {"enterprise_name": "改名"}]
)
def test_a_unit_cannot_edit_the_shared_enterprise_master(values):
	name = enterprise()  # registered by someone else (Administrator)
	field = next(iter(values))
	before = frappe.db.get_value("Enterprise", name, field)
	as_user(DEBTOR)
	with pytest.raises(frappe.PermissionError, match="请联系清欠办修改"):
		rest_put("Enterprise", name, values)
	assert frappe.db.get_value("Enterprise", name, field) == before


def test_the_office_edits_the_enterprise_master():
	name = enterprise()
	as_user(OFFICE)
	rest_put("Enterprise", name, {"enterprise_scale": "中型", "uscc": OTHER_PRIVATE})
	assert frappe.db.get_value("Enterprise", name, ["enterprise_scale", "uscc"]) == ("中型", OTHER_PRIVATE)


def test_a_unit_registers_an_enterprise_and_corrects_it_until_others_use_it():
	as_user(DEBTOR)
	name = (
		frappe.get_doc(
			{
				"doctype": "Enterprise",
				"enterprise_name": "测试新企业",
				"uscc": OTHER_PRIVATE,
				"enterprise_scale": "小型",
			}
		)
		.insert()
		.name
	)
	rest_put("Enterprise", name, {"enterprise_scale": "微型"})  # its own, used by no one else
	assert frappe.db.get_value("Enterprise", name, "enterprise_scale") == "微型"
	as_user("Administrator")
	item("区人民医院", enterprise=name)  # someone else's item now uses it
	as_user(DEBTOR)
	with pytest.raises(frappe.PermissionError, match="请联系清欠办修改"):
		rest_put("Enterprise", name, {"enterprise_scale": "大型"})
	assert frappe.db.get_value("Enterprise", name, "enterprise_scale") == "微型"


@pytest.mark.parametrize("doctype", ["User", "Debtor Unit", "Enterprise", "Arrears Item"])
def test_data_import_does_not_reach_units_and_masters_for_units(doctype):
	"""Data Import saves each row through the document (so the guards above run), and only
	those with import permission start one: no unit's or member unit's user."""
	for email in (DEBTOR, SCHOOL, FINANCE, f"edu.head@{DEMO}", f"liaison@{DEMO}"):
		assert not frappe.has_permission(doctype, "import", user=email), (doctype, email)


def test_a_member_unit_cannot_register_an_item_of_another_competent_units_unit(district):
	"""Frappe's create check reads the competent unit as typed; typing it is refused by the
	workflow guard (computed field), and the scope guard reads it as computed: a regression
	test of the three layers together."""
	as_user(FINANCE)
	doc = frappe.get_doc(
		{
			"doctype": "Arrears Item",
			"debtor_unit": district.school,
			"competent_unit": "区财政局",
			"enterprise": enterprise(),
			"arrears_category": "工程",
			"arrears_amount": 1000,
			"contract_no": "测试-跨主管",
		}
	)
	with pytest.raises(frappe.PermissionError):
		doc.insert()
	assert not frappe.db.exists("Arrears Item", {"contract_no": "测试-跨主管"})
