"""Official documents rendered by Frappe as PDF: the text layer gives back the title, the
full document number and the amount in capitals character for character (staff copy and
search text in these PDFs; some CJK faces write radicals such as ⽋ for 欠)."""

import io
import shutil
import subprocess

import frappe
import pytest

from qingqian_app.pdf import render
from qingqian_app.sync.definitions import REPO_ROOT, page_css

from .factories import enterprise, item, set_state, signed

pytestmark = pytest.mark.skipif(
	not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is installed by setup"
)
CAPITALS = "人民币壹万贰仟叁佰肆拾伍元陆角柒分"
RADICALS = set("⽋⻆⼾⻔⻩⻣")  # what some CJK faces put in the text layer for 欠, 角, 户, 门, 黄, 骨
SHARED = REPO_ROOT / "print_formats" / "_shared"
MM = 72 / 25.4  # PDF points in a millimetre


def pdf_text(pdf: bytes, tmp_path, *args: str) -> str:
	return "".join(pdf_lines(pdf, tmp_path, "-layout", *args))  # spaces from layout are not text


def pdf_lines(pdf: bytes, tmp_path, *args: str) -> list[str]:
	path = tmp_path / "doc.pdf"
	path.write_bytes(pdf)
	out = subprocess.run(["pdftotext", *args, str(path), "-"], capture_output=True, check=True, text=True)
	return ["".join(line.split()) for line in out.stdout.splitlines() if line.strip()]


def pdf_words(pdf: bytes, tmp_path) -> list[list[dict]]:
	"""Each page's words with their boxes in mm (pdftotext -bbox)."""
	path = tmp_path / "words.pdf"
	path.write_bytes(pdf)
	out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True)

	def word(w):
		box = {k: float(w.split(f'{k}="')[1].split('"')[0]) / MM for k in ("xMin", "yMin", "xMax", "yMax")}
		return {"text": w.split(">")[1].split("<")[0], **box}

	return [[word(w) for w in page.split("<word ")[1:]] for page in out.stdout.split("<page ")[1:]]


def pdf_info(pdf: bytes, tmp_path) -> dict[str, str]:
	path = tmp_path / "info.pdf"
	path.write_bytes(pdf)
	out = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True).stdout
	return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def arrears(district, state="清偿中"):
	"""An overdue item, verified as undisputed: every item document's words are true of it."""
	doc = item(district.agency, contract_no="HT-PDF-1", due_date="2026-03-01", repay_deadline="2026-06-30",
		arrears_amount=12345.67)  # fmt: skip
	return set_state(doc, state)


def supervised(district):
	"""The supervision the daily job opens for an item past its repay deadline."""
	from qingqian_app.oversight import supervision

	doc = arrears(district)
	supervision.daily()
	return frappe.get_doc("Supervision", {"reference_name": doc.name})


def complaint(district, state="待反馈"):
	doc = frappe.get_doc(
		{
			"doctype": "Complaint Lead",
			"channel": "12345热线",
			"enterprise": enterprise(),
			"respondent_unit": district.agency,
			"claimed_amount": 12345.67,
			"verified_amount": 12345.67,
			"description": "服务费逾期未付",
			"out_of_scope_ground": "人民法院、仲裁机构已受理或已处理",
			"outcome_reason": "该纠纷已由人民法院受理",
			"verification_result": "未清偿且不存在争议",
			"repay_deadline": "2026-12-31",
			"feedback": "已责成限期清偿",
		}
	).insert()
	return set_state(doc, state)


def not_accepted(district):
	return complaint(district, "不予受理")


DOCUMENTS = [
	("限期清偿通知书", "限期清偿通知书", arrears, "关于限期清偿拖欠测试民营企业款项的通知"),
	("督办函", "督办函", supervised, "关于督促清偿拖欠测试民营企业款项的函"),
	("转办单（台账）", "转办单", arrears, "拖欠民营企业账款转办单"),
	("转办单（投诉线索）", "转办单", complaint, "拖欠民营企业账款问题线索转办单"),
	("不予受理告知书", "不予受理告知书", not_accepted, "不予受理告知书"),
	("办理情况告知书", "办理情况告知书", complaint, "投诉事项办理情况告知书"),
]


