"""The enterprise's side walked by clicking (issue: the enterprise's side): an enterprise signs up
and the office verifies it in the desk; the demo enterprise registers a claim with its evidence,
downloads its 受理回执 and its evidence, and follows each step the staff take in the desk, each
as its own demo user (受理 and 转办, the unit's 核查 and answer, the ledger item's 审核, 转办 and
确认, the unit's repayments typed in the grid); it confirms each repayment, the unit asks for
销号 and the office head closes it, the lead is closed; the enterprise rates it 不满意 and the
office reviews the rating in the desk, which the enterprise then reads.

Screenshots go to QINGQIAN_SCREENSHOTS when it names a folder (for a person to look at)."""

import os
import random
import re
import time
from datetime import timedelta

from tests.api.helpers import DEBTOR, MARK, site_today

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


def workflow_action(page, action: str, to_state: str):
	"""The form's 操作 menu, as staff take a step; the form shows the new state (or the refusal)."""
	page.locator(".page-actions:visible button.btn-primary:visible", has_text="操作").click()
	page.locator(".dropdown-menu:visible a").filter(has_text=re.compile(rf"^\s*{action}\s*$")).first.click()
	try:
		page.wait_for_function("(s) => cur_frm.doc.workflow_state === s", arg=to_state, timeout=20000)
	except Exception:
		pass
	settle(page, 800)
	expect_state(page, to_state)


def open_form(page, route: str, name: str):
	page.goto(f"{URL}/app/{route}/{name}")
	page.wait_for_function(
		"(n) => window.cur_frm && cur_frm.doc && cur_frm.doc.name === n", arg=name, timeout=30000
	)
	settle(page, 600)


def expect_state(page, state: str):
	"""The record reached ``state``; if not, what the desk said (a refusal's dialog)."""
	now = page.evaluate("() => cur_frm.doc.workflow_state")
	assert now == state, (now, page.locator(".modal:visible .modal-body").all_inner_texts())


def control(page, field: str):
	return page.locator(f'.frappe-control[data-fieldname="{field}"]:visible')


def set_link(page, field: str, fragment: str, value: str):
	"""Type a fragment of the name and pick the unit from the list, as staff do."""
	box = control(page, field).locator("input").first
	box.click()
	box.fill("")
	page.keyboard.type(fragment, delay=60)
	page.locator("[role=option]:visible").filter(has_text=re.compile(rf"^\s*{value}\s*$")).first.click(
		timeout=15000
	)
	settle(page)
	assert page.evaluate("(f) => cur_frm.doc[f]", field) == value


def set_select(page, field: str, value: str):
	control(page, field).locator("select").select_option(value)
	settle(page)
	assert page.evaluate("(f) => cur_frm.doc[f]", field) == value, page.evaluate(
		"(f) => [cur_frm.fields_dict[f].$input.val(), cur_frm.fields_dict[f].df.read_only, cur_frm.fields_dict[f].disp_status, document.querySelectorAll('.frappe-control[data-fieldname=\"' + f + '\"]').length]",
		field,
	)


def set_text(page, field: str, value: str):
	box = control(page, field).locator("input, textarea").first
	box.click()
	page.keyboard.press("Control+a")
	page.keyboard.type(value, delay=20)
	page.keyboard.press("Tab")
	settle(page)
	got = page.evaluate("(f) => String(cur_frm.doc[f] ?? '')", field)
	assert (
		got.replace(",", "").startswith(value) or float(got or 0) == float(value.replace(",", "") or 0)
		if value[:1].isdigit() and "-" not in value
		else got == value
	), (field, got)


def add_row(page, table: str, values: dict):
	"""A new row of a child table, typed in the grid."""
	control(page, table).locator(".grid-add-row").click()
	settle(page)
	row = control(page, table).locator(".grid-body .grid-row").last
	for field, value in values.items():
		row.locator(f'[data-fieldname="{field}"]').first.click()
		row.locator(f'[data-fieldname="{field}"] input').first.click()
		page.keyboard.press("Control+a")
		page.keyboard.type(value, delay=20)
		page.keyboard.press("Tab")
		settle(page)


def save(page):
	page.keyboard.press("Control+s")
	settle(page, 1200)
	assert not page.evaluate("() => cur_frm.is_dirty()"), "not saved"


