"""Cross-checks between definition files and the DocTypes of the repository.

JSON Schemas check each file alone; these check what no schema can: that every workflow
state can be reached from the initial one, that no two transitions are ambiguous, that
every Role and DocType named exists in the repository's definitions, and that links
between fixture records point at records that exist.
"""

from __future__ import annotations

import json
from collections import defaultdict, deque

from qingqian_app.domain import docnumber, documents, ledger
from qingqian_app.domain.editing import rules_from_definition
from qingqian_app.domain.roles import ALL_RECORDS_ROLES, UNIT_BOUND_ROLES, UNIT_PICKERS

from .definitions import FRAPPE_DOCTYPES, FRAPPE_ROLES, DefinitionError, Definitions, load, repo_doctypes


def workflow_problems(wf: dict) -> list[str]:
	"""Reachability, dangling states and ambiguity within one workflow."""
	name = wf["workflow_name"]
	problems = []
	states = [s["state"] for s in wf["states"]]
	if len(set(states)) != len(states):
		dup = sorted({s for s in states if states.count(s) > 1})
		problems.append(f"流程“{name}”：状态重复：{'、'.join(dup)}")
	graph = defaultdict(set)
	for t in wf["transitions"]:
		for end in ("from", "to"):
			if t[end] not in states:
				problems.append(f"流程“{name}”：转换“{t['action']}”用到未定义的状态“{t[end]}”")
		graph[t["from"]].add(t["to"])
	initial = states[0]
	reached, queue = {initial}, deque([initial])
	while queue:
		for nxt in graph[queue.popleft()]:
			if nxt not in reached:
				reached.add(nxt)
				queue.append(nxt)
	for s in states:
		if s not in reached:
			problems.append(f"流程“{name}”：状态“{s}”无法从初始状态“{initial}”到达")
	seen = {}
	for i, t in enumerate(wf["transitions"], 1):
		key = (t["from"], t["action"], t["role"], t.get("condition", ""))
		if key in seen:
			problems.append(
				f"流程“{name}”：第 {seen[key]} 与第 {i} 个转换相同（状态“{t['from']}”、操作“{t['action']}”、角色“{t['role']}”），无法区分"
			)
		seen.setdefault(key, i)
	return problems


LAYOUT = frozenset({"Section Break", "Column Break", "Tab Break", "HTML", "Heading", "Button"})


def user_fields(meta: dict) -> set[str]:
	"""Fields a user types into: not layout, not read-only (those the server computes)."""
	return {
		f["fieldname"]
		for f in meta["fields"]
		if f["fieldtype"] not in LAYOUT and not f.get("read_only") and not f.get("hidden")
	}


def _perm_roles(meta: dict, right: str) -> set[str]:
	return {p["role"] for p in meta.get("permissions", []) if not p.get("permlevel") and p.get(right)}


