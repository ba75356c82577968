"""Who may change which fields of a record in which state, and which step a state change is.

Declared once per workflow in ``workflows/*.json`` (validated by its JSON Schema and by
``qingqian validate``):

- ``field_groups``: named lists of fields (``"@data"`` in an edit list stands for a group);
- each state's ``edit``: role → the fields a holder of the role may change in that state.
  The first state's rights are also what may be filled in when a record is created, so
  the roles with edit rights there are the roles that create;
- ``append_only``: tables whose rows, once saved, are never changed or removed (a log);
- the transitions: (from, action, to, role, kind).

The server enforces it on every save path (qingqian_app.workflow_guard), the desk form
reads the same declaration (boot info), and the sync engine gives Frappe's Workflow one
"Only Allow Edit For" row per role that edits in a state. Pure Python: the Frappe layer
passes field kinds and normalised values.
"""

from __future__ import annotations

from dataclasses import dataclass

INPUT, COMPUTED, FETCHED, TABLE = "input", "computed", "fetched", "table"


@dataclass(frozen=True)
class Transition:
	from_state: str
	action: str
	to_state: str
	role: str
	kind: str  # act | approve | return

	@property
	def self_approval_allowed(self) -> bool:
		return self.kind != "approve"


@dataclass(frozen=True)
class Rules:
	doctype: str
	states: tuple[str, ...]
	edit: dict[str, dict[str, frozenset]]  # state → role → fields
	transitions: tuple[Transition, ...]
	append_only: frozenset = frozenset()

	@property
	def initial_state(self) -> str:
		return self.states[0]

	@property
	def fields(self) -> frozenset:
		"""Every field some role may change in some state."""
		return frozenset(f for roles in self.edit.values() for fs in roles.values() for f in fs)

	def editable(self, state: str, roles) -> frozenset:
		out: set = set()
		for role, fields in self.edit.get(state, {}).items():
			if role in roles:
				out |= fields
		return frozenset(out)

	def creators(self) -> frozenset:
		return frozenset(self.edit.get(self.initial_state, {}))

	def editors(self, state: str) -> tuple[str, ...]:
		return tuple(self.edit.get(state, {}))

	def step(self, old: str, action: str | None, roles) -> Transition | None:
		"""The transition ``action`` takes from ``old`` for a holder of ``roles``."""
		for t in self.transitions:
			if t.from_state == old and t.action == action and t.role in roles:
				return t
		return None

	def actions_from(self, state: str) -> tuple[Transition, ...]:
		return tuple(t for t in self.transitions if t.from_state == state)


def expand(names, groups: dict[str, list[str]]) -> frozenset:
	"""Field names with ``@group`` references replaced by the group's fields."""
	out: set = set()
	for name in names:
		if name.startswith("@"):
			out |= set(groups.get(name[1:], ()))
		else:
			out.add(name)
	return frozenset(out)


def rules_from_definition(wf: dict) -> Rules:
	groups = wf.get("field_groups", {})
	return Rules(
		doctype=wf["document_type"],
		states=tuple(s["state"] for s in wf["states"]),
		edit={
			s["state"]: {role: expand(names, groups) for role, names in s.get("edit", {}).items()}
			for s in wf["states"]
		},
		transitions=tuple(
			Transition(t["from"], t["action"], t["to"], t["role"], t["kind"]) for t in wf["transitions"]
		),
		append_only=frozenset(wf.get("append_only", ())),
	)


@dataclass(frozen=True)
class Field:
	"""What the guard needs of a field: its kind, and for a table its columns' kinds."""

	kind: str  # input | computed (set by the server) | fetched (copied from a link) | table
	computed_columns: frozenset = frozenset()  # of a table: columns only the server sets
	read_only_table: bool = False  # a table only the server writes (a history)
	fieldtype: str = ""  # the site's type, for the caller to normalise values by


@dataclass
class Change:
	fieldname: str
	reason: str  # "edit" (not the user's to change now) | "computed" (never typed) | "log" (append-only)


