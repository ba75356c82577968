"""Read the definition files of the repository and turn them into site records.

Every file is validated against its JSON Schema (Draft 2020-12) in ``schemas/``; all
problems are collected and raised together so that one run shows every mistake.
Records come out in the order they must be applied: fixtures (roles, member units,
settings), then workflows with the states and actions they use, then print formats, then
demo data when it is asked for.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
	from jsonschema import Draft202012Validator

SCHEMA_DIR = Path(__file__).parent / "schemas"
SHARED = "_shared"  # print_formats/_shared/: layout parts every document shares
REPO_ROOT = Path(__file__).resolve().parents[2]

# Frappe DocTypes that definitions may name besides the app's own.
FRAPPE_DOCTYPES = frozenset(
	{
		"Role",
		"User",
		"Custom Field",
		"Workflow",
		"Workflow State",
		"Workflow Action Master",
		"Print Format",
		"List View Settings",
		"Email Template",
	}  # fmt: skip
)
# Roles every Frappe site has.
FRAPPE_ROLES = frozenset({"Administrator", "System Manager", "All", "Guest", "Desk User"})

# The "Only Allow Edit For" role of a state in which no one edits.
NOBODY_EDITS = "Administrator"
# A transition of these kinds may be done by the document's owner.
SELF_ALLOWED_KINDS = frozenset({"act", "return"})


class DefinitionError(Exception):
	"""The definitions are not valid; ``problems`` lists every one found (in Chinese)."""

	def __init__(self, problems: list[str]):
		self.problems = problems
		super().__init__("定义文件有误：\n" + "\n".join(f"- {p}" for p in problems))


@dataclass
class Record:
	"""One site record as the definitions want it."""

	doctype: str
	name: str
	values: dict
	source: str
	policy: str = "sync"  # "sync": kept equal to the definition; "seed": created once
	single: bool = False
	create_only: dict = field(default_factory=dict)

	@property
	def key(self) -> tuple[str, str]:
		return (self.doctype, self.name)

	@property
	def tables(self) -> dict[str, list[dict]]:
		return {k: v for k, v in self.values.items() if isinstance(v, list)}


@dataclass
class Definitions:
	records: list[Record]
	workflows: list[dict]  # the raw workflow files, for the cross-checks
	print_formats: list[dict]
	fixtures: list[dict]
	root: Path
	adoptable: frozenset = frozenset()  # keys Frappe itself creates for the app (planner)

	def by_doctype(self, doctype: str) -> list[Record]:
		return [r for r in self.records if r.doctype == doctype]


@cache
def schema(kind: str) -> dict:
	return json.loads((SCHEMA_DIR / f"{kind}.schema.json").read_text(encoding="utf-8"))


def _validator(kind: str) -> Draft202012Validator:
	# imported here: the request and job paths read REPO_ROOT and the files, never the schemas
	from jsonschema import Draft202012Validator

	return Draft202012Validator(schema(kind))


def _read_json(path: Path, root: Path, problems: list[str]):
	try:
		return json.loads(path.read_text(encoding="utf-8"))
	except json.JSONDecodeError as e:
		problems.append(
			f"{path.relative_to(root)}：不是有效的 JSON（第 {e.lineno} 行第 {e.colno} 列：{e.msg}）"
		)
	return None


def _schema_problems(kind: str, data, rel: str) -> list[str]:
	out = []
	for err in sorted(_validator(kind).iter_errors(data), key=lambda e: list(e.absolute_path)):
		where = "/".join(str(p) for p in err.absolute_path) or "（根）"
		out.append(f"{rel}：{where}：{err.message}")
	return out


def load(root: Path | str | None = None, include_demo: bool = False) -> Definitions:
	"""Read, validate and convert every definition under ``root`` (the repository)."""
	root = Path(root or REPO_ROOT)
	problems: list[str] = []
	fixtures, demo, workflows, print_formats = [], [], [], []

	for path in sorted((root / "fixtures").glob("*.json")):
		fixtures.append((path, _read_json(path, root, problems)))
	for path in sorted((root / "fixtures" / "demo").glob("*.json")):
		demo.append((path, _read_json(path, root, problems)))
	for path in sorted((root / "workflows").glob("*.json")):
		workflows.append((path, _read_json(path, root, problems)))
	for path in sorted((root / "print_formats").glob("*/format.json")):
		print_formats.append((path, _read_json(path, root, problems)))

	for kind, files in (
		("fixture", fixtures + demo),
		("workflow", workflows),
		("print_format", print_formats),
	):
		for path, data in files:
			if data is not None:
				problems += _schema_problems(kind, data, str(path.relative_to(root)))
	if problems:
		raise DefinitionError(problems)

	records: list[Record] = []
	for path, data in fixtures:
		records += fixture_records(data, str(path.relative_to(root)))
	for path, data in workflows:
		records += workflow_records(data, str(path.relative_to(root)))
	for path, data in print_formats:
		rec = print_format_record(data, path.parent, str(path.relative_to(root)), problems)
		if rec:
			records.append(rec)
	if include_demo:
		for path, data in demo:
			records += fixture_records(data, str(path.relative_to(root)))
	if problems:
		raise DefinitionError(problems)

	records = _merge_shared(records, problems)
	if problems:
		raise DefinitionError(problems)
	return Definitions(
		adoptable=frozenset(("Role", role) for role in doctype_roles(root)) & {r.key for r in records},
		records=records,
		workflows=[d for _, d in workflows],
		print_formats=[d for _, d in print_formats],
		fixtures=[{**d, "_source": str(p.relative_to(root))} for p, d in fixtures + demo],
		root=root,
	)


def repo_doctypes(root: Path) -> dict[str, dict]:
	"""The DocType JSON files of the app, by DocType name."""
	out = {}
	for path in sorted((root / "qingqian_app").glob("*/doctype/*/*.json")):
		data = json.loads(path.read_text(encoding="utf-8"))
		if data.get("doctype") == "DocType":
			out[data["name"]] = data
	return out


def doctype_roles(root: Path) -> set[str]:
	"""Roles named in the permissions of the app's DocTypes (Frappe creates them)."""
	return {p.get("role") for meta in repo_doctypes(root).values() for p in meta.get("permissions", [])}


