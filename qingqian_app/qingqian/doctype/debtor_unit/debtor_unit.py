# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.utils.nestedset import NestedSet

from qingqian_app import scope_guard
from qingqian_app.domain import units, uscc


class DebtorUnit(NestedSet):
	nsm_parent_field = "parent_debtor_unit"

	def validate(self):
		self.keep_tree_position()
		scope_guard.check_uscc_holder(self)
		# the measures in force are the accountability actions' (qingqian_app/accountability/
		# actions.py writes them), never a save's
		self.measures_in_force = (
			None if self.is_new() else frappe.db.get_value("Debtor Unit", self.name, "measures_in_force")
		)
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

	def keep_tree_position(self):
		"""lft, rgt and old_parent are the tree's (NestedSet moves them when the parent changes):
		never a save's. A typed lft/rgt would widen a unit's subtree, and with it what its users
		see (permissions._scope reads the tree)."""
		before = (
			None
			if self.is_new()
			else frappe.db.get_value("Debtor Unit", self.name, ["lft", "rgt", "old_parent"], as_dict=True)
		)
		self.lft = before.lft if before else None
		self.rgt = before.rgt if before else None
		self.old_parent = before.old_parent if before else None

	def on_update(self):
		super().on_update()
		from qingqian_app.oversight import tallies
		from qingqian_app.qingqian.doctype.arrears_item.arrears_item import recount

		if self.has_value_changed("competent_unit") or self.has_value_changed("unit_type"):
			# the unit moved under another competent unit (or changed type): its items follow,
			# so the new competent unit sees and totals them and the old one no longer does
			frappe.db.sql(
				"""update `tabArrears Item` set competent_unit = %s, debtor_unit_type = %s
				where debtor_unit = %s""",
				(self.competent_unit, self.unit_type, self.name),
			)
		if self.has_value_changed("is_suspended"):
			# 停产企业 are not counted (工作方案二（一）): their items follow the unit (and the
			# unit's tallies are rebuilt with them)
			recount("i.debtor_unit = %(unit)s", {"unit": self.name})
		elif self.has_value_changed("competent_unit") or self.has_value_changed("unit_type"):
			tallies.rebuild("i.debtor_unit = %(unit)s", {"unit": self.name})
