# Copyright (c) 2026, qingqian developers
# License: MIT. See LICENSE

"""舆情 (rules: qingqian_app.domain.opinion; workflow: workflows/public_opinion_event.json): the
clearing office is notified the moment an event is registered (附件 网信办“及时通报工作组办公室”);
verified, it becomes a complaint lead (channel 舆情监测) or is linked to ledger items; the
response is recorded. The periodic summary is the report Public Opinion Summary and the
weekly and monthly notice of ``qingqian_app.prevention.opinion``."""

from __future__ import annotations

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_datetime, now_datetime, nowdate

from qingqian_app.domain import opinion as rules
from qingqian_app.domain.ledger import Problem
from qingqian_app.numbering import next_name
from qingqian_app.oversight.supervision import office_users
from qingqian_app.workflow_guard import step, throw_problems

LEAD_CHANNEL = "舆情监测"
MAY_TURN = frozenset({"Public Opinion Monitor", "Qingqian Office Staff", "System Manager"})


class PublicOpinionEvent(Document):
	def autoname(self):
		self.name = next_name(self.doctype)

	def validate(self):
		found = []
		if self.link and not self.link.strip().lower().startswith(("http://", "https://")):
			found.append(Problem("link", "须为 http:// 或 https:// 开头的网址"))
		if self.found_at and get_datetime(self.found_at) > now_datetime():
			found.append(Problem("found_at", "不能晚于现在"))
		t = step(self)
		if t and t.action == rules.VERIFY and not (self.verification or "").strip():
			found.append(Problem("verification", "核实须写明核实情况"))
		if t and t.action == rules.RESPOND:
			if not (self.response or "").strip():
				found.append(Problem("response", "回应须记录回应内容"))
			self.responded_on = self.responded_on or nowdate()
		throw_problems(self, found, "舆情信息有误")

	def after_insert(self):
		"""The office notified at once: an alert (and Frappe's mail of it) to its staff and head."""
		from frappe.desk.doctype.notification_log.notification_log import make_notification_logs

		users = office_users()
		if users:
			make_notification_logs(
				{
					"type": "Alert",
					"document_type": self.doctype,
					"document_name": self.name,
					"subject": _("舆情通报（热度{0}）：{1}").format(self.heat_level, self.title),
					"from_user": self.owner,
				},
				users,
			)
		self.db_set("notified_at", now_datetime(), update_modified=False)


@frappe.whitelist(methods=["POST"])
def to_lead(name: str) -> str:
	"""转为投诉线索 (channel 舆情监测): the enterprise and unit concerned, once verified."""
	doc = frappe.get_doc("Public Opinion Event", name, for_update=True)  # two clicks make one lead
	doc.check_permission("write")
	if not MAY_TURN & set(frappe.get_roles()) and frappe.session.user != "Administrator":
		frappe.throw(_("只有舆情监测员或清欠办工作人员可以转为投诉线索"), frappe.PermissionError)
	if doc.complaint_lead:
		return doc.complaint_lead
	if doc.workflow_state == rules.REGISTERED:
		frappe.throw(_("请先核实舆情，再转为投诉线索"), title=_("转为投诉线索"))
	if not (doc.enterprises and doc.units and doc.amount):
		frappe.throw(_("涉及企业、涉及单位、涉及金额：转为投诉线索须填写"), title=_("转为投诉线索"))
	lead = frappe.get_doc(
		{
			"doctype": "Complaint Lead",
			"channel": LEAD_CHANNEL,
			"received_on": nowdate(),
			"enterprise": doc.enterprises[0].enterprise,
			"respondent_unit": doc.units[0].debtor_unit,
			"claimed_amount": doc.amount,
			"description": _("舆情 {0}（{1}，{2}）：{3}\n核实情况：{4}").format(
				doc.name, doc.source, doc.link or "", doc.summary, doc.verification or ""
			),
		}
	)
	lead.flags.ignore_permissions = True
	lead.insert()
	frappe.db.set_value("Public Opinion Event", doc.name, "complaint_lead", lead.name)
	return lead.name