def edit_problems(wf: dict, meta: dict) -> list[str]:
	"""The per-state edit declaration against the DocType: every field named is one a user
	types into; every such field is editable somewhere; groups exist; the roles that create
	and write records are exactly those the declaration gives something to do."""
	where = f"流程“{wf['workflow_name']}”"
	out = []
	fields = {f["fieldname"]: f for f in meta["fields"]}
	editable = user_fields(meta)
	groups = wf.get("field_groups", {})
	for group, names in groups.items():
		for name in names:
			if name not in fields:
				out.append(f"{where}：字段组“{group}”中的字段“{name}”在 DocType 中不存在")
			elif name not in editable:
				out.append(
					f"{where}：字段组“{group}”中的字段“{name}”是只读（由系统计算）字段，不能声明为可修改"
				)
	used_groups = set()
	for s in wf["states"]:
		for role, names in s["edit"].items():
			for name in names:
				if name.startswith("@"):
					used_groups.add(name[1:])
					if name[1:] not in groups:
						out.append(f"{where}：状态“{s['state']}”角色“{role}”引用了未定义的字段组“{name}”")
				elif name not in editable:
					out.append(f"{where}：状态“{s['state']}”角色“{role}”的字段“{name}”不是可填写的字段")
	for group in sorted(set(groups) - used_groups):
		out.append(f"{where}：字段组“{group}”未被任何状态使用")
	rules = rules_from_definition(wf)
	for name in sorted(editable - rules.fields):
		out.append(f"{where}：字段“{name}”在任何状态下都没有角色可以修改（设为只读，或在 edit 中声明）")
	for name in wf.get("append_only", []):
		if fields.get(name, {}).get("fieldtype") != "Table":
			out.append(f"{where}：append_only 中的“{name}”不是子表字段")
	creators, create = rules.creators(), _perm_roles(meta, "create")
	if creators != create:
		out.append(
			f"{where}：可在初始状态“{rules.initial_state}”填写的角色（{'、'.join(sorted(creators)) or '无'}）"
			f"须与 DocType 的新建权限角色（{'、'.join(sorted(create)) or '无'}）一致"
		)
	# permlevels decide who reads a field; who writes it is the declaration's to say. A role
	# that writes the record and reads a higher level writes it too, or Frappe would drop
	# its changes there silently instead of the guard refusing them with a message
	for p in meta.get("permissions", []):
		level, role = p.get("permlevel") or 0, p.get("role")
		if level and p.get("read") and not p.get("write") and role in _perm_roles(meta, "write"):
			out.append(
				f"{where}：角色“{role}”可写本单据、可读第 {level} 级字段，第 {level} 级也须可写（由流程声明决定能否修改）"
			)
	acting = {r for state in rules.edit.values() for r in state} | {t.role for t in rules.transitions}
	write = _perm_roles(meta, "write")
	if acting != write:
		out.append(
			f"{where}：有可修改字段或流程操作的角色（{'、'.join(sorted(acting))}）"
			f"须与 DocType 的写权限角色（{'、'.join(sorted(write))}）一致"
		)
	return out


def select_options(meta: dict, fieldname: str) -> set[str]:
	field = next((f for f in meta["fields"] if f["fieldname"] == fieldname), {})
	return {o for o in (field.get("options") or "").split("\n") if o}


def document_problems(pf: dict, states: set[str], where: str) -> list[str]:
	"""A document's kind is one the register numbers; its printable states are states of
	its DocType's workflow; its condition is one the domain knows."""
	out = []
	kind = pf.get("document_kind")
	if kind and kind not in docnumber.PREFIX_FIELD:
		out.append(f"{where}：文书种类“{kind}”不在 domain/docnumber.py 的 PREFIX_FIELD 中")
	printable = pf.get("printable") or {}
	for state in printable.get("states", []):
		if state not in states:
			out.append(f"{where}：printable 的状态“{state}”不是“{pf['doc_type']}”流程的状态")
	when = printable.get("when")
	if when and when not in documents.CONDITIONS:
		out.append(f"{where}：printable 的条件“{when}”未在 domain/documents.py 的 CONDITIONS 中定义")
	return out


