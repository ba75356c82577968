"""Which backup sets exist, which are kept, and what a restore drill compares
(qingqian_app.domain.backups)."""

from datetime import datetime

from qingqian_app.domain import backups as b

SITE = "qingqian_localhost"


def files(stamp, parts=("database.sql.gz", "files.tar", "private-files.tar", "site_config_backup.json")):
	return [f"{stamp}-{SITE}-{p}" for p in parts]


def test_sets_are_grouped_by_time_newest_first_and_known_complete():
	names = files("20261120_010000") + files("20261127_010000", ("database.sql.gz",)) + ["notes.txt"]
	found = b.sets(names)
	assert [s.taken for s in found] == [datetime(2026, 11, 27, 1), datetime(2026, 11, 20, 1)]
	assert not found[0].complete and found[1].complete
	assert b.latest_complete(found) is found[1]


def test_old_sets_are_pruned_but_the_newest_complete_ones_kept():
	now = datetime(2026, 11, 28)
	names = [
		n
		for day in ("20260901", "20260902", "20260903", "20260904", "20261101", "20261127")
		for n in files(day + "_010000")
	]
	pruned = {s.taken.date().isoformat() for s in b.to_prune(b.sets(names), 30, now)}
	# 30 days: September goes, but for 09-04, one of the three newest complete sets
	assert pruned == {"2026-09-01", "2026-09-02", "2026-09-03"}
	# a machine that took no backup for months still keeps its last three
	old = [n for day in ("20260101", "20260102", "20260103", "20260104") for n in files(day + "_010000")]
	assert {s.taken.day for s in b.to_prune(b.sets(old), 30, now)} == {1}


def test_the_checksum_follows_every_figure_and_the_differences_are_said():
	rows = [("QQ-2", 100, 0, 100, "清偿中"), ("QQ-1", 50, 50, 0, "已销号")]
	assert b.checksum(rows) == b.checksum(list(reversed(rows)))
	assert b.checksum(rows) != b.checksum([("QQ-2", 100, 1, 99, "清偿中"), rows[1]])
	live = {"counts": {"Arrears Item": 2, "Complaint Lead": 1}, "ledger_checksum": "a"}
	assert b.differences(live, dict(live)) == []
	assert b.differences(live, {"counts": {"Arrears Item": 1}, "ledger_checksum": "b"}) == [
		"Arrears Item：在用站点 2 条，恢复站点 1 条",
		"Complaint Lead：在用站点 1 条，恢复站点 None 条",
		"台账金额和状态的校验和不一致",
	]
