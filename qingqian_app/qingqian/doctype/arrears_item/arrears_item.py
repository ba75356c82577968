# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

from frappe.model.document import Document
from frappe.utils import flt


class ArrearsItem(Document):
	def validate(self):
		# outstanding = owed - repaid, computed, never typed (the ledger issue adds the rules)
		self.repaid_amount = sum(flt(r.amount) for r in self.repayments)
		self.outstanding_amount = flt(self.arrears_amount) - self.repaid_amount
