"""人民币大写: amounts in capitals as the PBOC rules for bills and vouchers write them
(regulations.md): 壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分零整, 整 after 元, never after 分.

Money to the 分 (no float noise), no negatives, nothing beyond 千亿 (the largest unit a
voucher has), the 人民币 prefix on request. Where the rules leave a 零 to the writer (万位 or
元位 zero with the 仟位 or 角位 after it not zero), it is written as the ``cn2an`` package's
"rmb" mode writes it, which this module replaced (tests/unit/test_rmb.py holds the two side by
side): a group of four digits starting with zeros after a higher one is written with a 零, the
zeros that end a group are not. Written here rather than imported: cn2an takes ~80 ms to import,
paid by every background job that prints a document (each runs in a new process).
"""

from __future__ import annotations

from decimal import Decimal

from .money import yuan

LIMIT = Decimal("999999999999.99")  # 玖仟玖佰玖拾玖亿…: up to 千亿
DIGITS = "零壹贰叁肆伍陆柒捌玖"
PLACES = ("", "拾", "佰", "仟")  # within a group of four digits
GROUPS = ("", "万", "亿")  # each group of four


def capitals(amount, prefix: bool = False) -> str:
	"""1409.50 → 壹仟肆佰零玖元伍角; with prefix: 人民币壹仟肆佰零玖元伍角."""
	value = yuan(amount)
	if value < 0:
		raise ValueError("金额不能为负数")
	if value > LIMIT:
		raise ValueError("金额超过千亿，无法按票据规范大写")
	fen = int(value * 100)
	whole, jiao, fen = fen // 100, fen // 10 % 10, fen % 10
	text = _whole(whole) + "元" if whole else ""
	if jiao:
		text += DIGITS[jiao] + "角"
	elif fen and whole:
		text += "零"
	if fen:
		text += DIGITS[fen] + "分"
	if not text:
		return ("人民币" if prefix else "") + "零元整"
	if not jiao and not fen:
		text += "整"
	return ("人民币" if prefix else "") + text


def _whole(number: int) -> str:
	digits = str(number)
	groups = [digits[max(0, end - 4) : end] for end in range(len(digits), 0, -4)][::-1]
	out = []
	for index, group in enumerate(groups):
		if not int(group):
			continue
		if out and (len(group) < 4 or group[0] == "0"):
			out.append("零")  # the group starts with zeros after a higher one
		out.append(_group(group.lstrip("0")))
		out.append(GROUPS[len(groups) - 1 - index])
	return "".join(out)


def _group(digits: str) -> str:
	"""Up to four digits, the first not zero: a run of zeros between digits is one 零, zeros at
	the end are not written."""
	out, zeros = [], False
	for position, digit in enumerate(digits):
		if digit == "0":
			zeros = True
			continue
		if zeros:
			out.append("零")
			zeros = False
		out.append(DIGITS[int(digit)] + PLACES[len(digits) - 1 - position])
	return "".join(out)
