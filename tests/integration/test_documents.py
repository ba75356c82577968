"""Official documents rendered by Frappe as PDF: the text layer gives back the title, the
full document number and the amount in capitals character for character (staff copy and
search text in these PDFs; some CJK faces write radicals such as ⽋ for 欠)."""

import shutil
import subprocess

import frappe
import pytest

from qingqian_app.qingqian.doctype.issued_document.issued_document import issue

from .test_ledger import district, enterprise, item  # (district is a fixture)

pytestmark = pytest.mark.skipif(
	not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is installed by setup"
)
CAPITALS = "人民币壹万贰仟叁佰肆拾伍元陆角柒分"


def pdf_text(pdf: bytes, tmp_path) -> str:
	path = tmp_path / "doc.pdf"
	path.write_bytes(pdf)
	out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True)
	return "".join(out.stdout.split())  # line breaks and spaces from layout are not text


def arrears(district):  # noqa: F811
	return item(district.agency, contract_no="HT-PDF-1", repay_deadline="2026-12-31", arrears_amount=12345.67)


def complaint(district):  # noqa: F811
	return frappe.get_doc(
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


DOCUMENTS = [
	("限期清偿通知书", "限期清偿通知书", arrears, "关于限期清偿拖欠测试民营企业款项的通知"),
	("督办函", "督办函", arrears, "关于督促清偿拖欠测试民营企业款项的函"),
	("转办单（台账）", "转办单", arrears, "拖欠民营企业账款转办单"),
	("转办单（投诉线索）", "转办单", complaint, "拖欠民营企业账款问题线索转办单"),
	("不予受理告知书", "不予受理告知书", complaint, "不予受理告知书"),
	("办理情况告知书", "办理情况告知书", complaint, "投诉事项办理情况告知书"),
]


@pytest.mark.parametrize("print_format, kind, make, title", DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_document_pdf_text_layer_is_exact(district, tmp_path, print_format, kind, make, title):  # noqa: F811
	doc = make(district)
	number = issue(kind, doc.doctype, doc.name)
	pdf = frappe.get_print(doc.doctype, doc.name, print_format=print_format, as_pdf=True)
	text = pdf_text(pdf, tmp_path)
	office = frappe.db.get_single_value("Qingqian Settings", "office_name")
	for expected in (title, number, CAPITALS, office, "12,345.67"):
		assert expected in text, expected
	assert not set(text) & set("⽋⻆⼾⻔⻩⻣")  # no radical code points


def test_ledger_printout_lists_the_visible_rows_with_totals(district, tmp_path):  # noqa: F811
	from frappe.utils.pdf import get_pdf

	from qingqian_app.printouts import ledger_html

	for amount in (1000, 2345.67, 9000):
		item(district.agency, arrears_amount=amount)
	html = ledger_html({"debtor_unit": district.agency})
	text = pdf_text(get_pdf(html, {"orientation": "Landscape"}), tmp_path)
	assert "拖欠民营企业账款台账" in text and "合计（3条）" in text
	assert "12,345.67" in text and CAPITALS in text  # the outstanding total in figures and capitals
	assert "欠款单位：测试机关甲" in text
