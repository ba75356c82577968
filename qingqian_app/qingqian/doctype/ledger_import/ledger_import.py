# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""台账导入 (qingqian_app/ledger_io/importer.py): 预检 then 导入, each a background job that
runs as the user who started it, with a progress bar in the form (realtime), the counts, a
preview and the refused rows returned as a workbook."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import now_datetime
from frappe.utils.file_manager import save_file

from qingqian_app.ledger_io import importer, sheets

OFFICE_HEAD = "Qingqian Office Head"
QUEUE, TIMEOUT = "long", 3600


# what the server records of an import: never taken from a save (form or REST)
RECORDED = ("status", "progress", "total_rows", "to_create", "to_update", "unchanged", "refused", "dry_run_on",
	"imported_on", "seconds", "peak_memory_mb", "error_file", "message", "preview_html")  # fmt: skip


class LedgerImport(Document):
	def validate(self):
		before = None if self.is_new() else self.get_doc_before_save()
		for f in RECORDED:
			self.set(f, before.get(f) if before else (None if f != "status" else "待预检"))
		if (
			self.initial_load
			and OFFICE_HEAD not in frappe.get_roles()
			and frappe.session.user != "Administrator"
		):
			frappe.throw(
				_("只有清欠办主任可以做初始导入（直接入账）"), frappe.PermissionError, title=_("台账导入")
			)
		if self.import_file and not self.import_file.lower().endswith(sheets.READABLE):
			frappe.throw(_("台账文件：请上传 xlsx、xls 或 CSV 文件"), title=_("台账导入"))
		if self.import_file and self.has_value_changed("import_file"):
			file_of(self.import_file, self.owner or frappe.session.user, self.name)
		if not self.is_new() and self.has_value_changed("import_file"):
			self.status, self.dry_run_on = "待预检", None


def file_of(url: str, user: str, name: str | None) -> str:
	"""The File the import reads: one the importing user uploaded, or attached to this import
	(never another user's file by its address)."""
	files = frappe.get_all(
		"File",
		filters={"file_url": url},
		fields=["name", "owner", "attached_to_doctype", "attached_to_name"],
		order_by="creation desc",
	)
	for f in files:
		if f.owner == user or (
			f.attached_to_doctype == "Ledger Import" and name and f.attached_to_name == name
		):
			return f.name
	if user == "Administrator" and files:
		return files[0].name
	frappe.throw(_("台账文件：须是您本人上传的文件"), frappe.PermissionError, title=_("台账导入"))


@frappe.whitelist(methods=["POST"])
def start(name: str, dry_run: int = 1):
	"""预检 (dry_run=1) or 导入 (0, after a dry run of the same file) in the background."""
	doc = frappe.get_doc("Ledger Import", name)
	doc.check_permission("write")
	dry_run = int(dry_run)
	if doc.status in ("预检中", "导入中"):
		frappe.throw(_("正在处理中，请稍候"), title=_("台账导入"))
	if not dry_run and not doc.dry_run_on:
		frappe.throw(_("请先预检，确认预览无误后再导入"), title=_("台账导入"))
	if not dry_run and doc.status == "已完成":
		frappe.throw(_("该文件已导入；再次导入同一文件不会重复登记，请新建一次导入"), title=_("台账导入"))
	doc.db_set({"status": "预检中" if dry_run else "导入中", "progress": 0})
	frappe.enqueue(
		"qingqian_app.qingqian.doctype.ledger_import.ledger_import.process",
		queue=QUEUE,
		timeout=TIMEOUT,
		name=name,
		dry_run=dry_run,
		user=frappe.session.user,
		enqueue_after_commit=True,
		job_id=f"ledger-import-{name}",
		deduplicate=True,
	)


