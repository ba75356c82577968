import pytest

from qingqian_app.domain.docnumber import PREFIX_FIELD, document_number, series_key


def test_gbt_9704_number():
	assert document_number("城清欠办函", 2026, 12) == "城清欠办函〔2026〕12号"
	assert document_number("城清欠办发", 2026, 1) == "城清欠办发〔2026〕1号"  # no leading zero, no 第


@pytest.mark.parametrize("args", [("", 2026, 1), ("城清欠办函", 26, 1), ("城清欠办函", 2026, 0)])
def test_bad_parts_refused(args):
	with pytest.raises(ValueError):
		document_number(*args)


def test_one_counter_per_prefix_and_year():
	assert series_key("城清欠办函", 2026) != series_key("城清欠办函", 2027) != series_key("城清欠办发", 2026)
	assert set(PREFIX_FIELD.values()) <= {"letter_prefix", "bulletin_prefix"}
