"""The background worker imports its jobs' modules once, before it forks a process per job
(qingqian_app/commands.py: preload_worker); other bench commands do not pay for them."""

import json
import subprocess
import sys

from qingqian_app import commands, hooks

SEEN = """
import json, sys
sys.argv = ["bench_helper", "frappe", {command!r}]
import qingqian_app.commands
print(json.dumps(sorted(sys.modules)))
"""


def modules_after_loading_commands(command: str) -> set[str]:
	"""The modules a bench command's process holds once Frappe has loaded the app's commands."""
	out = subprocess.run(
		[sys.executable, "-c", SEEN.format(command=command)], capture_output=True, text=True, check=True
	)
	return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_a_worker_holds_its_jobs_modules_before_its_first_job():
	held = modules_after_loading_commands("worker")
	job_hooks = {hook.rsplit(".", 1)[0] for hook in hooks.before_job}
	wanted = set(commands.WORKER_MODULES) | set(commands.controllers()) | job_hooks
	assert "qingqian_app.qingqian.doctype.arrears_item.arrears_item" in wanted
	assert "qingqian_app.workflow_guard" in wanted
	assert wanted - held == set()


def test_other_bench_commands_stay_light():
	held = modules_after_loading_commands("migrate")
	assert "premailer.premailer" not in held
	assert "qingqian_app.qingqian.doctype.arrears_item.arrears_item" not in held