def fixture_records(data: dict, source: str) -> list[Record]:
	doctype = data["doctype"]
	create_only_fields = set(data.get("create_only_fields", []))
	out = []
	for values in data["records"]:
		name = doctype if data.get("single") else str(values[data["name_field"]])
		out.append(
			Record(
				doctype=doctype,
				name=name,
				values={k: v for k, v in values.items() if k not in create_only_fields},
				create_only={k: v for k, v in values.items() if k in create_only_fields},
				source=source,
				policy=data["policy"],
				single=bool(data.get("single")),
			)
		)
	return out


def workflow_records(wf: dict, source: str) -> list[Record]:
	"""The Workflow record and the Workflow State / Action Master records it links to."""
	out = []
	for s in wf["states"]:
		out.append(
			Record(
				"Workflow State",
				s["state"],
				{"workflow_state_name": s["state"], "style": s.get("style", "")},
				source,
			)
		)
	for action in dict.fromkeys(t["action"] for t in wf["transitions"]):
		out.append(Record("Workflow Action Master", action, {"workflow_action_name": action}, source))
	# Frappe's "Only Allow Edit For": one row per role that edits in the state (the desk
	# locks the form for everyone else); a state nobody edits is locked for all but Administrator
	states = [
		{
			"state": s["state"],
			"doc_status": s.get("doc_status", "0"),
			"allow_edit": role,
			"message": s.get("message", ""),
			"next_action_email_template": wf.get("email_template", ""),
		}
		for s in wf["states"]
		for role in (list(s["edit"]) or [NOBODY_EDITS])
	]
	transitions = [
		{
			"state": t["from"],
			"action": t["action"],
			"next_state": t["to"],
			"allowed": t["role"],
			"allow_self_approval": 1 if t["kind"] in SELF_ALLOWED_KINDS else 0,
			"condition": t.get("condition", ""),
		}
		for t in wf["transitions"]
	]
	out.append(
		Record(
			"Workflow",
			wf["workflow_name"],
			{
				"workflow_name": wf["workflow_name"],
				"document_type": wf["document_type"],
				"workflow_state_field": wf.get("state_field", "workflow_state"),
				"is_active": 1,
				"override_status": 0,
				"send_email_alert": int(wf.get("send_email_alert", True)),
				"states": states,
				"transitions": transitions,
			},
			source,
		)
	)
	return out


