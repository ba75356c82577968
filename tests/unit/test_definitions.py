"""The repository's own definitions: valid against their schemas, consistent with each
other and with the DocTypes, and faithful to the work plan."""

import json
from pathlib import Path

import pytest

from qingqian_app.domain import uscc
from qingqian_app.sync import checks, definitions

ROOT = definitions.REPO_ROOT
# Personal names in the work plan's annex: the product never ships them.
ANNEX_NAMES = [
	"冯晓伟",
	"赵 强",
	"赵强",
	"陈玉霞",
	"暴晋忠",
	"王 珏",
	"王珏",
	"李 斌",
	"李斌",
	"李晓东",
	"张林胜",
	"刘 敏",
	"刘敏",
	"郝水平",
	"黄国威",
	"陈 晨",
	"陈晨",
	"王俊芳",
	"宋江涛",
]


@pytest.fixture(scope="module")
def defs():
	return checks.load_checked(include_demo=True)


def test_all_definitions_pass_schema_and_cross_checks(defs):
	assert checks.problems(defs) == []
	assert len(defs.workflows) >= 1


def test_schemas_are_valid_draft_2020_12():
	from jsonschema import Draft202012Validator

	for kind in ("workflow", "fixture", "print_format"):
		Draft202012Validator.check_schema(definitions.schema(kind))


def test_demo_data_only_on_request():
	prod = definitions.load()
	assert not any(r.source.startswith("fixtures/demo/") for r in prod.records)
	demo = definitions.load(include_demo=True)
	assert any(r.source.startswith("fixtures/demo/") for r in demo.records)


def test_roles_cover_the_users_of_the_design(defs):
	roles = {r.name for r in defs.by_doctype("Role")}
	for role in [
		"Qingqian Office Head",
		"Qingqian Office Staff",
		"Member Unit Head",
		"Member Unit Staff",
		"Debtor Unit Reporter",
		"Debtor Unit Head",
		"Complaint Intake Officer",
		"Petition Officer",
		"Enterprise Liaison",
		"Audit Officer",
		"Legal Reviewer",
		"Public Opinion Monitor",
		"Qingqian Leader",
	]:
		assert role in roles
	po = (ROOT / "qingqian_app/locale/zh.po").read_text(encoding="utf-8")
	for role in roles:
		assert f'msgid "{role}"' in po, f"{role} has no Chinese name in locale/zh.po"


def test_member_units_and_duties_from_the_annex(defs):
	units = {r.name: r.values for r in defs.by_doctype("Member Unit")}
	for name in [
		"区财政局",
		"区委网信办",
		"区工商联",
		"区教科局",
		"区司法局",
		"区民营经济局",
		"区审计局",
		"区信访局",
		"区发改局",
		"区市场监管局",
		"区城投公司",
		"区工信局",
	]:
		assert name in units and len(units[name]["duties"]) > 20
	assert [n for n, v in units.items() if v["is_clearing_office"]] == ["区工信局"]
	assert "失信主体名录" in units["区财政局"]["duties"]


def test_no_personal_names_from_the_annex_anywhere():
	for path in [
		*ROOT.glob("fixtures/**/*.json"),
		*ROOT.glob("workflows/*.json"),
		*ROOT.glob("qingqian_app/**/*.json"),
	]:
		text = path.read_text(encoding="utf-8")
		for name in ANNEX_NAMES:
			assert name not in text, f"{path} names {name}"


def test_demo_district_shape(defs):
	units = {r.name: r.values for r in defs.by_doctype("Debtor Unit")}
	types = {v["unit_type"] for v in units.values()}
	assert types == {"机关", "事业单位", "国有企业"}
	assert any(v["competent_unit"] == "区教科局" for v in units.values()), "a school under 教科局"
	subs = [v for v in units.values() if v.get("parent_debtor_unit")]
	assert {v["ownership"] for v in subs} >= {"全资", "控股"}
	assert all(units[v["parent_debtor_unit"]]["is_group"] for v in subs)
	assert sum(v["is_suspended"] for v in units.values()) == 1
	for v in units.values():
		assert uscc.is_valid(v["uscc"]), v


def test_demo_enterprises_have_valid_codes(defs):
	ents = defs.by_doctype("Enterprise")
	assert len(ents) >= 3
	for e in ents:
		assert uscc.problem(e.values["uscc"]) is None, e.name
		assert uscc.category(e.values["uscc"]) == "企业"


def test_one_demo_user_per_role(defs):
	roles = {r.name for r in defs.by_doctype("Role")}
	users = defs.by_doctype("User")
	covered = {row["role"] for u in users for row in u.values["roles"]}
	assert covered == roles | {"System Manager"}
	# first: Frappe gives System Manager to the next user saved while no other one exists
	assert [r["role"] for r in users[0].values["roles"]] == ["System Manager"]
	for u in users:
		# no password in the repository: each site generates its own (install.demo_password)
		assert "new_password" not in u.create_only and "new_password" not in u.values
		assert u.values["send_welcome_email"] == 0