def problems(defs: Definitions) -> list[str]:
	"""Every cross-check problem of the definitions, in Chinese; empty when all is well."""
	out: list[str] = []
	doctypes = repo_doctypes(defs.root)
	known_doctypes = FRAPPE_DOCTYPES | set(doctypes)
	roles = FRAPPE_ROLES | {r.name for r in defs.by_doctype("Role")}

	def need_doctype(dt: str, where: str):
		if dt not in known_doctypes:
			out.append(f"{where}：DocType“{dt}”在仓库中不存在")

	def need_role(role: str, where: str):
		if role not in roles:
			out.append(f"{where}：角色“{role}”未在 fixtures 中定义")

	for wf in defs.workflows:
		where = f"流程“{wf['workflow_name']}”"
		need_doctype(wf["document_type"], where)
		out += workflow_problems(wf)
		for s in wf["states"]:
			for role in s["edit"]:
				need_role(role, where)
		for t in wf["transitions"]:
			need_role(t["role"], where)
		template = wf.get("email_template")
		if template and template not in {r.name for r in defs.by_doctype("Email Template")}:
			out.append(f"{where}：邮件模板“{template}”未在 fixtures 中定义")
		meta = doctypes.get(wf["document_type"])
		field = wf.get("state_field", "workflow_state")
		if meta and field not in {f["fieldname"] for f in meta["fields"]}:
			out.append(f"{where}：DocType“{wf['document_type']}”没有状态字段“{field}”")
		if meta:
			out += edit_problems(wf, meta)

	states_of = {wf["document_type"]: {s["state"] for s in wf["states"]} for wf in defs.workflows}
	for pf in defs.print_formats:
		where = f"打印格式“{pf['name']}”"
		need_doctype(pf["doc_type"], where)
		out += document_problems(pf, states_of.get(pf["doc_type"], set()), where)
	register = doctypes.get("Issued Document")
	if register:
		options = select_options(register, "document_kind")
		if options != set(docnumber.PREFIX_FIELD):
			out.append(
				f"DocType“Issued Document”的文书种类（{'、'.join(sorted(options))}）"
				f"须与 domain/docnumber.py 的 PREFIX_FIELD（{'、'.join(sorted(docnumber.PREFIX_FIELD))}）一致"
			)

	out += choice_problems(doctypes)

	for fx in defs.fixtures:
		need_doctype(fx["doctype"], fx["_source"])
	for rec in defs.records:
		for row in rec.values.get("roles", []) if rec.doctype == "User" else []:
			need_role(row.get("role", ""), rec.source)

	for name, meta in doctypes.items():
		for perm in meta.get("permissions", []):
			need_role(perm.get("role", ""), f"DocType“{name}”的权限")

	out += report_problems(defs.root, doctypes)
	out += link_problems(defs, doctypes)
	out += named_step_problems(defs)
	out += unit_picker_problems(doctypes)
	out += blank_zero_problems(doctypes)
	out += list_view_problems(defs, doctypes)
	return out


def list_view_problems(defs: Definitions, doctypes: dict[str, dict]) -> list[str]:
	"""A list's columns (List View Settings in fixtures/): Frappe shows a field there only when
	the DocType lists it in the list view, and silently drops it otherwise; the label is the
	field's own; the column count holds the title, the tags and every field."""
	out = []
	for rec in defs.by_doctype("List View Settings"):
		where = f"{rec.source}：“{rec.name}”的列表列"
		meta = doctypes.get(rec.name)
		if meta is None:
			out.append(f"{where}：DocType 在仓库中不存在")
			continue
		fields = json.loads(rec.values.get("fields") or "[]")
		listed = {f["fieldname"]: f.get("label") for f in meta["fields"] if f.get("in_list_view")}
		for column in fields:
			name, label = column.get("fieldname"), column.get("label")
			if name == "status_field":
				continue
			if name not in listed:
				out.append(f"{where}：字段“{name}”未勾选“在列表视图中”（in_list_view），Frappe 不会显示")
			elif label != listed[name]:
				out.append(f"{where}：字段“{name}”的标签写作“{label}”，DocType 中为“{listed[name]}”")
		if str(rec.values.get("total_fields")) != str(2 + len(fields)):
			out.append(f"{where}：total_fields 须为 {2 + len(fields)}（标题、标签和 {len(fields)} 列）")
	return out


def blank_zero_problems(doctypes: dict[str, dict]) -> list[str]:
	"""The numbers shown blank when 0 (domain/ledger.py BLANK_WHEN_ZERO) are number fields."""
	out = []
	for doctype, fields in ledger.BLANK_WHEN_ZERO.items():
		kinds = {f["fieldname"]: f["fieldtype"] for f in doctypes.get(doctype, {}).get("fields", [])}
		for f in fields:
			if kinds.get(f) not in ("Int", "Float", "Percent", "Currency"):
				out.append(f"domain/ledger.py BLANK_WHEN_ZERO：DocType“{doctype}”没有数字字段“{f}”")
	return out


