"""人民币大写: amounts in capitals as the PBOC rules for bills and vouchers write them
(regulations.md): 壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分零整, 整 after 元, never after 分.

The well-kept ``cn2an`` package (its "rmb" mode) does the writing; this wrapper fixes what
it leaves to the caller: money to the 分 (no float noise), no negatives, nothing beyond
千亿 (the largest unit a voucher has), and the 人民币 prefix.
"""

from __future__ import annotations

from decimal import Decimal

from .money import yuan

LIMIT = Decimal("999999999999.99")  # 玖仟玖佰玖拾玖亿…: up to 千亿


def capitals(amount, prefix: bool = False) -> str:
	"""1409.50 → 壹仟肆佰零玖元伍角; with prefix: 人民币壹仟肆佰零玖元伍角."""
	import cn2an

	value = yuan(amount)
	if value < 0:
		raise ValueError("金额不能为负数")
	if value > LIMIT:
		raise ValueError("金额超过千亿，无法按票据规范大写")
	text = cn2an.an2cn(f"{value:.2f}", "rmb")
	return ("人民币" if prefix else "") + text
