"""Page geometry of the official documents, written as CSS @page rules from each
format.json (GB/T 9704-2012: A4, top 37 mm, binding side 28 mm, text block 156 × 225 mm,
page numbers "— 1 —" odd right and even left, none on a letter's first page)."""

import json

import pytest

from qingqian_app.sync import checks, definitions
from qingqian_app.sync.definitions import page_css

GBT = {
	"orientation": "Portrait",
	"margin_top_mm": 37,
	"margin_bottom_mm": 35,
	"margin_left_mm": 28,
	"margin_right_mm": 26,
}


def rules(css: str) -> dict[str, str]:
	"""'@page :left { … }' → {':left': '…'} (one rule a line, as page_css writes them)."""
	out = {}
	for line in css.strip().splitlines():
		head, _, body = line.partition("{")
		out[head.replace("@page", "").strip()] = body.rsplit("}", 1)[0]
	return out


def test_document_page_is_the_gbt9704_text_block_with_alternating_numbers():
	r = rules(page_css(GBT))
	assert "size: A4 portrait" in r[""] and "margin: 37mm 26mm 35mm 28mm" in r[""]
	assert 210 - 28 - 26 == 156 and 297 - 37 - 35 == 225  # the text block the margins leave
	assert '@bottom-right { content: "— " counter(page) " —"; text-align: right;' in r[":right"]
	assert '@bottom-left { content: "— " counter(page) " —"; text-align: left;' in r[":left"]
	assert "margin-left: 26mm; margin-right: 28mm;" in r[":left"]  # 订口 on the other side
	for side in (":right", ":left"):
		assert "font-size: 14pt" in r[side] and "padding: 7mm 14pt 0" in r[side]  # 4号, 7 mm, 空一字
	assert ":first" not in r


def test_letter_has_no_number_on_its_first_page_and_its_mark_at_30mm():
	r = rules(page_css({**GBT, "numbers": "letter", "first_page_margin_top_mm": 30}))
	assert r[":first"] == " margin-top: 30mm; @bottom-right { content: none; } "
	assert "counter(page)" in r[":right"] and "counter(page)" in r[":left"]


def test_table_pages_say_page_of_total_centred_and_none_means_none():
	r = rules(page_css({"orientation": "Landscape", "margin_top_mm": 20, "numbers": "of-total"}))
	assert "size: A4 landscape" in r[""]
	bottoms = [body for head, body in r.items() if "@bottom-center" in body]
	assert len(bottoms) == 1 and 'counter(page) " 页 共 " counter(pages)' in bottoms[0]
	assert set(rules(page_css({**GBT, "numbers": "none"}))) == {""}


def test_every_document_carries_its_page_rules_and_the_pdf_marker():
	defs = checks.load_checked()
	pages = {meta["name"]: meta["page"] for meta in defs.print_formats}
	formats = [r for r in defs.records if r.doctype == "Print Format"]
	assert len(formats) >= 7 and {r.name for r in formats} == set(pages)
	for rec in formats:
		assert rec.values["css"].startswith(page_css(pages[rec.name])), rec.name
		assert '<meta name="qingqian-pdf" content="weasyprint">' in rec.values["html"], rec.name


def test_unknown_page_numbers_style_is_refused(repo):
	folder = repo / "print_formats" / "supervision_letter"
	meta = json.loads((folder / "format.json").read_text(encoding="utf-8"))
	meta["page"]["numbers"] = "roman"
	(folder / "format.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
	with pytest.raises(definitions.DefinitionError, match="roman"):
		checks.load_checked(repo)
