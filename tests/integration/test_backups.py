"""The day's backup on a real site: every part written and not empty, copied to the second place,
sets older than the retention removed in both places (the newest kept); the fingerprint a drill
compares counts the app's records and leaves out the items changed since the backup."""

import os

import frappe
from frappe.utils import add_to_date, now_datetime

from qingqian_app.operations import backups

from .factories import item


def test_a_backup_is_written_copied_and_old_sets_pruned(tmp_path, district):
	site = frappe.local.site.replace(".", "_")
	copy_to = tmp_path / "share"
	local = frappe.utils.get_site_path("private", "backups")
	old = ["20200101_010000", "20200102_010000", "20200103_010000", "20200104_010000"]
	for folder in (local, copy_to / frappe.local.site):
		os.makedirs(folder, exist_ok=True)
		for stamp in old:
			for part in ("database.sql.gz", "files.tar", "private-files.tar"):
				with open(os.path.join(folder, f"{stamp}-{site}-{part}"), "w") as f:
					f.write("old")
	frappe.local.conf.qingqian_backup_copy_to = str(copy_to)
	try:
		made = backups.run()
	finally:
		frappe.local.conf.pop("qingqian_backup_copy_to", None)
	assert len(made["files"]) == 4 and made["copied_to"] == str(copy_to / frappe.local.site)
	for name in made["files"]:
		assert os.path.getsize(os.path.join(local, name)) > 0
		assert os.path.getsize(copy_to / frappe.local.site / name) == os.path.getsize(
			os.path.join(local, name)
		)
	# sets older than the retention go in both places, dumps and file archives alike (the three
	# newest complete sets stay whatever their age: domain/backups.py, tests/unit/test_backups.py)
	gone = [n for n in made["pruned"] if n.startswith(("20200101", "20200102"))]
	assert len(gone) == 12  # two sets × three files × two places
	for folder in (local, copy_to / frappe.local.site):
		assert not any(n.startswith(("20200101", "20200102")) for n in os.listdir(folder))
	for name in os.listdir(local):  # the test's old sets are not left on the site
		if name.startswith("2020"):
			os.remove(os.path.join(local, name))


def test_the_fingerprint_counts_records_and_leaves_out_items_changed_since(district):
	before = backups.fingerprint(str(add_to_date(now_datetime(), seconds=-1)))
	assert "Arrears Item" in before["counts"] and "Investment Project" in before["counts"]
	assert "Arrears Item Repayment" not in before["counts"]  # child tables are counted with their parent
	changed = item(district.agency)
	after = backups.fingerprint(str(add_to_date(now_datetime(), seconds=-3600)))
	assert changed.name in after["changed_since"]
	again = backups.fingerprint(after["until"], exclude=after["changed_since"])
	assert again["ledger_checksum"] == after["ledger_checksum"]
