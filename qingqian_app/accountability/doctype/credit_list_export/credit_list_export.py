# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""失信名录报送记录: made by the report's 登记本次报送 (qingqian_app/accountability/actions.py),
never edited."""

import frappe
from frappe import _
from frappe.model.document import Document


class CreditListExport(Document):
	def validate(self):
		if not self.is_new():
			frappe.throw(_("报送记录不能修改"), frappe.PermissionError)
		if not self.flags.qingqian_export and frappe.session.user != "Administrator":
			frappe.throw(_("报送记录由“失信主体名录”报表登记"), frappe.PermissionError)
