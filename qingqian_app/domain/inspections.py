"""执法检查 (工作方案二（六）“开展相关条例的执法检查，督促落实有关规定，严肃查处相关违规行为”): an
inspection's status follows its findings' rectification. Pure Python.
"""

from __future__ import annotations

from datetime import date

# Enforcement Inspection.regulation and .status
REGULATIONS = ("保障中小企业款项支付条例", "政府投资条例", "山西省优化营商环境条例", "其他")
INSPECTING, RECTIFYING, DONE = "检查中", "整改中", "已完成"
STATUSES = (INSPECTING, RECTIFYING, DONE)


def status(concluded: bool, rectified: list[bool]) -> str:
	"""检查中 until the inspection is concluded; then 整改中 while a finding is not rectified."""
	if not concluded:
		return INSPECTING
	return RECTIFYING if not all(rectified) else DONE


def overdue(deadline: date | None, rectified_on: date | None, today: date) -> bool:
	return bool(deadline and not rectified_on and today > deadline)
