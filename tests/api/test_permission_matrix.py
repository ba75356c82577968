"""The permission matrix, generated from the definitions (workflows/*.json, the DocTypes,
the demo users of fixtures/demo/): for each workflow DocType × state × demo user (one per
role) × field, a REST write is accepted exactly where the declaration gives that user's
roles the field in that state, and refused elsewhere with a Chinese message and nothing
saved; for each state × action × demo user, the workflow action is accepted exactly where
a transition gives one of the user's roles that action. A user who may not see the record
(permissions.py) is refused everything. Prints how many cells it tried."""

import json
from collections import Counter

import pytest

from qingqian_app.sync.checks import LAYOUT

from .conftest import URL
from .helpers import DEBTOR, DEMO, ENTERPRISE, LEAD_ENTERPRISE, Actor, message
from .records import ALL_USERS, CREATE, DEMO_SOE_REPORT, DOCTYPES, RULES, UNIT_CHILD, USERS, Records, demo

SYSTEM = {"name", "owner", "creation", "modified", "modified_by", "docstatus", "idx", "workflow_state"}
WORKFLOW_REFUSALS = (
	"不是有效的工作流程操作",
	"Not a valid Workflow Action",
	"不允许自我批准",
	"不能自行审批",
	"您不能在",
)


@pytest.fixture(scope="module")
def actors():
	return {demo(u): Actor(demo(u)) for u in ALL_USERS}


@pytest.fixture(scope="module")
def child_unit(admin):
	"""A unit inside the demo debtor's scope, to move records to (created once, kept)."""
	r = admin.get(f"{URL}/api/resource/Debtor Unit/{UNIT_CHILD}", timeout=30)
	if r.status_code != 200:
		r = admin.post(
			f"{URL}/api/resource/Debtor Unit",
			json={
				"unit_name": UNIT_CHILD,
				"unit_type": "事业单位",
				"competent_unit": "区财政局",
				"parent_debtor_unit": DEBTOR,
				"principal_title": "主任",
			},  # fmt: skip
			timeout=30,
		)
		assert r.status_code == 200, message(r)
	return UNIT_CHILD


# --- values a user would write into each field ---------------------------------------------


def new_value(doctype, field, doc, child_unit, others):
	"""A different, valid value for ``field`` (with its companion where a rule ties two)."""
	df = next(f for f in DOCTYPES[doctype]["fields"] if f["fieldname"] == field)
	kind, current = df["fieldtype"], doc.get(field)
	if field in ("migrant_wage_amount", "involves_migrant_wages"):
		return {"involves_migrant_wages": 1, "migrant_wage_amount": 100}
	if field == "confirmation_document":
		return {"confirmation_document": "/private/files/apitest-confirmation.pdf"}
	if kind == "Link":
		choices = {"Debtor Unit": [child_unit, DEBTOR], "Enterprise": [LEAD_ENTERPRISE, ENTERPRISE],
			"Member Unit": ["区教科局"], "User": ["office.staff" + DEMO, "office.head" + DEMO],
			"Arrears Item": others["Arrears Item"], "Complaint Lead": others["Complaint Lead"],
			"SOE Annual Report": [DEMO_SOE_REPORT], "Investment Project": others["Investment Project"],
			"Contract Review": others["Contract Review"]}[df["options"]]  # fmt: skip
		return {field: next(c for c in choices if c != current)}
	if kind == "Select":
		options = [o for o in df["options"].split("\n") if o and o != current]
		return {field: options[0]}
	if kind == "Check":
		return {field: 0 if current else 1}
	if kind in ("Int",):
		return {field: (current or 0) + 5}
	if kind in ("Currency", "Float", "Percent"):
		return {field: (current or 0) + 1 if field != "disputed_amount" else 1}
	if kind in ("Date", "Datetime"):
		return {field: "2026-11-20" if str(current or "") != "2026-11-20" else "2026-11-21"}
	if kind in ("Table", "Table MultiSelect"):
		rows = [dict(r) for r in doc.get(field) or []]
		if field == "repayments" and rows:
			rows[-1]["amount"] = rows[-1]["amount"] - 1
			return {field: rows}
		row = {"repayments": {"payment_date": "2026-11-20", "amount": 1},
			"progress_updates": {"update_date": "2026-11-20", "content": "矩阵测试"},
			"basis": {"arrears_item": others["Arrears Item"][0]}, "measures": {"measure": "约谈"},
			"funding_sources": {"source_type": "其他", "amount": 1}, "deposits": {"kind": "履约保证金", "amount": 1},
			"units": {"debtor_unit": DEBTOR}, "enterprises": {"enterprise": ENTERPRISE},
			"arrears_items": {"arrears_item": others["Arrears Item"][0]}}.get(field, {})  # fmt: skip
		return {field: [*rows, row]}
	if df.get("options") == "Phone":
		return {field: "0356-2009999" if current != "0356-2009999" else "0356-2009998"}
	return {field: f"矩阵测试-{doc['name']}-{field}"}  # unique: no two records become one matter


