import json

from qingqian_app import cli
from qingqian_app.sync import definitions

from .conftest import edit_json


def test_validate_counts_the_definitions(capsys):
	assert cli.main(["validate"]) == 0
	out = capsys.readouterr().out
	root = definitions.REPO_ROOT
	workflows, formats = (
		len(list(root.glob("workflows/*.json"))),
		len(list(root.glob("print_formats/*/format.json"))),
	)
	assert out.startswith("定义有效：") and f"{workflows} 个流程" in out and f"{formats} 个打印格式" in out


def test_validate_fails_with_the_problems_listed(repo, capsys):
	edit_json(repo / "workflows/arrears_item.json", lambda d: d["transitions"][0].update(role="Nobody"))
	assert cli.main(["--root", str(repo), "validate"]) == 1
	assert "角色“Nobody”未在 fixtures 中定义" in capsys.readouterr().err


def test_sync_needs_a_token_of_key_and_secret(capsys, monkeypatch):
	monkeypatch.delenv("QINGQIAN_TOKEN", raising=False)
	assert cli.main(["sync", "--url", "http://127.0.0.1:9", "--token", "nocolon"]) == 2
	assert "API Key:API Secret" in capsys.readouterr().err


def test_sync_to_an_unreachable_site_says_so_in_one_line(capsys):
	# port 9 (discard) on loopback: nothing listens, the connection is refused at once
	assert cli.main(["sync", "--url", "http://127.0.0.1:9", "--token", "k:s", "--dry-run"]) == 1
	err = capsys.readouterr().err
	assert err.startswith("错误：") and "Traceback" not in err
