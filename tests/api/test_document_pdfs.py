"""Official documents downloaded as PDF through Frappe's own endpoint
(/api/method/frappe.utils.print_format.download_pdf), by the users who may print them:
GB/T 9704 pages from WeasyPrint with the page numbers "— N —", and the text staff copy out
of them; refused to another unit's user, and refused where the document's words are not
true (a notice to repay "undisputed" arrears for an item nobody has verified)."""

import shutil
import subprocess
from urllib.parse import urlencode

import pytest

from .conftest import URL, session
from .helpers import Actor, message, new_item, to_state

pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is installed by setup")
ROLES = ("debtor.reporter", "debtor.head", "finance.head", "office.staff", "school.reporter")


@pytest.fixture(scope="module")
def actors():
	return {n: Actor(n) for n in ROLES}


@pytest.fixture(scope="module")
def item(actors):
	"""An overdue item, verified as undisputed (清偿中)."""
	name = new_item(actors["debtor.reporter"], arrears_amount=12345.67, due_date="2026-03-01", repayments=[])[
		"name"
	]
	to_state(actors, name, "清偿中")
	return name


def download(actor, name, print_format):
	return actor.s.get(
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
)  # the 督办函 is printed from its Supervision (tests/integration/test_documents.py)
def test_download_pdf_gives_numbered_gbt9704_pages(actors, item, tmp_path, print_format, title):
	r = download(actors["debtor.reporter"], item, print_format)
	assert r.status_code == 200 and r.headers["Content-Type"].startswith("application/pdf"), message(r)
	pages = pages_text(r.content, tmp_path)
	info = subprocess.run(["pdfinfo", str(tmp_path / "d.pdf")], capture_output=True, text=True).stdout
	assert "WeasyPrint" in info and "595.276 x 841.89" in info  # A4 from the layout engine
	assert title in pages[0] and "人民币壹万贰仟叁佰肆拾伍元陆角柒分" in "".join(pages)
	for n, page in enumerate(pages, 1):
		assert f"—{n}—" in page, (n, page[-40:])


def test_another_units_user_may_not_download(actors, item):
	r = download(actors["school.reporter"], item, "限期清偿通知书")
	assert r.status_code == 403, message(r)
	assert not r.content.startswith(b"%PDF")


def test_the_link_in_a_handlers_mail_signs_in_then_gives_the_form(actors, item):
	"""The handler's mail on an item come back to them links to its 登记表 through the sign-in
	(workflow_guard._with_form_link): a browser not signed in gets the sign-in page, the handler
	signed in the PDF, another unit's user a refusal."""
	pdf = "/api/method/frappe.utils.print_format.download_pdf?" + urlencode(
		{"doctype": "Arrears Item", "name": item, "format": "台账登记表"}
	)
	link = f"{URL}/login?" + urlencode({"redirect-to": pdf})
	r = session().get(link, headers={"Accept": "text/html"})
	assert r.status_code == 200 and 'id="login_email"' in r.text, message(r)
	signed_in = actors["debtor.reporter"].s
	r = signed_in.get(link, allow_redirects=False)
	assert r.status_code in (301, 302) and r.headers["Location"].endswith(pdf), message(r)
	r = signed_in.get(link, timeout=120)
	assert r.status_code == 200 and r.content.startswith(b"%PDF"), message(r)
	r = actors["school.reporter"].s.get(link, timeout=120)
	assert r.status_code == 403 and not r.content.startswith(b"%PDF"), message(r)


def test_a_document_only_where_its_words_are_true(actors):
	draft = new_item(actors["debtor.reporter"], due_date="2026-03-01")["name"]  # 待报送, nobody verified it
	for print_format, words in (
		("限期清偿通知书", "清偿中"),
		("转办单（台账）", "已转办"),
	):
		r = download(actors["debtor.reporter"], draft, print_format)
		assert r.status_code == 403 and words in message(r) and "待报送" in message(r), (
			print_format,
			message(r),
		)
		assert not r.content.startswith(b"%PDF")
	# the preview in the desk shows the reason in place of the document (the desk would keep the
	# previous format's preview on an error)
	doc = actors["debtor.reporter"].get(draft).text.split('"data":', 1)[1].rsplit("}", 1)[0]
	r = actors["debtor.reporter"].call(
		"frappe.www.printview.get_html_and_style", doc=doc, print_format="限期清偿通知书"
	)
	html = r.json()["message"]["html"]
	assert r.status_code == 200 and "不能打印" in html and "清偿中" in html and "待报送" in html, html
	assert "经核查" not in html  # nothing of the document
