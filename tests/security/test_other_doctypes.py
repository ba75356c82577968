"""The app's DocTypes without a workflow, attacked the same way on a record that exists: a unit
of the demo unit's tree (its APITEST- child unit), a state-owned enterprise's annual report, a
member unit (a master only the office edits), a credit-list export (the office's). Read paths
by every demo user the record's own read refuses; write paths by those, and for the masters by
every user outside the office; the record read back as Administrator must be as it was."""

import pytest

from tests.api.conftest import URL
from tests.api.records import DEMO_SOE_REPORT, UNIT_CHILD

from .hostile import ATTACKERS, CELLS, MARK_FIELD, REFUSED, WRITE_FIELD, Victim, each_attacker, snapshot, url
from .read_paths import READS, attack_reads
from .write_paths import WRITES, _nothing_done

OFFICE = {"office.head", "office.staff", "sysadmin"}
# DocType: (record, field an attacker writes, whether it is a master only the office edits)
OTHERS = {
	"Debtor Unit": (UNIT_CHILD, "principal_title", False),
	"SOE Annual Report": (DEMO_SOE_REPORT, "note", False),
	"Member Unit": ("区财政局", "short_name", True),
	"Credit List Export": (None, None, True),
	"Handling Rating": (None, "review_result", False),  # an enterprise's rating: the office's to read
}


def _a_rating(admin):
	"""A 不满意 rating of a closed demo lead, made once (the portal's own path: enterprise_portal.api.rate)."""
	if admin.get(url("Handling Rating"), params={"limit_page_length": 1}, timeout=30).json()["data"]:
		return
	closed = admin.get(url("Complaint Lead"), timeout=30, params={"limit_page_length": 1,
		"filters": '[["workflow_state", "in", ["已办结", "不予受理"]]]'}).json()["data"]  # fmt: skip
	if closed:
		r = admin.post(url("Handling Rating"), timeout=30, json={"complaint_lead": closed[0]["name"],
			"rating": "不满意", "reasons": "矩阵测试：办理拖延"})  # fmt: skip
		assert r.status_code == 200, r.text[:300]


READ_PATHS = ["resource.get", "resource.list", "v2.get", "v2.list", "client.get", "client.get_list",
	"client.get_value", "client.get_count", "reportview.get", "reportview.get_count", "search.search_link",
	"form.getdoc", "form.get_docinfo", "printview.name", "pdf", "get_link_title"]  # fmt: skip
WRITE_PATHS = ["resource.put", "v2.put", "client.set_value", "bulk_update", "like", "comment.add"]
LEAVES = {"like", "comment.add"}


@pytest.fixture(scope="module")
def others(admin, actors):
	out = {}
	for doctype, (name, field, master) in OTHERS.items():
		if doctype == "Debtor Unit" and admin.get(url(doctype, name), timeout=30).status_code != 200:
			r = admin.post(url(doctype), timeout=30, json={"unit_name": UNIT_CHILD, "unit_type": "事业单位",
				"competent_unit": "区财政局", "parent_debtor_unit": "区机关事务服务中心", "principal_title": "主任"})  # fmt: skip
			assert r.status_code == 200, r.text[:200]
		if doctype == "Handling Rating":
			_a_rating(admin)
		if name is None or admin.get(url(doctype, name), timeout=30).status_code != 200:
			rows = admin.get(url(doctype), params={"limit_page_length": 1}, timeout=30).json()["data"]
			if not rows:
				continue
			name = rows[0]["name"]
		v = Victim(doctype, name, name, None)
		MARK_FIELD.setdefault(doctype, "name")
		WRITE_FIELD.setdefault(doctype, field or "modified")
		v.doc = admin.get(url(doctype, name), timeout=30).json()["data"]
		readers = set()
		for user, a in actors.items():
			if a.user in ATTACKERS and user != "sysadmin" and a.get(name, doctype).status_code == 200:
				readers.add(user)
		v.attackers = sorted(
			u for u, a in actors.items() if a.user in ATTACKERS and u not in readers | OFFICE
		)
		v.writers = sorted(u for u, a in actors.items() if a.user in ATTACKERS and u not in OFFICE) if master else (
			v.attackers)  # fmt: skip
		out[doctype] = v
	return out


@pytest.mark.parametrize("doctype,path", [(d, p) for d in OTHERS for p in READ_PATHS])
def test_read(doctype, path, others, actors):
	v = others.get(doctype)
	if v is None:
		pytest.skip(f"no {doctype} on the site")
	wrong = attack_reads(doctype, path, v, lambda user: READS[path](actors[user], v))
	assert not wrong, f"{v}: {path}\n" + "\n".join(wrong[:25])


# on a master its readers (everyone) may like and comment: only its data is the office's
WRITE_CELLS = [
	(d, p) for d, (_, f, m) in OTHERS.items() if f for p in WRITE_PATHS if not m or p not in LEAVES
]


@pytest.mark.parametrize("doctype,path", WRITE_CELLS)
def test_write(doctype, path, others, actors, admin):
	v = others.get(doctype)
	if v is None:
		pytest.skip(f"no {doctype} on the site")
	before = snapshot(admin, v)
	wrong = []
	writers = Victim(v.doctype, v.name, v.mark, None)
	writers.attackers, writers.doc = v.writers, v.doc
	for user, replies in each_attacker(writers, lambda user: WRITES[path](actors[user], writers)):
		for r in replies:
			CELLS[(doctype, path)] += 1
			if not (r.status_code in REFUSED or (r.status_code == 200 and _nothing_done(r))):
				wrong.append(f"{user}: {r.request.method} {r.request.url[len(URL):][:80]} → HTTP {r.status_code}"
					f" {r.text[:120]}")  # fmt: skip
	after = snapshot(admin, v)
	if after != before:
		changed = {k: (before[k], after[k]) for k in before if before[k] != after.get(k)}
		wrong.append(f"the record changed: {changed}")
		field = WRITE_FIELD[doctype]
		admin.put(url(doctype, v.name), json={field: v.doc.get(field)}, timeout=30)  # put back
	assert not wrong, f"{v}: {path}\n" + "\n".join(wrong[:25])


def test_the_attackers_are_there(others):
	"""Each record has someone to attack it (else the cells above prove nothing)."""
	for doctype, v in others.items():
		assert v.writers or v.attackers, doctype
	assert {"Debtor Unit", "Member Unit"} <= set(others), sorted(others)