def process(name: str, dry_run: int, user: str):
	frappe.set_user(user)
	doc = frappe.get_doc("Ledger Import", name)
	try:
		_process(doc, dry_run, user)
	except Exception:
		# the user reads a sentence, the developers the traceback (the Error Log): the segments
		# committed so far stay, the one being written is rolled back whole (importer._chunk)
		frappe.db.rollback()
		log = frappe.log_error(title=_("台账导入 {0} 处理失败").format(name))
		doc.db_set(
			{
				"status": "失败",
				"message": _(
					"处理时出错，已停止（错误日志 {0}）。已写入的段保留，未写入的行请重新导入；如再次出错请联系清欠办。"
				).format(log.name),
			}
		)
		frappe.db.commit()
		_finished(name, user)


def _process(doc, dry_run: int, user: str):
	name = doc.name
	path = frappe.get_doc("File", file_of(doc.import_file, doc.owner, name)).get_full_path()
	started = importer.clock()

	def progress(done, total):
		percent = round(done * 100 / total, 1) if total else 100
		# each chunk is committed (or, in a dry run, already rolled back): the bar's value with it
		frappe.db.set_value("Ledger Import", name, "progress", percent, update_modified=False)
		frappe.db.commit()
		frappe.publish_realtime(
			"ledger_import_progress",
			{"name": name, "done": done, "total": total, "percent": percent, "dry_run": dry_run},
			user=user,
			doctype="Ledger Import",
			docname=name,
		)

	result = importer.run(
		path, bool(dry_run), bool(doc.initial_load), progress, label=_("台账导入 {0}").format(name)
	)
	c = result.counts
	values = {
		"status": "失败" if result.message and not result.total else ("已预检" if dry_run else "已完成"),
		"progress": 100,
		"total_rows": result.total,
		"to_create": c[importer.CREATE],
		"to_update": c[importer.UPDATE],
		"unchanged": c[importer.SAME],
		"refused": c[importer.REFUSE],
		"message": frappe.utils.escape_html(result.message),  # shown as HTML; names from the file
		"preview_html": preview_html(result),
		"seconds": round(importer.clock() - started, 1),
		"peak_memory_mb": round(importer.peak_memory_mb(), 1),
		("dry_run_on" if dry_run else "imported_on"): now_datetime(),
		"error_file": error_file(doc, result) if result.refused else None,
	}
	doc.db_set(values)
	frappe.db.commit()
	_finished(name, user)


def preview_html(result) -> str:
	esc = frappe.utils.escape_html
	rows = "".join(
		f"<tr><td>{n}</td><td>{esc(a)}</td><td>{esc(u or '')}</td><td>{esc(e or '')}</td>"
		f"<td style='text-align:right'>{'' if amount is None else f'{amount:,.2f}'}</td><td>{esc(m or '')}</td></tr>"
		for n, a, u, e, amount, m in result.preview
	)
	return (
		"<table class='table table-bordered table-sm'><thead><tr><th>行</th><th>处理</th><th>欠款单位</th>"
		f"<th>民营企业</th><th>欠款金额</th><th>台账 / 错误说明</th></tr></thead><tbody>{rows}</tbody></table>"
	)


def error_file(doc, result) -> str:
	"""The refused rows as the unit sent them, with 错误说明: an xlsx to fix and send again."""
	header = [*("" if h is None else str(h) for h in result.header), importer.li.ERROR_HEADER]
	content = sheets.content(header, ([*cells, text] for _n, cells, text in result.refused))
	if doc.error_file:  # the last run's, replaced
		for old in frappe.get_all(
			"File", filters={"file_url": doc.error_file, "attached_to_name": doc.name}, pluck="name"
		):
			frappe.delete_doc("File", old, ignore_permissions=True)
	saved = save_file(f"{doc.name}-错误行.xlsx", content, doc.doctype, doc.name, is_private=1)
	return saved.file_url


def _finished(name: str, user: str) -> None:
	"""The form's progress bar: the run is over (done or failed)."""
	frappe.publish_realtime(
		"ledger_import_progress",
		{"name": name, "percent": 100, "finished": 1},
		user=user,
		doctype="Ledger Import",
		docname=name,
	)