def unit_picker_problems(doctypes: dict[str, dict]) -> list[str]:
	"""Whoever registers a record naming a unit can search and pick that unit: a role that
	creates or edits a DocType with a link to Debtor Unit either sees every unit, acts for
	its own unit, or is a unit picker (domain/roles.py) with read on Debtor Unit."""
	out = []
	readers = _perm_roles(doctypes.get("Debtor Unit", {}), "read")
	for role in sorted(UNIT_PICKERS - readers):
		out.append(
			f"角色“{role}”须选择欠款单位（domain/roles.py UNIT_PICKERS），但对 DocType“Debtor Unit”没有读权限"
		)
	for name, meta in sorted(doctypes.items()):
		if meta.get("istable") or name == "Debtor Unit":
			continue
		if not any(
			f.get("fieldtype") == "Link" and f.get("options") == "Debtor Unit" for f in meta["fields"]
		):
			continue
		writers = _perm_roles(meta, "create") | _perm_roles(meta, "write")
		for role in sorted(writers - ALL_RECORDS_ROLES - UNIT_BOUND_ROLES - UNIT_PICKERS):
			out.append(
				f"DocType“{name}”：角色“{role}”登记时须选择欠款单位，"
				"须列入 domain/roles.py 的 UNIT_PICKERS 或 UNIT_BOUND_ROLES"
			)
	return out


def named_step_problems(defs: Definitions) -> list[str]:
	"""The states and actions the domain core names are those of the workflows."""
	from qingqian_app.domain import accountability as a
	from qingqian_app.domain import (
		audit,
		bulletins,
		complaints,
		contracts,
		disclosure,
		ledger,
		opinion,
		projects,
		receivables,
		unit_reports,
	)  # fmt: skip

	named = {
		"Arrears Item": ({ledger.SUBMITTED, ledger.IN_REVIEW, ledger.EXCLUDED, ledger.DUPLICATE, ledger.CLOSED, ledger.REPAYING, ledger.AWAITING_CLOSURE}, set()),
		"Complaint Lead": ({complaints.ACCEPTED, complaints.REJECTED, complaints.DONE, complaints.REGISTERED, complaints.IN_LEDGER, *complaints.HANDLING}, set()),
		"Unit Report": ({unit_reports.FIRST_STATE, *unit_reports.NOT_SUBMITTED}, {unit_reports.SUBMIT}),
		"Progress Bulletin": ({bulletins.DRAFT, bulletins.ISSUED}, {bulletins.SIGN}),
		"Accountability Action": (
			{a.DRAFT, a.REVIEW, a.DECISION, a.IN_FORCE, a.LIFTED, a.DECLINED},
			{a.SUBMIT, a.PASS, a.RETURN, a.DECIDE, a.DECLINE, a.LIFT},
		),
		"Disclosure": (
			{disclosure.DRAFT, disclosure.PENDING, disclosure.PUBLISHED, disclosure.WITHDRAWN},
			{disclosure.APPROVE},
		),
		"Audit Finding": (
			{audit.REGISTERED, audit.RECTIFYING, audit.CONFIRMING, audit.RECTIFIED, *audit.SENT},
			{audit.SEND, audit.REPORT, audit.CONFIRM},
		),
		"Investment Project": (
			{projects.FEASIBILITY, projects.FUNDING_REVIEW, projects.UNDER_CONSTRUCTION, projects.COMPLETED, *projects.STARTED},
			{projects.START},
		),
		"Contract Review": (
			{contracts.REGISTERED, contracts.LEGAL_REVIEW, contracts.REVIEWED},
			{contracts.TO_LEGAL, contracts.LEGAL_OPINION},
		),
		"Receivable Confirmation": ({receivables.REQUESTED, receivables.ANSWERED}, {receivables.ANSWER}),
		"Public Opinion Event": (
			{opinion.REGISTERED, opinion.VERIFIED, opinion.RESPONDED, opinion.CLOSED},
			{opinion.VERIFY, opinion.RESPOND},
		),
	}  # fmt: skip
	out = []
	for wf in defs.workflows:
		states, actions = named.get(wf["document_type"], (set(), set()))
		missing = (states - {s["state"] for s in wf["states"]}) | (
			actions - {t["action"] for t in wf["transitions"]}
		)
		if missing:
			out.append(
				f"流程“{wf['workflow_name']}”没有领域规则所用的状态或操作：{'、'.join(sorted(missing))}"
			)
	return out


