# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""单位定期报告: a thin controller over qingqian_app.domain.unit_reports. While the unit fills
it in, the report counts from the ledger what the period brought: new items, open items and
those with a progress update since the period began."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, nowdate

from qingqian_app.domain import ledger, unit_reports
from qingqian_app.workflow_guard import step, throw_problems

SHOWN = 30  # item numbers listed on the report (the counts cover all)


class UnitReport(Document):
	def validate(self):
		unit = frappe.db.get_value("Debtor Unit", self.debtor_unit, ["competent_unit"], as_dict=True)
		self.competent_unit = unit.competent_unit if unit else None
		frequency = frappe.db.get_single_value("Qingqian Settings", "unit_report_frequency") or "月度"
		period = unit_reports.period_containing(getdate(self.period_start), frequency)
		if getdate(self.period_start) != period.start:
			self.period_start = period.start
		self.period_end, self.period_label = period.end, period.label
		self.due_date = self.due_date or due_date(period)
		self.report_key = f"{self.debtor_unit}|{period.start.isoformat()}"
		if self.workflow_state in (None, "", unit_reports.FIRST_STATE):
			self.count_from_ledger()
		t = step(self)
		if t and t.action == unit_reports.SUBMIT:
			throw_problems(
				self,
				unit_reports.submit_problems(
					bool(self.is_zero_report),
					self.statement,
					self.new_items_count,
					self.open_items,
					self.updated_items,
				),
				"单位定期报告",
			)
			self.submitted_on = nowdate()

	def count_from_ledger(self):
		args = {"unit": self.debtor_unit, "start": self.period_start, "end": self.period_end}
		new = frappe.db.sql(
			"""select name from `tabArrears Item` where debtor_unit = %(unit)s
			and date(creation) between %(start)s and %(end)s order by creation""",
			args,
			pluck=True,
		)
		rows = frappe.db.sql(
			"""select i.name, exists(select 1 from `tabArrears Progress Update` p where p.parent = i.name
				and p.parenttype = 'Arrears Item' and p.update_date >= %(start)s) as updated
			from `tabArrears Item` i
			where i.debtor_unit = %(unit)s and date(i.creation) <= %(end)s and i.workflow_state not in %(final)s
			order by i.creation""",
			{**args, "final": tuple(ledger.FINAL_STATES)},
			as_dict=True,
		)
		self.new_items_count, self.new_items = len(new), _listed(new)
		self.open_items = len(rows)
		self.updated_items = sum(1 for r in rows if r.updated)
		self.not_updated = _listed([r.name for r in rows if not r.updated])


def _listed(names: list[str]) -> str:
	more = len(names) - SHOWN
	return "、".join(names[:SHOWN]) + (_("等 {0} 条").format(len(names)) if more > 0 else "")


def due_date(period: unit_reports.Period):
	from qingqian_app.working_calendar import site_calendar

	days = frappe.db.get_single_value("Qingqian Settings", "unit_report_due_working_days") or 5
	return unit_reports.due_date(period, site_calendar(), int(days))


def on_doctype_update():
	frappe.db.add_index("Unit Report", ["workflow_state", "due_date"])
