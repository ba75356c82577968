"""信息披露 (工作方案二（四）; 条例第十八条): what the public sees, and the disclosures each
unit owes.

- The mandatory disclosure of overdue unpaid arrears (逾期未支付民营企业账款强制披露): a dated
  snapshot the clearing office approves, by debtor unit — unit, type, number of items, amount
  overdue, longest overdue days — and the typical cases approved for 曝光. Never an
  enterprise's name or contact (unless the office approves a case's publication), a
  complainant, an internal opinion, an item not yet approved or not counted.
- Each 机关 and 事业单位 publishes by 31 March the number and amount of its contracts still
  overdue from the previous year; the office lists those who have not (纳入政府信息公开考核).
- Each SOE's annual report (条例第十八条; 市场监管局) is checked against the ledger at year end.
Pure Python.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from .money import yuan

# The public page's columns (Disclosure Row), in order: (field, header). Nothing else of an
# item ever reaches the page or its CSV.
PUBLIC_COLUMNS = (
	("debtor_unit", "欠款单位"),
	("unit_type", "单位类型"),
	("item_count", "逾期未支付笔数"),
	("overdue_amount", "逾期未支付金额（元）"),
	("longest_overdue_days", "最长逾期天数"),
)
# Fields of the ledger and leads that are never public (the page's test proves each absent)
PRIVATE_FIELDS = (
	"enterprise", "contact_person", "contact_phone", "complainant_name", "complainant_phone",
	"legal_review", "verification_opinion", "review_opinion", "description",
)  # fmt: skip

# Disclosure workflow (workflows/disclosure.json)
DRAFT, PENDING, PUBLISHED, WITHDRAWN = "草稿", "待审批", "已发布", "已撤下"
APPROVE = "批准发布"

# 条例第十八条: each 机关 and 事业单位 publishes by 31 March
ANNUAL_DUE_MONTH, ANNUAL_DUE_DAY = 3, 31
NOT_YET, PUBLISHED_ON_TIME, PUBLISHED_LATE, MISSED = "待公开", "已公开", "逾期公开", "逾期未公开"
ANNUAL_STATUSES = (NOT_YET, PUBLISHED_ON_TIME, PUBLISHED_LATE, MISSED)


def annual_due_date(year: int) -> date:
	"""The last day to publish the figures of ``year``: 31 March of the next."""
	return date(year + 1, ANNUAL_DUE_MONTH, ANNUAL_DUE_DAY)


def annual_status(published_on: date | None, due: date, today: date) -> str:
	if published_on:
		return PUBLISHED_ON_TIME if published_on <= due else PUBLISHED_LATE
	return MISSED if today > due else NOT_YET


def publication_date_problem(
	new: date | None, old: date | None, today: date, recorded: date, office: bool
) -> str | None:
	"""公开日期 is the day the unit records that it published (条例第十八条: by 31 March): never
	later than today, never before the record existed, and — for the unit itself — today, so
	that a unit that missed the deadline cannot backdate its publication. The clearing office
	may correct a date it has verified, within the same bounds. Unchanged: no problem."""
	if new is None or new == old:
		return None
	if new > today:
		return f"公开日期 {new} 不能晚于今天（{today}）"
	if new < recorded:
		return f"公开日期 {new} 不能早于本记录建立之日（{recorded}）"
	if not office and new != today:
		return f"公开日期为登记公开之日，只能填今天（{today}），不能补填以前的日期；确系此前公开的，请清欠办核实后更正"
	return None


def year_end(year: int) -> date:
	return date(year, 12, 31)


def csv_cell(value) -> str:
	"""A cell as a spreadsheet opens it safely: text a spreadsheet would run as a formula
	(=, +, -, @, tab, CR) is prefixed with an apostrophe; numbers stay numbers (amounts with
	two decimals)."""
	if isinstance(value, bool | int):
		return str(value)
	if isinstance(value, float | Decimal):
		return f"{yuan(value)}"  # an amount, to the 分
	text = "" if value is None else str(value)
	return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def to_csv(rows: list[dict], columns=PUBLIC_COLUMNS) -> str:
	"""The rows as CSV (UTF-8 with BOM for Excel and WPS), with Chinese headers."""
	buf = io.StringIO()
	w = csv.writer(buf, lineterminator="\r\n")
	w.writerow([header for _, header in columns])
	for r in rows:
		w.writerow([csv_cell(r.get(field)) for field, _ in columns])
	return "\ufeff" + buf.getvalue()


@dataclass(frozen=True)
class Comparison:
	"""An SOE's annual report against the ledger at year end."""

	count_difference: int
	amount_difference: Decimal

	@property
	def matches(self) -> bool:
		return self.count_difference == 0 and self.amount_difference == 0

	def words(self) -> str:
		if self.matches:
			return "与台账一致"
		parts = []
		if self.count_difference:
			parts.append(
				f"笔数{'少报' if self.count_difference < 0 else '多报'} {abs(self.count_difference)} 笔"
			)
		if self.amount_difference:
			parts.append(
				f"金额{'少报' if self.amount_difference < 0 else '多报'} {abs(self.amount_difference):,.2f} 元"
			)
		return "；".join(parts)


def compare(disclosed_count, disclosed_amount, ledger_count, ledger_amount) -> Comparison:
	return Comparison(
		int(disclosed_count or 0) - int(ledger_count or 0), yuan(disclosed_amount) - yuan(ledger_amount)
	)
