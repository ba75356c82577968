"""Dates typed at full keyboard speed keep the date typed (issue: 2025-03-15 became 2005-03-15
when typed right after Tab or a click; desk.js says why). Three ways to write a date, three
speeds (no pause, a fast typist, a slow one), after Tab and after a click, in three date fields
of the ledger's form; a two-digit year is refused with the field named, never guessed."""

import pytest

from .conftest import URL, settle

FIELDS = ("contract_date", "delivery_date", "due_date")
FORMS = {"2025-03-15": "2025-03-15", "2025/3/15": "2025-03-15", "20250315": "2025-03-15"}


@pytest.fixture(scope="module")
def form(browser):
	from .conftest import DEMO, PASSWORD

	context = browser.new_context(
		locale="zh-CN", viewport={"width": 1400, "height": 900}, ignore_https_errors=True
	)
	page = context.new_page()
	page.goto(URL + "/login")
	page.fill("#login_email", "debtor.reporter" + DEMO)
	page.fill("#login_password", PASSWORD)
	page.click(".btn-login")
	page.wait_for_url("**/app**")
	page.goto(URL + "/app/arrears-item/new")
	page.wait_for_selector('input[data-fieldname="contract_date"]')
	settle(page, 800)
	yield page
	context.close()


def enter(page, field: str, how: str, typed: str, delay: int) -> str:
	page.evaluate("(f) => cur_frm.set_value(f, '')", field)
	page.keyboard.press("Escape")
	box = page.locator(f'input[data-fieldname="{field}"]').first
	if how == "click":
		box.click()
	else:  # Tab from the field before it in the form's order
		page.evaluate(
			"""(f) => {
				const all = [...document.querySelectorAll('.form-layout input, .form-layout select, .form-layout textarea')]
					.filter((e) => e.offsetParent && !e.disabled && e.tabIndex >= 0);
				all[all.findIndex((e) => e.dataset.fieldname === f) - 1].focus();
			}""",
			field,
		)
		page.keyboard.press("Tab")
	assert page.evaluate("() => document.activeElement.dataset.fieldname") == field
	page.keyboard.type(typed, delay=delay)
	page.keyboard.press("Tab")
	settle(page, 300)
	return page.evaluate("(f) => cur_frm.doc[f] || ''", field)


@pytest.mark.parametrize("how", ["tab", "click"])
@pytest.mark.parametrize("delay", [0, 40, 120])
def test_a_typed_date_is_kept(form, how, delay):
	wrong = []
	for field in FIELDS:
		for typed, stored in FORMS.items():
			got = enter(form, field, how, typed, delay)
			if got != stored:
				wrong.append(f"{field}: typed {typed!r} → {got!r}")
	assert not wrong, "\n".join(wrong)


def test_a_two_digit_year_is_refused_naming_the_field(form):
	assert enter(form, "due_date", "click", "25-03-15", 40) == ""
	message = form.locator(".modal.show .modal-body").first.inner_text()
	assert "应付款日期" in message and "四位年份" in message, message
	form.keyboard.press("Escape")
