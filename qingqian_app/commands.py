"""bench commands of the app (bench --site SITE <command>)."""

import click
from frappe.commands import get_site, pass_context

from qingqian_app.generate import generate_items


@click.command("qingqian-import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="只预检，不写入")
@click.option(
	"--user", default="Administrator", show_default=True, help="以哪个用户导入（按其单位范围和权限）"
)
@click.option("--initial-load", is_flag=True, help="清欠办初始导入：直接入账")
@pass_context
def import_ledger(context, file, dry_run, user, initial_load):
	"""导入台账表格（xlsx、xls、CSV）。"""
	import frappe

	from qingqian_app.ledger_io import importer

	frappe.init(site=get_site(context))
	frappe.connect()
	try:
		frappe.set_user(user)
		started = importer.clock()

		def progress(done, total):
			click.echo(f"  {done:,} / {total:,}")

		result = importer.run(file, dry_run, initial_load, progress, label=f"qingqian-import {file}")
		if not dry_run:
			frappe.db.commit()
		if result.message:
			click.echo(result.message)
		counts = "，".join(f"{k} {v}" for k, v in result.counts.items())
		click.echo(
			f"{'预检' if dry_run else '导入'}：{result.total} 行（{counts}），用时 {importer.clock() - started:.1f} 秒"
		)
		for number, _cells, text in result.refused[:50]:
			click.echo(f"  第 {number} 行：{text}")
	finally:
		frappe.destroy()


commands = [generate_items, import_ledger]


# What a forked job imports unless its worker had (py-spy of the worker and its jobs in
# benchmarks/jobs.py; a module here was imported anew by every bookkeeping job): the database
# driver, sessions and passwords, the controllers of the DocTypes every job loads (users, roles,
# workflows, notifications), and what a mail with its PDF needs (the print's page resolver,
# the HTML sanitiser, markdown, the inliner, dates).
WORKER_MODULES = (
	"frappe.workflow.doctype.workflow_action.workflow_action",
	"frappe.email.doctype.email_queue.email_queue",
	"frappe.email.doctype.email_queue_recipient.email_queue_recipient",
	"frappe.email.doctype.email_account.email_account",
	"frappe.email.doctype.email_template.email_template",
	"frappe.workflow.doctype.workflow_action_permitted_role.workflow_action_permitted_role",
	"frappe.core.doctype.version.version",
	"frappe.core.doctype.access_log.access_log",
	"frappe.printing.doctype.print_settings.print_settings",
	"frappe.email.queue",
	"frappe.utils.print_format",  # the PDF a mail attaches
	"frappe.database.mariadb.database",
	"frappe.database.query",
	"frappe.utils.redis_wrapper",
	"frappe.auth",
	"frappe.sessions",
	"frappe.twofactor",
	"frappe.rate_limiter",
	"frappe.recorder",
	"frappe.utils.password",
	"frappe.utils.nestedset",
	"frappe.website.utils",
	"frappe.core.doctype.user.user",
	"frappe.core.doctype.user_type.user_type",
	"frappe.core.doctype.docfield.docfield",
	"frappe.core.doctype.docperm.docperm",
	"frappe.core.doctype.has_role.has_role",
	"frappe.core.doctype.activity_log.activity_log",
	"frappe.workflow.doctype.workflow.workflow",
	"frappe.workflow.doctype.workflow_document_state.workflow_document_state",
	"frappe.workflow.doctype.workflow_transition.workflow_transition",
	"frappe.email.doctype.notification.notification",
	"frappe.website.serve",
	"frappe.website.doctype.web_form.web_form",
	"frappe.website.doctype.web_page.web_page",
	"frappe.printing.doctype.print_format.print_format",
	"premailer.premailer",
	"lxml.html",
	"bleach",
	"bleach.css_sanitizer",
	"markdown2",
	"babel.dates",
)


def preload_worker():
	"""``bench worker`` forks a process for every job, and each fork imports what the worker had
	not: Frappe's and this app's modules cost a forked job about half a second before it does
	anything (a workflow mail's whole job is a few tenths of that). Frappe loads each app's
	``commands`` before it runs a command, so a worker imports them here, once, before its first
	fork (and before it freezes its objects for the forks to share), as Frappe's own
	``worker-pool`` preloads its modules: :data:`WORKER_MODULES`, the job hooks, this app's
	DocType controllers (a job loads the records it works on), the mail style sheets, parsed
	(:func:`qingqian_app.workflow_mail.prepare_worker`), and each site's controllers found
	(:func:`remember_controllers`)."""
	import importlib
	import sys

	if sys.argv[2:3] not in (["worker"], ["worker-pool"]):
		return
	from qingqian_app import hooks

	for module in WORKER_MODULES + controllers():
		try:
			importlib.import_module(module)
		except Exception as e:  # (a module renamed upstream): its jobs import what they need
			print(f"qingqian: the worker does not preload {module}: {e!r}", file=sys.stderr)
	for hook in hooks.before_job:
		module, name = hook.rsplit(".", 1)
		if name == "install":  # the request and job patches: made once here, kept by every fork
			getattr(importlib.import_module(module), name)()
		else:
			importlib.import_module(module)
	try:
		from qingqian_app import workflow_mail

		workflow_mail.prepare_worker()
	except Exception as e:  # (no build yet): each mail job parses the sheets itself, as Frappe does
		print(f"qingqian: the worker does not parse the mail style sheets: {e!r}", file=sys.stderr)
	remember_controllers()


REMEMBER_SECONDS = 30  # what a worker's start may spend finding its sites' controllers, in all


def remember_controllers(sites_path: str = ".", budget: float = REMEMBER_SECONDS) -> dict[str, int]:
	"""Each site's DocType controllers, found once in the worker before its first fork. A job
	looks up the controller of each DocType it touches (``get_controller``: a query for the
	DocType's whole row, ~3 ms; ten or so in a workflow mail's job) and whether it is virtual,
	and keeps them in Frappe's process caches (``frappe.controllers``, ``site_cache``): in a web
	worker once for its life, in a forked job for that job only. Here every DocType whose module
	the worker holds (:func:`preload_worker`) is looked up once per site, so that every fork finds
	them, as a long-lived web worker does; a DocType's class changed since (an app installed with
	an ``override_doctype_class``) is found after a restart of the workers, as the web workers find
	it (``bench restart``). A site that cannot be reached, or sites past ``budget`` seconds (each
	query is cut at 5 s), are left to their jobs. Nothing is kept under ``bench start`` (Frappe's
	development server keeps no controllers). Returns, per site, how many were found."""
	import sys
	import time

	import frappe
	from frappe.model.base_document import get_controller
	from frappe.model.utils import is_virtual_doctype
	from frappe.modules.utils import get_module_name

	if frappe._dev_server:
		return {}
	found, deadline = {}, time.monotonic() + budget
	for site in frappe.utils.get_sites(sites_path):
		if time.monotonic() > deadline:
			print(
				f"qingqian: the worker leaves {site}'s DocTypes to its jobs (no time left)", file=sys.stderr
			)
			continue
		try:
			frappe.init(site=site, sites_path=sites_path)
			frappe.connect()
			frappe.db.sql("set session max_statement_time = 5")  # a query waiting on a migration
			found[site] = 0
			for row in frappe.get_all("DocType", filters={"custom": 0}, fields=["name", "module"]):
				if time.monotonic() > deadline:
					break
				try:
					if get_module_name(row.name, row.module) in sys.modules:
						get_controller(row.name)
						is_virtual_doctype(row.name)
						found[site] += 1
				except Exception:  # (a module of an app this bench lacks, a broken class): its jobs'
					continue
		except Exception as e:
			print(f"qingqian: the worker does not know {site}'s DocTypes beforehand: {e!r}", file=sys.stderr)
		finally:
			frappe.destroy()
	return found


def controllers() -> tuple[str, ...]:
	"""This app's DocType controller modules (``<module>/doctype/<name>/<name>.py``)."""
	from pathlib import Path

	root = Path(__file__).parent
	return tuple(
		".".join(("qingqian_app", *path.relative_to(root).with_suffix("").parts))
		for path in sorted(root.glob("*/doctype/*/*.py"))
		if path.stem == path.parent.name
	)


preload_worker()
