# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

import frappe
from frappe import _
from frappe.model.document import Document

from qingqian_app import scope_guard
from qingqian_app.domain import uscc


class Enterprise(Document):
	def validate(self):
		self.uscc = uscc.normalize(self.uscc)
		scope_guard.check_uscc_holder(self)
		found = uscc.problem(self.uscc)
		if not found:
			return
		# Early pilot-area codes fail the check: accepted only when the clearing office
		# marks the code as verified and records why (regulations.md, GB 32100-2015).
		# The two fields are at permlevel 1, which only the clearing office may write.
		if found.code == "check" and self.uscc_verified:
			if not (self.uscc_verified_reason or "").strip():
				frappe.throw(_("请填写“核实理由”"), title=_("统一社会信用代码"))
			return
		frappe.throw(
			_("“统一社会信用代码”{0}无效：{1}").format(self.uscc, found.message),
			title=_("统一社会信用代码"),
		)
