"""源头治理 over REST, by the demo users: a government investment project refused 批准开工 until its
last funding source is confirmed by the finance department; a contract's review listing each
finding with its article (none for a clean one) and, once overdue, turned into a ledger item; a
舆情 event verified, turned into a complaint lead and, through it, into a ledger item. Records
made here are marked APITEST- and removed by scripts/test.sh."""

import datetime
import time

import pytest

from .helpers import DEBTOR, LEAD_ENTERPRISE, Actor, mark, message, state

PROJECT, CONTRACT, EVENT, LEAD = (
	"Investment Project",
	"Contract Review",
	"Public Opinion Event",
	"Complaint Lead",
)
CONFIRM = "qingqian_app.prevention.doctype.investment_project.investment_project.confirm_source"
TO_ITEM = "qingqian_app.prevention.doctype.contract_review.contract_review.to_item"
TO_LEAD = "qingqian_app.prevention.doctype.public_opinion_event.public_opinion_event.to_lead"


@pytest.fixture(scope="module")
def who():
	names = ["development.officer", "finance.staff", "edu.head", "office.staff", "debtor.reporter", "debtor.head",
		"opinion.monitor", "complaint.officer", "legal.reviewer"]  # fmt: skip
	return {n: Actor(n) for n in names}


def ok(r):
	assert r.status_code == 200, f"HTTP {r.status_code}: {message(r)[:300]}"
	body = r.json()
	return body.get("data") or body.get("message")


def test_a_project_is_refused_started_until_its_last_source_is_confirmed(who):
	dev, finance = who["development.officer"], who["finance.staff"]
	doc = ok(dev.create(PROJECT, project_name=mark() + " 城区供热管网改造", owner_unit=DEBTOR, total_investment=5000000,
		funding_sources=[{"source_type": "财政预算资金", "amount": 3000000, "basis_document": "城财预〔2026〕8号"},
			{"source_type": "政府专项债券", "amount": 2000000, "basis_document": "晋政债〔2026〕3号"}]))  # fmt: skip
	name, rows = doc["name"], [r["name"] for r in doc["funding_sources"]]
	assert state(dev.act(name, "提交资金审核", PROJECT)) == "资金审核"
	r = dev.act(name, "批准开工", PROJECT)
	assert r.status_code == 417 and "没有落实资金来源的一律不得开工建设" in message(r)
	# the project's own officer, or another member unit, may not confirm funding
	assert dev.call(CONFIRM, name=name, row=rows[0], confirmation_document="x").status_code == 403
	assert who["edu.head"].call(CONFIRM, name=name, row=rows[0], confirmation_document="x").status_code == 403
	assert ok(finance.call(CONFIRM, name=name, row=rows[0], confirmation_document="城财函〔2026〕21号")) == {
		"confirmed_amount": 3000000.0, "funding_confirmed": 0,
	}  # fmt: skip
	r = dev.act(name, "批准开工", PROJECT)
	assert r.status_code == 417 and "第 2 行“政府专项债券”" in message(r)
	ok(finance.call(CONFIRM, name=name, row=rows[1], confirmation_document="城财函〔2026〕22号"))
	assert state(dev.act(name, "批准开工", PROJECT)) == "在建"
	data = ok(dev.get(name, PROJECT))
	assert data["funding_confirmed"] == 1 and data["started_on"] and data["confirmed_amount"] == 5000000


def contract(actor, **terms):
	values = dict(contract_name="办公楼外墙维修工程合同", contract_no=mark(), paying_unit=DEBTOR, enterprise=LEAD_ENTERPRISE,
		arrears_category="工程", contract_amount=480000, contract_date="2026-04-01", term_days=30, term_agreed=1,
		term_from="验收合格", acceptance_days=15, payment_method="银行转账", settlement_basis="双方确认",
		agreed_annual_rate=3.65, deposits=[{"kind": "履约保证金", "amount": 24000}])  # fmt: skip
	values.update(terms)
	return ok(actor.create(CONTRACT, **values))