def test_approvals_never_self_approved(defs):
	wf = next(r for r in defs.by_doctype("Workflow") if r.name == "欠款台账流程")
	raw = next(w for w in defs.workflows if w["workflow_name"] == "欠款台账流程")
	for t, row in zip(raw["transitions"], wf.values["transitions"], strict=True):
		assert row["allow_self_approval"] == (0 if t["kind"] == "approve" else 1)
	close = next(row for row in wf.values["transitions"] if row["action"] == "销号")
	assert close["allowed"] == "Qingqian Office Head" and close["allow_self_approval"] == 0
	# its conditions are checked by the controller with a clear message (ledger.transition_problems)
	assert close["condition"] == ""


def test_arrears_workflow_states_follow_the_design(defs):
	raw = next(w for w in defs.workflows if w["workflow_name"] == "欠款台账流程")
	assert [s["state"] for s in raw["states"]] == [
		"待报送",
		"待审核",
		"已入账",
		"已转办",
		"核查中",
		"清偿中",
		"协调化解中",
		"待销号",
		"已销号",
		"不予列入",
		"重复",
	]


def test_state_and_action_records_precede_the_workflow(defs):
	order = [r.key for r in defs.records]
	wf = order.index(("Workflow", "欠款台账流程"))
	assert order.index(("Workflow State", "已销号")) < wf
	assert order.index(("Workflow Action Master", "销号")) < wf
	assert order.index(("Role", "Qingqian Office Head")) < wf


def test_adoptable_roles_are_those_of_app_doctypes(defs):
	assert ("Role", "Qingqian Office Head") in defs.adoptable
	assert all(k[0] == "Role" for k in defs.adoptable)


def test_every_list_filter_of_the_ledger_is_indexed():
	meta = definitions.repo_doctypes(ROOT)["Arrears Item"]
	for f in meta["fields"]:
		if f.get("in_standard_filter"):
			assert f.get("search_index"), f["fieldname"]


def test_whoever_names_a_unit_can_pick_it():
	"""A role that registers a record naming a unit, without a unit of its own, is a unit
	picker with read on the units; the check says so when one is missing."""
	import copy

	doctypes = definitions.repo_doctypes(ROOT)
	assert checks.unit_picker_problems(doctypes) == []
	broken = copy.deepcopy(doctypes)
	unit = broken["Debtor Unit"]
	unit["permissions"] = [p for p in unit["permissions"] if p["role"] != "Audit Officer"]
	broken["Complaint Lead"]["permissions"].append({"role": "Loan Officer", "create": 1})
	found = checks.unit_picker_problems(broken)
	assert any("Audit Officer" in p and "读权限" in p for p in found), found
	assert any("Loan Officer" in p and "Complaint Lead" in p for p in found), found


def test_the_lists_show_the_columns_staff_work_by():
	"""The ledger's, the leads' and the petitions' lists show state, unit, money and deadline at
	any screen width (List View Settings); the check says when a column would be dropped."""
	import copy

	defs = definitions.load()
	doctypes = definitions.repo_doctypes(ROOT)
	settings = {r.name: json.loads(r.values["fields"]) for r in defs.by_doctype("List View Settings")}
	assert [c["fieldname"] for c in settings["Arrears Item"]] == [
		"status_field", "debtor_unit", "outstanding_amount", "repay_deadline"
	]  # fmt: skip
	assert "respondent_unit" in [c["fieldname"] for c in settings["Complaint Lead"]]
	assert checks.list_view_problems(defs, doctypes) == []
	broken = copy.deepcopy(doctypes)
	for f in broken["Complaint Lead"]["fields"]:
		if f["fieldname"] == "respondent_unit":
			f["in_list_view"] = 0
		if f["fieldname"] == "claimed_amount":
			f["label"] = "金额"
	found = checks.list_view_problems(defs, broken)
	assert any("respondent_unit" in p and "in_list_view" in p for p in found), found
	assert any("claimed_amount" in p and "标签" in p for p in found), found


def test_the_workspace_reaches_every_report_and_every_workflow():
	"""Staff find by clicking what the app has: each Script Report and each DocType with a
	workflow is linked from the 清欠 workspace."""
	workspace = json.loads(
		(ROOT / "qingqian_app/qingqian/workspace/qingqian/qingqian.json").read_text(encoding="utf-8")
	)
	linked = {link.get("link_to") for link in workspace["links"]}
	reports = {
		json.loads(p.read_text(encoding="utf-8"))["name"] for p in ROOT.glob("qingqian_app/*/report/*/*.json")
	}
	workflows = {
		json.loads(p.read_text(encoding="utf-8"))["document_type"] for p in ROOT.glob("workflows/*.json")
	}
	assert not (reports | workflows) - linked, sorted((reports | workflows) - linked)
	for card in (link for link in workspace["links"] if link["type"] == "Card Break"):
		at = workspace["links"].index(card)
		rest = workspace["links"][at + 1 :]
		end = next((i for i, link in enumerate(rest) if link["type"] == "Card Break"), len(rest))
		assert card["link_count"] == end, card["label"]
