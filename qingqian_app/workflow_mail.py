"""The approvers' mail of one workflow step, made by a bookkeeping drain job (workflow_guard): what
is the same in every approver's mail is worked out once per step, not once per approver.

Frappe makes each approver's mail on its own (``send_workflow_action_email``: one
``frappe.sendmail`` per approver, ~40 ms each). The mails of one step differ only in their
action links (signed for each approver), yet each of them:

- has Frappe's mail style sheet inlined into it by premailer (``inline_style_in_html``,
  ~11 ms): here a layout (the mail with its links masked) is inlined once, when a second mail
  of it comes (a step's only mail is inlined as Frappe does), and each approver's links are put
  back in; a layout is reused only once the links put back into it gave exactly the first
  mail as premailer made it, so every mail is the one Frappe would have sent;
- turns the sheet's rules into selectors and declarations anew (premailer's
  ``_parse_style_rules``, kept once here for the layouts that are inlined), checking each
  declaration against CSS profiles as it goes: that check only logs (the mail comes out the
  same), and in a job's freshly forked process it first compiles cssutils' ~50 patterns,
  ~50 ms of a job's CPU: here it is left out;
- looks its outgoing account up in the database again (``EmailAccount.is_exists_in_db``,
  ~6 ms): once per step;
- base64-encodes the record's PDF into a MIME part of its own (``add_attachment``, ~2 ms for
  the 台账登记表's 80 KB): the part is made once per step and each mail gets a copy;
- turns its empty plain message into HTML with markdown and bleach (``get_email`` does so
  before it takes the formatted HTML it was given instead; ~3 ms): the empty message's HTML
  is made once per step;
- writes that PDF part out as MIME text line by line (``email.generator``, ~1.7 ms): the
  part's text is written once per step and given again to each mail whose copy is unchanged;
- escapes its ~150 KB MIME text for the Email Queue row's insert with ``str.translate`` of
  pymysql's table (~1.7 ms): a text that long is escaped by one ``str.replace`` for each of
  the characters that table changes, the same text ~4× faster.

Inside :func:`made_once` only: other mails of the site keep Frappe's own path. Each job is a
fork of its worker, so what a job learns dies with it: :func:`prepare_worker` has the worker
parse the mail style sheets (and compile their selectors) once, before it forks, into
premailer's own caches and :data:`_RULES`, which every job then finds filled, and load what
every mail job loaded for itself (the MIME types table, bleach's HTML tree builder).
"""

from __future__ import annotations

import itertools
import re
from contextlib import contextmanager

_LINK = re.compile(r'href="([^"]*)"')
_MASKED = re.compile(r'href="qingqian-link-(\d+)"')
# a style sheet's rules as premailer reads them, by the sheet's text and premailer's settings
_RULES: dict[tuple, tuple] = {}