def choice_problems(doctypes: dict[str, dict]) -> list[str]:
	"""Select fields whose choices the domain core branches on list exactly its values."""
	from qingqian_app.domain import (
		accountability,
		complaints,
		contracts,
		disclosure,
		inspections,
		ledger,
		members,
		opinion,
		portal,
		projects,
		receivables,
		supervision,
	)  # fmt: skip

	declared = {
		("Arrears Item", "confirmation_method"): (
			set(ledger.CONFIRMATION_METHODS),
			"domain/ledger.py 的 CONFIRMATION_METHODS",
		),
		("Arrears Repayment", "enterprise_response"): (
			set(portal.RESPONSES),
			"domain/portal.py 的 RESPONSES",
		),
		("Handling Rating", "rating"): (set(portal.RATINGS), "domain/portal.py 的 RATINGS"),
		("Handling Rating", "review_status"): (
			set(portal.REVIEW_STATUSES),
			"domain/portal.py 的 REVIEW_STATUSES",
		),
		("Complaint Lead", "channel"): (set(complaints.CHANNELS), "domain/complaints.py 的 CHANNELS"),
		("Lead Channel", "channel"): (set(complaints.CHANNELS), "domain/complaints.py 的 CHANNELS"),
		("Member Unit", "duty"): (set(members.DUTIES), "domain/members.py 的 DUTIES"),
		("Supervision", "time_limit"): (
			{t.label for t in supervision.TIME_LIMITS},
			"domain/supervision.py 的 TIME_LIMITS",
		),
		("Supervision", "status"): (set(supervision.STATUSES), "domain/supervision.py 的 STATUSES"),
		("Accountability Measure", "measure"): (
			{m.label for m in accountability.MEASURES},
			"domain/accountability.py 的 MEASURES",
		),
		("Accountability Action", "lift_reason"): (
			set(accountability.LIFT_REASONS),
			"domain/accountability.py 的 LIFT_REASONS",
		),
		("Unit Annual Disclosure", "status"): (
			set(disclosure.ANNUAL_STATUSES),
			"domain/disclosure.py 的 ANNUAL_STATUSES",
		),
		("Audit Finding", "arrears_category"): (set(ledger.CATEGORIES), "domain/ledger.py 的 CATEGORIES"),
		("Contract Review", "arrears_category"): (set(ledger.CATEGORIES), "domain/ledger.py 的 CATEGORIES"),
		("Contract Review", "term_from"): (set(contracts.TERM_FROM), "domain/contracts.py 的 TERM_FROM"),
		("Contract Review", "settlement_basis"): (
			set(contracts.SETTLEMENT_BASES),
			"domain/contracts.py 的 SETTLEMENT_BASES",
		),
		("Contract Deposit", "kind"): (set(contracts.DEPOSIT_KINDS), "domain/contracts.py 的 DEPOSIT_KINDS"),
		("Investment Funding Source", "source_type"): (
			set(projects.SOURCE_TYPES),
			"domain/projects.py 的 SOURCE_TYPES",
		),
		("Receivable Confirmation", "answer"): (set(receivables.ANSWERS), "domain/receivables.py 的 ANSWERS"),
		("Public Opinion Event", "source"): (set(opinion.SOURCES), "domain/opinion.py 的 SOURCES"),
		("Public Opinion Event", "heat_level"): (
			set(opinion.HEAT_LEVELS),
			"domain/opinion.py 的 HEAT_LEVELS",
		),
		("Enforcement Inspection", "regulation"): (
			set(inspections.REGULATIONS),
			"domain/inspections.py 的 REGULATIONS",
		),
		("Enforcement Inspection", "status"): (
			set(inspections.STATUSES),
			"domain/inspections.py 的 STATUSES",
		),
	}
	out = []
	# the bill methods 条例第十一条 rules on are among the payment methods users choose from
	for doctype in ("Arrears Repayment", "Contract Review"):
		meta = doctypes.get(doctype)
		if meta is not None and not ledger.BILL_METHODS <= select_options(meta, "payment_method"):
			out.append(
				f"DocType“{doctype}”字段 payment_method 的选项须包含 domain/ledger.py 的 BILL_METHODS（{'、'.join(sorted(ledger.BILL_METHODS))}）"
			)
	for (doctype, field), (values, where) in declared.items():
		meta = doctypes.get(doctype)
		if meta is None:
			out.append(f"DocType“{doctype}”在仓库中不存在")
			continue
		options = select_options(meta, field)
		if options != values:
			out.append(
				f"DocType“{doctype}”字段 {field} 的选项（{'、'.join(sorted(options))}）须与 {where}（{'、'.join(sorted(values))}）一致"
			)
	return out


