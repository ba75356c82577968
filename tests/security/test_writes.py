"""Every write path (write_paths.py), tried by every attacker on a record of 区机关事务服务中心 of
each workflow DocType. Each cell must be refused (or answer nothing done), and the record read
back as Administrator must be as it was."""

import pytest

from tests.api.conftest import URL

from .hostile import CELLS, REFUSED, WORKFLOW_DOCTYPES, each_attacker, make_victim, read_back, snapshot, url
from .write_paths import WRITES, _nothing_done

# paths that would take the record away if they worked: tried on a record of their own
DESTRUCTIVE = {"rename.client", "rename.update_document_title", "delete.resource", "delete.v2", "delete.client",
	"delete.reportview"}  # fmt: skip


_spare: dict = {}


def expendable(doctype, actors, admin):
	"""A bare record of the demo unit for the paths that would take it away, made again only
	when one of them did."""
	v = _spare.get(doctype)
	if v is None or read_back(admin, v) is None:
		v = _spare[doctype] = make_victim(doctype, actors, admin, bare=True)
		v.doc = read_back(admin, v)
	return v


@pytest.mark.parametrize("doctype,path", [(d, p) for d in WORKFLOW_DOCTYPES for p in WRITES])
def test_write(doctype, path, victim_of, actors, admin):
	main = victim_of(doctype)
	v = expendable(doctype, actors, admin) if path in DESTRUCTIVE else main
	v.attackers = main.attackers
	before = snapshot(admin, v)
	file_before = admin.get(url("File", v.file["name"]), timeout=30).json()["data"] if v.file else {}
	wrong = []
	# one after another where the record would go: Frappe locks a record to delete it (NOWAIT)
	at_once = 1 if path in DESTRUCTIVE else 4
	for user, replies in each_attacker(v, lambda user: WRITES[path](actors[user], v), at_once):
		for r in replies:
			CELLS[(doctype, path)] += 1
			answered = r.status_code in REFUSED or (r.status_code == 200 and _nothing_done(r))
			if r.request.method == "GET":  # a download: refused, whatever came before
				answered = r.status_code in REFUSED
			if not answered:
				wrong.append(f"{user}: {r.request.method} {r.request.url[len(URL):][:80]} → HTTP {r.status_code}"
					f" {r.text[:120]}")  # fmt: skip
	# read back as Administrator: as it was before the attackers came
	after = snapshot(admin, v)
	if after != before:
		changed = {k: (before[k], after[k]) for k in before if before[k] != after.get(k)}
		wrong.append(f"the record changed: {changed}")
	file_after = admin.get(url("File", v.file["name"]), timeout=30).json().get("data") or {} if v.file else {}
	for k in ("is_private", "file_url", "attached_to_doctype", "attached_to_name"):
		if file_after.get(k) != file_before.get(k):
			wrong.append(f"the victim's file changed: {k} {file_before.get(k)!r} → {file_after.get(k)!r}")
	assert not wrong, f"{v}: {path}\n" + "\n".join(wrong[:25])
