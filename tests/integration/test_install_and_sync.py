"""The app as installed on a real site: DocTypes, definitions synced, the register, and
the sync engine's rules through the in-process Frappe transport."""

import copy

import frappe
import pytest

from qingqian_app.install import sync_site
from qingqian_app.sync import checks
from qingqian_app.sync.definitions import Record, repo_doctypes
from qingqian_app.sync.local import LocalTransport
from qingqian_app.sync.planner import apply_plan, build_plan


@pytest.fixture
def defs():
	return checks.load_checked()


def test_app_and_its_doctypes_are_installed(defs):
	assert "qingqian_app" in frappe.get_installed_apps()
	modules = frappe.get_module_list("qingqian_app")
	for name, meta in repo_doctypes(defs.root).items():
		assert frappe.db.exists("DocType", name), name
		assert frappe.db.get_value("DocType", name, "module") == meta["module"] in modules
	for module in modules:  # every module of modules.txt, also one added after the install
		assert frappe.db.get_value("Module Def", module, "app_name") == "qingqian_app", module
	assert frappe.db.exists("Workspace", "Qingqian")


def test_a_second_sync_changes_nothing(defs):
	plan = build_plan(defs.records, LocalTransport(), defs.adoptable)
	assert plan.changes == 0, plan.report()
	assert plan.counts["skip"] == 0


def test_every_defined_record_is_registered(defs):
	registered = LocalTransport().registered()
	assert {r.key for r in defs.records} <= registered


def test_workflow_as_defined_and_no_self_approval(defs):
	wf = frappe.get_doc("Workflow", "欠款台账流程")
	assert wf.document_type == "Arrears Item" and wf.is_active
	assert wf.states[0].state == "待报送" and len(dict.fromkeys(s.state for s in wf.states)) == 11
	# "Only Allow Edit For": one row per role that edits in the state (workflows/arrears_item.json)
	editors = {s.allow_edit for s in wf.states if s.state == "待报送"}
	assert editors == {"Debtor Unit Reporter", "Member Unit Staff", "Qingqian Office Staff"}
	assert {s.allow_edit for s in wf.states if s.state == "已销号"} == {"Administrator"}
	close = next(t for t in wf.transitions if t.action == "销号")
	assert close.allowed == "Qingqian Office Head" and close.allow_self_approval == 0
	submit = next(t for t in wf.transitions if t.action == "报送")
	assert submit.allow_self_approval == 1


def test_changed_definition_updates_the_site_record(defs):
	records = copy.deepcopy(defs.records)
	wf = next(r for r in records if r.key == ("Workflow", "欠款台账流程"))
	wf.values["states"][0]["message"] = "改过的说明"
	transport = LocalTransport()
	plan = build_plan(records, transport, defs.adoptable)
	assert [(s.action, s.record.key) for s in plan.steps if s.action != "unchanged"] == [
		("update", ("Workflow", "欠款台账流程"))
	]
	apply_plan(plan, transport)
	assert frappe.get_doc("Workflow", "欠款台账流程").states[0].message == "改过的说明"
	assert build_plan(records, transport, defs.adoptable).changes == 0


def test_record_the_app_did_not_create_is_never_touched():
	frappe.get_doc({"doctype": "Role", "role_name": "Qingqian Foreign Test Role", "desk_access": 0}).insert()
	rec = Record(
		"Role",
		"Qingqian Foreign Test Role",
		{"role_name": "Qingqian Foreign Test Role", "desk_access": 1},
		"t",
	)
	transport = LocalTransport()
	plan = build_plan([rec], transport)
	assert plan.steps[0].action == "skip"
	apply_plan(plan, transport)
	assert frappe.db.get_value("Role", "Qingqian Foreign Test Role", "desk_access") == 0
	assert ("Role", "Qingqian Foreign Test Role") not in transport.registered()