@pytest.mark.parametrize("print_format, kind, make, title", DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_document_pdf_text_layer_is_exact(district, tmp_path, print_format, kind, make, title):
	doc = make(district)
	number = signed(kind, doc)
	pdf = frappe.get_print(doc.doctype, doc.name, print_format=print_format, as_pdf=True)
	text = pdf_text(pdf, tmp_path)
	office = frappe.db.get_single_value("Qingqian Settings", "office_name")
	for expected in (title, number, CAPITALS, office, "12,345.67"):
		assert expected in text, expected
	assert not set(text) & RADICALS
	info = pdf_info(pdf, tmp_path)
	assert info["Producer"].startswith("WeasyPrint") and info["Page size"].startswith("595.276 x 841.89")
	pages = int(info["Pages"])
	for page in range(1, pages + 1):  # "— N —" on every page; a letter (函) none on its first
		numbered = f"—{page}—" in pdf_text(pdf, tmp_path, "-f", str(page), "-l", str(page))
		assert numbered == (page > 1 or kind != "督办函"), (page, pages)


def test_ledger_printout_lists_the_visible_rows_with_totals(district, tmp_path):
	from qingqian_app.printouts import ledger_html

	for amount in (1000, 2345.67, 9000):
		set_state(item(district.agency, arrears_amount=amount), "清偿中")
	set_state(item(district.agency, arrears_amount=50000, in_judicial_process=1), "清偿中")
	item(district.agency, arrears_amount=70000)  # 待报送: not yet approved
	html = ledger_html({"debtor_unit": district.agency})
	pdf = render(html)
	text = pdf_text(pdf, tmp_path)
	assert "拖欠民营企业账款台账" in text and "合计（计入统计3条，另有2条不计入）" in text
	assert "12,345.67" in text and CAPITALS in text  # only what counts: the outstanding total
	assert "50,000.00" in text and "70,000.00" in text and text.count("（不计入）") == 2  # listed
	assert "欠款单位：测试机关甲" in text and "第1页共1页" in text
	assert pdf_info(pdf, tmp_path)["Page size"].startswith("841.89 x 595.276")  # landscape A4


def gbt9704_page(body: str) -> str:
	"""A bare page on the shared layout: what every document's CSS starts with."""
	shared = (SHARED / "gbt9704.css").read_text(encoding="utf-8")
	gbt = {"margin_top_mm": 37, "margin_bottom_mm": 35, "margin_left_mm": 28, "margin_right_mm": 26}
	return f'<html><head><meta name="qingqian-pdf" content="weasyprint"><style>{page_css(gbt)}{shared}</style></head><body><div class="gw">{body}</div></body></html>'


def with_macros(template: str) -> str:
	"""A template rendered after the shared layout parts (head, signature, banji)."""
	return frappe.render_template((SHARED / "gbt9704.html").read_text(encoding="utf-8") + template, {})


def test_text_block_holds_22_lines_of_28_characters(tmp_path):
	chars = "清欠办督促偿还拖欠民营企业账款" * 60
	pdf = render(gbt9704_page(f'<p class="gw-body" style="text-indent: 0">{chars}</p>'))
	first = pdf_lines(pdf, tmp_path, "-f", "1", "-l", "1")
	assert first[-1] == "—1—"
	assert [len(line) for line in first[:-1]] == [28] * 22
	assert "".join(first[:-1]) == chars[: 28 * 22]  # in order, nothing lost at the breaks
	second = pdf_lines(pdf, tmp_path, "-f", "2", "-l", "2")
	assert second[-1] == "—2—" and second[0] == chars[28 * 22 : 28 * 23]


def test_a_renderer_parses_a_formats_style_sheet_once_and_the_pdf_is_the_same(tmp_path, monkeypatch):
	"""qingqian_app/pdf_render.py keeps each document's parsed <style> (with its faces) for the
	documents after it: the same bytes as a sheet parsed anew, and a sheet parsed once."""
	import tempfile

	import tinycss2

	from qingqian_app import pdf_render

	monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # the faces WeasyPrint copies
	own, parsed = tinycss2.parse_stylesheet, []
	monkeypatch.setattr(tinycss2, "parse_stylesheet", lambda *a, **k: parsed.append(1) or own(*a, **k))
	monkeypatch.setattr(pdf_render, "_STYLES", {})
	where = ("http://qingqian.example.gov.cn/", {}, {"localhost"})
	notice = gbt9704_page(
		'<p class="gw-title">关于限期清偿的通知</p><p class="gw-body">正文：欠款壹万元。</p>'
	)
	other = notice.replace("</style>", ".gw-body { color: #333 }</style>")  # another format's sheet
	first = pdf_render.render(notice, *where)
	once = len(parsed)
	assert once >= 1 and pdf_text(first, tmp_path).count("关于限期清偿的通知") == 1
	assert pdf_render.render(other, *where) != first and len(parsed) > once  # its own sheet
	after_other = len(parsed)
	again = pdf_render.render(notice, *where)
	assert len(parsed) == after_other  # neither sheet parsed again
	assert again == first
	monkeypatch.setattr(pdf_render, "_STYLES", {})  # a renderer that never saw it: parsed anew
	assert pdf_render.render(notice, *where) == first and len(parsed) > after_other
	# a document from another site (its own URLs, its own faces) is not given this one's sheet
	assert len(pdf_render._STYLES) == 1
	pdf_render.render(notice, "http://other.example.gov.cn/", {}, {"localhost"})
	assert len(pdf_render._STYLES) == 2


def test_signature_never_stands_alone_on_a_page(tmp_path):
	"""GB/T 9704 7.3.5.1: no text on one page and 署名/成文日期 on the next. 21 of the 22
	lines are text; the signature (a blank line, then two) goes over with the text's end."""
	first, last = "清" * 28 * 19, "欠" * 28 * 2
	body = with_macros(
		f'<p class="gw-body" style="text-indent: 0">{first}</p>'
		f'<p class="gw-body" style="text-indent: 0">{last}</p>{{{{ signature("2026-01-05") }}}}'
	)
	pdf = render(gbt9704_page(body))
	office = frappe.db.get_single_value("Qingqian Settings", "office_name")
	page2 = pdf_lines(pdf, tmp_path, "-f", "2", "-l", "2")
	assert page2[:4] == ["欠" * 28, "欠" * 28, office, "2026年1月5日"], page2


def test_banji_sits_at_the_foot_of_the_last_page(tmp_path):
	"""GB/T 9704 8: 抄送 and 印发机关和印发日期 on the last lines of the last page."""
	body = with_macros('<p class="gw-body">清欠。</p>{{ banji("2026-01-05") }}')
	pages = pdf_words(render(gbt9704_page(body)), tmp_path)
	assert len(pages) == 1
	issued = next(w for w in pages[0] if w["text"].startswith("2026年1月5日印发"))
	top = issued["yMin"]  # (yMax is the face's descent)
	assert 297 - 35 - 10.2 < top < 297 - 35, top  # on the last 28.9 pt line of the text block


def test_a_signature_that_fits_stays_and_the_banji_takes_the_next_page(tmp_path):
	"""19 lines of text, a blank line, 署名 and 成文日期 fill the 22 lines: the page is full and
	keeps them; the 版记, which no longer fits, is the foot of the next page (GB/T 9704 8: the
	last page's foot), never the reason to carry text over early."""
	body = with_macros(
		f'<p class="gw-body" style="text-indent: 0">{"清" * 28 * 19}</p>'
		'{{ signature("2026-01-05") }}{{ banji("2026-01-05") }}'
	)
	pdf = render(gbt9704_page(body))
	office = frappe.db.get_single_value("Qingqian Settings", "office_name")
	first = pdf_lines(pdf, tmp_path, "-f", "1", "-l", "1")
	assert first[:19] == ["清" * 28] * 19 and first[19:] == [office, "2026年1月5日", "—1—"], first
	pages = pdf_words(pdf, tmp_path)
	assert len(pages) == 2
	issued = next(w for w in pages[1] if w["text"].startswith("2026年1月5日印发"))
	assert 297 - 35 - 10.2 < issued["yMin"] < 297 - 35, issued


def test_the_mark_keeps_文件_on_its_line(tmp_path):
	"""GB/T 9704 7.2.4: 发文机关标志 is the organ's name and 文件 on one line; a name too long
	for 2号 is set smaller rather than broken (the demo office's name is 18 characters)."""
	office = frappe.db.get_single_value("Qingqian Settings", "office_name")
	for name in (office, office + "城区分部"):
		frappe.db.set_single_value("Qingqian Settings", "office_name", name)
		frappe.clear_document_cache("Qingqian Settings", "Qingqian Settings")
		html = with_macros('{{ head({"number": "城清欠办发〔2026〕1号"}, letter=False) }}')
		lines = pdf_lines(render(gbt9704_page(html)), tmp_path)
		assert lines[0] == name + "文件", lines


@pytest.mark.skipif(
	any(
		face in subprocess.run(["fc-list", ":", "family"], capture_output=True, text=True).stdout
		for face in ("方正小标宋", "仿宋_GB2312", "FangSong", "SimHei", "KaiTi")
	),
	reason="licensed government faces are installed here: they come first",
)
def test_each_part_is_set_in_its_gbt9704_face(tmp_path):
	"""标题 in 小标宋 (FandolSong's bold face), 正文 in 仿宋, 一级标题 in 黑体, 二级标题 in 楷体,
	page numbers in 宋体: the Fandol faces scripts/setup.sh installs, where the licensed
	faces are not; each keeps its characters in the text layer."""
	html = (
		'<div class="gw-title">关于清欠工作的通知</div><p class="gw-body">正文仿宋。</p>'
		'<p class="gw-h1">一、黑体标题</p><p class="gw-h2">（一）楷体标题</p>'
	)
	pdf = render(gbt9704_page(html))
	path = tmp_path / "faces.pdf"
	path.write_bytes(pdf)
	listed = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
	faces = {line.split()[0].split("+")[-1] for line in listed.splitlines()[2:]}
	assert faces == {"FandolXiaoBiaoSong", "FandolFang", "FandolHei", "FandolKai", "FandolSong"}, faces
	assert pdf_lines(pdf, tmp_path) == [
		"关于清欠工作的通知",
		"正文仿宋。",
		"一、黑体标题",
		"（一）楷体标题",
		"—1—",
	]


def test_binding_side_is_28mm_on_odd_pages_and_mirrored_on_even_pages(tmp_path):
	pages = pdf_words(render(gbt9704_page('<p class="gw-body">' + "清欠" * 700 + "</p>")), tmp_path)

	def lines(page):  # x from and to of each line in the text block (not the page number), mm
		return [(w["xMin"], w["xMax"]) for w in page if w["yMax"] <= 297 - 35]

	odd, even = lines(pages[0])[1:], lines(pages[1])  # (the first line is indented)
	assert len(odd) == 21 and len(even) == 22
	assert all(abs(x0 - 28) < 0.2 and x1 <= 28 + 156 + 0.2 for x0, x1 in odd)
	assert all(abs(x0 - 26) < 0.2 and x1 <= 26 + 156 + 0.2 for x0, x1 in even)


def test_only_our_documents_leave_wkhtmltopdf(tmp_path):
	from frappe.utils.pdf import get_pdf

	ours = get_pdf(gbt9704_page("<p>清欠</p>"))
	theirs = get_pdf("<html><body><p>标准打印格式</p></body></html>")
	assert pdf_info(ours, tmp_path)["Producer"].startswith("WeasyPrint")
	assert not pdf_info(theirs, tmp_path)["Producer"].startswith("WeasyPrint")  # wkhtmltopdf's
	assert "标准打印格式" in pdf_text(theirs, tmp_path)


def test_password_and_merged_prints_are_kept(tmp_path):
	from frappe.utils.pdf import get_pdf
	from pypdf import PdfReader, PdfWriter

	locked = get_pdf(gbt9704_page("<p>清欠</p>"), {"password": "秘密2026"})
	reader = PdfReader(io.BytesIO(locked))
	assert reader.is_encrypted and reader.decrypt("秘密2026")
	writer = PdfWriter()
	for _ in range(2):  # frappe.utils.print_format.download_multi_pdf appends each print
		assert get_pdf(gbt9704_page("<p>清欠</p>"), output=writer) is writer
	assert len(writer.pages) == 2


def test_workflow_mail_attaches_the_item_form_in_chinese(district, tmp_path):
	"""What a workflow action mail attaches (Frappe's own get_common_email_args): the
	DocType's default print, 台账登记表 for an arrears item."""
	from frappe.workflow.doctype.workflow_action.workflow_action import get_common_email_args

	doc = arrears(district)
	frappe.db.set_single_value("Print Settings", "send_print_as_pdf", 1)
	attachment = get_common_email_args(doc)["attachments"][0]
	assert attachment["fname"] == f"{doc.name}.pdf"
	pdf = attachment["fcontent"]
	text = pdf_text(pdf, tmp_path)
	expected = (
		"拖欠民营企业账款台账登记表",
		f"台账编号：{doc.name}",
		"测试机关甲",
		"测试民营企业",
		"12,345.67元",
		CAPITALS,
		"—1—",
	)
	for part in expected:
		assert part in text, part
	assert not set(text) & RADICALS
	assert pdf_info(pdf, tmp_path)["Producer"].startswith("WeasyPrint")


def test_workflow_mail_speaks_chinese(district):
	from frappe.workflow.doctype.workflow_action.workflow_action import get_common_email_args

	doc = arrears(district)
	args = get_common_email_args(doc)
	assert args["subject"] == f"【清欠】欠款台账 {doc.name} 待您处理（清偿中）"
	assert f"<b>{doc.name}</b>：测试机关甲拖欠测试民营企业工程款，未清偿 12,345.67 元" in args["message"]
	assert "清偿期限 2026-06-30" in args["message"]


def test_mailed_document_is_the_same_pdf_as_the_download(district, tmp_path):
	doc = arrears(district)
	number = signed("限期清偿通知书", doc)
	mailed = frappe.attach_print(doc.doctype, doc.name, print_format="限期清偿通知书", doc=doc)
	text = pdf_text(mailed["fcontent"], tmp_path)
	assert pdf_info(mailed["fcontent"], tmp_path)["Producer"].startswith("WeasyPrint")
	assert number in text and CAPITALS in text and "—1—" in text


def test_a_print_of_the_apps_records_is_the_page_frappes_router_makes(district, monkeypatch):
	"""qingqian_app.pdf.get_print renders the app's records' print pages without the website
	router: the same page as Frappe's get_print, for every print format of the record, also
	where the router changes the page (its own steps, or, on a site that prefixes titles, its
	own path); other DocTypes' prints are Frappe's own."""
	from qingqian_app import pdf

	assert frappe.get_print is pdf.get_print  # installed before each request and job
	frappes = pdf.get_print.frappe
	doc = arrears(district)
	signed("限期清偿通知书", doc)
	for print_format in (None, "台账登记表", "限期清偿通知书"):
		ours = frappe.get_print(doc.doctype, doc.name, print_format, doc=doc)
		assert ours == frappes(doc.doctype, doc.name, print_format, doc=doc)
		assert pdf.MARKER in ours and doc.name in ours
	stored = frappe.get_print(doc.doctype, doc.name, "台账登记表", doc="")  # by name, as Frappe does
	assert stored == frappes(doc.doctype, doc.name, "台账登记表")
	routed = []
	monkeypatch.setattr(pdf.get_print, "frappe", lambda *a: routed.append(a[0]) or frappes(*a))
	frappe.get_print("User", "Administrator")
	frappe.get_print(doc.doctype, doc.name)
	assert routed == ["User"]
	# a title prefix (the router's): the page Frappe makes, through Frappe's own path
	frappe.db.set_single_value("Website Settings", "title_prefix", "清欠")
	prefixed = frappe.get_print(doc.doctype, doc.name, "台账登记表")
	assert routed == ["User", doc.doctype] and "<title>清欠 - " in prefixed
	monkeypatch.setattr(pdf.get_print, "frappe", frappes)
	assert prefixed == frappes(doc.doctype, doc.name, "台账登记表")
	frappe.db.set_single_value("Website Settings", "title_prefix", None)
	doc.db_set("description", "见 {index}")  # a word the router replaces, in the record
	assert frappe.get_print(doc.doctype, doc.name, "台账登记表") == frappes(
		doc.doctype, doc.name, "台账登记表"
	)


def current_language():
	return frappe.local.lang


def test_background_jobs_render_in_the_users_language(site):
	"""Workflow mails and their PDFs are made in the worker: in Chinese, not the bench's 'en'."""
	from frappe.utils.background_jobs import execute_job

	frappe.local.lang = "en"  # what a worker starts with (no lang in the bench config)
	lang = execute_job(site, current_language, None, "lang", {}, user="Administrator", is_async=False)
	assert lang == "zh"


def test_a_failed_rendering_says_so_in_chinese(monkeypatch):
	import sys

	from qingqian_app import pdf, pdf_render

	monkeypatch.setattr(pdf, "pool_socket", lambda: "/nonexistent/qingqian-pdf.sock")  # no pool
	monkeypatch.setattr(sys, "executable", "/bin/false")  # and the renderer process cannot start
	with pytest.raises(frappe.ValidationError, match="公文 PDF 生成失败"):
		render(gbt9704_page("<p>清欠</p>"))

	def refused(*args, **kwargs):
		raise RuntimeError("ValueError: 无法排版")

	monkeypatch.setattr(pdf_render, "request", refused)  # the pool cannot lay the document out
	with pytest.raises(frappe.ValidationError, match="公文 PDF 生成失败：ValueError: 无法排版"):
		render(gbt9704_page("<p>清欠</p>"))


def test_documents_are_rendered_by_the_benchs_pool(monkeypatch):
	import os

	from qingqian_app import pdf

	if not os.path.exists(pdf.pool_socket()):
		pytest.skip("no renderer pool on this bench: scripts/setup.sh starts one")

	def no_process(*args, **kwargs):
		raise AssertionError("a renderer process was started: the pool was not used")

	monkeypatch.setattr(pdf.subprocess, "run", no_process)
	assert render(gbt9704_page("<p>清欠</p>")).startswith(b"%PDF")
