"""约束惩戒 and 信息披露 rules (qingqian_app.domain.accountability, .disclosure, .audit)."""

from datetime import date
from decimal import Decimal

from qingqian_app.domain import accountability as a
from qingqian_app.domain import audit, disclosure, members


def fields(found):
	return [p.fieldname for p in found]


def action(**kw):
	values = {
		"target_unit": "甲局",
		"target_units": {"甲局", "甲局下属中心"},
		"unit_type": "机关",
		"basis": [{"arrears_item": "QK-1", "debtor_unit": "甲局下属中心", "outstanding_amount": 100}],
		"measures": [{"measure": a.PROCUREMENT.label, "implementing_duty": members.FINANCE}],
	}
	return {**values, **kw}


def test_each_measure_is_implemented_by_the_duty_the_annex_gives_it():
	assert a.implementing_duty("限制参与政府采购") == members.FINANCE
	assert a.implementing_duty("纳入失信主体名录") == members.PRIVATE_ECONOMY
	assert a.implementing_duty("列入经营异常名录") == members.MARKET_REGULATION
	assert a.implementing_duty("绩效考核扣减") == members.CITY_INVESTMENT
	assert a.implementing_duty("典型案例曝光") == members.CLEARING_OFFICE
	assert a.implementing_duty("不存在的措施") is None
	assert all(m.duty in members.DUTIES for m in a.MEASURES)


def test_a_sound_action_has_no_problem():
	assert a.problems(action()) == []


def test_measures_fit_the_unit_type_duty_and_dates():
	found = a.problems(action(measures=[
		{"measure": a.ABNORMAL_LIST.label},
		{"measure": a.PROCUREMENT.label, "implementing_duty": members.EDUCATION},
		{"measure": a.INTERVIEW.label, "start_date": date(2026, 5, 1), "end_date": date(2026, 4, 1)},
		{"measure": a.INTERVIEW.label},
		{"measure": "罚款"},
	]))  # fmt: skip
	messages = " ".join(p.message for p in found)
	assert "只适用于国有企业" in messages
	assert "应由职责为“财政”的成员单位实施" in messages
	assert "执行止日不能早于起日" in messages and "重复" in messages and "不是工作方案规定的措施" in messages
	assert a.problems(action(unit_type="国有企业", measures=[{"measure": a.BUDGET_CUT.label}]))


def test_the_basis_is_the_units_own_items():
	assert fields(a.problems(action(basis=[]))) == ["basis"]
	other = [{"arrears_item": "QK-2", "debtor_unit": "乙局", "outstanding_amount": 1}]
	assert "不是被惩戒单位" in a.problems(action(basis=other))[0].message
	assert fields(a.problems(action(measures=[]))) == ["measures"]


def test_the_review_writes_its_opinion_and_a_lift_its_reason():
	assert fields(a.transition_problems(a.RETURN, a.REVIEW, action(legal_review=" "))) == ["legal_review"]
	assert fields(a.transition_problems(a.PASS, a.REVIEW, action())) == ["legal_review"]
	assert a.transition_problems(a.RETURN, a.DECISION, action()) == []  # the leader returns without
	assert a.transition_problems(a.RETURN, a.REVIEW, action(legal_review="须补充期限")) == []
	assert fields(a.transition_problems(a.LIFT, a.IN_FORCE, action())) == ["lift_reason"]
	unpaid = a.transition_problems(a.LIFT, a.IN_FORCE, action(lift_reason=a.REPAID))
	assert "尚未全部清偿" in unpaid[0].message
	paid = [{"arrears_item": "QK-1", "debtor_unit": "甲局", "outstanding_amount": 0}]
	assert a.transition_problems(a.LIFT, a.IN_FORCE, action(lift_reason=a.REPAID, basis=paid)) == []
	assert fields(a.transition_problems(a.LIFT, a.IN_FORCE, action(lift_reason=a.OTHER))) == ["lift_note"]