def fields_of(doctype):
	return [
		f["fieldname"]
		for f in DOCTYPES[doctype]["fields"]
		if f["fieldtype"] not in LAYOUT and f["fieldname"] not in SYSTEM and not f.get("fetch_from")
	]


# --- the matrix ------------------------------------------------------------------------------


def field_cells(records, state, actors, admin, child_unit):
	"""Every demo user × field on a record in ``state``: (cells tried, cells that went wrong)."""
	doctype, rules = records.doctype, records.rules
	name = records.in_state(state)
	tried, wrong = Counter(), []
	for user, roles in USERS.items():
		actor = actors[demo(user)]
		sees = actor.get(name, doctype).status_code == 200
		allowed = rules.editable(state, roles) if sees else frozenset()
		before = records.get(name)
		for field in fields_of(doctype):
			values = new_value(doctype, field, before, child_unit, records.others())
			r = actor.put(name, doctype, **values)
			declared = field in allowed and all(f in allowed for f in values)
			tried["accepted" if declared else "refused"] += 1
			if declared:
				# accepted by the rules (a domain rule may still object to the value: not a refusal)
				ok = r.status_code == 200 or (r.status_code == 417 and "PermissionError" not in message(r))
				if r.status_code == 200:
					restore = {f: before.get(f) for f in values}
					admin.put(f"{URL}/api/resource/{doctype}/{name}", json=restore, timeout=30)
					before = records.get(name)
			else:
				ok = r.status_code == 403 and (
					not sees or any("\u4e00" <= ch <= "\u9fff" for ch in message(r))
				)
			if not ok:
				wrong.append((state, demo(user), field, r.status_code, message(r)[:160]))
		# nothing refused was half-saved: the record is as the last accepted write left it
		if records.get(name)["modified"] != before["modified"]:
			wrong.append((state, demo(user), "（记录被修改）", None, "a refused write changed the record"))
	return tried, wrong


@pytest.mark.parametrize("doctype", sorted(RULES))
def test_field_writes_follow_the_declaration(doctype, actors, admin, child_unit):
	records = Records(doctype, actors, admin)
	# one state after another: saves of neighbouring records at once can deadlock on the
	# child tables' index gaps in InnoDB (seen here), which is not what this test is about
	results = [field_cells(records, s, actors, admin, child_unit) for s in records.rules.states]
	tried = sum((t for t, _ in results), Counter())
	wrong = [w for _, ws in results for w in ws]
	print(f"\n{doctype}：字段矩阵 {sum(tried.values())} 格（应接受 {tried['accepted']}，应拒绝 {tried['refused']}），"
		f"{len(records.rules.states)} 个状态 × {len(USERS)} 个演示用户 × {len(fields_of(doctype))} 个字段")  # fmt: skip
	assert not wrong, "\n".join(map(str, wrong[:40]))


@pytest.mark.parametrize("doctype", sorted(RULES))
def test_workflow_actions_follow_the_declaration(doctype, actors, admin, child_unit):
	records = Records(doctype, actors, admin)
	rules = RULES[doctype]
	owner = CREATE[doctype][0] + DEMO
	tried, wrong = 0, []
	for state in rules.states:
		actions = {t.action for t in rules.actions_from(state)}
		if not actions:
			continue
		for action in sorted(actions):
			name = records.in_state(state)
			records.prepare(name, next(t for t in rules.actions_from(state) if t.action == action))
			expected = []
			for user, roles in USERS.items():
				actor = actors[demo(user)]
				t = rules.step(state, action, roles)
				sees = actor.get(name, doctype).status_code == 200
				if t and sees and (t.self_approval_allowed or user != owner):
					expected.append((user, t))
					continue
				tried += 1
				r = actor.act(name, action, doctype)
				refused = r.status_code == 403 or (
					r.status_code == 417 and any(w in message(r) for w in WORKFLOW_REFUSALS)
				)
				if not refused:
					wrong.append((state, action, demo(user), "accepted", r.status_code, message(r)[:120]))
			# each user the declaration allows takes the action on a record of their own in that state
			for user, t in expected:
				tried += 1
				fresh = name if user == expected[0][0] else records.in_state(state)
				if fresh != name:
					records.prepare(fresh, t)
				r = actors[demo(user)].act(fresh, action, doctype)
				if r.status_code != 200 or json.loads(r.text)["message"]["workflow_state"] != t.to_state:
					wrong.append((state, action, demo(user), "refused", r.status_code, message(r)[:120]))
	print(f"\n{doctype}：流程操作矩阵 {tried} 格")
	assert not wrong, "\n".join(map(str, wrong[:40]))
