"""Backups a district can restore (等级保护 数据备份恢复; level 3: daily full backups kept off the
machine): which backup sets exist, which to keep, and the fingerprint a restore drill compares.
Frappe names each file of a set ``YYYYMMDD_HHMMSS-<site>-database.sql.gz``, ``-files.tar``,
``-private-files.tar``, ``-site_config_backup.json``. Pure Python.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

KEEP_DAYS = 30  # site config qingqian_backup_keep_days
KEEP_AT_LEAST = 3  # the newest sets are kept whatever their age (a machine off for a month)
PART = re.compile(
	r"^(\d{8}_\d{6})-(.+?)-(database\.sql\.gz|files\.tar|private-files\.tar|site_config_backup\.json)$"
)
PARTS = {"database.sql.gz": "database", "files.tar": "files", "private-files.tar": "private_files",
	"site_config_backup.json": "config"}  # fmt: skip


@dataclass
class BackupSet:
	taken: datetime
	site: str
	files: dict = field(default_factory=dict)  # part → file name

	@property
	def complete(self) -> bool:
		return {"database", "files", "private_files"} <= set(self.files)


def sets(names: list[str]) -> list[BackupSet]:
	"""The backup sets among file ``names``, newest first."""
	found: dict[tuple, BackupSet] = {}
	for name in names:
		m = PART.match(name)
		if not m:
			continue
		taken = datetime.strptime(m.group(1), "%Y%m%d_%H%M%S")
		s = found.setdefault((m.group(1), m.group(2)), BackupSet(taken, m.group(2)))
		s.files[PARTS[m.group(3)]] = name
	return sorted(found.values(), key=lambda s: s.taken, reverse=True)


def to_prune(all_sets: list[BackupSet], keep_days: int, now: datetime) -> list[BackupSet]:
	"""Sets older than ``keep_days``, except the newest complete ones."""
	keep = {id(s) for s in [s for s in all_sets if s.complete][:KEEP_AT_LEAST]}
	return [s for s in all_sets if id(s) not in keep and now - s.taken > timedelta(days=keep_days)]


def latest_complete(all_sets: list[BackupSet]) -> BackupSet | None:
	return next((s for s in all_sets if s.complete), None)


def checksum(rows: list[tuple]) -> str:
	"""One digest of the ledger's figures (name, amounts, state), in name order."""
	h = hashlib.sha256()
	for row in sorted(rows, key=lambda r: str(r[0])):
		h.update("|".join("" if v is None else str(v) for v in row).encode("utf-8"))
		h.update(b"\n")
	return h.hexdigest()


def differences(live: dict, restored: dict) -> list[str]:
	"""What a restored site lacks or has otherwise than the live one (counts per DocType, the
	ledger's checksum), in words for the drill's report."""
	out = []
	for doctype in sorted(set(live["counts"]) | set(restored["counts"])):
		a, b = live["counts"].get(doctype), restored["counts"].get(doctype)
		if a != b:
			out.append(f"{doctype}：在用站点 {a} 条，恢复站点 {b} 条")
	if live["ledger_checksum"] != restored["ledger_checksum"]:
		out.append("台账金额和状态的校验和不一致")
	return out
