"""The enterprise's side: sign-up and claim checks, and what an enterprise reads (no Frappe)."""

from datetime import date

from qingqian_app.domain import complaints, ledger, portal

GOOD = {
	"uscc": "91310110666007217T",
	"enterprise_name": "晋城市宏达建材有限公司",
	"contact_name": "王经理",
	"contact_phone": "0356-1234567",
	"email": "wang@hongda.example.com",
}
TODAY = date(2026, 12, 3)
UNITS = {"区第一中学", "区城投物业服务有限公司"}
CLAIM = {
	"respondent_unit": "区第一中学",
	"arrears_category": "工程",
	"contract_no": "HT-2025-018",
	"claimed_amount": "128,000.50",
	"due_date": date(2026, 6, 30),
	"description": "2025年承建教学楼维修工程，已验收，尾款至今未付。",
	"no_court_statement": 1,
}


def fields(found):
	return {p.fieldname for p in found}


def test_a_complete_sign_up_passes_and_each_gap_names_its_field():
	assert portal.signup_problems(GOOD) == []
	assert portal.signup_problems({**GOOD, "uscc": " 91310110666007217t "}) == []  # pasted with blanks
	assert fields(portal.signup_problems({**GOOD, "uscc": "91310110666007217A"})) == {"uscc"}  # check char
	assert fields(portal.signup_problems({**GOOD, "uscc": "12100000400000398L"})) <= {"uscc"}
	assert fields(portal.signup_problems({})) == {
		"uscc",
		"enterprise_name",
		"contact_name",
		"contact_phone",
		"email",
	}
	assert fields(portal.signup_problems({**GOOD, "email": "a@b"})) == {"email"}
	assert fields(portal.signup_problems({**GOOD, "contact_phone": "电话"})) == {"contact_phone"}


def test_only_an_enterprises_code_signs_up():
	"""A 机关 or 事业单位 code (11…, 12…) is a debtor's, never an enterprise's."""
	found = portal.signup_problems({**GOOD, "uscc": "11100000000013127F"})
	assert fields(found) == {"uscc"}


def test_a_claim_is_checked_as_a_lead_registered_by_staff():
	assert portal.claim_problems(CLAIM, TODAY, UNITS) == []
	assert fields(portal.claim_problems({**CLAIM, "respondent_unit": "某私营公司"}, TODAY, UNITS)) == {
		"respondent_unit"
	}
	assert fields(portal.claim_problems({**CLAIM, "arrears_category": "借款"}, TODAY, UNITS)) == {
		"arrears_category"
	}
	assert fields(portal.claim_problems({**CLAIM, "no_court_statement": 0}, TODAY, UNITS)) == {
		"no_court_statement"
	}
	assert fields(portal.claim_problems({**CLAIM, "due_date": date(2027, 1, 1)}, TODAY, UNITS)) == {
		"due_date"
	}
	for bad in ("0", "-5", "abc", "1.005", "99999999999"):
		assert fields(portal.claim_problems({**CLAIM, "claimed_amount": bad}, TODAY, UNITS)) == {
			"claimed_amount"
		}, bad
	no_contract = {**CLAIM, "contract_no": "", "description": "欠款未付。" * 2}
	assert fields(portal.claim_problems(no_contract, TODAY, UNITS)) == {"contract_no"}
	wages = {**CLAIM, "involves_migrant_wages": 1, "migrant_wage_amount": "200000"}
	assert fields(portal.claim_problems(wages, TODAY, UNITS)) == {"migrant_wage_amount"}


def test_the_online_channel_is_a_lead_channel():
	assert portal.CHANNEL in complaints.CHANNELS


def test_attachments_are_a_few_documents_or_pictures():
	assert portal.attachment_problems([("合同.pdf", 1000), ("发票.JPG", 2000)]) == []
	assert portal.attachment_problems([("x.pdf", 1)] * 6)
	assert portal.attachment_problems([("脚本.html", 10)])
	assert portal.attachment_problems([('a"><img.pdf', 10)])
	assert portal.attachment_problems([("大.pdf", portal.MAX_ATTACHMENT_BYTES + 1)])
	assert portal.attachment_problems([("空.pdf", 0)])


def test_an_enterprise_reads_only_the_fields_written_for_it():
	lead = {f: f for f in portal.LEAD_FIELDS} | {"extension_reason": "内部", "requested_extension_days": 5}
	shown = portal.visible(lead, portal.LEAD_FIELDS)
	assert set(shown) == set(portal.LEAD_FIELDS)
	assert "extension_reason" not in shown and "complainant_phone" not in portal.LEAD_FIELDS


