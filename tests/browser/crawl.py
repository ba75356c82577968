"""Every screen a role can reach by clicking, in headless Chromium: the text it shows that is
not Chinese. Used by test_language.py (zero left) and from the command line to see them:

    python -m tests.browser.crawl URL PASSWORD [user ...]

What is seen: every text node, placeholder and stylesheet-written word (`content: "…"`) the page shows (not inputs' values: data), on the
login page, each workspace of the sidebar, the lists, report views and forms (a record and a new
one) of every DocType the workspaces link to, the app's reports, and the menus and dialogs a
user opens there (user menu, list menu and filters, form menu, attachments, print view).
Data is set aside: e-mail addresses, web addresses, record numbers, credit codes, file names and
the few Latin names Chinese users write as they are (LATIN_OK).
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import unquote

# words that Chinese staff write in Latin letters themselves
LATIN_OK = frozenset({"PDF", "JPG", "PNG", "MB", "Excel", "CSV", "xlsx", "xls", "UTF", "GBK", "ID", "LPR"})
DATA = re.compile(
	r"[\w.+-]+@[\w-]+(\.[\w-]+)+"  # e-mail
	r"|https?://\S+|(?<![\w/])/[a-z][\w./-]*"  # addresses
	r"|\b[A-Z][A-Z0-9]*-[A-Z0-9-]*\d[\w-]*"  # record numbers: QQ-2026-00041, DEMO-2025-041
	r"|\b[0-9A-Z]{18}\b"  # credit codes
	r"|\b[\w-]+\.(xlsx|xls|csv|pdf|png|jpg|jpeg|docx?|txt)\b"  # file names
	r"|\bAPITEST\w*|\bIT-\w+"  # test records' marks
	r"|Administrator(?![A-Za-z])|\bGuest\b"  # Frappe's own accounts: user ids, shown as data
	r"|\b(Ctrl|Shift|Alt|Cmd)\s*\+\s*\S+|⇧\s*\+\s*\S+"  # keys as the keyboard labels them
)
LATIN = re.compile(r"[A-Za-z]{2,}")

TEXTS_JS = """() => {
	const out = [];
	const visible = (el) => {
		if (!el || !el.getClientRects().length) return false;
		const box = el.getBoundingClientRect();
		if (box.width <= 1 || box.height <= 1) return false;  // for screen readers only (sr-only)
		const s = getComputedStyle(el);
		if (s.clip === 'rect(0px, 0px, 0px, 0px)' || s.clipPath === 'inset(50%)') return false;
		return s.visibility !== 'hidden' && s.display !== 'none' && s.opacity !== '0';
	};
	const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
	for (let n = walker.nextNode(); n; n = walker.nextNode()) {
		const el = n.parentElement;
		const text = n.textContent.trim();
		if (!text || !el || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(el.tagName)) continue;
		if (el.closest('.ql-editor, .ace_editor, .CodeMirror, .frappe-control[data-fieldtype=Code]')) continue;
		if (visible(el)) out.push(text);
	}
	for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
		if (visible(el) && !el.value) out.push(el.getAttribute('placeholder'));
	}
	for (const el of document.querySelectorAll('.ql-editor.ql-blank[data-placeholder]')) {  // an empty editor's hint
		if (visible(el)) out.push(el.getAttribute('data-placeholder'));
	}
	// words a stylesheet writes (`content: "Normal"` on the text editor's pickers)
	for (const el of document.body.querySelectorAll('*')) {
		for (const pseudo of ['::before', '::after']) {
			const content = getComputedStyle(el, pseudo).content;
			if (content && content[0] === '"' && /[A-Za-z]{2}/.test(content) && visible(el)) {
				out.push(content.slice(1, -1));
			}
		}
	}
	return out;
}"""


def latin(text: str) -> list[str]:
	"""The Latin words of ``text`` that are not data."""
	rest = DATA.sub(" ", text)
	return [w for w in LATIN.findall(rest) if w not in LATIN_OK]


@dataclass
class Findings:
	screens: int = 0
	found: dict = field(default_factory=lambda: defaultdict(set))  # text → {where}
	visited: list = field(default_factory=list)

	def add(self, where: str, texts: list[str]):
		self.screens += 1
		self.visited.append(where)
		for t in texts:
			if latin(t):
				self.found[t.strip()[:200]].add(where)

	def report(self) -> str:
		lines = [f"{len(self.found)} texts with Latin words on {self.screens} screens:"]
		for text, where in sorted(self.found.items(), key=lambda kv: -len(kv[1])):
			lines.append(f"  {text!r}  ({len(where)}: {', '.join(sorted(where)[:3])})")
		return "\n".join(lines)


# a list has shown its rows, or says it has none
LIST_SHOWN_JS = """() => window.cur_list && ((cur_list.data || []).length > 0
	|| (cur_list.$no_result && cur_list.$no_result.is(':visible')))"""
IDLE_JS = "() => window.frappe && frappe.request && frappe.request.ajax_count === 0"
CLOSE_JS = """() => {
	for (const d of (frappe.ui.open_dialogs || []).slice()) d.hide();
	$('.modal.show').modal('hide');
	$('.dropdown-menu.show').removeClass('show');
	$('.popover').remove();
}"""


class Crawler:
	def __init__(self, browser, url: str, password: str, findings: Findings):
		self.browser, self.url, self.password, self.findings = browser, url.rstrip("/"), password, findings
		self.seen: set = set()  # what was looked at: a report's route, (a DocType's route, list/form/new)

	def settle(self, page):
		page.wait_for_timeout(150)
		try:
			page.wait_for_function(IDLE_JS, timeout=15000)
		except Exception:
			pass
		page.wait_for_timeout(200)

	def look(self, page, where: str):
		self.settle(page)
		self.findings.add(where, page.evaluate(TEXTS_JS))

	def go(self, page, route: str, where: str):
		"""Route inside the desk as a click would (no reload), look, close what opened."""
		page.evaluate(CLOSE_JS)
		page.wait_for_timeout(300)  # the closing dialog's fade
		page.evaluate("(r) => frappe.set_route(r)", route)
		self.look(page, where)

	def open(self, page, selector: str, where: str):
		"""Click the first visible match (a menu, a popover, a dialog), look, close it."""
		from playwright.sync_api import TimeoutError as PlaywrightTimeout

		page.evaluate(CLOSE_JS)
		try:  # a dialog closing fades out before the page takes clicks again
			page.wait_for_function(
				"() => !document.querySelector('.modal.show, .modal.fade.in')", timeout=3000
			)
		except Exception:
			page.keyboard.press("Escape")
		for el in page.locator(selector).all():
			if el.is_visible():
				try:
					el.click(timeout=10000)
				except PlaywrightTimeout:
					# a dialog that opened after the page was looked at (seen once in CI's
					# development mode): its words are read like every screen's, then it is closed
					self.look(page, f"{where}:late-dialog")
					page.evaluate(CLOSE_JS)
					page.keyboard.press("Escape")
					page.wait_for_timeout(500)
					el.click(timeout=10000)
				self.look(page, where)
				page.keyboard.press("Escape")
				page.evaluate(CLOSE_JS)
				return

	def new_page(self):
		context = self.browser.new_context(
			ignore_https_errors=True, locale="zh-CN", viewport={"width": 1400, "height": 900}
		)
		return context.new_page()

	def login_page(self):
		page = self.new_page()
		for path in ("/login", "/login#forgot", "/login#login-with-link"):
			page.goto(self.url + path)
			page.wait_for_timeout(600)
			self.findings.add(path, page.evaluate(TEXTS_JS))
		page.context.close()

	def public_pages(self, paths):
		page = self.new_page()
		for path in paths:
			page.goto(self.url + path)
			page.wait_for_timeout(600)
			self.findings.add(path, page.evaluate(TEXTS_JS))
		page.context.close()

	def portal(self, user: str, paths):
		"""An enterprise's pages (企业端), logged in as its user: a Website User, no desk."""
		page = self.new_page()
		page.goto(self.url + "/login")
		page.fill("#login_email", user)
		page.fill("#login_password", self.password)
		page.click(".btn-login")
		page.wait_for_timeout(1500)
		for path in paths:
			page.goto(self.url + path)
			page.wait_for_timeout(600)
			self.findings.add(f"{user.split('@')[0]}:{path}", page.evaluate(TEXTS_JS))
		page.context.close()

	def login(self, user: str):
		page = self.new_page()
		page.goto(self.url + "/login")
		page.fill("#login_email", user)
		page.fill("#login_password", self.password)
		page.click(".btn-login")
		page.wait_for_url(re.compile(r"/app"), timeout=30000)
		self.settle(page)
		return page

	def role(self, user: str, reports: list[str]):
		who = user.split("@")[0]
		page = self.login(user)
		self.look(page, f"{who}:home")
		self.open(
			page,
			".navbar .dropdown-navbar-user [data-toggle=dropdown], .navbar .dropdown-navbar-user",
			f"{who}:user-menu",
		)
		workspaces = page.evaluate(
			"() => [...document.querySelectorAll('.desk-sidebar .sidebar-item-container')].map(e => e.dataset.pageName || e.getAttribute('item-name')).filter(Boolean)"
		)
		links = set()
		for ws in workspaces:
			self.go(page, f"{frappe_slug(ws)}", f"{who}:workspace {ws}")
			links |= set(
				page.evaluate(
					"() => [...document.querySelectorAll('.layout-main-section a[href^=\\'/app/\\']')].map(a => a.getAttribute('href'))"
				)
			)
		routes = sorted({h.split("?")[0][len("/app/") :] for h in links})
		for route in routes:
			if route.startswith("query-report/"):
				if route not in self.seen:
					self.seen.add(route)
					self.go(page, route, f"{who}:{route}")
			elif "/" not in route:
				self.list_and_form(page, who, route)
		for report in reports:
			if f"query-report/{report}" not in self.seen:
				self.seen.add(f"query-report/{report}")
				self.go(page, f"query-report/{report}", f"{who}:report {report}")
		page.context.close()

	def list_and_form(self, page, who: str, route: str):
		"""A DocType's list (its menus, its report view), a record's form (menu, attachments,
		assignment, print view) and a new form: each looked at once, by the first role that
		reaches it (a role that may not create leaves the new form to the next)."""
		todo = [k for k in ("list", "form", "new") if (route, k) not in self.seen]
		if not todo:
			return
		self.go(page, route, f"{who}:{route}")
		try:  # a list shows its rows after the route's first render
			page.wait_for_function(LIST_SHOWN_JS, timeout=3000)
		except Exception:
			pass
		if not page.evaluate("() => !!(window.cur_list && cur_list.doctype)") or page.evaluate(
			"() => frappe.get_route()[0] !== 'List'"
		):
			self.seen |= {(route, k) for k in todo}
			return  # a single DocType's form, a page
		name = page.evaluate("() => cur_list.data && cur_list.data[0] && cur_list.data[0].name")
		doctype = page.evaluate("() => cur_list.doctype")
		if "list" in todo:
			self.seen.add((route, "list"))
			for selector in (
				".page-actions .menu-btn-group button",
				".filter-selector .filter-button",
				".sort-selector .dropdown-toggle",
			):
				self.open(page, selector, f"{who}:{route} {selector}")
			self.go(page, f"{route}/view/report", f"{who}:{route}/view/report")
		if "form" in todo and name:
			self.seen.add((route, "form"))
			self.go(page, f"{route}/{name}", f"{who}:{route} form")
			self.open(page, ".page-head .menu-btn-group button", f"{who}:{route} form menu")
			self.open(page, ".form-sidebar .add-attachment-btn", f"{who}:{route} attach")
			self.open(page, ".form-sidebar .add-assignment-btn", f"{who}:{route} assign")
			self.go(page, f"print/{doctype}/{name}", f"{who}:{route} print")
		if "new" in todo and page.evaluate("(d) => frappe.model.can_create(d)", doctype):
			self.seen.add((route, "new"))
			self.go(page, f"{route}/new", f"{who}:{route}/new")


