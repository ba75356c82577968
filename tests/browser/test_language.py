"""Every screen each role reaches by clicking is in Chinese (issue: English or wrong Chinese on
every screen). The crawl (crawl.py) walks the login page, the public page and, as every demo
user, the home page, the user menu, each workspace, and the lists, report views, forms, menus,
attachment and assignment dialogs, print views and new forms of every DocType the workspaces
link to, and the app's reports; it lists visible text with Latin words, data set aside."""

import json
from pathlib import Path

from qingqian_app.sync.definitions import REPO_ROOT

from .conftest import PASSWORD, URL
from .crawl import crawl

USERS = [
	r["email"]
	for r in json.loads((REPO_ROOT / "fixtures/demo/30_users.json").read_text(encoding="utf-8"))["records"]
	if r.get("enabled", 1)
	and r.get("user_type") != "Website User"  # the enterprise's side has no desk (its pages: PORTAL)
	and not any(x["role"] == "System Manager" for x in r.get("roles", []))
]
PUBLIC = ["/arrears-disclosure", "/enterprise-signup"]
PORTAL = {"enterprise.user@demo.qingqian.example.com": ["/arrears-claim", "/my-arrears"]}
REPORTS = sorted(
	json.loads(p.read_text(encoding="utf-8"))["name"]
	for p in REPO_ROOT.glob("qingqian_app/*/report/*/*.json")
)


def test_every_screen_of_every_role_is_in_chinese(browser):
	findings = crawl(URL, PASSWORD, USERS, REPORTS, PUBLIC, browser=browser, portal=PORTAL)
	Path("/tmp/qingqian-language-crawl.txt").write_text(
		findings.report() + "\n\nscreens:\n" + "\n".join(findings.visited), encoding="utf-8"
	)
	# the crawl saw the desk of every role, its records, their menus and dialogs, not a login error
	kinds = {kind: sum(1 for v in findings.visited if v.endswith(kind)) for kind in
		(":home", ":user-menu", " form", " form menu", " attach", " print", "/new", "/view/report")}  # fmt: skip
	assert kinds[":home"] == kinds[":user-menu"] == len(USERS), kinds
	# records exist for some DocTypes only (the test site has the demo data): forms of at least 5
	assert min(kinds.values()) >= 5 and kinds["/new"] >= 10 and kinds["/view/report"] >= 10, kinds
	assert sum(1 for v in findings.visited if "query-report/" in v) >= len(REPORTS), findings.visited
	assert not findings.found, findings.report()
