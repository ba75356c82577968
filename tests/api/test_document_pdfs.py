"""Official documents downloaded as PDF through Frappe's own endpoint
(/api/method/frappe.utils.print_format.download_pdf), by the users who may print them:
GB/T 9704 pages from WeasyPrint with the page numbers "— N —", and the text staff copy out
of them; refused to another unit's user. The item made here is deleted at the end."""

import shutil
import subprocess
import time
from urllib.parse import quote

import pytest

from .conftest import URL, login

DEMO = "@demo.qingqian.example.com"
pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is installed by setup")


@pytest.fixture(scope="module")
def item(admin):
	r = login("debtor.reporter" + DEMO).post(
		f"{URL}/api/resource/Arrears%20Item",
		json={
			"debtor_unit": "区机关事务服务中心",
			"enterprise": "晋城市宏达建材有限公司",
			"arrears_category": "工程",
			"contract_no": f"HT-PDF-{time.time_ns()}",
			"arrears_amount": 12345.67,
			"due_date": "2026-03-01",
		},
		timeout=30,
	)
	assert r.status_code == 200, r.text[:300]
	name = r.json()["data"]["name"]
	yield name
	admin.delete(f"{URL}/api/resource/Arrears%20Item/{quote(name)}", timeout=30)


def download(session, name, print_format):
	return session.get(
		f"{URL}/api/method/frappe.utils.print_format.download_pdf",
		params={"doctype": "Arrears Item", "name": name, "format": print_format},
		timeout=120,
	)


def pages_text(pdf: bytes, tmp_path) -> list[str]:
	path = tmp_path / "d.pdf"
	path.write_bytes(pdf)
	out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True)
	return ["".join(page.split()) for page in out.stdout.split("\f") if page.strip()]


@pytest.mark.parametrize(
	"print_format, title",
	[
		("台账登记表", "拖欠民营企业账款台账登记表"),
		("限期清偿通知书", "关于限期清偿拖欠晋城市宏达建材有限公司款项的通知"),
	],
)
def test_download_pdf_gives_numbered_gbt9704_pages(item, tmp_path, print_format, title):
	r = download(login("debtor.reporter" + DEMO), item, print_format)
	assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/pdf"), r.text[:300]
	pages = pages_text(r.content, tmp_path)
	info = subprocess.run(["pdfinfo", str(tmp_path / "d.pdf")], capture_output=True, text=True).stdout
	assert "WeasyPrint" in info and "595.276 x 841.89" in info  # A4 from the layout engine
	assert title in pages[0] and "人民币壹万贰仟叁佰肆拾伍元陆角柒分" in "".join(pages)
	for n, page in enumerate(pages, 1):
		assert f"—{n}—" in page, (n, page[-40:])


def test_another_units_user_may_not_download(item):
	r = download(login("school.reporter" + DEMO), item, "督办函")
	assert r.status_code == 403, r.text[:300]
	assert not r.content.startswith(b"%PDF")
