"""When an official document may be printed and issued: only where its words are true.

Each document (print_formats/<folder>/format.json) declares ``printable``: the workflow
states its record must be in and, optionally, a condition named here. The server refuses
the document elsewhere on every path that renders it (preview, PDF download, mail
attachment, multi-print: qingqian_app.documents) and when it is drafted or signed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from .complaints import OUT_OF_SCOPE
from .money import yuan
from .supervision import ESCALATED, OPEN


@dataclass(frozen=True)
class Condition:
	words: str  # what must be true, as the refusal says it
	holds: Callable[[dict, date], bool]


def _overdue(v: dict, today: date) -> bool:
	deadline = v.get("repay_deadline")
	past_deadline = bool(deadline) and str(deadline) < today.isoformat()
	return yuan(v.get("outstanding_amount")) > 0 and (int(v.get("overdue_days") or 0) > 0 or past_deadline)


CONDITIONS: dict[str, Condition] = {
	"outstanding": Condition("尚有未清偿金额", lambda v, today: yuan(v.get("outstanding_amount")) > 0),
	"overdue": Condition("逾期未清偿（已过应付款日期或清偿期限）", _overdue),
	"not_accepted": Condition(
		"不予受理，或核查结果为“不属于受理范围”",
		lambda v, today: v.get("workflow_state") == "不予受理"
		or v.get("verification_result") == OUT_OF_SCOPE,
	),
	"verified": Condition("已有核查结果", lambda v, today: bool(v.get("verification_result"))),
	"supervising": Condition("督办尚未办结", lambda v, today: v.get("status") in (OPEN, ESCALATED)),
}


def printable_problem(name: str, printable: dict | None, values: dict, today: date) -> str | None:
	"""Why the document ``name`` may not be printed for a record with ``values`` (its
	workflow state included), or None when its words are true."""
	if not printable:
		return None
	state = values.get("workflow_state") or ""
	states = printable.get("states")
	if states and state not in states:
		return f"“{name}”只能在{'、'.join(f'“{s}”' for s in states)}状态下打印和签发（当前为“{state}”）"
	condition = CONDITIONS.get(printable.get("when", ""))
	if condition and not condition.holds(values, today):
		return f"“{name}”只能在{condition.words}时打印和签发"
	return None


DIGITS = "零一二三四五六七八九"


def number_in_words(n: int) -> str:
	"""A count of days as a document writes it: 15 → 十五, 30 → 三十, 21 → 二十一 (1 to 99)."""
	if not 0 < n < 100:
		return str(n)
	tens, ones = divmod(n, 10)
	out = ("" if tens == 1 else DIGITS[tens]) + "十" if tens else ""
	return out + (DIGITS[ones] if ones else "")
