import json
import shutil
from pathlib import Path

import pytest

from qingqian_app.sync import definitions


@pytest.fixture
def repo(tmp_path) -> Path:
	"""A copy of the repository's definitions and DocTypes to break on purpose."""
	root = tmp_path / "repo"
	for part in ("fixtures", "workflows", "print_formats"):
		shutil.copytree(definitions.REPO_ROOT / part, root / part, dirs_exist_ok=True)
	shutil.copytree(
		definitions.REPO_ROOT / "qingqian_app",
		root / "qingqian_app",
		ignore=shutil.ignore_patterns("__pycache__", "*.py", "*.po"),
	)
	return root


def edit_json(path: Path, change):
	data = json.loads(path.read_text(encoding="utf-8"))
	change(data)
	path.write_text(json.dumps(data, ensure_ascii=False, indent="\t"), encoding="utf-8")
