"""Who may change which field in which state (qingqian_app.domain.editing), read from the
workflows' declarations, without Frappe."""

import pytest

from qingqian_app.domain import editing
from qingqian_app.domain.editing import COMPUTED, FETCHED, INPUT, TABLE, Field
from qingqian_app.sync import definitions

REPORTER, HEAD, OFFICE_HEAD = "Debtor Unit Reporter", "Debtor Unit Head", "Qingqian Office Head"


@pytest.fixture(scope="module")
def rules():
	return {wf["document_type"]: editing.rules_from_definition(wf) for wf in definitions.load().workflows}


def test_each_state_lets_its_roles_edit_only_their_fields(rules):
	item = rules["Arrears Item"]
	assert "arrears_amount" in item.editable("待报送", {REPORTER})
	assert "arrears_amount" not in item.editable("清偿中", {REPORTER})
	assert "repayments" in item.editable("清偿中", {REPORTER})
	assert "repayments" in item.editable("待审核", {REPORTER})  # from registration on
	assert item.editable("已销号", {OFFICE_HEAD, REPORTER}) == frozenset()
	assert "responsible_unit" in item.editable("已入账", {"Qingqian Office Staff"})
	assert "responsible_unit" not in item.editable("已入账", {REPORTER})


def test_the_debtor_never_confirms_on_the_creditors_behalf(rules):
	item = rules["Arrears Item"]
	for state in item.states:
		for role in (REPORTER, HEAD):
			assert not {"confirmation_method", "confirmation_date"} & item.editable(state, {role}), state
	assert "confirmation_method" in item.editable("清偿中", {"Member Unit Staff"})


def test_a_handling_unit_cannot_lengthen_its_own_deadline(rules):
	lead = rules["Complaint Lead"]
	assert "requested_extension_days" in lead.editable("核查中", {HEAD})
	assert all("extension_days" not in lead.editable(s, {HEAD, OFFICE_HEAD}) for s in lead.states)
	assert lead.editable("已办结", {"Complaint Intake Officer", HEAD}) == frozenset()


def test_the_step_is_the_action_taken_not_a_guess_from_the_states(rules):
	lead = rules["Complaint Lead"]
	approve = lead.step("延期待批", "批准延期", {OFFICE_HEAD})
	refuse = lead.step("延期待批", "不予延期", {OFFICE_HEAD})
	assert (approve.action, approve.to_state, approve.kind) == ("批准延期", "核查中", "approve")
	assert (refuse.action, refuse.to_state, refuse.kind) == ("不予延期", "核查中", "return")
	assert lead.step("延期待批", "批准延期", {HEAD}) is None
	assert not approve.self_approval_allowed and refuse.self_approval_allowed


def test_creators_are_those_who_edit_the_first_state(rules):
	assert rules["Arrears Item"].creators() == {REPORTER, "Member Unit Staff", "Qingqian Office Staff"}
	assert rules["Petition"].creators() == {"Petition Officer"}


FIELDS = {
	"amount": Field(INPUT),
	"figure": Field(COMPUTED),
	"unit_type": Field(FETCHED),
	"log": Field(TABLE, computed_columns=frozenset({"reporter"})),
	"history": Field(TABLE, read_only_table=True),
}


def refused(before, after, allowed=frozenset(), append_only=frozenset({"log"})):
	return [
		(c.fieldname, c.reason) for c in editing.refused_changes(FIELDS, before, after, allowed, append_only)
	]


def test_refused_changes():
	base = {"amount": 1, "figure": 2, "unit_type": "机关", "log": [], "history": []}
	assert refused(base, {**base, "amount": 5}) == [("amount", "edit")]
	assert refused(base, {**base, "amount": 5}, frozenset({"amount"})) == []
	assert refused(base, {**base, "figure": 9}, frozenset({"figure"})) == [("figure", "computed")]
	assert refused(base, {**base, "unit_type": "事业单位"}) == []  # copied from the link by Frappe
	assert refused(base, {**base, "history": [{"name": None, "x": 1}]}) == [("history", "computed")]


