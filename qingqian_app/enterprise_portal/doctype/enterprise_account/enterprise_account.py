# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""企业账号 (rules: qingqian_app.domain.portal; workflow: workflows/enterprise_account.json): an
enterprise's login on the website, registered by the enterprise itself (/enterprise-signup) or by
the office or 工商联 for it. Verifying it links the login to the Enterprise of its 统一社会信用代码
(made when there is none) and gives it the Enterprise User role, a Website User's: no desk."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import nowdate

from qingqian_app.domain import portal, uscc
from qingqian_app.workflow_guard import step, throw_problems


class EnterpriseAccount(Document):
	def validate(self):
		self.uscc = uscc.normalize(self.uscc)
		self.email = (self.email or "").strip().lower()
		throw_problems(self, portal.signup_problems(self.as_dict()), "企业账号信息有误")
		if self.is_new():
			self.requested_on = nowdate()
			self.user = self.user or ensure_login(self.email, self.contact_name)
			if frappe.db.exists("Enterprise Account", {"user": self.user}):
				frappe.throw(_("电子邮箱：该邮箱已有企业账号"), title=_("企业账号信息有误"))
		t = step(self)
		if t is None:
			return
		if t.action == portal.REJECT and not (self.reject_reason or "").strip():
			frappe.throw(_("驳回理由（告知企业）：驳回须写明理由"), title=_(portal.REJECT))
		if t.action == portal.VERIFY:
			self.verify()

	def verify(self):
		"""The login now speaks for the enterprise of its code."""
		enterprise = frappe.db.get_value("Enterprise", {"uscc": self.uscc}, "name")
		if not enterprise:
			doc = frappe.get_doc(
				{
					"doctype": "Enterprise",
					"enterprise_name": self.enterprise_name.strip(),
					"uscc": self.uscc,
					"contact_person": self.contact_name,
					"contact_phone": self.contact_phone,
				}
			)
			doc.flags.ignore_permissions = True
			enterprise = doc.insert().name
		user = frappe.get_doc("User", self.user)
		roles = {r.role for r in user.roles}
		if user.user_type == "System User" or roles - {portal.ROLE}:
			frappe.throw(_("登录账号：{0}是机关工作人员的账号，不能作为企业账号").format(self.user))
		user.qingqian_enterprise = enterprise
		if portal.ROLE not in roles:
			user.append("roles", {"role": portal.ROLE})
		user.flags.ignore_permissions = True
		user.save()
		self.enterprise, self.verified_on, self.verified_by = enterprise, nowdate(), frappe.session.user


def ensure_login(email: str, full_name: str) -> str:
	"""The website login of ``email``: a Website User without roles until verified, who gets the
	mail to set a password."""
	if frappe.db.exists("User", email):
		return email
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"first_name": full_name,
			"user_type": "Website User",
			"send_welcome_email": 1,
		}
	)
	user.flags.ignore_permissions = True
	user.insert()
	return user.name
