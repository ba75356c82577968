"""Debtor units (欠款单位): agencies, institutions and state-owned enterprises with their
wholly-owned and controlled subsidiaries at every level (工作方案二（一）)."""

from __future__ import annotations

from .ledger import DEBTOR_TYPES, Problem

SOE = "国有企业"
OWNERSHIPS = ("全资", "控股")


def problems(unit_type: str, parent_type: str | None, ownership: str | None) -> list[Problem]:
	out = []
	if unit_type not in DEBTOR_TYPES:
		out.append(Problem("unit_type", "单位类型须为机关、事业单位或国有企业"))
	if parent_type == SOE:
		if unit_type != SOE:
			out.append(Problem("unit_type", "国有企业的下级单位须为国有企业（全资或控股子公司）"))
		if ownership not in OWNERSHIPS:
			out.append(Problem("ownership", "国有企业的子公司须注明持股关系：全资或控股"))
	elif ownership:
		out.append(Problem("ownership", "只有国有企业的子公司填写持股关系"))
	return out
