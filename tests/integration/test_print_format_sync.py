"""A print_formats/ folder becomes a Jinja Print Format that Frappe renders."""

import json

import frappe

from qingqian_app.sync.definitions import print_format_record
from qingqian_app.sync.local import LocalTransport
from qingqian_app.sync.planner import apply_plan, build_plan


def test_folder_is_synced_as_a_print_format_frappe_renders(tmp_path):
	folder = tmp_path / "member_unit_card"
	folder.mkdir()
	meta = {
		"name": "成员单位职责卡（测试）",
		"doc_type": "Member Unit",
		"template": "card.html",
		"stylesheet": "card.css",
		"page": {"size": "A4", "margin_top_mm": 37, "margin_left_mm": 28},
	}
	(folder / "format.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
	(folder / "card.html").write_text(
		"<h1 class='t'>{{ doc.unit_name }}职责</h1><p>{{ doc.duties }}</p>", encoding="utf-8"
	)
	(folder / "card.css").write_text(".t { color: #c00; }", encoding="utf-8")
	problems = []
	rec = print_format_record(meta, folder, "print_formats/member_unit_card/format.json", problems)
	assert problems == []

	transport = LocalTransport()
	apply_plan(build_plan([rec], transport), transport)
	pf = frappe.get_doc("Print Format", "成员单位职责卡（测试）")
	assert (pf.doc_type, pf.print_format_type, pf.custom_format, pf.margin_top) == (
		"Member Unit",
		"Jinja",
		1,
		37,
	)
	html = frappe.get_print("Member Unit", "区财政局", print_format=pf.name)
	assert "区财政局职责" in html and "失信主体名录" in html and ".t { color: #c00; }" in html
	assert build_plan([rec], transport).changes == 0