def test_a_contracts_findings_each_with_its_article_and_the_overdue_contract_in_the_ledger(who):
	rep, staff = who["debtor.reporter"], who["office.staff"]
	clean = contract(rep)
	assert (clean["finding_count"], clean["findings"]) == (0, [])
	bad = contract(rep, term_days=90, pay_on_third_party=1, acceptance_days=10, delivered_on="2026-05-01",
		payment_method="承兑汇票", settlement_basis="审计结果", pay_after_audit=1, agreed_annual_rate=2.5,
		deposits=[{"kind": "其他", "amount": 10000, "cash_only": 1}])  # fmt: skip
	findings = {(f["article"], f["finding"]) for f in bad["findings"]}
	articles = {a for a, _f in findings}
	assert articles == {"条例第九条", "条例第十条", "条例第十一条；《山西省优化营商环境条例》", "条例第十二条",
		"条例第十三条", "条例第十四条；《山西省优化营商环境条例》", "条例第十七条"}  # fmt: skip
	assert any("低于合同订立时（2025-05-20 公布）一年期 LPR 3.00%" in f for _a, f in findings)
	# a clean contract is reviewed; delivered and accepted 60 days ago, it is overdue and unpaid
	assert state(staff.act(clean["name"], "审查完成", CONTRACT)) == "已审查"
	day = (datetime.date.today() - datetime.timedelta(days=60)).isoformat()
	data = ok(rep.put(clean["name"], CONTRACT, delivered_on=day, accepted_on=day))
	assert data["payment_due_date"] == (datetime.date.today() - datetime.timedelta(days=30)).isoformat()
	item = ok(rep.call(TO_ITEM, name=clean["name"]))
	got = ok(rep.get(item))
	assert (got["contract_review"], got["contract_no"], got["arrears_amount"], got["source"]) == (
		clean["name"], clean["contract_no"], 480000, "合同审查",
	)  # fmt: skip
	assert ok(rep.get(clean["name"], CONTRACT))["arrears_item"] == item
	# a contract with findings goes to 司法局, whose opinion is required
	assert state(staff.act(bad["name"], "提请合法性审查", CONTRACT)) == "合法性审查中"
	r = who["legal.reviewer"].act(bad["name"], "出具审查意见", CONTRACT)
	assert r.status_code == 417 and "合法性审查意见" in message(r)


def test_an_opinion_event_becomes_a_lead_and_through_it_a_ledger_item(who):
	amount = 60000 + time.time_ns() % 10000  # a matter of its own: not joined to a lead already on the site
	mon, staff, o, h = (
		who["opinion.monitor"],
		who["office.staff"],
		who["complaint.officer"],
		who["debtor.head"],
	)
	ev = ok(mon.create(EVENT, title=mark() + " 网帖：某中心拖欠保洁服务费", source="论坛贴吧",
		link="https://bbs.example.com/t/2026", found_at=datetime.datetime.now().strftime("%Y-%m-%d %H:%M:%S"),
		heat_level="较高", units=[{"debtor_unit": DEBTOR}], enterprises=[{"enterprise": LEAD_ENTERPRISE}],
		amount=amount, summary="网民称为区机关事务服务中心提供保洁服务，服务费 6.6 万元逾期半年未付"))  # fmt: skip
	name = ev["name"]
	assert ev["notified_at"] or ok(mon.get(name, EVENT))["notified_at"]
	assert ok(staff.put(name, EVENT, verification="经核实，保洁服务费 6.6 万元已逾期 180 日"))
	assert state(staff.act(name, "核实", EVENT)) == "已核实"
	lead = ok(mon.call(TO_LEAD, name=name))
	data = ok(o.get(lead, LEAD))
	assert (data["channel"], data["respondent_unit"], data["claimed_amount"]) == ("舆情监测", DEBTOR, amount)
	# the lead's own workflow puts it in the ledger
	ok(o.put(lead, LEAD, contract_no=mark(), arrears_category="服务", no_court_statement=1))
	assert state(o.act(lead, "受理", LEAD)) == "已受理"
	ok(o.put(lead, LEAD, transferred_to=DEBTOR))
	assert state(o.act(lead, "转办", LEAD)) == "已转办"
	assert state(h.act(lead, "开始核查", LEAD)) == "核查中"
	ok(
		h.put(
			lead,
			LEAD,
			verification_result="未清偿且不存在争议",
			verified_amount=amount,
			repay_deadline="2026-12-31",
		)
	)
	assert state(h.act(lead, "提交核查结果", LEAD)) == "待反馈"
	item = ok(o.get(lead, LEAD))["arrears_item"]
	assert item and ok(h.get(item))["source"] == "投诉线索"
	# the event is linked to the item and its response recorded
	ok(
		staff.put(
			name, EVENT, arrears_items=[{"arrears_item": item}], response="已督促限期支付并在留言板回复"
		)
	)
	assert state(staff.act(name, "回应", EVENT)) == "已回应"
	assert ok(staff.get(name, EVENT))["arrears_items"][0]["arrears_item"] == item