@contextmanager
def made_once():
	import copy
	from email.generator import Generator
	from email.mime.multipart import MIMEMultipart

	from frappe.email import email_body
	from frappe.email.doctype.email_account.email_account import EmailAccount
	from premailer.premailer import Premailer
	from pymysql import converters

	# what is replaced while the step's mails are made: (owner, name) → Frappe's or premailer's own
	own = {
		(owner, name): getattr(owner, name)
		for owner, name in (
			(email_body, "inline_style_in_html"),
			(Premailer, "_parse_style_rules"),
			(EmailAccount, "is_exists_in_db"),
			(Premailer, "__init__"),
			(email_body, "add_attachment"),
			(email_body, "markdown"),
			(Generator, "_write"),
			(converters, "escape_string"),
		)
	}
	own_inline, own_rules, own_exists, own_init, own_attach, own_markdown, own_write, own_escape = (
		own.values()
	)
	layouts: dict[str, str | None] = {}
	firsts: dict[str, tuple[list, str]] = {}  # a layout's first mail (links, as inlined) until a second
	accounts: dict[str, object] = {}
	parts: dict[tuple, object] = {}
	blank: dict[tuple, str] = {}
	written: dict[tuple, str] = {}

	def inline_style_in_html(html):
		links = _LINK.findall(html)
		masked = _mask(html)
		layout = layouts.get(masked, "")
		if layout:
			return _fill(layout, links)
		if layout is None or masked not in firsts:  # not reusable; or the first of its layout,
			made = own_inline(html)  # made as Frappe makes it (a step's only mail costs no more)
			if layout == "":
				firsts[masked] = (links, made)
			return made
		# the second: the layout is made, and reused only if it gives exactly the first mail
		first_links, first_made = firsts.pop(masked)
		candidate = own_inline(masked)
		layouts[masked] = candidate if _fill(candidate, first_links) == first_made else None
		return _fill(candidate, links) if layouts[masked] else own_inline(html)

	def parse_style_rules(self, css_body, ruleset_index):
		key = (css_body, ruleset_index, self.strip_important, self.disable_validation,
			self.exclude_pseudoclasses, self.include_star_selectors)  # fmt: skip
		if key not in _RULES:
			_RULES[key] = own_rules(self, css_body, ruleset_index)
		made, leftover = _RULES[key]
		return list(made), list(leftover)

	def premailer(self, *args, **kwargs):
		kwargs.setdefault("disable_validation", True)
		own_init(self, *args, **kwargs)

	def is_exists_in_db(self):
		if self.name not in accounts:
			accounts[self.name] = own_exists(self)
		return accounts[self.name]

	def add_attachment(fname, fcontent, content_type=None, parent=None, content_id=None, inline=False):
		# an inline image's content id is its own mail's: made for each mail, as Frappe does
		if parent is None or content_id is not None or not isinstance(fcontent, bytes):
			return own_attach(fname, fcontent, content_type, parent, content_id, inline)
		key = (fname, fcontent, content_type, inline)
		if key not in parts:
			holder = MIMEMultipart()
			own_attach(fname, fcontent, content_type, holder, content_id, inline)
			parts[key] = holder.get_payload()[0]
			parts[key].qingqian_reused = True
		parent.attach(copy.deepcopy(parts[key]))

	def write(self, msg):
		# a copy of a reused part, as it was made (its headers and payload): its text once
		fp = self._fp
		if not getattr(msg, "qingqian_reused", False) or not hasattr(fp, "getvalue"):
			return own_write(self, msg)
		# (a generator's policy is a new copy for each part: what it holds is the same); the
		# part's headers and payload as stored, not as the policy reads them out
		key = (type(self), type(self.policy), tuple(sorted(vars(self.policy).items())), self._NL,
			self._mangle_from_, self.maxheaderlen, tuple(msg._headers), msg._payload)  # fmt: skip
		try:
			if key in written:
				return fp.write(written[key])
		except TypeError:  # a policy holding what cannot be a key: written as Frappe writes it
			return own_write(self, msg)
		start = fp.tell()
		own_write(self, msg)
		written[key] = fp.getvalue()[start:]

	def markdown(text, *args, **kwargs):
		if text:
			return own_markdown(text, *args, **kwargs)
		key = (text, args, tuple(sorted(kwargs.items())))
		if key not in blank:
			blank[key] = own_markdown(text, *args, **kwargs)
		return blank[key]

	escapes = sql_escapes(converters._escape_table)

	def escape_string(value, mapping=None):
		if isinstance(value, str) and len(value) > LONG_TEXT:
			return _escaped(value, escapes)
		return own_escape(value, mapping)

	ours = (inline_style_in_html, parse_style_rules, is_exists_in_db, premailer, add_attachment,
		markdown, write, escape_string)  # fmt: skip
	for (owner, name), replacement in zip(own, ours, strict=True):
		setattr(owner, name, replacement)
	try:
		yield
	finally:
		for (owner, name), original in own.items():
			setattr(owner, name, original)


def prepare_worker(sites_path: str = "."):
	"""In ``bench worker`` before its first fork (qingqian_app.commands): inline a blank mail with
	the style sheets Frappe inlines into every mail (the ``email_css`` hook of each app of the bench,
	sites/apps.txt, as ``bundled_asset`` resolves it from the build's assets.json), so that the
	sheet is parsed and its selectors compiled here once, not in every mail job (~15 ms of cssutils
	and lxml a job). The caches are keyed by the sheet's text and its place among the mail's
	sheets: a sheet rebuilt since, or a site with other apps, is parsed by the job as before. The
	MIME types table and bleach's tree builder, which each mail job loaded for itself, first."""
	import mimetypes
	import os

	import bleach
	import frappe
	from premailer.premailer import Premailer

	if not mimetypes.inited:  # the table add_attachment reads (/etc/mime.types), read once here
		mimetypes.init()
	bleach.clean("<p></p>")  # builds its vendored html5lib's tree builder, which sanitize_html uses
	assets = frappe.get_file_json(os.path.join(sites_path, "assets", "assets.json"))
	sheets = []
	for app in frappe.get_all_apps(with_internal_apps=False, sites_path=sites_path):
		try:
			paths = frappe.get_hooks("email_css", app_name=app)
		except Exception:  # (an app not installed in this environment): its sheets are left out
			continue
		for path in paths:
			path = assets.get(path, path).lstrip("/")
			if os.path.exists(os.path.join(sites_path, path)):
				sheets.append(path)
	with made_once():
		Premailer(
			"<html><body><p></p></body></html>",
			external_styles=sheets,
			strip_important=False,
			allow_loading_external_files=True,
			base_path=sites_path,
		).transform()


LONG_TEXT = 4096  # characters: a shorter text keeps pymysql's own escaping


def sql_escapes(table: list[str]) -> tuple[tuple[str, str], ...]:
	"""The characters pymysql's escape table (``pymysql.converters._escape_table``) changes, with
	what it writes for each, the backslash first (the others' escapes hold one)."""
	return tuple(
		sorted(((chr(i), e) for i, e in enumerate(table) if e != chr(i)), key=lambda c: c[0] != "\\")
	)


def _escaped(value: str, escapes: tuple[tuple[str, str], ...]) -> str:
	"""``value`` escaped as ``value.translate(table)`` does, by one ``str.replace`` a character."""
	for char, escaped in escapes:
		if char in value:
			value = value.replace(char, escaped)
	return value


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