# --- answers to repayments and 回访 ----------------------------------------------------------


def test_a_repayment_is_confirmed_or_disputed_with_a_reason_and_never_after_closing():
	assert portal.response_problems(portal.CONFIRMED, None, "清偿中") == []
	assert fields(portal.response_problems(portal.DISPUTED, " ", "待销号")) == {"enterprise_response_reason"}
	assert portal.response_problems(portal.DISPUTED, "第二笔款项未到账", "待销号") == []
	assert fields(portal.response_problems("随便", None, "清偿中")) == {"enterprise_response"}
	for final in ledger.FINAL_STATES:
		assert fields(portal.response_problems(portal.CONFIRMED, None, final)) == {"enterprise_response"}


def test_the_enterprise_confirms_online_only_by_confirming_every_repayment():
	online = {"confirmation_method": ledger.ONLINE, "confirmation_date": TODAY}
	assert ledger.confirmation_problems({**online, "responses": [portal.CONFIRMED, portal.CONFIRMED]}) == []
	assert fields(ledger.confirmation_problems({**online, "responses": [portal.CONFIRMED, ""]})) == {
		"confirmation_method"
	}
	assert fields(ledger.confirmation_problems({**online, "responses": []})) == {"confirmation_method"}
	# a dispute stops a confirmation recorded by the office too, until settled
	callback = {"confirmation_method": ledger.CALLBACK, "confirmation_contact": "财务", "confirmation_means": "电话",
		"confirmation_date": TODAY}  # fmt: skip
	assert ledger.confirmation_problems({**callback, "responses": ["", portal.CONFIRMED]}) == []
	assert fields(ledger.confirmation_problems({**callback, "responses": [portal.DISPUTED]})) == {
		"repayments"
	}


def test_a_rating_comes_once_after_closing_and_unsatisfied_says_why():
	assert fields(portal.rating_problems(portal.SATISFIED, None, "核查中", False)) == {"rating"}
	assert fields(portal.rating_problems(portal.SATISFIED, None, complaints.DONE, True)) == {"rating"}
	assert portal.rating_problems(portal.SATISFIED, None, complaints.DONE, False) == []
	assert portal.rating_problems(portal.FAIRLY_SATISFIED, "", complaints.REJECTED, False) == []
	assert fields(portal.rating_problems(portal.DISSATISFIED, "差", complaints.DONE, False)) == {"reasons"}
	assert portal.rating_problems(portal.DISSATISFIED, "半年才付款，无人回应", complaints.DONE, False) == []
	assert fields(portal.rating_problems("很好", None, complaints.DONE, False)) == {"rating"}
	assert portal.review_status(portal.DISSATISFIED) == portal.TO_REVIEW
	assert portal.review_status(portal.FAIRLY_SATISFIED) == portal.NO_REVIEW


def test_ratings_per_unit():
	rows = [
		{"unit": "甲", "rating": portal.SATISFIED, "review_status": portal.NO_REVIEW},
		{"unit": "甲", "rating": portal.DISSATISFIED, "review_status": portal.TO_REVIEW},
		{"unit": "甲", "rating": portal.DISSATISFIED, "review_status": portal.REVIEWED},
		{"unit": "乙", "rating": portal.FAIRLY_SATISFIED, "review_status": portal.NO_REVIEW},
	]
	s = portal.rating_summary(rows)
	assert s["甲"] == {
		"满意": 1,
		"基本满意": 0,
		"不满意": 2,
		"total": 3,
		"to_review": 1,
		"satisfied_share": 33.3,
	}
	assert s["乙"]["satisfied_share"] == 100.0 and s["乙"]["to_review"] == 0


def test_the_enterprise_is_told_the_steps_it_should_know_of_and_not_the_internal_ones():
	lead = {"transferred_to": "区第一中学", "handling_deadline": "2026-12-20", "out_of_scope_ground": "法院已受理",
		"outcome_reason": "已起诉", "feedback": "已付清"}  # fmt: skip
	assert "区第一中学" in portal.lead_news("已转办", lead) and "2026-12-20" in portal.lead_news(
		"已转办", lead
	)
	assert "法院已受理" in portal.lead_news("不予受理", lead)
	assert "评价" in portal.lead_news("已办结", lead)
	for internal in ("核查中", "延期待批", "待反馈"):
		assert portal.lead_news(internal, lead) is None


def test_the_enterprise_is_told_when_its_sign_up_is_decided():
	assert "核验通过" in portal.account_news(portal.VERIFIED, None)
	assert "信息不符" in portal.account_news(portal.REJECTED, "信息不符")
	assert portal.account_news(portal.PENDING, None) is None