def print_format_record(meta: dict, folder: Path, source: str, problems: list[str]) -> Record | None:
	def read(name: str | None) -> str:
		if not name:
			return ""
		path = folder / name
		if not path.is_file():
			problems.append(f"{source}：找不到文件 {name}")
			return ""
		return path.read_text(encoding="utf-8")

	# layout parts written once (print_formats/_shared/): before each document's own
	shared = sorted((folder.parent / SHARED).glob("*")) if (folder.parent / SHARED).is_dir() else []
	shared_html = "".join(p.read_text(encoding="utf-8") for p in shared if p.suffix == ".html")
	shared_css = "".join(p.read_text(encoding="utf-8") for p in shared if p.suffix == ".css")
	page = meta.get("page", {})
	values = {
		"name": meta["name"],
		"doc_type": meta["doc_type"],
		"module": "Qingqian",
		"standard": "No",
		"custom_format": 1,
		"print_format_type": "Jinja",
		"disabled": 0,
		# every value a document shows is escaped (Frappe's Jinja does not autoescape): stored text
		# is text, never markup; one block round the shared macros and the document's template
		"html": "{%- autoescape true -%}" + shared_html + read(meta["template"]) + "{%- endautoescape -%}",
		"css": page_css(page) + shared_css + read(meta.get("stylesheet")),
		"margin_top": page.get("margin_top_mm", 0),
		"margin_bottom": page.get("margin_bottom_mm", 0),
		"margin_left": page.get("margin_left_mm", 0),
		"margin_right": page.get("margin_right_mm", 0),
	}
	return Record("Print Format", meta["name"], values, source)


# Page numbers (format.json page.numbers). GB/T 9704-2012 7.5: 4号 半角宋体 Arabic numerals
# between two 一字线, 7 mm below the text block; odd pages on the right and even pages on the
# left, each one character in from the edge; a letter (信函格式) shows none on its first page.
PAGE_NUMBER_BOX = (
	'font-family: "宋体", "SimSun", "FandolSong", "AR PL UMing CN", "WenQuanYi Zen Hei"; font-size: 14pt;'
	" vertical-align: top; padding: 7mm 14pt 0;"
)
PAGE_NUMBERS = {
	"gbt9704": '"— " counter(page) " —"',
	"letter": '"— " counter(page) " —"',
	"of-total": '"第 " counter(page) " 页 共 " counter(pages) " 页"',
	"none": "",
}


def page_css(page: dict) -> str:
	"""CSS @page rules for a document's ``page`` block in format.json: A4, its orientation,
	the margins with the binding side (订口) mirrored on even pages, and page numbers.
	WeasyPrint renders them in the PDF (qingqian_app.pdf) and the browser when printing."""
	top, bottom = page.get("margin_top_mm", 0), page.get("margin_bottom_mm", 0)
	left, right = page.get("margin_left_mm", 0), page.get("margin_right_mm", 0)
	numbers = page.get("numbers", "gbt9704")
	number = PAGE_NUMBERS[numbers]
	orientation = page.get("orientation", "Portrait").lower()
	centred = f" @bottom-center {{ content: {number}; {PAGE_NUMBER_BOX} }}" if numbers == "of-total" else ""
	css = [f"@page {{ size: A4 {orientation}; margin: {top}mm {right}mm {bottom}mm {left}mm;{centred} }}"]
	if numbers in ("gbt9704", "letter"):
		css.append(
			f"@page :right {{ @bottom-right {{ content: {number}; text-align: right; {PAGE_NUMBER_BOX} }} }}"
		)
		css.append(
			f"@page :left {{ margin-left: {right}mm; margin-right: {left}mm;"
			f" @bottom-left {{ content: {number}; text-align: left; {PAGE_NUMBER_BOX} }} }}"
		)
	first = []
	if "first_page_margin_top_mm" in page:
		first.append(f"margin-top: {page['first_page_margin_top_mm']}mm;")
	if numbers == "letter":
		first.append("@bottom-right { content: none; }")
	if first:
		css.append("@page :first { " + " ".join(first) + " }")
	return "\n".join(css) + "\n"


def _merge_shared(records: list[Record], problems: list[str]) -> list[Record]:
	"""Workflow states and actions shared by several workflows become one record each;
	any other record defined twice is an error (it would be counted or written twice)."""
	seen: dict[tuple[str, str], Record] = {}
	out = []
	for rec in records:
		prev = seen.get(rec.key)
		if prev is None:
			seen[rec.key] = rec
			out.append(rec)
		elif rec.doctype in ("Workflow State", "Workflow Action Master"):
			if prev.values != rec.values:
				problems.append(
					f"{rec.source}：流程状态“{rec.name}”的样式与 {prev.source} 中的不同（{prev.values.get('style')} / {rec.values.get('style')}）"
				)
		else:
			problems.append(f"{rec.source}：{rec.doctype}“{rec.name}”已在 {prev.source} 中定义")
	return out
