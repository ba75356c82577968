"""The enterprise's side walked by clicking (issue: the enterprise's side): an enterprise signs up
and the office verifies it in the desk; the demo enterprise registers a claim with its evidence,
downloads its 受理回执, follows each step the staff take, confirms the unit's repayments, rates
the closed matter 不满意, and the office reviews the rating in the desk. The staff's own steps
between (受理, 转办, 核查, the ledger item, 销号) go over REST as the demo users, as in tests/api.

Screenshots go to QINGQIAN_SCREENSHOTS when it names a folder (for a person to look at)."""

import os
import random
import re
import time
from datetime import timedelta

from tests.api.helpers import DEBTOR, MARK, Actor, message, site_today, state

from .conftest import DEMO, PASSWORD, URL, settle

SHOTS = os.environ.get("QINGQIAN_SCREENSHOTS")
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def shot(page, name: str):
	if SHOTS:
		os.makedirs(SHOTS, exist_ok=True)
		page.screenshot(path=os.path.join(SHOTS, f"{name}.png"), full_page=True)


def portal_page(browser, user: str | None = None):
	context = browser.new_context(
		locale="zh-CN", viewport={"width": 1200, "height": 900}, ignore_https_errors=True
	)
	page = context.new_page()
	if user:
		page.goto(URL + "/login")
		page.fill("#login_email", user)
		page.fill("#login_password", PASSWORD)
		page.click(".btn-login")
		page.wait_for_url(re.compile(r"/my-arrears"), timeout=30000)  # its home, never the desk
	return page


def workflow_action(page, action: str):
	"""The form's 操作 menu, as staff take a step."""
	page.locator(".page-actions:visible button.btn-primary:visible", has_text="操作").click()
	page.locator(".dropdown-menu:visible a").filter(has_text=re.compile(rf"^\s*{action}\s*$")).first.click()
	settle(page, 800)


def submit(page, form, answer: str):
	form.locator("button[type=submit]").click()
	page.locator(".qq-answer.ok, .qq-answer.bad").first.wait_for(timeout=30000)
	text = form.locator(".qq-answer").inner_text()
	assert answer in text, text
	return text


