"""统一社会信用代码 (unified social credit code), GB 32100-2015.

18 characters: registry authority (1), organisation category (2), area code per
GB/T 2260 (3-8), organisation code (9-17), check character (18). The check character is
computed over the first 17 characters with the weights of the standard:
check = (31 - Σ(value × weight) mod 31) mod 31, written in the same 31-letter alphabet.
"""

from __future__ import annotations

from dataclasses import dataclass

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}

# First two characters (registry authority + category) and what they mean.
CATEGORIES = {
	"11": "机关",
	"12": "事业单位",
	"13": "群众团体",
	"19": "其他机构编制",
	"51": "社会团体",
	"52": "民办非企业单位",
	"53": "基金会",
	"59": "其他民政登记",
	"91": "企业",
	"92": "个体工商户",
	"93": "农民专业合作社",
}


@dataclass(frozen=True)
class UsccProblem:
	"""Why a code is not valid; ``message`` is the Chinese text shown to users."""

	code: str
	message: str


def normalize(code: str | None) -> str:
	"""Upper-case and strip spaces, as users often paste codes with blanks."""
	return "".join((code or "").split()).upper()


def check_character(first17: str) -> str:
	"""The 18th character for the given first 17 characters."""
	if len(first17) != 17:
		raise ValueError("需要前 17 位字符")
	total = 0
	for ch, weight in zip(first17, WEIGHTS, strict=True):
		if ch not in VALUES:
			raise ValueError(f"字符“{ch}”不属于统一社会信用代码的字符集")
		total += VALUES[ch] * weight
	return ALPHABET[(31 - total % 31) % 31]


def problem(code: str | None) -> UsccProblem | None:
	"""None if the code is valid, else what is wrong with it (in Chinese)."""
	code = normalize(code)
	if len(code) != 18:
		return UsccProblem("length", f"应为 18 位，实际为 {len(code)} 位")
	bad = sorted({ch for ch in code if ch not in VALUES})
	if bad:
		return UsccProblem(
			"alphabet",
			"含有不允许的字符“{}”（不使用 I、O、Z、S、V）".format("、".join(bad)),
		)
	if code[:2] not in CATEGORIES:
		return UsccProblem("category", f"登记管理部门和机构类别代码“{code[:2]}”无效")
	expected = check_character(code[:17])
	if code[17] != expected:
		return UsccProblem("check", f"校验码应为“{expected}”，实际为“{code[17]}”")
	return None


def is_valid(code: str | None) -> bool:
	return problem(code) is None


def category(code: str | None) -> str | None:
	"""The organisation category named by the first two characters, if known."""
	return CATEGORIES.get(normalize(code)[:2])
