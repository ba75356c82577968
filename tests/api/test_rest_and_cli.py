"""The site over HTTP: REST API, permissions on the server, and `qingqian sync`."""

import json
import shutil
from urllib.parse import quote

import pytest

from qingqian_app import cli
from qingqian_app.sync.definitions import REPO_ROOT

from .conftest import login
from .helpers import message


def resource(url, doctype, name=None):
	u = f"{url}/api/resource/{quote(doctype)}"
	return u if name is None else f"{u}/{quote(name, safe='')}"


def test_site_answers(admin, url):
	r = admin.get(f"{url}/api/method/frappe.auth.get_logged_user", timeout=30)
	assert r.status_code == 200 and r.json()["message"] == "Administrator"


def test_member_units_from_the_annex(admin, url):
	r = admin.get(resource(url, "Member Unit"), params={"limit_page_length": 0}, timeout=30)
	names = {row["name"] for row in r.json()["data"]}
	assert {"区财政局", "区教科局", "区城投公司", "区民营经济局", "区工信局"} <= names


def test_sync_dry_run_then_real_run_report_no_changes(url, token, capsys):
	assert cli.main(["sync", "--url", url, "--token", token, "--dry-run"]) == 0
	out = capsys.readouterr().out
	assert "预演" in out and "没有需要同步的变化" in out.splitlines()[-1]
	assert cli.main(["sync", "--url", url, "--token", token]) == 0
	assert "没有需要同步的变化" in capsys.readouterr().out.splitlines()[-1]


def test_changed_definition_is_pushed_then_restored(url, token, admin, tmp_path, capsys):
	root = tmp_path / "repo"
	for part in ("fixtures", "workflows", "print_formats", "qingqian_app"):
		shutil.copytree(REPO_ROOT / part, root / part, ignore=shutil.ignore_patterns("__pycache__"))
	path = root / "workflows/arrears_item.json"
	wf = json.loads(path.read_text(encoding="utf-8"))
	wf["states"][0]["message"] = "经 REST 修改的说明"
	path.write_text(json.dumps(wf, ensure_ascii=False), encoding="utf-8")

	def state_message():
		r = admin.get(resource(url, "Workflow", "欠款台账流程"), timeout=30)
		return r.json()["data"]["states"][0]["message"]

	original = state_message()
	try:
		assert cli.main(["--root", str(root), "sync", "--url", url, "--token", token, "--dry-run"]) == 0
		out = capsys.readouterr().out
		assert "Workflow：欠款台账流程（states）" in out and out.splitlines()[-1].startswith("新建 0，更新 1")
		assert state_message() == original  # a dry run writes nothing

		assert cli.main(["--root", str(root), "sync", "--url", url, "--token", token]) == 0
		assert state_message() == "经 REST 修改的说明"
	finally:
		assert cli.main(["sync", "--url", url, "--token", token]) == 0
	assert state_message() == original
	capsys.readouterr()
	assert cli.main(["sync", "--url", url, "--token", token, "--dry-run"]) == 0
	assert "没有需要同步的变化" in capsys.readouterr().out


def test_bad_credit_code_refused_over_rest_and_nothing_saved(admin, url):
	r = admin.post(
		resource(url, "Enterprise"),
		json={"enterprise_name": "接口测试有限公司", "uscc": "91310110666007217A"},
		timeout=30,
	)
	assert r.status_code == 417
	text = message(r)
	assert "统一社会信用代码" in text and "校验码应为" in text
	assert admin.get(resource(url, "Enterprise", "接口测试有限公司"), timeout=30).status_code == 404


def test_register_of_definitions_is_for_system_managers_only(url):
	try:
		s = login("office.staff@demo.qingqian.example.com")
	except AssertionError as e:
		pytest.skip(f"demo users not loaded ({e})")
	r = s.get(resource(url, "Qingqian Definition"), timeout=30)
	assert r.status_code == 403
	r = s.get(resource(url, "Member Unit"), params={"limit_page_length": 0}, timeout=30)
	assert r.status_code == 200 and len(r.json()["data"]) >= 13
