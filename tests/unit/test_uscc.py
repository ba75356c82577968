import random

import pytest

from qingqian_app.domain import uscc

VALID = ["91310110666007217T", "91310115591693856A"]
PILOT = "91350100M0001TGQXM"  # issued in an early pilot area, fails the check (regulations.md)


@pytest.mark.parametrize("code", VALID)
def test_published_examples_are_valid(code):
	assert uscc.problem(code) is None
	assert uscc.is_valid(code)


def test_pilot_area_code_fails_the_check_character():
	found = uscc.problem(PILOT)
	assert found.code == "check"
	assert "校验码" in found.message


def test_normalize_accepts_pasted_lower_case_and_blanks():
	assert uscc.is_valid(" 9131 0110666007217t ")


@pytest.mark.parametrize(
	"code, kind",
	[
		("9131011066600721", "length"),
		("91310110666007217T0", "length"),
		("", "length"),
		("91310110666OO7217T", "alphabet"),  # letter O is not in the alphabet
		("91310110666007217I", "alphabet"),
		("99310110666007217T", "category"),
		("91310110666007217A", "check"),
	],
)
def test_each_kind_of_bad_code_is_named(code, kind):
	assert uscc.problem(code).code == kind


def test_every_single_character_substitution_is_caught():
	# 31 is prime and no weight is a multiple of it: one wrong character always shows.
	rng = random.Random(20261126)
	for _ in range(200):
		body = rng.choice(["91", "12", "11"]) + "".join(rng.choice(uscc.ALPHABET) for _ in range(15))
		code = body + uscc.check_character(body)
		assert uscc.is_valid(code)
		pos = rng.randrange(2, 18)
		other = rng.choice([c for c in uscc.ALPHABET if c != code[pos]])
		assert not uscc.is_valid(code[:pos] + other + code[pos + 1 :])


def test_category_of_code():
	assert uscc.category("91310110666007217T") == "企业"
	assert uscc.category("12140502MB1A0003XX") == "事业单位"
	assert uscc.category("xx") is None


def test_check_character_wants_seventeen_characters():
	with pytest.raises(ValueError):
		uscc.check_character("123")
