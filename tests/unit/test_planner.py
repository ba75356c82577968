"""The planner against an in-memory site: what it decides, and that applying its plan
makes a second plan empty. The same planner drives the Frappe and the REST transports."""

import copy

import pytest

from qingqian_app.sync import checks
from qingqian_app.sync.definitions import Record
from qingqian_app.sync.planner import apply_plan, build_plan, differences, normalize


class MemorySite:
	"""A site as a dict of records, with the register of what the app created."""

	def __init__(self):
		self.records: dict[tuple[str, str], dict] = {}
		self.registry: set[tuple[str, str]] = set()
		self.writes = 0

	def registered(self):
		return set(self.registry)

	def fetch(self, record):
		if record.single and record.key not in self.records:
			return {}
		got = self.records.get(record.key)
		return copy.deepcopy(got) if got is not None else None

	def create(self, record):
		self.records[record.key] = copy.deepcopy({**record.values, **record.create_only})
		self.writes += 1

	def update(self, record, changed):
		self.records[record.key].update(copy.deepcopy(changed))
		self.writes += 1

	def register(self, record):
		self.registry.add(record.key)


@pytest.fixture
def defs():
	return checks.load_checked(include_demo=True)


def test_first_sync_creates_all_second_changes_nothing(defs):
	site = MemorySite()
	plan = build_plan(defs.records, site, defs.adoptable)
	assert plan.counts["create"] == len(defs.records)
	apply_plan(plan, site)
	again = build_plan(defs.records, site, defs.adoptable)
	assert again.changes == 0
	assert again.counts["unchanged"] == len(defs.records)
	assert "没有需要同步的变化" in again.summary()


def test_changed_definition_updates_only_that_record(defs):
	site = MemorySite()
	apply_plan(build_plan(defs.records, site), site)
	wf = next(r for r in defs.records if r.doctype == "Workflow")
	first = wf.values["transitions"][0]
	changed = "Qingqian Leader" if first["allowed"] != "Qingqian Leader" else "Qingqian Office Staff"
	first["allowed"] = changed
	plan = build_plan(defs.records, site)
	updates = [s for s in plan.steps if s.action == "update"]
	assert [(s.record.doctype, list(s.changed)) for s in updates] == [("Workflow", ["transitions"])]
	apply_plan(plan, site)
	assert site.records[wf.key]["transitions"][0]["allowed"] == changed
	assert build_plan(defs.records, site).changes == 0


def test_record_not_created_by_the_app_is_never_touched(defs):
	site = MemorySite()
	role = next(r for r in defs.records if r.doctype == "Role")
	site.records[role.key] = {"role_name": role.name, "desk_access": 0}
	plan = build_plan(defs.records, site)  # not adoptable here
	step = next(s for s in plan.steps if s.record.key == role.key)
	assert step.action == "skip"
	apply_plan(plan, site)
	assert site.records[role.key] == {"role_name": role.name, "desk_access": 0}
	assert role.key not in site.registry


def test_roles_frappe_made_for_app_doctypes_are_adopted(defs):
	site = MemorySite()
	key = ("Role", "Qingqian Office Head")
	site.records[key] = {"role_name": "Qingqian Office Head", "desk_access": 1}
	plan = build_plan(defs.records, site, defs.adoptable)
	step = next(s for s in plan.steps if s.record.key == key)
	assert step.action == "unchanged" and step.adopt
	assert plan.changes > 0  # registering is a change
	apply_plan(plan, site)
	assert key in site.registry
	assert build_plan(defs.records, site, defs.adoptable).changes == 0


def test_seeded_record_edited_by_users_is_kept(defs):
	site = MemorySite()
	apply_plan(build_plan(defs.records, site), site)
	key = ("Member Unit", "区财政局")
	site.records[key]["duties"] = "本区自行修订的职责"
	plan = build_plan(defs.records, site)
	assert next(s for s in plan.steps if s.record.key == key).action == "unchanged"
	apply_plan(plan, site)
	assert site.records[key]["duties"] == "本区自行修订的职责"


def test_single_doctype_is_written_once(defs):
	site = MemorySite()
	plan = build_plan(defs.records, site)
	step = next(s for s in plan.steps if s.record.single)
	assert step.action == "create"
	apply_plan(plan, site)
	assert build_plan(defs.records, site).changes == 0


def test_create_only_fields_are_written_once_and_never_compared(defs):
	site = MemorySite()
	user = next(r for r in defs.records if r.doctype == "User")
	user.create_only["new_password"] = "a site's own"  # as install.sync_site gives it
	apply_plan(build_plan(defs.records, site), site)
	assert site.records[user.key]["new_password"] == "a site's own"
	del site.records[user.key]["new_password"]  # a site never returns a password
	assert build_plan(defs.records, site).changes == 0


@pytest.mark.parametrize(
	"have, want, same",
	[
		(None, "", True),
		(1, True, True),
		(0, False, True),
		(37.0, 37, True),
		("a\r\nb", "a\nb", True),
		("0", 0, True),
		("x", "y", False),
		(1, 0, False),
	],
)
def test_values_compared_as_a_site_returns_them(have, want, same):
	assert (normalize(have) == normalize(want)) is same


def test_table_rows_compared_on_defined_fields_only():
	rec = Record("Workflow", "W", {"states": [{"state": "甲", "doc_status": "0"}]}, "x")
	site_rows = [{"state": "甲", "doc_status": 0, "name": "abc", "idx": 1}]
	assert differences(rec, {"states": site_rows}) == {}
	assert "states" in differences(rec, {"states": site_rows * 2})
	assert "states" in differences(rec, {"states": [{"state": "乙", "doc_status": 0}]})


def test_report_lists_changes_and_the_summary(defs):
	site = MemorySite()
	plan = build_plan(defs.records, site)
	text = plan.report()
	assert any(
		line.startswith("新建") and line.endswith("Workflow：欠款台账流程") for line in text.splitlines()
	)
	assert text.splitlines()[-1].startswith(f"新建 {len(defs.records)}，更新 0，无变化 0，跳过 0")
