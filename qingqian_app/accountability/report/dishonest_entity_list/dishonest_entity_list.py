"""失信主体名录 (民营经济局 → 信用信息平台): the units under 纳入失信主体名录 today, in the
columns the credit platform takes (domain CREDIT_COLUMNS), each marked against the last export
(新增 / 变更 / 未变, and those no longer on it 移出); 登记本次报送 records the export."""

from __future__ import annotations

import frappe
from frappe import _

from qingqian_app.accountability import actions
from qingqian_app.domain.accountability import CREDIT_COLUMNS, UNCHANGED
from qingqian_app.oversight.figures import column


@frappe.read_only()
def execute(filters=None):
	filters = frappe._dict(filters or {})
	visible = frappe.get_list("Accountability Action", pluck="name")
	rows = actions.credit_changes(visible)
	if filters.changes_only:
		rows = [r for r in rows if r["change"] != UNCHANGED]
	last = actions.last_export()
	message = (
		_("上次报送：{0}（{1} 条）").format(frappe.utils.format_datetime(last.exported_on), last.row_count)
		if last
		else _("尚未报送过")
	)
	return columns(), rows, message


def columns() -> list[dict]:
	dates = ("decided_on", "valid_until")
	return [
		column("change", "较上次报送", width=90),
		*(
			column(k, label, "Date" if k in dates else "Data", 260 if k == "basis" else 160)
			for k, label in CREDIT_COLUMNS
		),
	]
