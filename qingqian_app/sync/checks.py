"""Cross-checks between definition files and the DocTypes of the repository.

JSON Schemas check each file alone; these check what no schema can: that every workflow
state can be reached from the initial one, that no two transitions are ambiguous, that
every Role and DocType named exists in the repository's definitions, and that links
between fixture records point at records that exist.
"""

from __future__ import annotations

from collections import defaultdict, deque

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
			need_role(s["edit_role"], where)
		for t in wf["transitions"]:
			need_role(t["role"], where)
		template = wf.get("email_template")
		if template and template not in {r.name for r in defs.by_doctype("Email Template")}:
			out.append(f"{where}：邮件模板“{template}”未在 fixtures 中定义")
		meta = doctypes.get(wf["document_type"])
		field = wf.get("state_field", "workflow_state")
		if meta and field not in {f["fieldname"] for f in meta["fields"]}:
			out.append(f"{where}：DocType“{wf['document_type']}”没有状态字段“{field}”")

	for pf in defs.print_formats:
		need_doctype(pf["doc_type"], f"打印格式“{pf['name']}”")

	for fx in defs.fixtures:
		need_doctype(fx["doctype"], fx["_source"])
	for rec in defs.records:
		for row in rec.values.get("roles", []) if rec.doctype == "User" else []:
			need_role(row.get("role", ""), rec.source)

	for name, meta in doctypes.items():
		for perm in meta.get("permissions", []):
			need_role(perm.get("role", ""), f"DocType“{name}”的权限")

	out += link_problems(defs, doctypes)
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