def test_new_definition_is_created_and_registered():
	rec = Record(
		"Role", "Qingqian New Test Role", {"role_name": "Qingqian New Test Role", "desk_access": 1}, "t"
	)
	transport = LocalTransport()
	apply_plan(build_plan([rec], transport), transport)
	assert frappe.db.get_value("Role", "Qingqian New Test Role", "desk_access") == 1
	assert rec.key in transport.registered()
	assert build_plan([rec], transport).changes == 0


def test_demo_data_loads_as_a_tree_and_is_idempotent():
	sync_site(include_demo=True)
	parent = frappe.db.get_value("Debtor Unit", "区城市建设投资有限公司", ["lft", "rgt"], as_dict=True)
	child = frappe.db.get_value(
		"Debtor Unit", "区城投绿化养护有限公司", ["lft", "rgt", "parent_debtor_unit"], as_dict=True
	)
	assert parent.lft < child.lft < child.rgt < parent.rgt  # a grandchild inside its grandparent
	assert frappe.db.count("Enterprise") >= 6
	user = frappe.get_doc("User", "office.head@demo.qingqian.example.com")
	assert {"Qingqian Office Head", "Qingqian Office Staff"} <= {r.role for r in user.roles}
	assert user.language == "zh"
	assert sync_site(include_demo=True).changes == 0


def test_settings_seeded_with_the_regulation_defaults():
	s = frappe.get_single("Qingqian Settings")
	assert s.complaint_transfer_working_days == 10
	assert s.complaint_result_max_days == 90
	assert s.agency_payment_days == 30


def test_chinese_is_the_site_language_and_names_translate():
	assert frappe.db.get_single_value("System Settings", "language") == "zh"
	frappe.local.lang = "zh"
	frappe.local.lang_full_dict = None
	frappe.translate.clear_cache()
	assert frappe._("Arrears Item") == "欠款台账"
	assert frappe._("Qingqian Office Head") == "清欠办主任"


def test_the_systems_own_accounts_have_chinese_names_and_a_given_name_is_kept():
	"""Timelines name who made a record: an enterprise's sign-up is made by Guest."""
	from qingqian_app.install import name_the_app

	assert frappe.db.get_value("User", "Administrator", "full_name") == "系统管理员"
	assert frappe.db.get_value("User", "Guest", "full_name") == "访客"
	frappe.db.set_value("User", "Guest", {"first_name": "来访者", "full_name": "来访者"})
	name_the_app()
	assert frappe.db.get_value("User", "Guest", "full_name") == "来访者"
	frappe.db.rollback()


def test_an_older_sites_ledger_mail_template_gets_the_link_for_the_handlers_mail():
	"""patches/v0_6: the sentence every mail said ("附件为…") becomes the fixture's, which says so on
	a mail with the form and links to it on the handler's; reworded by the office: left alone."""
	from qingqian_app.patches.v0_6 import ledger_mail_form_link as patch

	installed = frappe.db.get_value("Email Template", patch.TEMPLATE, "response")
	assert "form_link" in installed and patch.SAID in installed
	older = patch.LINK_SENTENCE.sub(patch.SAID, installed)
	assert "form_link" not in older
	frappe.db.set_value("Email Template", patch.TEMPLATE, "response", older)
	for _ in range(2):  # a second run changes nothing
		patch.execute()
		assert frappe.db.get_value("Email Template", patch.TEMPLATE, "response") == installed
	link = "https://qingqian.example.com/form.pdf"
	assert patch.SAID in frappe.render_template(installed, {"form_link": None})
	handlers = frappe.render_template(installed, {"form_link": link})
	assert patch.SAID not in handlers and f'href="{link}"' in handlers
	reworded = "<p>请登录清欠系统办理，登记表见附件。</p>"
	frappe.db.set_value("Email Template", patch.TEMPLATE, "response", reworded)
	patch.execute()
	assert frappe.db.get_value("Email Template", patch.TEMPLATE, "response") == reworded
