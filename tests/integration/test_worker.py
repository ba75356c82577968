"""The background worker imports its jobs' modules once, before it forks a process per job
(qingqian_app/commands.py: preload_worker); other bench commands do not pay for them."""

import json
import subprocess
import sys

import frappe

from qingqian_app import commands, hooks

SEEN = """
import json, sys
sys.argv = ["bench_helper", "frappe", {command!r}]
import qingqian_app.commands
print(json.dumps(sorted(sys.modules)))
"""


CONTROLLERS = """
import json, sys
sys.argv = ["bench_helper", "frappe", {command!r}]
import frappe
import qingqian_app.commands
print(json.dumps({{site: sorted(held) for site, held in frappe.controllers.items()}}))
"""


def after_loading_commands(command: str, script: str = SEEN):
	"""What ``script`` prints of a bench command's process once Frappe has loaded the app's
	commands, run in the bench's sites directory as bench runs its commands."""
	out = subprocess.run(
		[sys.executable, "-c", script.format(command=command)],
		capture_output=True,
		text=True,
		check=True,
		cwd=frappe.local.sites_path,
	)
	return json.loads(out.stdout.strip().splitlines()[-1])


def test_a_worker_holds_its_jobs_modules_before_its_first_job():
	held = set(after_loading_commands("worker"))
	job_hooks = {hook.rsplit(".", 1)[0] for hook in hooks.before_job}
	wanted = set(commands.WORKER_MODULES) | set(commands.controllers()) | job_hooks
	assert "qingqian_app.qingqian.doctype.arrears_item.arrears_item" in wanted
	assert "qingqian_app.workflow_guard" in wanted
	assert wanted - held == set()


def test_other_bench_commands_stay_light():
	held = set(after_loading_commands("migrate"))
	assert "premailer.premailer" not in held
	assert "qingqian_app.qingqian.doctype.arrears_item.arrears_item" not in held


def test_a_worker_knows_each_sites_controllers_before_its_first_job():
	"""A mail job looks up the controllers of the step's record, its Workflow Action and the mail's
	Email Queue: a worker has found them before it forks (commands.remember_controllers)."""
	held = after_loading_commands("worker", CONTROLLERS)
	wanted = {
		"Arrears Item",
		"Arrears Progress Update",
		"Workflow Action",
		"Email Queue",
		"Email Queue Recipient",
	}
	assert wanted <= set(held[frappe.local.site])
	assert after_loading_commands("migrate", CONTROLLERS) == {}
