"""Official documents rendered by Frappe as PDF: the text layer gives back the title, the
full document number and the amount in capitals character for character (staff copy and
search text in these PDFs; some CJK faces write radicals such as ⽋ for 欠)."""

import shutil
import subprocess

import frappe
import pytest

from qingqian_app.qingqian.doctype.issued_document.issued_document import issue

from .test_ledger import district, item  # (district is a fixture)


def pdf_text(pdf: bytes, tmp_path) -> str:
	path = tmp_path / "doc.pdf"
	path.write_bytes(pdf)
	out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, text=True)
	return "".join(out.stdout.split())  # line breaks and spaces from layout are not text


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is installed by setup")
def test_deadline_repayment_notice_text_layer_is_exact(district, tmp_path):  # noqa: F811
	doc = item(district.agency, contract_no="HT-PDF-1", repay_deadline="2026-12-31", arrears_amount=12345.67)
	number = issue("限期清偿通知书", "Arrears Item", doc.name)
	pdf = frappe.get_print("Arrears Item", doc.name, print_format="限期清偿通知书", as_pdf=True)
	text = pdf_text(pdf, tmp_path)
	office = frappe.db.get_single_value("Qingqian Settings", "office_name")
	title = f"关于限期清偿拖欠{doc.enterprise}款项的通知"
	for expected in (title, number, "人民币壹万贰仟叁佰肆拾伍元陆角柒分", office, "12,345.67"):
		assert expected in text, expected
	assert not set(text) & set("⽋⻆⼾⻔⻩⻣")  # no radical code points
