"""Whoever registers a record naming a unit picks it by any fragment of its name, in the link
field and in 高级搜索 (issue: intake officers saw only 高级搜索, which found nothing)."""

import re

import pytest

from .conftest import URL, settle

# role's demo user, the form, the unit field, a fragment from the middle of a demo unit's name
PICKERS = [
	("complaint.officer", "complaint-lead", "respondent_unit", "一中", "区第一中学"),
	("petition.officer", "petition", "involved_unit", "事务", "区机关事务服务中心"),
	("liaison", "complaint-lead", "respondent_unit", "服务中心", "区机关事务服务中心"),
	("audit.officer", "audit-finding", "audited_unit", "小学", "区实验小学"),
	("market.officer", "soe-annual-report", "debtor_unit", "建设投资", "区城市建设投资有限公司"),
	("development.officer", "investment-project", "owner_unit", "实验", "区实验小学"),
]


def new_form(page, route: str, field: str):
	page.goto(f"{URL}/app/{route}/new")
	box = page.locator(f'input[data-fieldname="{field}"]').first
	box.wait_for()
	settle(page, 600)
	box.click()
	return box


@pytest.mark.parametrize("user,route,field,fragment,unit", PICKERS, ids=[p[0] for p in PICKERS])
def test_a_unit_is_picked_by_a_fragment_of_its_name(login, user, route, field, fragment, unit):
	page = login(user)
	new_form(page, route, field)
	page.keyboard.type(fragment, delay=60)
	# the unit itself, not another whose name contains it (a test's 区机关事务服务中心食堂)
	page.locator("[role=option]").filter(has_text=re.compile(rf"^\s*{unit}\s*$")).first.click(timeout=15000)
	settle(page)
	assert page.evaluate("(f) => cur_frm.doc[f]", field) == unit
	# 高级搜索 finds it by the same fragment, and picks it
	new_form(page, route, field)
	page.keyboard.type(fragment[:1], delay=60)
	page.locator("[role=option]", has_text="高级搜索").first.click(timeout=15000)
	dialog = page.locator(".modal.show").last
	dialog.locator("input").first.fill(fragment)
	dialog.locator("a").filter(has_text=re.compile(rf"^\s*{unit}\s*$")).first.click(timeout=15000)
	settle(page)
	assert page.evaluate("(f) => cur_frm.doc[f]", field) == unit
