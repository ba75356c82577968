# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.utils.nestedset import NestedSet

from qingqian_app.domain import units


class DebtorUnit(NestedSet):
	nsm_parent_field = "parent_debtor_unit"

	def validate(self):
		parent = (
			frappe.db.get_value(
				"Debtor Unit", self.parent_debtor_unit, ["unit_type", "competent_unit"], as_dict=True
			)
			if self.parent_debtor_unit
			else None
		)
		if parent and not self.competent_unit:
			# a subsidiary answers to its parent's competent unit (城投公司 for its companies)
			self.competent_unit = parent.competent_unit
		found = units.problems(self.unit_type, parent.unit_type if parent else None, self.ownership)
		if found:
			frappe.throw(
				"<br>".join(f"{_(self.meta.get_label(p.fieldname))}：{p.message}" for p in found),
				title=_("欠款单位信息有误"),
			)

	def on_update(self):
		super().on_update()
		if self.has_value_changed("is_suspended"):
			# 停产企业 are not counted (工作方案二（一）): their items follow the unit
			from qingqian_app.qingqian.doctype.arrears_item.arrears_item import recount

			recount("i.debtor_unit = %(unit)s", {"unit": self.name})
