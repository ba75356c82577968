# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

from frappe.model.document import Document


class InvestmentFundingSource(Document):
	pass
