"""审计发现 (附件 审计局：将清欠纳入审计监督，对十八大以来审计发现的问题线索进行起底，及时移送
工作组办公室，督促推动问题整改): a finding registered with its source document and date, turned
into a complaint lead or a ledger item, and its rectification (整改) tracked to completion under
the same reminders and 督办 as every other time limit. Pure Python.
"""

from __future__ import annotations

from datetime import date

from .ledger import Problem

# States and actions of workflows/audit_finding.json that the rules name
REGISTERED, RECTIFYING, CONFIRMING, RECTIFIED = "已登记", "整改中", "待确认", "已整改"
SEND, REPORT, CONFIRM = "移送整改", "报送整改情况", "确认整改"
# a unit sees its finding once sent to it
SENT = (RECTIFYING, CONFIRMING, RECTIFIED)
# 党的十八大 (2012年11月8日): the annex asks for every finding since to be registered (起底)
EIGHTEENTH_CONGRESS = date(2012, 11, 8)


def problems(values: dict, today: date) -> list[Problem]:
	out = []
	audit_date = values.get("audit_date")
	if audit_date and audit_date > today:
		out.append(Problem("audit_date", "不能晚于今天"))
	if audit_date and values.get("rectification_deadline") and values["rectification_deadline"] < audit_date:
		out.append(Problem("rectification_deadline", "不能早于审计文书日期"))
	return out


def transition_problems(action: str, values: dict) -> list[Problem]:
	out = []
	if action == SEND:
		if not values.get("rectification_deadline"):
			out.append(Problem("rectification_deadline", "移送整改须定整改期限"))
		if not (values.get("rectification_requirement") or "").strip():
			out.append(Problem("rectification_requirement", "移送整改须写明整改要求"))
	if action == REPORT and not (values.get("rectification_note") or "").strip():
		out.append(Problem("rectification_note", "报送前须填写整改情况"))
	if action == CONFIRM and not (values.get("confirmation_opinion") or "").strip():
		out.append(Problem("confirmation_opinion", "确认整改须写明确认意见"))
	return out
