"""Each schema rule and cross-check fails on the mistake it is there for."""

import json

import pytest

from qingqian_app.sync import checks, definitions

from .conftest import edit_json

WF = "workflows/arrears_item.json"


def problems_of(repo, include_demo=True):
	with pytest.raises(definitions.DefinitionError) as e:
		checks.load_checked(repo, include_demo=include_demo)
	return "\n".join(e.value.problems)


def test_copy_is_valid(repo):
	assert checks.load_checked(repo, include_demo=True).records


def test_schema_rejects_unknown_kind_of_transition(repo):
	edit_json(repo / WF, lambda d: d["transitions"][0].update(kind="approve-self"))
	assert "transitions/0/kind" in problems_of(repo)


def test_schema_rejects_unknown_key(repo):
	edit_json(repo / WF, lambda d: d.update(allow_self_approval=True))
	assert "allow_self_approval" in problems_of(repo)


def test_broken_json_is_reported_with_its_place(repo):
	(repo / WF).write_text('{"workflow_name": ', encoding="utf-8")
	assert "不是有效的 JSON" in problems_of(repo)


def test_unreachable_state(repo):
	def orphan(d):
		d["states"].append({"state": "孤立状态", "edit": {}})

	edit_json(repo / WF, orphan)
	assert "状态“孤立状态”无法从初始状态“待报送”到达" in problems_of(repo)


def test_transition_to_undefined_state(repo):
	edit_json(repo / WF, lambda d: d["transitions"][0].update(to="不存在"))
	assert "未定义的状态“不存在”" in problems_of(repo)


def test_ambiguous_transitions(repo):
	edit_json(repo / WF, lambda d: d["transitions"].append(dict(d["transitions"][0], to="待报送")))
	assert "无法区分" in problems_of(repo)


def test_unknown_role(repo):
	edit_json(repo / WF, lambda d: d["transitions"][0].update(role="Nobody"))
	assert "角色“Nobody”未在 fixtures 中定义" in problems_of(repo)


def test_unknown_email_template(repo):
	edit_json(repo / WF, lambda d: d.update(email_template="没有的模板"))
	assert "邮件模板“没有的模板”未在 fixtures 中定义" in problems_of(repo)


def test_every_state_mails_with_the_workflows_template(repo):
	rec = next(r for r in checks.load_checked(repo).records if r.key == ("Workflow", "欠款台账流程"))
	assert {s["next_action_email_template"] for s in rec.values["states"]} == {"清欠待办：欠款台账"}


def test_unknown_doctype(repo):
	edit_json(repo / WF, lambda d: d.update(document_type="Nonexistent Doc"))
	assert "DocType“Nonexistent Doc”在仓库中不存在" in problems_of(repo)


def add_format(repo, doc_type, template="t.html", write_template=True):
	folder = repo / "print_formats" / "sample"
	folder.mkdir()
	meta = {"name": "样例", "doc_type": doc_type, "template": template}
	(folder / "format.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
	if write_template:
		(folder / template).write_text("<p>{{ doc.name }}</p>", encoding="utf-8")
	return folder


def test_print_format_of_unknown_doctype(repo):
	add_format(repo, "No Such Doc")
	assert "DocType“No Such Doc”在仓库中不存在" in problems_of(repo)


def test_print_format_missing_template_file(repo):
	add_format(repo, "Arrears Item", "missing.html", write_template=False)
	assert "找不到文件 missing.html" in problems_of(repo)


def test_print_format_is_loaded(repo):
	folder = repo / "print_formats" / "sample"
	folder.mkdir()
	(folder / "format.json").write_text(
		'{"name": "样例", "doc_type": "Arrears Item", "template": "t.html", "stylesheet": "s.css",'
		' "page": {"size": "A4", "margin_top_mm": 37}}',
		encoding="utf-8",
	)
	(folder / "t.html").write_text("<p>{{ doc.name }}</p>", encoding="utf-8")
	(folder / "s.css").write_text("p { color: red; }", encoding="utf-8")
	rec = next(r for r in checks.load_checked(repo).records if r.key == ("Print Format", "样例"))
	# the shared layout parts, then the document's own, in one escaping block
	shared = (repo / "print_formats/_shared/gbt9704.html").read_text(encoding="utf-8")
	assert rec.values["html"] == (
		"{%- autoescape true -%}" + shared + "<p>{{ doc.name }}</p>" + "{%- endautoescape -%}"
	)
	assert rec.values["margin_top"] == 37
	assert "p { color: red; }" in rec.values["css"] and ".gw-mark" in rec.values["css"]
	assert rec.values["print_format_type"] == "Jinja" and rec.values["standard"] == "No"


def test_link_to_a_record_defined_later_or_nowhere(repo):
	edit_json(
		repo / "fixtures/demo/10_debtor_units.json",
		lambda d: d["records"][0].update(competent_unit="区不存在局"),
	)
	assert "competent_unit 指向不存在或排在其后的 Member Unit“区不存在局”" in problems_of(repo)


def test_record_defined_twice(repo):
	edit_json(repo / "fixtures/10_roles.json", lambda d: d["records"].append(d["records"][0]))
	assert "已在 fixtures/10_roles.json 中定义" in problems_of(repo)


def test_doctype_permission_with_undefined_role(repo):
	path = repo / "qingqian_app/qingqian/doctype/enterprise/enterprise.json"
	edit_json(path, lambda d: d["permissions"].append({"role": "Ghost Role", "read": 1}))
	assert "角色“Ghost Role”未在 fixtures 中定义" in problems_of(repo)


def test_single_fixture_takes_one_record(repo):
	edit_json(repo / "fixtures/30_settings.json", lambda d: d["records"].append(d["records"][0]))
	assert "records" in problems_of(repo)


def test_same_state_with_two_styles(repo):
	wf = json.loads((repo / WF).read_text(encoding="utf-8"))
	wf["workflow_name"] = "另一流程"
	wf["states"][1]["style"] = "Success"
	(repo / "workflows/other.json").write_text(json.dumps(wf, ensure_ascii=False), encoding="utf-8")
	assert "样式与" in problems_of(repo)


def test_a_report_opens_to_exactly_the_readers_of_its_doctype(repo):
	path = repo / "qingqian_app/oversight/report/arrears_summary/arrears_summary.json"
	edit_json(
		path,
		lambda d: d.update(
			roles=[r for r in d["roles"] if r["role"] != "Debtor Unit Head"] + [{"role": "Petition Officer"}]
		),
	)
	found = problems_of(repo)
	assert "报表“Arrears Summary”的角色须与 Arrears Item 的读取权限一致" in found
	assert "多出 Petition Officer" in found and "缺少 Debtor Unit Head" in found


def test_supervision_choices_are_the_domains(repo):
	path = repo / "qingqian_app/oversight/doctype/supervision/supervision.json"

	def drop_one(d):
		field = next(f for f in d["fields"] if f["fieldname"] == "time_limit")
		field["options"] = field["options"].replace("\n单位定期报告", "")

	edit_json(path, drop_one)
	assert "DocType“Supervision”字段 time_limit 的选项" in problems_of(repo)


def test_member_unit_duties_are_the_domains(repo):
	path = repo / "qingqian_app/qingqian/doctype/member_unit/member_unit.json"

	def add_one(d):
		field = next(f for f in d["fields"] if f["fieldname"] == "duty")
		field["options"] += "\n人社"

	edit_json(path, add_one)
	assert "DocType“Member Unit”字段 duty 的选项" in problems_of(repo)