def report_problems(root, doctypes: dict[str, dict]) -> list[str]:
	"""A report of ours opens to exactly the roles that may read its DocType: no role
	reads through a report what its permissions hide, none that reads the records lacks it.
	(Which records and units each user sees, the report applies itself: permissions.py.)"""
	out = []
	for path in sorted((root / "qingqian_app").glob("*/report/*/*.json")):
		data = json.loads(path.read_text(encoding="utf-8"))
		if data.get("doctype") != "Report":
			continue
		meta = doctypes.get(data.get("ref_doctype"))
		if meta is None:
			out.append(f"报表“{data.get('name')}”：DocType“{data.get('ref_doctype')}”在仓库中不存在")
			continue
		roles, readers = {r["role"] for r in data.get("roles", [])}, _perm_roles(meta, "read")
		if roles != readers:
			extra, missing = sorted(roles - readers), sorted(readers - roles)
			out.append(
				f"报表“{data['name']}”的角色须与 {data['ref_doctype']} 的读取权限一致："
				+ "；".join(
					x
					for x in (extra and f"多出 {'、'.join(extra)}", missing and f"缺少 {'、'.join(missing)}")
					if x
				)
			)
	return out


def link_problems(defs: Definitions, doctypes: dict[str, dict]) -> list[str]:
	"""Link fields of fixture records must name a record that the definitions create
	earlier (the order in which they are applied), when the target is one of ours."""
	out = []
	defined: set[tuple[str, str]] = set()
	for rec in defs.records:
		meta = doctypes.get(rec.doctype)
		for f in meta["fields"] if meta else []:
			if f.get("fieldtype") != "Link" or not rec.values.get(f["fieldname"]):
				continue
			target = f.get("options")
			value = str(rec.values[f["fieldname"]])
			if target in doctypes and (target, value) not in defined:
				out.append(
					f"{rec.source}：{rec.doctype}“{rec.name}”的字段 {f['fieldname']} 指向不存在或排在其后的 {target}“{value}”"
				)
		defined.add(rec.key)
	return out


def load_checked(root=None, include_demo: bool = False) -> Definitions:
	"""Load the definitions and run the cross-checks; raise DefinitionError on any problem."""
	defs = load(root, include_demo=include_demo)
	found = problems(defs)
	if found:
		raise DefinitionError(found)
	return defs