def test_append_only_tables_keep_their_saved_rows():
	saved = {"name": "r1", "content": "第一次", "reporter": "a@x"}
	base = {"log": [saved]}
	added = {"log": [saved, {"name": "r2", "content": "第二次", "reporter": None}]}
	assert refused(base, added, frozenset({"log"})) == []
	assert refused(base, {"log": [{**saved, "content": "改了"}]}, frozenset({"log"})) == [("log", "log")]
	assert refused(base, {"log": []}, frozenset({"log"})) == [("log", "log")]
	assert refused(base, added) == [("log", "edit")]  # not the user's to add to in this state
	forged = {"log": [saved, {"name": "r2", "content": "x", "reporter": "someone@else"}]}
	assert refused(base, forged, frozenset({"log"})) == [("log", "computed")]


# who is mailed as a record reaches a state: (user, from, to), newest first
CLERK, OTHER_CLERK, REVIEWER, OTHER_REVIEWER = "clerk", "clerk2", "reviewer", "reviewer2"
REPORTED = (CLERK, "待报送", "待审核")
SENT_BACK = (REVIEWER, "待审核", "待报送")
REVIEW = {"审核通过", "退回", "不予列入"}
CLERKS = {CLERK: {"报送"}, OTHER_CLERK: {"报送"}}
REVIEWERS = {REVIEWER: REVIEW, OTHER_REVIEWER: REVIEW}


def mailed(*args) -> list[str]:
	return editing.to_mail(*args).recipients


def test_a_first_visit_mails_everyone_who_may_act_with_the_form():
	assert editing.to_mail(REVIEWERS, REVIEW, [REPORTED], "待审核") == editing.Mailing(
		[REVIEWER, OTHER_REVIEWER], form_attached=True
	)
	assert editing.to_mail({REVIEWER: REVIEW}, REVIEW, [], "待审核") == editing.Mailing(
		[REVIEWER], form_attached=True
	)


def test_the_handler_of_a_record_come_back_gets_a_link_to_the_form_not_the_form():
	back = editing.to_mail(CLERKS, {"报送"}, [SENT_BACK, REPORTED], "待报送")
	assert back == editing.Mailing([CLERK], form_attached=False)
	again = [(CLERK, "待报送", "待审核"), SENT_BACK, REPORTED]
	assert editing.to_mail(REVIEWERS, REVIEW, again, "待审核") == editing.Mailing(
		[REVIEWER], form_attached=False
	)
	# everyone mailed, since the handler may not take every step: the form goes with it
	assert editing.to_mail(REVIEWERS, REVIEW | {"标记重复"}, again, "待审核").form_attached
	assert editing.to_mail({OTHER_CLERK: {"报送"}}, {"报送"}, [SENT_BACK, REPORTED], "待报送").form_attached


def test_a_record_sent_back_goes_to_the_clerk_who_reported_it():
	moves = [SENT_BACK, REPORTED]
	assert editing.handler(moves, "待报送") == CLERK
	assert mailed(CLERKS, {"报送"}, moves, "待报送") == [CLERK]


def test_a_record_reported_again_goes_to_the_reviewer_who_sent_it_back():
	again = (OTHER_CLERK, "待报送", "待审核")
	moves = [again, SENT_BACK, REPORTED]  # the newest: its arrival, as the job finds it
	assert mailed(REVIEWERS, REVIEW, moves, "待审核") == [REVIEWER]
	# the newest leaving counts: sent back a second time, by the other reviewer
	moves = [again, (OTHER_REVIEWER, "待审核", "待报送"), *moves]
	assert mailed(REVIEWERS, REVIEW, moves, "待审核") == [OTHER_REVIEWER]
	assert mailed(CLERKS, {"报送"}, moves[1:], "待报送") == [OTHER_CLERK]


def test_everyone_is_mailed_when_the_handler_may_not_take_every_step_now():
	moves = [SENT_BACK, REPORTED]
	# left, lost the role or the unit: not among those who may act
	assert mailed({OTHER_CLERK: {"报送"}}, {"报送"}, moves, "待报送") == [OTHER_CLERK]
	assert mailed({}, {"报送"}, moves, "待报送") == []
	# may only send it back (its registrar may not approve it), or another role's step is open
	moves = [(CLERK, "待报送", "待审核"), SENT_BACK]
	partly = {REVIEWER: {"退回"}, OTHER_REVIEWER: REVIEW}
	assert mailed(partly, REVIEW, moves, "待审核") == [REVIEWER, OTHER_REVIEWER]
	assert mailed(REVIEWERS, REVIEW | {"标记重复"}, moves, "待审核") == [REVIEWER, OTHER_REVIEWER]
	assert editing.takes_every_step(REVIEWER, REVIEWERS, REVIEW)
	assert not editing.takes_every_step(None, REVIEWERS, REVIEW)
