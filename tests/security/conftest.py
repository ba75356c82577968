"""The hostile suite runs over HTTP like tests/api (scripts/test.sh passes QINGQIAN_URL,
QINGQIAN_TOKEN and QINGQIAN_DEMO_PASSWORD); what it makes is marked APITEST- and purged the same
way. At the end it prints how many cells it tried per DocType × path."""

import json
import os

import pytest
import requests

from tests.api.conftest import TOKEN, URL, session

from .hostile import ALL_DEMO, ATTACKERS, CELLS, WORKFLOW_DOCTYPES, actors_for, make_victim, url

# The suite's own check: with QINGQIAN_SECURITY_SELF_CHECK=1 the users who MAY read each record
# attack it instead, and every cell must fail (a cell that passes then cannot see a leak).
SELF_CHECK = os.environ.get("QINGQIAN_SECURITY_SELF_CHECK") == "1"


@pytest.fixture(scope="session")
def admin():
	if ":" not in TOKEN:
		pytest.fail("QINGQIAN_TOKEN (key:secret) is not set: run the suite through scripts/test.sh")
	s = session()
	s.headers.update({"Authorization": f"token {TOKEN}", "Accept": "application/json"})
	return s


@pytest.fixture(scope="session")
def actors():
	"""Every demo user, logged in (a session cookie, as a browser has)."""
	return actors_for(ALL_DEMO)


@pytest.fixture(scope="session")
def victims(actors, admin):
	"""One record of 区机关事务服务中心 per workflow DocType; its attackers are the demo users
	its own REST read refuses (other units' users of every role)."""
	out = {}
	for doctype in WORKFLOW_DOCTYPES:
		v = make_victim(doctype, actors, admin)
		for name, a in actors.items():
			refused = a.get(v.name, doctype).status_code in (403, 404)
			if refused != SELF_CHECK and name != "sysadmin" and a.user in ATTACKERS:
				v.attackers.append(name)
		v.doc = admin.get(url(doctype, v.name), timeout=30).json()["data"]
		out[doctype] = v
	yield out
	# what an attacker's File made (pointing at a victim's file) goes; the victims are purged by
	# scripts/test.sh with everything marked APITEST-
	for v in out.values():
		r = admin.get(url("File"), timeout=30, params={"filters": json.dumps([["file_url", "=", v.file["file_url"]],
			["name", "!=", v.file["name"]]]), "limit_page_length": 0})  # fmt: skip
		for f in r.json().get("data", []):
			admin.delete(url("File", f["name"]), timeout=30)
	r = admin.get(url("File"), timeout=30, params={"filters": json.dumps([["file_name", "like", "apitest-hack%"]]),
		"limit_page_length": 0})  # fmt: skip
	for f in r.json().get("data", []):  # an attacker's own upload, where one went through
		admin.delete(url("File", f["name"]), timeout=30)


@pytest.fixture(scope="session")
def victim_of(victims):
	def get(doctype):
		v = victims[doctype]
		assert v.attackers, f"{doctype}: no demo user is refused its record: nothing to attack with"
		return v

	return get


def pytest_terminal_summary(terminalreporter):
	if not CELLS:
		return
	w = terminalreporter
	doctypes = sorted({d for d, _ in CELLS})
	paths = sorted({p for _, p in CELLS})
	w.section("hostile suite: cells tried (DocType × path)")
	for d in doctypes:
		row = {p: CELLS[(d, p)] for p in paths if CELLS[(d, p)]}
		w.write_line(f"{d} ({sum(row.values())}): " + ", ".join(f"{p} {n}" for p, n in row.items()))
	w.write_line(f"total {sum(CELLS.values())} cells over {len(doctypes)} DocTypes and {len(paths)} paths")