def frappe_slug(name: str) -> str:
	return name.lower().replace(" ", "-")


def crawl(
	url: str,
	password: str,
	users: list[str],
	reports: list[str],
	public: list[str],
	browser=None,
	portal: dict[str, list[str]] | None = None,
) -> Findings:
	"""Crawl as each of ``users`` (a route looked at once, by the first who reaches it), and as
	each website user of ``portal`` its pages."""
	findings = Findings()
	if browser is not None:
		_crawl(Crawler(browser, url, password, findings), users, reports, public, portal or {})
		return findings
	from playwright.sync_api import sync_playwright

	with sync_playwright() as p:
		browser = p.chromium.launch(
			executable_path="/usr/bin/chromium", args=["--no-sandbox", "--lang=zh-CN"]
		)
		_crawl(Crawler(browser, url, password, findings), users, reports, public, portal or {})
		browser.close()
	return findings


def _crawl(crawler: Crawler, users, reports, public, portal):
	crawler.login_page()
	crawler.public_pages(public)
	for user, paths in portal.items():
		crawler.portal(user, paths)
	for user in users:
		crawler.role(user, reports)


if __name__ == "__main__":
	url, password, *users = sys.argv[1:]
	users = [u if "@" in u else f"{u}@demo.qingqian.example.com" for u in users or ["office.staff"]]
	found = crawl(url, password, users, [], ["/arrears-disclosure"])
	print("\n".join(found.visited))
	print(found.report())
