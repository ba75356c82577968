"""Backups that restore (README “备份与恢复演练”): every day a full backup (database, public and
private files, site config) taken by Frappe, kept ``qingqian_backup_keep_days`` days (site config,
default 30) both here and in ``qingqian_backup_copy_to`` — a second place the district names (a
mounted share) — and the office alerted when it fails. scripts/restore-drill.sh restores the latest
set into a scratch site and compares it with this one through ``fingerprint``.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime

import frappe
from frappe.utils import cint, get_datetime, now_datetime
from frappe.utils.backups import get_backup_path, new_backup

from qingqian_app.domain import backups as rules

# The DocTypes a drill counts: every record-bearing DocType of the app's modules
MODULES = ("Qingqian", "Oversight", "Accountability", "Prevention")


def keep_days() -> int:
	return cint(frappe.conf.get("qingqian_backup_keep_days")) or rules.KEEP_DAYS


def daily() -> dict:
	"""The scheduler's backup (hooks: daily_long)."""
	try:
		return run()
	except Exception:
		frappe.log_error(title="清欠：备份失败")
		alert("备份失败", frappe.get_traceback())
		raise


def run() -> dict:
	# Frappe deletes every backup older than keep_backups_for_hours (24 by default) when it takes one
	frappe.local.conf.keep_backups_for_hours = keep_days() * 24
	odb = new_backup(ignore_files=False, force=True)
	made = [odb.backup_path_db, odb.backup_path_files, odb.backup_path_private_files, odb.backup_path_conf]
	missing = [p for p in made if not (p and os.path.isfile(p) and os.path.getsize(p) > 0)]
	if missing:
		raise RuntimeError(f"备份文件未生成或为空：{missing}")
	local = get_backup_path()
	pruned = prune(local)
	copied = None
	target = frappe.conf.get("qingqian_backup_copy_to")
	if target:
		copied = os.path.join(target, frappe.local.site)
		os.makedirs(copied, exist_ok=True)
		for path in made:
			shutil.copy2(path, copied)
			if os.path.getsize(os.path.join(copied, os.path.basename(path))) != os.path.getsize(path):
				raise RuntimeError(f"复制到 {copied} 的备份不完整：{os.path.basename(path)}")
		pruned += prune(copied)
	return {"files": [os.path.basename(p) for p in made], "copied_to": copied, "pruned": pruned}


def prune(folder: str) -> list[str]:
	"""Remove the sets older than the retention (database dumps and file archives alike)."""
	removed = []
	for s in rules.to_prune(rules.sets(os.listdir(folder)), keep_days(), datetime.now()):
		for name in s.files.values():
			os.remove(os.path.join(folder, name))
			removed.append(name)
	return removed


def alert(what: str, detail: str = ""):
	"""The office head and the system managers are told at once (alert and Frappe's mail of it)."""
	from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

	from qingqian_app.oversight.supervision import OFFICE_HEAD, users_with_role

	users = sorted(set(users_with_role(OFFICE_HEAD) + users_with_role("System Manager")))
	make_notification_logs(
		{"type": "Alert", "subject": f"清欠系统{what}（{frappe.local.site}）", "email_content": f"<pre>{detail[-3000:]}</pre>",
			"from_user": "Administrator"},
		users,
	)  # fmt: skip
	frappe.db.commit()


def record_doctypes() -> list[str]:
	return frappe.get_all(
		"DocType",
		filters={"module": ["in", MODULES], "istable": 0, "issingle": 0, "is_virtual": 0},
		pluck="name",
		order_by="name",
	)


def fingerprint(until: str, exclude: list[str] | None = None) -> dict:
	"""What a drill compares, as of the backup's time ``until``: the records created by then per
	DocType, and a checksum of every ledger item's figures and state — leaving out the items
	changed since (``exclude``: the live site's, passed to the restored one)."""
	until = get_datetime(until)
	counts = {dt: frappe.db.count(dt, {"creation": ["<=", until]}) for dt in record_doctypes()}
	changed = frappe.get_all("Arrears Item", filters={"modified": [">", until]}, pluck="name")
	skip = set(changed) | set(exclude or [])
	rows = frappe.db.sql(
		"""select name, arrears_amount, repaid_amount, outstanding_amount, workflow_state
		from `tabArrears Item` where creation <= %s""",
		until,
	)
	return {
		"until": str(until),
		"counts": counts,
		"ledger_items": len([r for r in rows if r[0] not in skip]),
		"ledger_checksum": rules.checksum([r for r in rows if r[0] not in skip]),
		"changed_since": sorted(changed),
		"taken_at": str(now_datetime()),
	}


def compare(live: dict, restored: dict) -> list[str]:
	return rules.differences(live, restored)