def refused_changes(
	fields: dict[str, Field],
	before: dict,
	after: dict,
	allowed: frozenset,
	append_only: frozenset = frozenset(),
) -> list[Change]:
	"""The changes from ``before`` (the saved record, or a new record's defaults) to ``after``
	that the user may not make. Values are normalised by the caller; a table is a list of
	rows (dicts with ``name`` for saved rows, or ``None`` for new ones)."""
	out = []
	for name, f in fields.items():
		old, new = before.get(name), after.get(name)
		if f.kind == FETCHED:
			continue
		if f.kind == TABLE:
			reason = _table_change(f, old or [], new or [], name in allowed, name in append_only)
			if reason:
				out.append(Change(name, reason))
		elif old != new and f.kind == COMPUTED:
			out.append(Change(name, "computed"))
		elif old != new and name not in allowed:
			out.append(Change(name, "edit"))
	return out


def _table_change(f: Field, old: list[dict], new: list[dict], allowed: bool, append_only: bool) -> str | None:
	def inputs(row):
		return {k: v for k, v in row.items() if k not in f.computed_columns and k != "name"}

	if f.read_only_table:
		return "computed" if old != new else None
	saved = {r["name"]: r for r in old if r.get("name")}
	for row in new:
		prev = saved.get(row.get("name"))
		columns = {k: row.get(k) for k in f.computed_columns}
		if prev is None:  # a new row: what only the server sets must be left empty
			if any(v not in (None, "", 0) for v in columns.values()):
				return "computed"
		elif columns != {k: prev.get(k) for k in f.computed_columns}:
			return "computed"
	if not allowed:
		return "edit" if [inputs(r) for r in old] != [inputs(r) for r in new] else None
	if append_only:
		kept = [r for r in new if r.get("name") in saved]
		if len(kept) != len(saved) or any(inputs(r) != inputs(saved[r["name"]]) for r in kept):
			return "log"
	return None


# --- who is mailed when a record reaches a state ---------------------------------------------


def handler(moves, state: str) -> str | None:
	"""Who last took a record out of ``state``. ``moves``: its state changes, newest first, as
	(user, from state, to state)."""
	for user, old, _new in moves:
		if old == state:
			return user
	return None


@dataclass(frozen=True)
class Mailing:
	"""Who is mailed as a record reaches a state, and whether the record's form (its default
	print format, as a PDF) goes with the mail."""

	recipients: list[str]
	form_attached: bool


def to_mail(eligible: dict, actions, moves, state: str) -> Mailing:
	"""Who of ``eligible`` (user → the actions they may take on the record in ``state``; those
	open there: ``actions``) is mailed as it reaches ``state``. A record coming back to a state
	it has left before (sent back by 退回, or reported again after one) goes to whoever last took
	it out of that state, as an approval returns to its handler in a government office: the clerk
	who reported it, the reviewer who sent it back. Everyone who may act is mailed on a first
	visit, and when that user may not take every action open there now (left, lost the role or
	the unit; another role's action such as 标记重复; an approval its registrar may not give):
	nobody is left unmailed who alone could take a step. Only the mail is narrowed: the record
	waits in 我的待审批 for everyone who may act, as before.

	The mail to everyone who may act carries the record's form; the handler's, on a record come
	back to them, carries a link to it instead (the mail template's ``form_link``; a template
	without one keeps the form attached): they have handled the record, and the form opened from
	the link is the record as it is when they open it. Its PDF is made only if they open it, not
	for every return of a record sent back and forth."""
	who = handler(moves, state)
	if takes_every_step(who, eligible, actions):
		return Mailing([who], form_attached=False)
	return Mailing(list(eligible), form_attached=True)


def takes_every_step(user, eligible: dict, actions) -> bool:
	"""``user`` may take every one of ``actions`` (``eligible``: user → the actions they may take)."""
	return user in eligible and set(actions) <= set(eligible[user])
