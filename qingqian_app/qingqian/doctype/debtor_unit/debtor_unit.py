# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

from frappe.utils.nestedset import NestedSet


class DebtorUnit(NestedSet):
	nsm_parent_field = "parent_debtor_unit"
