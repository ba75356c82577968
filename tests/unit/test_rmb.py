"""Amounts in capitals: the PBOC's own examples, zeros, 整, 角 and 分, up to 千亿; and every
amount written as the cn2an package writes it (which the module replaced)."""

import itertools
import random

import pytest

from qingqian_app.domain.rmb import capitals

CASES = [
	# the examples of the rules (regulations.md)
	("1409.50", "壹仟肆佰零玖元伍角"),
	("6007.14", "陆仟零柒元壹角肆分"),
	("16409.02", "壹万陆仟肆佰零玖元零贰分"),
	("325.04", "叁佰贰拾伍元零肆分"),
	("107000.53", "壹拾万柒仟元伍角叁分"),
	# 整 after 元, none after 分
	("0", "零元整"),
	("10", "壹拾元整"),
	("100", "壹佰元整"),
	("700000", "柒拾万元整"),
	("20000000", "贰仟万元整"),
	("100000000", "壹亿元整"),
	("100000000000", "壹仟亿元整"),
	# 角 and 分 alone, and a zero between them and 元
	("0.10", "壹角"),
	("0.01", "壹分"),
	("0.05", "伍分"),
	("1.5", "壹元伍角"),
	("10000.01", "壹万元零壹分"),
	("3000.06", "叁仟元零陆分"),
	# zeros inside the number are written once
	("10001", "壹万零壹元整"),
	("40050", "肆万零伍拾元整"),
	("1010.10", "壹仟零壹拾元壹角"),
	("200000020.2", "贰亿零贰拾元贰角"),
	("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
	("999999999999.99", "玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
]


@pytest.mark.parametrize("amount, text", CASES)
def test_capitals(amount, text):
	assert capitals(amount) == text


def test_never_the_forbidden_characters():
	for amount, _ in CASES:
		assert not set(capitals(amount)) & set("一二两三四五六七八九十毛另")


def test_float_noise_and_prefix():
	assert capitals(0.1 + 0.2) == "叁角"
	assert capitals(12345.67, prefix=True) == "人民币壹万贰仟叁佰肆拾伍元陆角柒分"


@pytest.mark.parametrize("amount", ["-1", "1000000000000"])
def test_out_of_range(amount):
	with pytest.raises(ValueError):
		capitals(amount)


def test_written_as_cn2an_writes_it():
	"""Every amount of twelve digits of 0 and 1, of 0 and 5 in the higher groups, and 20,000 at
	random, each with 0, 1, 10, 11, 50, 5 and 99 分: the same text as cn2an's "rmb" mode."""
	cn2an = pytest.importorskip("cn2an", reason="cn2an is in the test extras (pyproject.toml)")
	amounts = {int("".join(p)) for p in itertools.product("01", repeat=12)}
	amounts |= {int("".join(p)) * 10000 + 7 for p in itertools.product("05", repeat=8)}
	rnd = random.Random(1)
	amounts |= {rnd.randint(0, 999999999999) for _ in range(20000)}
	differ = [
		text
		for whole in sorted(amounts)
		for fen in (0, 1, 10, 11, 50, 5, 99)
		if capitals(text := f"{whole}.{fen:02d}") != cn2an.an2cn(text, "rmb")
	]
	assert not differ, differ[:10]