def answer_and_return(page, form, answer: str):
	"""Post a form of /my-arrears; the page shows the answer, then comes back updated."""
	with page.expect_navigation(timeout=30000):
		submit(page, form, answer)
	page.wait_for_load_state()


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
	workflow_action(office, "核验通过", "已核验")
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

	# --- staff accept, transfer and verify it in the desk; the enterprise sees each step and the answer
	today = site_today(admin)
	due = str(today + timedelta(days=30))
	intake = login("complaint.officer")
	open_form(intake, "complaint-lead", receipt)
	workflow_action(intake, "受理", "已受理")
	set_link(intake, "transferred_to", "事务", DEBTOR)
	save(intake)
	workflow_action(intake, "转办", "已转办")
	ent.reload()
	assert f"办理单位{DEBTOR}" in re.sub(
		r"\s", "", ent.locator(".qq-matter").filter(has_text=receipt).inner_text()
	)
	head = login("debtor.head")
	open_form(head, "complaint-lead", receipt)
	workflow_action(head, "开始核查", "核查中")
	set_select(head, "verification_result", "未清偿且不存在争议")
	set_text(head, "verified_amount", "86000")
	set_text(head, "repay_deadline", due)
	set_text(head, "outcome_reason", "经核实，货款 86000 元确未支付，已责令限期清偿")
	save(head)
	workflow_action(head, "提交核查结果", "待反馈")
	shot(head, "04a-verified-by-the-unit")
	# the verified debt went into the ledger by itself (an item at 待审核): its competent unit reviews
	# it, the office transfers it, the unit confirms it and records its payments
	item = head.evaluate("() => cur_frm.doc.arrears_item")
	finance = login("finance.head")
	open_form(finance, "arrears-item", item)
	workflow_action(finance, "审核通过", "已入账")
	office_staff = office
	open_form(office_staff, "arrears-item", item)
	set_link(office_staff, "responsible_unit", "事务", DEBTOR)
	set_text(office_staff, "repay_deadline", due)
	save(office_staff)
	workflow_action(office_staff, "转办", "已转办")
	open_form(head, "arrears-item", item)
	workflow_action(head, "开始核查", "核查中")
	workflow_action(head, "确认无分歧", "清偿中")
	open_form(intake, "complaint-lead", receipt)
	workflow_action(intake, "纳入台账", "纳入台账")
	reporter = login("debtor.reporter")
	open_form(reporter, "arrears-item", item)
	for days, amount in ((3, "6000"), (1, "80000")):
		add_row(reporter, "repayments", {"payment_date": str(today - timedelta(days=days)), "amount": amount})
	save(reporter)
	assert reporter.evaluate("() => cur_frm.doc.repaid_amount") == 86000
	shot(reporter, "04b-repayments-recorded")
	ent.reload()
	matter = ent.locator(".qq-matter").filter(has_text=receipt)
	assert "经核实" in matter.inner_text() and "纳入清欠台账" in matter.inner_text()
	shot(ent, "04-answer-and-repayments")

	# --- the enterprise disputes the second payment: the office is told and sees why in the desk;
	# once settled (here: the enterprise finds it arrived), it confirms each payment, which is
	# 企业已确认收款
	form = ent.locator(".qq-matter").filter(has_text=receipt).locator("form.qq-inline").last
	form.locator("input[value=有异议]").check()
	form.locator("textarea[name=reason]").fill("80000 元尚未到账，请核实")
	answer_and_return(ent, form, "已提交")
	assert "有异议：80000 元尚未到账" in ent.locator(".qq-matter").filter(has_text=receipt).inner_text()
	shot(ent, "05-disputed")
	open_form(office, "arrears-item", item)
	assert "提出异议：80000 元尚未到账" in office.locator(".timeline-items, .new-timeline").first.inner_text()
	# (the form's 已分配给: the office's staff and head have it to do)
	assert office.evaluate(
		"() => cur_frm.get_docinfo().assignments.some((a) => a.owner === frappe.session.user)"
	)
	shot(office, "05-dispute-in-the-desk")
	for _ in range(2):
		form = ent.locator(".qq-matter").filter(has_text=receipt).locator("form.qq-inline").first
		form.locator("input[value=已确认]").check()
		answer_and_return(ent, form, "已提交")
	open_form(office, "arrears-item", item)
	data = office.evaluate("() => cur_frm.doc")
	assert data["enterprise_confirmed"] == 1 and data["confirmation_method"] == "企业网上确认"
	assert data["confirmation_recorded_by"] == "enterprise.user" + DEMO
	shot(office, "05c-confirmation-in-the-desk")
	shot(ent, "05b-confirmed")

	# --- 销号 and 办结 in the desk; the enterprise rates it 不满意, and the office reviews it
	open_form(reporter, "arrears-item", item)
	workflow_action(reporter, "申请销号", "待销号")
	chief = login("office.head")
	open_form(chief, "arrears-item", item)
	workflow_action(chief, "销号", "已销号")
	open_form(intake, "complaint-lead", receipt)
	set_text(intake, "feedback", "欠款已全部清偿，企业已确认收款")
	save(intake)
	workflow_action(intake, "办结", "已办结")
	ent.reload()
	form = ent.locator(".qq-matter").filter(has_text=receipt).locator("form[data-method$='.rate']")
	form.locator("input[value=不满意]").check()
	form.locator("textarea[name=reasons]").fill("拖欠一年多，投诉后才付款，单位无人说明原因")
	answer_and_return(ent, form, "感谢您的评价")
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