def test_an_enterprise_walks_its_matter_by_clicking(browser, login, admin):
	stamp = time.time_ns()
	# --- a new enterprise signs up; the office verifies it in the desk
	guest = portal_page(browser)
	guest.goto(URL + "/enterprise-signup")
	email = f"apitest-{stamp}@portal.example.com"
	code = "91140500" + "".join(random.choice("0123456789") for _ in range(9))
	guest.fill("#uscc", code + _check(code))
	guest.fill("#enterprise_name", f"{MARK}{stamp}走查建材有限公司")
	guest.fill("#contact_name", "赵经理")
	guest.fill("#contact_phone", "0356-7654321")
	guest.fill("#email", email)
	submit(guest, guest.locator("form[data-method]"), "注册申请已收到")
	shot(guest, "01-signup")
	office = login("office.staff")
	office.goto(f"{URL}/app/enterprise-account?email={email}")
	settle(office, 800)
	office.locator(".list-row .list-subject a").first.click()
	settle(office, 800)
	workflow_action(office, "核验通过")
	assert office.evaluate("() => cur_frm.doc.workflow_state") == "已核验"
	assert office.evaluate("() => cur_frm.doc.enterprise")
	shot(office, "02-verified")

	# --- the demo enterprise registers a claim with evidence and gets its receipt
	ent = portal_page(browser, "enterprise.user" + DEMO)
	ent.click("text=登记诉求")
	ent.select_option("#respondent_unit", DEBTOR)
	ent.select_option("#arrears_category", "货物")
	contract = f"{MARK}{stamp}"
	ent.fill("#contract_no", contract)
	ent.fill("#claimed_amount", "86,000.00")
	ent.fill("#description", "2025年供应办公家具一批，已验收结算，货款至今未付，多次催要无果。")
	ent.set_input_files(
		"#attachments", files=[{"name": "验收单.pdf", "mimeType": "application/pdf", "buffer": PDF}]
	)
	ent.check("input[name=no_court_statement]")
	text = submit(ent, ent.locator("form[data-method]"), "受理回执编号")
	receipt = re.search(r"受理回执编号：(\S+?)。", text).group(1)
	ent.wait_for_url(re.compile(r"/my-arrears"), timeout=15000)
	matter = ent.locator(".qq-matter").filter(has_text=receipt)
	assert "已登记" in matter.inner_text() and "验收单.pdf" in matter.inner_text()
	with ent.expect_download() as d:
		matter.locator("text=下载受理回执").click()
	assert open(d.value.path(), "rb").read(4) == b"%PDF"
	with ent.expect_download() as d:
		matter.locator("text=验收单.pdf").click()
	assert open(d.value.path(), "rb").read() == PDF
	shot(ent, "03-claim-registered")

	# --- staff accept, transfer and verify it; the enterprise sees each step and the answer
	people = {who: Actor(who) for who in ("complaint.officer", "debtor.head", "debtor.reporter", "finance.head",
		"office.staff", "office.head")}  # fmt: skip
	intake, head = people["complaint.officer"], people["debtor.head"]
	assert state(intake.act(receipt, "受理", "Complaint Lead")) == "已受理"
	assert intake.put(receipt, "Complaint Lead", transferred_to=DEBTOR).status_code == 200
	assert state(intake.act(receipt, "转办", "Complaint Lead")) == "已转办"
	ent.reload()
	assert f"办理单位{DEBTOR}" in re.sub(
		r"\s", "", ent.locator(".qq-matter").filter(has_text=receipt).inner_text()
	)
	assert state(head.act(receipt, "开始核查", "Complaint Lead")) == "核查中"
	today = site_today(admin)
	r = head.put(receipt, "Complaint Lead", verification_result="未清偿且不存在争议", verified_amount=86000,
		repay_deadline=str(today + timedelta(days=30)), outcome_reason="经核实，货款 86000 元确未支付，已责令限期清偿")  # fmt: skip
	assert r.status_code == 200, message(r)
	assert state(head.act(receipt, "提交核查结果", "Complaint Lead")) == "待反馈"
	# the verified debt went into the ledger by itself (an item at 待审核): its competent unit reviews
	# it, the office transfers it, the unit confirms it and records its payments
	item = intake.get(receipt, "Complaint Lead").json()["data"]["arrears_item"]
	assert state(people["finance.head"].act(item, "审核通过")) == "已入账"
	assert (
		people["office.staff"]
		.put(item, responsible_unit=DEBTOR, repay_deadline=str(today + timedelta(days=30)))
		.status_code
		== 200
	)
	assert state(people["office.staff"].act(item, "转办")) == "已转办"
	assert state(head.act(item, "开始核查")) == "核查中"
	assert state(head.act(item, "确认无分歧")) == "清偿中"
	assert state(intake.act(receipt, "纳入台账", "Complaint Lead")) == "纳入台账"
	paid = [(3, 6000), (1, 80000)]
	rows = [
		{"payment_date": str(today - timedelta(days=d)), "amount": a, "payment_method": "银行转账"}
		for d, a in paid
	]
	r = people["debtor.reporter"].put(item, repayments=rows)
	assert r.status_code == 200, message(r)
	ent.reload()
	matter = ent.locator(".qq-matter").filter(has_text=receipt)
	assert "经核实" in matter.inner_text() and "纳入清欠台账" in matter.inner_text()
	shot(ent, "04-answer-and-repayments")

	# --- the enterprise confirms each repayment; that is 企业已确认收款
	for _ in range(2):
		form = ent.locator(".qq-matter").filter(has_text=receipt).locator("form.qq-inline").first
		form.locator("input[value=已确认]").check()
		submit(ent, form, "已提交")
		ent.wait_for_timeout(1800)  # the page reloads itself
		ent.reload()
	data = people["office.staff"].get(item).json()["data"]
	assert data["enterprise_confirmed"] == 1 and data["confirmation_method"] == "企业网上确认"
	assert data["confirmation_recorded_by"] == "enterprise.user" + DEMO
	shot(ent, "05-confirmed")

	# --- 销号 and 办结; the enterprise rates it 不满意, and the office reviews it in the desk
	assert state(people["debtor.reporter"].act(item, "申请销号")) == "待销号"
	assert state(people["office.head"].act(item, "销号")) == "已销号"
	assert intake.put(receipt, "Complaint Lead", feedback="欠款已全部清偿，企业已确认收款").status_code == 200
	assert state(intake.act(receipt, "办结", "Complaint Lead")) == "已办结"
	ent.reload()
	form = ent.locator(".qq-matter").filter(has_text=receipt).locator("form[data-method$='.rate']")
	form.locator("input[value=不满意]").check()
	form.locator("textarea[name=reasons]").fill("拖欠一年多，投诉后才付款，单位无人说明原因")
	submit(ent, form, "感谢您的评价")
	ent.wait_for_timeout(1800)
	ent.reload()
	assert "清欠办正在复核" in ent.locator(".qq-matter").filter(has_text=receipt).inner_text()
	shot(ent, "06-rated")

	office.goto(f"{URL}/app/handling-rating?complaint_lead={receipt}")
	settle(office, 800)
	office.locator(".list-row .list-subject a").first.click()
	settle(office, 800)
	assert office.evaluate("() => cur_frm.doc.review_status") == "待复核"
	box = office.locator('[data-fieldname="review_result"] textarea')
	box.fill("已约谈区机关事务服务中心财务负责人，责令说明拖欠原因并建立付款台账")
	office.keyboard.press("Control+s")
	settle(office, 1200)
	assert office.evaluate("() => cur_frm.doc.review_status") == "已复核"
	shot(office, "07-reviewed")
	ent.reload()
	assert "清欠办复核结果" in ent.locator(".qq-matter").filter(has_text=receipt).inner_text()
	shot(ent, "08-review-seen")


def _check(code17: str) -> str:
	from qingqian_app.domain import uscc

	return uscc.check_character(code17)