def test_measures_in_force_by_their_dates_and_the_units_summary():
	rows = [
		{"measure": a.INTERVIEW.label, "start_date": date(2026, 1, 1), "end_date": None},
		{"measure": a.PROCUREMENT.label, "start_date": date(2026, 1, 1), "end_date": date(2026, 6, 30)},
		{"measure": a.TRAVEL.label, "start_date": date(2026, 12, 1), "end_date": None},
		{"measure": a.CRITICISM.label, "start_date": None, "end_date": None},
	]
	now = a.measures_in_force(rows, date(2026, 3, 1))
	assert [r["measure"] for r in now] == [a.INTERVIEW.label, a.PROCUREMENT.label]
	assert a.summary(now) == "限制参与政府采购（至2026-06-30）、约谈"
	assert [r["measure"] for r in a.measures_in_force(rows, date(2026, 7, 1))] == [a.INTERVIEW.label]


def test_the_credit_list_against_the_last_export():
	row = {"unit_name": "甲局", "action": "WZ-1", "uscc": "1114", "measure": "纳入失信主体名录", "basis": "x",
		"decided_on": "2026-01-01", "valid_until": ""}  # fmt: skip
	new = {**row, "unit_name": "乙局", "action": "WZ-2"}
	changed = {**row, "valid_until": "2027-01-01"}
	gone = {**row, "unit_name": "丙局", "action": "WZ-3"}
	out = {r["unit_name"]: r["change"] for r in a.credit_changes([row, gone], [changed, new])}
	assert out == {"甲局": a.CHANGED, "乙局": a.ADDED, "丙局": a.REMOVED}
	assert a.credit_changes([row], [row])[0]["change"] == a.UNCHANGED


def test_annual_disclosure_dates_and_status():
	due = disclosure.annual_due_date(2025)
	assert due == date(2026, 3, 31)
	assert disclosure.annual_status(None, due, date(2026, 3, 31)) == disclosure.NOT_YET
	assert disclosure.annual_status(None, due, date(2026, 4, 1)) == disclosure.MISSED
	assert disclosure.annual_status(date(2026, 3, 20), due, date(2026, 9, 1)) == disclosure.PUBLISHED_ON_TIME
	assert disclosure.annual_status(date(2026, 4, 20), due, date(2026, 9, 1)) == disclosure.PUBLISHED_LATE


def test_the_csv_never_runs_a_formula_and_opens_in_excel():
	assert disclosure.csv_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
	assert disclosure.csv_cell("-1+2") == "'-1+2" and disclosure.csv_cell("@SUM") == "'@SUM"
	assert (
		disclosure.csv_cell(-12.5) == "-12.50"
		and disclosure.csv_cell(None) == ""
		and disclosure.csv_cell(3) == "3"
	)
	text = disclosure.to_csv([{"debtor_unit": "=甲局", "unit_type": "机关", "item_count": 2,
		"overdue_amount": 1234.5, "longest_overdue_days": 90, "enterprise": "某公司"}])  # fmt: skip
	assert text.startswith("\ufeff欠款单位,单位类型,")
	assert "'=甲局,机关,2,1234.50,90" in text and "某公司" not in text


def test_an_soe_report_against_the_ledger():
	same = disclosure.compare(2, "300.00", 2, Decimal("300"))
	assert same.matches and same.words() == "与台账一致"
	under = disclosure.compare(0, 0, 2, 250400)
	assert not under.matches and under.words() == "笔数少报 2 笔；金额少报 250,400.00 元"
	assert disclosure.compare(3, 10, 2, 10).words() == "笔数多报 1 笔"


def test_an_audit_finding_is_sent_with_a_deadline_and_confirmed_in_writing():
	today = date(2026, 11, 27)
	assert fields(audit.problems({"audit_date": date(2026, 12, 1)}, today)) == ["audit_date"]
	early = {"audit_date": date(2026, 5, 1), "rectification_deadline": date(2026, 4, 1)}
	assert fields(audit.problems(early, today)) == ["rectification_deadline"]
	assert fields(audit.transition_problems(audit.SEND, {})) == [
		"rectification_deadline",
		"rectification_requirement",
	]
	assert fields(audit.transition_problems(audit.REPORT, {})) == ["rectification_note"]
	assert fields(audit.transition_problems(audit.CONFIRM, {"confirmation_opinion": "已核实"})) == []
