"""Every read path (read_paths.py), tried by every attacker (each demo user whom the record's
own REST read refuses) on a record of 区机关事务服务中心 of each workflow DocType. Each cell
(DocType × path × attacker) must answer a refusal or nothing, and never show the record's name,
mark or own values."""

import pytest

from tests.api.conftest import URL

from .hostile import CELLS, PRINT_FORMATS, REPORTS, WORKFLOW_DOCTYPES, child_tables, each_attacker, links_to
from .hostile import DEMO as DEMO_DOMAIN
from .read_paths import READS, _children, _crafted, _reports, attack_reads

PATHS = [*READS, "child_rows", "printview.crafted", "report"]
CASES = [
	(d, p)
	for d in WORKFLOW_DOCTYPES
	for p in PATHS
	if (p != "child_rows" or child_tables(d))
	and (p != "printview.crafted" or d in PRINT_FORMATS or links_to(d))
	and (p != "report" or d in REPORTS)
]


@pytest.mark.parametrize("doctype,path", CASES)
def test_read(doctype, path, victim_of, actors):
	v = victim_of(doctype)

	def attempt(user):
		a = actors[user]
		if path == "child_rows":
			return _children(a, v)
		if path == "printview.crafted":
			return _crafted(a, v, user + DEMO_DOMAIN)
		if path == "report":
			return _reports(a, v)
		return READS[path](a, v)

	wrong = attack_reads(doctype, path, v, attempt)
	assert not wrong, f"{v}: {path}\n" + "\n".join(wrong[:25])
