"""The approvers' mail of one workflow step, made by one bookkeeping job (workflow_guard): what
is the same in every approver's mail is worked out once per job, not once per approver.

Frappe makes each approver's mail on its own (``send_workflow_action_email``: one
``frappe.sendmail`` per approver, ~40 ms each). The mails of one step differ only in their
action links (signed for each approver), yet each of them:

- has Frappe's mail style sheet inlined into it by premailer (``inline_style_in_html``,
  ~11 ms): here a layout (the mail with its links masked) is inlined once and each approver's
  links are put back in; a layout is reused only once the links put back into it gave exactly
  the mail premailer made itself, so every mail is the one Frappe would have sent;
- turns the sheet's rules into selectors and declarations anew (premailer's
  ``_parse_style_rules``, kept once here for the layouts that are inlined), checking each
  declaration against CSS profiles as it goes: that check only logs (the mail comes out the
  same), and in a job's freshly forked process it first compiles cssutils' ~50 patterns,
  ~50 ms of a job's CPU: here it is left out;
- looks its outgoing account up in the database again (``EmailAccount.is_exists_in_db``,
  ~6 ms): once per job.

Inside :func:`made_once` only: other mails of the site keep Frappe's own path.
"""

from __future__ import annotations

import itertools
import re
from contextlib import contextmanager

_LINK = re.compile(r'href="([^"]*)"')
_MASKED = re.compile(r'href="qingqian-link-(\d+)"')


@contextmanager
def made_once():
	from frappe.email import email_body
	from frappe.email.doctype.email_account.email_account import EmailAccount
	from premailer.premailer import Premailer

	own_inline, own_rules, own_exists, own_init = (
		email_body.inline_style_in_html,
		Premailer._parse_style_rules,
		EmailAccount.is_exists_in_db,
		Premailer.__init__,
	)
	layouts: dict[str, str | None] = {}
	rules: dict[tuple, tuple] = {}
	accounts: dict[str, object] = {}

	def inline_style_in_html(html):
		links = _LINK.findall(html)
		masked = _mask(html)
		layout = layouts.get(masked, "")
		if layout:
			return _fill(layout, links)
		made = own_inline(html)
		if layout == "":  # first of its layout: reused only if it gives exactly this mail
			candidate = own_inline(masked)
			layouts[masked] = candidate if _fill(candidate, links) == made else None
		return made

	def parse_style_rules(self, css_body, ruleset_index):
		key = (css_body, ruleset_index, self.strip_important, self.disable_validation,
			self.exclude_pseudoclasses, self.include_star_selectors)  # fmt: skip
		if key not in rules:
			rules[key] = own_rules(self, css_body, ruleset_index)
		made, leftover = rules[key]
		return list(made), list(leftover)

	def premailer(self, *args, **kwargs):
		kwargs.setdefault("disable_validation", True)
		own_init(self, *args, **kwargs)

	def is_exists_in_db(self):
		if self.name not in accounts:
			accounts[self.name] = own_exists(self)
		return accounts[self.name]

	email_body.inline_style_in_html = inline_style_in_html
	Premailer._parse_style_rules = parse_style_rules
	EmailAccount.is_exists_in_db = is_exists_in_db
	Premailer.__init__ = premailer
	try:
		yield
	finally:
		email_body.inline_style_in_html = own_inline
		Premailer._parse_style_rules = own_rules
		EmailAccount.is_exists_in_db = own_exists
		Premailer.__init__ = own_init


def _mask(html: str) -> str:
	count = itertools.count()
	return _LINK.sub(lambda _m: f'href="qingqian-link-{next(count)}"', html)


def _fill(layout: str, links: list[str]) -> str:
	"""The layout with each masked link given back as premailer writes it (lxml's serialiser)."""
	return _MASKED.sub(lambda m: f'href="{_as_written(links[int(m.group(1))])}"', layout)


def _as_written(raw: str) -> str:
	from lxml import etree, html

	value = html.fragment_fromstring(f'<a href="{raw}"></a>').get("href") or ""
	written = etree.tostring(etree.Element("a", href=value), method="html", encoding="unicode")
	return written[len('<a href="') : -len('"></a>')]
