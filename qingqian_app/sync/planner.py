"""Turn definitions plus the current site records into a plan, and apply it.

The planner is the only place that decides what changes; a transport only reads and
writes records. Per record:

- ``create``: not on the site (a single DocType: never written by the app); created and entered in the site's register of records the
  app created (DocType "Qingqian Definition");
- ``update``: created by the app, policy "sync", and some defined field differs;
- ``unchanged``: created by the app and equal to its definition, or policy "seed" (the
  site's users own a seeded record once it exists);
- ``skip``: on the site but not created by the app: never touched.

A record that exists but is not registered is the app's all the same when it is
``adoptable``: Frappe creates every Role named in a DocType's permissions while it installs
the DocType, before the app's hooks run, so the Roles of the app's own DocTypes are adopted
(registered, then treated as above) instead of skipped.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from .definitions import Record

ACTIONS = ("create", "update", "unchanged", "skip")
LABELS = {"create": "新建", "update": "更新", "unchanged": "无变化", "skip": "跳过（非本应用创建）"}


class Transport(Protocol):
	def registered(self) -> set[tuple[str, str]]: ...

	def fetch(self, record: Record) -> dict | None:
		"""The site's values of the record's fields (tables as lists of rows), or None."""

	def create(self, record: Record) -> None: ...

	def update(self, record: Record, changed: dict) -> None: ...

	def register(self, record: Record) -> None: ...


@dataclass
class Step:
	action: str
	record: Record
	changed: dict = field(default_factory=dict)  # field -> (site value, defined value)
	adopt: bool = False  # exists, not yet registered, but the app's (see module doc)

	def line(self) -> str:
		r = self.record
		text = f"{LABELS[self.action]:<6} {r.doctype}：{r.name}"
		if self.changed:
			text += "（" + "、".join(self.changed) + "）"
		if self.adopt:
			text += "［登记为本应用记录］"
		return text


@dataclass
class Plan:
	steps: list[Step]

	@property
	def counts(self) -> Counter:
		c = Counter({a: 0 for a in ACTIONS})
		c.update(s.action for s in self.steps)
		return c

	@property
	def changes(self) -> int:
		return self.counts["create"] + self.counts["update"] + sum(s.adopt for s in self.steps)

	def summary(self) -> str:
		c = self.counts
		text = f"新建 {c['create']}，更新 {c['update']}，无变化 {c['unchanged']}，跳过 {c['skip']}"
		return text + ("（没有需要同步的变化）" if not self.changes else "")

	def report(self, verbose: bool = False) -> str:
		lines = [s.line() for s in self.steps if verbose or s.adopt or s.action != "unchanged"]
		return "\n".join([*lines, self.summary()])


def normalize(value):
	"""Compare values as a site returns them: None is empty, booleans are 0/1, 1.0 is 1."""
	if value is None:
		return ""
	if isinstance(value, bool):
		return str(int(value))
	if isinstance(value, float) and value.is_integer():
		return str(int(value))
	if isinstance(value, str):
		return value.replace("\r\n", "\n").strip()
	return str(value)


def differences(record: Record, current: dict) -> dict:
	changed = {}
	for key, want in record.values.items():
		have = current.get(key)
		if isinstance(want, list):
			have_rows = [
				{k: normalize(row.get(k)) for k in r} for row, r in zip(have or [], want, strict=False)
			]
			want_rows = [{k: normalize(v) for k, v in r.items()} for r in want]
			if len(have or []) != len(want) or have_rows != want_rows:
				changed[key] = (have, want)
		elif normalize(have) != normalize(want):
			changed[key] = (have, want)
	return changed


def build_plan(
	records: list[Record], transport: Transport, adoptable: frozenset[tuple[str, str]] = frozenset()
) -> Plan:
	registered = transport.registered()
	steps = []
	for rec in records:
		current = transport.fetch(rec)
		adopt = rec.key not in registered and rec.key in adoptable
		if current is None or (rec.single and rec.key not in registered):
			# a single DocType always exists: the app "creates" it by first writing it
			steps.append(Step("create", rec))
		elif rec.key not in registered and not adopt:
			steps.append(Step("skip", rec))
		elif rec.policy == "seed":
			steps.append(Step("unchanged", rec, adopt=adopt))
		else:
			changed = differences(rec, current)
			steps.append(Step("update" if changed else "unchanged", rec, changed, adopt=adopt))
	return Plan(steps)


def apply_plan(plan: Plan, transport: Transport) -> None:
	for step in plan.steps:
		if step.action == "create":
			transport.create(step.record)
			transport.register(step.record)
		elif step.action == "update":
			transport.update(step.record, {k: new for k, (_, new) in step.changed.items()})
		if step.adopt:
			transport.register(step.record)
