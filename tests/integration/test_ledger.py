"""The ledger on a real site: each rule refuses bad input with its message and saves
nothing; computed figures are stored; per-unit visibility holds on every read path; the
tree gives a parent company its subsidiaries; approval mail goes only to users who may
see the item. Everything is made inside the test and rolled back."""

import email
import json
import re
from html import unescape
from urllib.parse import parse_qs, urlparse

import frappe
import frappe.desk.reportview
import frappe.desk.search
import pytest
from frappe.utils import add_days, nowdate

from qingqian_app.qingqian.doctype.arrears_item.arrears_item import refresh_overdue

from .factories import act, as_user, enterprise, item, queued_mail, set_state, unit, user


def refused(match, make):
	before = frappe.db.count("Arrears Item")
	with pytest.raises(frappe.ValidationError, match=match):
		make()
	assert frappe.db.count("Arrears Item") == before  # nothing half-saved


def test_each_rule_refuses_with_its_message(district):
	refused("停产企业", lambda: item(district.suspended))
	inst = enterprise("测试事业单位债权人", district.institution_code)
	refused("不是民营企业", lambda: item(district.agency, enterprise=inst))
	refused(
		"已清偿合计 100,000.01 元超过欠款金额",
		lambda: item(district.agency, repayments=[{"payment_date": "2026-01-01", "amount": 100000.01}]),
	)
	refused(
		"农民工工资金额", lambda: item(district.agency, involves_migrant_wages=1, migrant_wage_amount=200000)
	)
	refused(
		"不得以承兑汇票清偿",
		lambda: item(
			district.agency,
			due_date="2026-03-01",
			repayments=[
				{
					"payment_date": "2026-01-01",
					"amount": 10,
					"payment_method": "承兑汇票",
					"bill_maturity_date": "2026-06-01",
				}
			],
		),
	)
	refused("有分歧金额", lambda: item(district.agency, disputed_amount=100001))


def test_duplicate_is_refused_with_a_link_to_the_existing_item(district):
	first = item(district.agency, contract_no="HT-2026-001")
	with pytest.raises(frappe.DuplicateEntryError, match=first.name):
		item(district.agency, contract_no="HT-2026-001")
	assert item(district.agency, contract_no="HT-2026-002").name != first.name


def test_figures_are_computed_and_stored(district):
	doc = item(
		district.agency,
		delivery_date=add_days(nowdate(), -40),
		involves_migrant_wages=1,
		migrant_wage_amount=30000,
		disputed_amount=20000,
		repayments=[{"payment_date": add_days(nowdate(), -5), "amount": 25000}],
	)
	assert str(doc.due_date) == add_days(nowdate(), -10)  # 30 days after delivery (条例第九条)
	assert (doc.repaid_amount, doc.outstanding_amount) == (25000, 75000)
	assert (doc.migrant_wage_repaid, doc.migrant_wage_outstanding) == (25000, 5000)
	assert (doc.undisputed_amount, doc.is_disputed) == (80000, 1)
	assert doc.overdue_days == 10
	# 5 days on 100,000 then 5 days on 75,000, at 0.05% a day
	assert doc.overdue_interest == 250 + 187.5
	assert doc.enterprise_scale_at_contract == "小型"
	# counted once its competent unit has approved it (ledger.counts_in_figures)
	assert doc.counted_in_ledger == 0 and doc.workflow_state == "待报送"
	assert set_state(doc, "已入账").counted_in_ledger == 1
	judicial = set_state(item(district.agency, in_judicial_process=1), "已入账")
	assert judicial.counted_in_ledger == 0


def test_daily_job_refreshes_overdue_days(district):
	doc = item(district.agency, due_date=nowdate())
	frappe.db.set_value("Arrears Item", doc.name, "due_date", add_days(nowdate(), -7), update_modified=False)
	refresh_overdue()
	assert frappe.db.get_value("Arrears Item", doc.name, "overdue_days") == 7


def test_a_form_saved_a_day_after_the_items_last_save_keeps_its_figures_as_shown(district):
	"""The form shows the overdue days and interest as of today (the item's onload); the item
	stores them as of its last save. Saving the form as it was shown changes no computed figure
	(seen under load past midnight: every note on an item not saved that day was refused,
	由系统计算或记录). A figure the form never showed is still refused."""
	import json

	from frappe.desk.form.load import getdoc
	from frappe.desk.form.save import savedocs

	reporter = user("it.ledger.shown", ["Debtor Unit Reporter"], debtor_unit=district.agency)
	doc = item(district.agency, due_date=add_days(nowdate(), -10))
	assert doc.overdue_days == 10
	# as stored by the item's save yesterday
	frappe.db.set_value("Arrears Item", doc.name, {"overdue_days": 9, "overdue_interest": 450},
		update_modified=False)  # fmt: skip
	as_user(reporter)
	try:
		frappe.local.response = frappe._dict(docs=[])  # as a request starts (getdoc appends to it)
		getdoc("Arrears Item", doc.name)
		shown = frappe.response.docs[0].as_dict(convert_dates_to_str=True)
		assert (shown["overdue_days"], shown["overdue_interest"]) == (10, 500)
		shown["progress_updates"].append({"doctype": "Arrears Progress Update", "update_date": nowdate(),
			"content": "已约谈，承诺月底前付清", "__islocal": 1})  # fmt: skip
		savedocs(json.dumps(shown, default=str), "Save")
		stored = frappe.db.get_value("Arrears Item", doc.name, ["overdue_days", "overdue_interest"])
		assert stored == (10, 500)
		forged = frappe.get_doc("Arrears Item", doc.name)
		forged.overdue_days = 3
		with pytest.raises(frappe.PermissionError, match="由系统计算或记录，不能填写：逾期天数"):
			forged.save()
	finally:
		as_user("Administrator")


def test_visibility_by_unit_on_every_read_path(district):
	a = item(district.agency).name
	s = item(district.school).name
	g = item(district.grandchild).name
	finance = user("it.finance", ["Member Unit Staff"], member_unit="区财政局")
	soe = user("it.soe", ["Debtor Unit Reporter"], debtor_unit=district.soe)
	school = user("it.school", ["Debtor Unit Reporter"], debtor_unit=district.school)
	mine = {a, s, g}

	def seen(u):
		frappe.set_user(u)
		frappe.local.qingqian_scopes = {}
		lists = {
			"get_list": set(frappe.get_list("Arrears Item", pluck="name")),
			"client.get_list": {
				r["name"] for r in frappe.client.get_list("Arrears Item", limit_page_length=0)
			},
			"reportview": {
				r[0] for r in frappe.desk.reportview.execute("Arrears Item", fields=["name"], as_list=True)
			},
			"search_link": {
				r["value"] for r in frappe.desk.search.search_link("Arrears Item", "QQ-", page_length=1000)
			},
		}
		can_read = {n for n in mine if frappe.has_permission("Arrears Item", "read", doc=n, user=u)}
		frappe.set_user("Administrator")
		return {k: v & mine for k, v in lists.items()}, can_read

	for u, expected in ((finance, {a}), (soe, {g}), (school, {s})):
		lists, can_read = seen(u)
		for path, names in lists.items():
			assert names == expected, (u, path, names)
		assert can_read == expected, (u, can_read)


def test_a_new_principal_never_detaches_items_and_history_is_kept(district):
	doc = item(district.agency, responsible_person_title="主任")
	frappe.db.set_value("Debtor Unit", district.agency, "principal_title", "新任主任")
	assert frappe.get_all("Arrears Item", filters={"debtor_unit": district.agency}, pluck="name") == [
		doc.name
	]
	# a fresh object: in tests Frappe mails workflow actions at once and leaves the inserted
	# object flagged in_print by the PDF it attached, which makes a later save() a no-op
	doc = frappe.get_doc("Arrears Item", doc.name)
	doc.responsible_person_title = "新任主任"
	doc.save()
	titles = [(r.responsible_unit, r.responsible_person_title) for r in doc.responsibility_history]
	assert titles == [(district.agency, "主任"), (district.agency, "新任主任")]


def test_approval_mail_only_to_users_who_may_see_the_item(district):
	from frappe.model.workflow import get_transitions
	from frappe.workflow.doctype.workflow_action.workflow_action import get_users_next_action_data

	finance = user("it.finance.head", ["Member Unit Head"], member_unit="区财政局")
	edu = user("it.edu.head", ["Member Unit Head"], member_unit="区教科局")
	doc = item(district.agency)
	doc.db_set("workflow_state", "待审核")
	transitions = [
		t.as_dict()
		for t in frappe.get_cached_doc("Workflow", "欠款台账流程").transitions
		if t.state == "待审核"
	]
	recipients = set(get_users_next_action_data(transitions, doc))
	assert finance in recipients and edu not in recipients


def test_an_item_sent_back_and_reported_again_reaches_its_approvers_again(district):
	"""Frappe makes the approvers' entry (我的待审批) and mail only the first time a record reaches
	a state; the ledger makes them each time."""
	doc = item(district.agency)

	def entries(status):
		return frappe.get_all("Workflow Action", pluck="name", filters={"reference_name": doc.name,
			"reference_doctype": "Arrears Item", "workflow_state": "待审核", "status": status})  # fmt: skip

	def mails():
		return frappe.db.count(
			"Email Queue", {"reference_doctype": "Arrears Item", "reference_name": doc.name}
		)

	with queued_mail():
		act("Arrears Item", doc.name, "报送")
		first, mailed = entries("Open"), mails()
		assert first and mailed
		act("Arrears Item", doc.name, "退回")
		assert not entries("Open") and entries("Completed") == first
		sent_back = mails()
		act("Arrears Item", doc.name, "报送")
		again = entries("Open")
		assert again and again != first and not entries("Completed")
		assert mails() == sent_back + mailed  # the approvers are mailed again, as the first time


@pytest.fixture
def versioned(monkeypatch):
	"""Saves keep their Version log, as outside tests: who moved an item is read from it, and
	Frappe keeps it on every save but one made in a test (Document._save: ignore_version
	defaults to frappe.flags.in_test)."""
	from frappe.model.document import Document

	own_save = Document.save
	monkeypatch.setattr(
		Document, "save", lambda self, *a, **kw: own_save(self, *a, **{"ignore_version": False, **kw})
	)


class Mailbox:
	"""The approval mails of one record queued since the last look: their recipients, and for
	each mail the files attached and the link to the record's form in its text (or None)."""

	LINK = re.compile(r'<a [^>]*href="([^"]+)"[^>]*>点此查看最新的登记表</a>')

	def __init__(self, doc):
		self.doc, self.seen, self.forms = doc, set(), []

	def new(self) -> set:
		queued = set(frappe.get_all("Email Queue", pluck="name",
			filters={"reference_doctype": self.doc.doctype, "reference_name": self.doc.name}))  # fmt: skip
		new = queued - self.seen
		self.seen.update(queued)
		self.forms = [self.form(name) for name in new]
		return set(
			frappe.get_all("Email Queue Recipient", {"parent": ["in", list(new) or [""]]}, pluck="recipient")
		)

	def form(self, name) -> tuple[list, str | None]:
		message = email.message_from_string(frappe.db.get_value("Email Queue", name, "message"))
		html = "".join(
			part.get_payload(decode=True).decode()
			for part in message.walk()
			if part.get_content_type() == "text/html"
		)
		link = self.LINK.search(html)
		assert "工作流操作" in html and "Workflow Action" not in html  # Frappe's heading, in Chinese
		return [part.get_filename() for part in message.walk() if part.get_filename()], link and unescape(
			link[1]
		)

	def attached(self) -> bool:
		"""Every new mail has the record's form attached, and no link."""
		return bool(self.forms) and self.forms == [([f"{self.doc.name}.pdf"], None)] * len(self.forms)


def form_download(link: str) -> dict:
	"""The form a mail's link gives, once its reader is signed in: the download's arguments."""
	signed_in = urlparse(link)
	assert signed_in.path == "/login"
	pdf = urlparse(parse_qs(signed_in.query)["redirect-to"][0])
	assert pdf.path == "/api/method/frappe.utils.print_format.download_pdf"
	return {k: v[0] for k, v in parse_qs(pdf.query).items()}


def test_an_item_sent_back_is_mailed_to_its_clerk_and_reported_again_to_its_reviewer(
	district, versioned, monkeypatch
):
	"""The first time everyone who may act is mailed, with the item's 登记表; sent back (退回), the
	clerk who reported it; reported again, the reviewer who sent it back: each with a link to the
	登记表 that gives them its PDF, and no PDF made for the mail (editing.to_mail). The entries
	(我的待审批) stay everyone's."""
	from frappe.utils.print_format import download_pdf

	clerk = user("it.mail.clerk", ["Debtor Unit Reporter"], debtor_unit=district.agency)
	other_clerk = user("it.mail.clerk2", ["Debtor Unit Reporter"], debtor_unit=district.agency)
	reviewer = user("it.mail.head", ["Member Unit Head"], member_unit="区财政局")
	other_reviewer = user("it.mail.head2", ["Member Unit Head"], member_unit="区财政局")
	doc = item(district.agency)
	mailbox, printed = Mailbox(doc), []
	own_attach_print = frappe.attach_print
	monkeypatch.setattr(
		frappe, "attach_print", lambda *a, **kw: printed.append(a) or own_attach_print(*a, **kw)
	)
	form = {
		"doctype": "Arrears Item",
		"name": doc.name,
		"format": frappe.get_meta("Arrears Item").default_print_format,
	}

	def linked(handler) -> bool:
		"""The one new mail has no attachment, and its link gives ``handler`` the form's PDF."""
		[(files, link)] = mailbox.forms
		assert not files and link and form_download(link) == form
		as_user(handler)
		try:
			frappe.local.response = frappe._dict()
			download_pdf(**form_download(link))
		finally:
			as_user("Administrator")
		pdf = frappe.local.response
		return pdf.type == "pdf" and pdf.filecontent.startswith(b"%PDF")

	def entries() -> list:
		return frappe.get_all("Workflow Action", pluck="name",
			filters={"reference_name": doc.name, "reference_doctype": "Arrears Item", "status": "Open"})  # fmt: skip

	with queued_mail():
		act("Arrears Item", doc.name, "报送", clerk)
		assert {reviewer, other_reviewer} <= mailbox.new() and mailbox.attached() and len(printed) == 1
		act("Arrears Item", doc.name, "退回", reviewer)
		assert mailbox.new() == {clerk} and entries() and linked(clerk)
		act("Arrears Item", doc.name, "报送", other_clerk)
		assert mailbox.new() == {reviewer} and entries() and linked(reviewer)
		act("Arrears Item", doc.name, "退回", other_reviewer)
		assert mailbox.new() == {other_clerk} and linked(other_clerk)
		assert len(printed) == 1  # no PDF made for the handlers' mails
		# the handler may not act now (the role taken away): everyone who may act, as the first time
		frappe.get_doc("User", other_reviewer).remove_roles("Member Unit Head")
		act("Arrears Item", doc.name, "报送", clerk)
		now = mailbox.new()
		assert reviewer in now and other_reviewer not in now and mailbox.attached()


def test_the_handlers_mail_keeps_the_form_where_its_template_gives_no_link(district, versioned):
	"""A template worded otherwise by the office (no ``form_link``): the form is attached to the
	handler's mail too, so that no mail says less than its text."""
	workflow = frappe.db.get_value("Workflow", {"document_type": "Arrears Item", "is_active": 1})
	template = frappe.db.get_value("Workflow Document State", {"parent": workflow, "state": "待审核"},
		"next_action_email_template")  # fmt: skip
	frappe.db.set_value(
		"Email Template", template, "response", "<p>{{ name }} 请登录清欠系统办理，登记表见附件。</p>"
	)
	clerk = user("it.mail.clerk", ["Debtor Unit Reporter"], debtor_unit=district.agency)
	reviewer = user("it.mail.head", ["Member Unit Head"], member_unit="区财政局")
	doc = item(district.agency)
	mailbox = Mailbox(doc)
	with queued_mail():
		act("Arrears Item", doc.name, "报送", clerk)
		act("Arrears Item", doc.name, "退回", reviewer)
		mailbox.new()
		act("Arrears Item", doc.name, "报送", clerk)
		assert mailbox.new() == {reviewer} and mailbox.attached()


def test_a_steps_mails_are_the_ones_frappe_makes_with_their_shared_work_done_once():
	from frappe.email import email_body
	from frappe.email.doctype.email_account.email_account import EmailAccount
	from frappe.email.email_body import get_formatted_html
	from premailer.premailer import Premailer

	from qingqian_app import workflow_mail

	def patched():
		return (email_body.inline_style_in_html, Premailer._parse_style_rules,
			EmailAccount.is_exists_in_db, Premailer.__init__)  # fmt: skip

	own = patched()
	link = "/api/method/x?action=审核通过&doctype=Arrears+Item&current_state=待审核&user={}&amp;n=1"
	mails = [
		f"<p>请审核</p><a class='btn btn-primary' href='#'>x</a>"
		f'<a class="btn" href="{link.format(u)}">审核通过</a><a class="btn" href="/退回?u={u}">退回</a>'
		for u in ("jia@x.cn", "yi@x.cn", "bing@x.cn")
	] + ['<p>另一种</p><a class="btn" href="/y?a=1&lt;2">查看</a>']
	plain = [get_formatted_html("待您处理", m) for m in mails]
	with workflow_mail.made_once():
		assert email_body.inline_style_in_html is not own[0]
		once = [get_formatted_html("待您处理", m) for m in mails]
	assert once == plain and len(set(plain)) == 4 and all("style=" in m for m in once)
	assert "yi@x.cn" in once[1] and "jia@x.cn" not in once[1]
	assert patched() == own


def test_a_steps_only_mail_is_inlined_once_and_a_layout_twice_for_all_its_mails(monkeypatch):
	"""made_once inlines a step's only mail as Frappe does (once), and a layout of several mails
	twice in all (the first mail, then the layout when the second comes), each mail Frappe's own."""
	from frappe.email import email_body
	from frappe.email.email_body import get_formatted_html

	from qingqian_app import workflow_mail

	mails = [
		f'<p>请审核</p><a class="btn" href="/ok?u={u}">审核通过</a>'
		for u in ("jia@x.cn", "yi@x.cn", "bing@x.cn")
	]
	plain = [get_formatted_html("待您处理", m) for m in mails]
	runs = []
	own = email_body.inline_style_in_html
	monkeypatch.setattr(email_body, "inline_style_in_html", lambda html: runs.append(html) or own(html))
	with workflow_mail.made_once():
		only = get_formatted_html("待您处理", mails[1])
	assert only == plain[1] and len(runs) == 1
	runs.clear()
	with workflow_mail.made_once():
		three = [get_formatted_html("待您处理", m) for m in mails]
	assert three == plain and len(runs) == 2


def test_a_steps_approvers_get_one_pdf_part_made_once_and_the_mails_frappe_makes(monkeypatch):
	"""made_once: the record's PDF is base64-encoded into one MIME part per job and each mail gets
	its own copy; the empty message's markdown is made once; the MIME text is Frappe's own."""
	import re
	from email import encoders
	from email.generator import Generator

	from frappe.email import email_body

	from qingqian_app import workflow_mail

	calls = {"encoded": 0, "markdown": 0, "written": 0}

	def counted(key, fn):
		def wrapper(*args, **kwargs):
			calls[key] += 1
			return fn(*args, **kwargs)

		return wrapper

	def write(self, msg):  # the PDF part written out as MIME text
		calls["written"] += msg.get_filename() == "QQ-2026-00001.pdf"
		return own_write(self, msg)

	own_write = Generator._write
	monkeypatch.setattr(encoders, "encode_base64", counted("encoded", encoders.encode_base64))
	monkeypatch.setattr(email_body, "markdown", counted("markdown", email_body.markdown))
	monkeypatch.setattr(Generator, "_write", write)
	pdf = b"%PDF-1.7 " + bytes(range(256)) * 300  # binary, as a PDF is
	attachments = [{"fname": "QQ-2026-00001.pdf", "fcontent": pdf}]
	recipients = ("jia@x.cn", "yi@x.cn", "bing@x.cn")

	account = frappe.get_doc(
		{"doctype": "Email Account", "email_id": "qingqian@x.cn", "email_account_name": "清欠办"}
	)  # not saved: the outgoing account a mail names

	def mails():
		made = [
			email_body.get_email(
				[r],
				sender="qingqian@x.cn",
				subject="待您处理",
				formatted=f"<p>{r}</p>",
				attachments=attachments,
				email_account=account,
			)
			for r in recipients
		]
		return made, [re.sub(r"=+\d+==|Date: .*", "", m.as_string()) for m in made]

	own = email_body.add_attachment, email_body.markdown, Generator._write
	plain, plain_text = mails()
	assert calls == {"encoded": 3, "markdown": 3, "written": 3}  # Frappe's own: each mail on its own
	with workflow_mail.made_once():
		once, once_text = mails()
		parts = [m.msg_root.get_payload()[-1] for m in once]
		parts[0].add_header("X-Test", "1")  # each mail's part is its own, and written as it is now
		changed = once[0].msg_root.as_string()
	assert calls == {"encoded": 4, "markdown": 4, "written": 5}  # once for the three mails of the step
	assert (email_body.add_attachment, email_body.markdown, Generator._write) == own
	assert once_text == plain_text and "yi@x.cn" in once_text[1] and "jia@x.cn" not in once_text[1]
	assert "X-Test: 1" in changed and "X-Test" not in parts[1] and parts[1].get_payload(decode=True) == pdf
	assert parts[1].get_filename() == "QQ-2026-00001.pdf"


def test_a_mails_long_text_is_escaped_for_its_insert_as_pymysql_escapes_it(monkeypatch):
	"""made_once escapes a text over LONG_TEXT characters (a mail's MIME text, for its Email
	Queue row) by str.replace: the same text as pymysql's table gives, read back as it was."""
	import random

	from pymysql import converters

	from qingqian_app import workflow_mail

	own, ours_escaped, escaped = converters.escape_string, workflow_mail._escaped, []

	def counted(value, escapes):
		escaped.append(value)
		return ours_escaped(value, escapes)

	monkeypatch.setattr(workflow_mail, "_escaped", counted)
	rnd = random.Random(7)
	specials = [c for c, _e in workflow_mail.sql_escapes(converters._escape_table)]
	assert sorted(specials) == sorted("\\\0\n\r\032\"'")
	alphabet = [*specials, *"ab 中文é", "\\0", "\\n", "\\'"]
	texts = ["".join(rnd.choices(alphabet, k=rnd.randint(1, 9000))) for _ in range(300)]
	texts += [t * 2 for t in texts[:50]] + ["x" * 5000, "'" * 5000, "\\" * 5000]
	assert any(len(t) > workflow_mail.LONG_TEXT for t in texts)
	with workflow_mail.made_once():
		assert converters.escape_string is not own
		ours = [converters.escape_string(t) for t in texts]
		long = [t for t in texts if len(t) > workflow_mail.LONG_TEXT]
		escaped.clear()
		# the database's own path escapes by str.replace, and MariaDB reads the text back as it was
		back = [frappe.db.sql("select %s", (t,))[0][0] for t in long]
		assert escaped == long
	assert converters.escape_string is own
	assert ours == [own(t) for t in texts]
	assert back == long


def test_a_layout_is_inlined_once_for_all_the_approvers_of_a_step(monkeypatch):
	from frappe.email import email_body
	from frappe.email.email_body import get_formatted_html

	from qingqian_app import workflow_mail

	made = []
	own = email_body.inline_style_in_html

	def counted(html):
		made.append(html)
		return own(html)

	monkeypatch.setattr(email_body, "inline_style_in_html", counted)
	with workflow_mail.made_once():
		for u in range(6):
			get_formatted_html("待您处理", f'<a class="btn" href="/x?u={u}&amp;s=待审核">审核通过</a>')
	assert len(made) == 2  # the first mail, and its layout with the links masked: no more


def test_the_worker_parses_the_mail_style_sheet_before_it_forks_a_mail_job(monkeypatch):
	"""What ``bench worker`` does before its first fork (commands.preload_worker): the sheet
	Frappe inlines into every mail is parsed there once, so that a mail job, a fork, finds it
	parsed and parses nothing, and still makes the mail Frappe makes."""
	import os

	import cssutils
	from cachetools.keys import hashkey
	from frappe.email.email_body import get_formatted_html
	from frappe.utils.jinja_globals import bundled_asset
	from premailer.cache import cache

	from qingqian_app import workflow_mail

	mail = '<p>请审核</p><a class="btn" href="/x?u=jia@x.cn&amp;s=待审核">审核通过</a>'
	plain = get_formatted_html("待您处理", mail)
	path = os.path.join(frappe.local.sites_path, bundled_asset("email.bundle.css").lstrip("/"))
	with open(path, encoding="utf-8") as f:
		sheet = f.read()
	cache.clear()
	monkeypatch.setattr(workflow_mail, "_RULES", {})
	workflow_mail.prepare_worker(frappe.local.sites_path)
	assert hashkey(sheet, validate=False) in cache  # Frappe's mail sheet, parsed as a job asks for it
	assert [key[0] for key in workflow_mail._RULES] == [sheet]
	parsed = []
	own = cssutils.parseString
	monkeypatch.setattr(cssutils, "parseString", lambda *a, **k: parsed.append(a) or own(*a, **k))
	with workflow_mail.made_once():
		once = get_formatted_html("待您处理", mail)
	assert parsed == [] and once == plain and "style=" in once


@pytest.fixture
def drains(monkeypatch):
	"""The waiting steps kept under keys of the test's own (the site's are left alone), empty at
	the start and the end; the drain jobs queued (their enqueue kwargs), none run; a drain job's
	commits and rollbacks counted, not made (the test's own rollback undoes what it did)."""
	from qingqian_app import workflow_guard

	monkeypatch.setattr(workflow_guard, "PREFIX", "rq:bookkeeping:qingqian-test")
	redis = workflow_guard._redis()

	def clear():
		for key in redis.scan_iter(match=workflow_guard._key("*")):
			redis.delete(key)

	clear()
	queued, done = [], frappe._dict(commits=0, rollbacks=0)
	drain = "qingqian_app.workflow_guard.drain_bookkeeping"
	monkeypatch.setattr(frappe, "enqueue", lambda method, **kw: method == drain and queued.append(kw))
	monkeypatch.setattr(frappe.db, "commit", lambda: setattr(done, "commits", done.commits + 1))
	monkeypatch.setattr(frappe.db, "rollback", lambda **kw: setattr(done, "rollbacks", done.rollbacks + 1))
	yield frappe._dict(queued=queued, done=done, redis=redis)
	clear()


def _step(redis, doctype, name):
	"""A record's step waiting, as [state, reached, user, tries]."""
	from qingqian_app import workflow_guard

	note = redis.get(workflow_guard._key("step", json.dumps([doctype, name])))
	return note and json.loads(note)


def test_waiting_steps_are_done_by_drain_jobs_each_record_its_latest_step(district, drains, monkeypatch):
	"""Each step is noted in Redis: a record's step replaces the one it had waiting; a drain job
	queued and not started is left to find the notes; a drain job does one record after another,
	each as the user who took its latest step, in their language, and committed on its own;
	finding more waiting after taking one, it queues a job for another worker; a step taken
	once a job has started queues the next one."""
	from frappe.translate import get_user_lang

	from qingqian_app import workflow_guard

	first, second = item(district.agency), item(district.agency)
	head = user("it.pending.head", ["Member Unit Head"], member_unit="区财政局")
	frappe.db.set_value("User", head, "language", "en")
	frappe.clear_document_cache("User", head)
	try:
		workflow_guard.queue_bookkeeping("Arrears Item", first.name, "on_update", "待审核", "Administrator")
		workflow_guard.queue_bookkeeping("Arrears Item", first.name, "on_update", "待报送", head)
		workflow_guard.queue_bookkeeping("Arrears Item", first.name, "on_update", "待审核", head)
		workflow_guard.queue_bookkeeping("Arrears Item", second.name, "on_update", "待报送", "Administrator")
		assert len(drains.queued) == 1 and workflow_guard.waiting() == 2  # one job for the four steps
		seen = []

		def bookkeeping(*args):
			# what the record before left in the process is not there: messages, a print flag
			assert frappe.local.message_log == [] and not frappe.flags.ignore_print_permissions
			seen.append((*args, frappe.session.user, frappe.local.lang))
			frappe.local.message_log.append("上一条的消息")
			frappe.flags.ignore_print_permissions = True

		monkeypatch.setattr(workflow_guard, "workflow_bookkeeping", bookkeeping)
		workflow_guard.drain_bookkeeping()
		assert get_user_lang("Administrator") != "en"
		assert sorted(seen) == sorted([
			("Arrears Item", first.name, "on_update", "待审核", head, "en"),
			("Arrears Item", second.name, "on_update", "待报送", "Administrator", get_user_lang("Administrator")),
		])  # fmt: skip
		assert drains.done.commits == 2 and workflow_guard.waiting() == 0
		assert len(drains.queued) == 2  # one more waited after it took the first: a job for the other worker
		workflow_guard.queue_bookkeeping("Arrears Item", first.name, "on_update", "待报送", head)
		assert len(drains.queued) == 2  # that job is queued and has not started: it finds this step
		workflow_guard.drain_bookkeeping()  # it starts
		assert seen[-1][:5] == ("Arrears Item", first.name, "on_update", "待报送", head)
		workflow_guard.queue_bookkeeping("Arrears Item", second.name, "on_update", "待审核", head)
		assert len(drains.queued) == 3  # none queued now: the step queues one
	finally:
		frappe.clear_document_cache("User", head)


def test_a_drain_job_killed_midway_does_the_steps_in_its_hand_when_queued_again(
	district, drains, monkeypatch
):
	"""What a drain job has taken stays in Redis until it is done: the same job, queued again by
	the recovery after its process was killed, does those steps first."""
	import rq

	from qingqian_app import workflow_guard

	doc = item(district.agency)
	monkeypatch.setattr(rq, "get_current_job", lambda: frappe._dict(id="qingqian-test-drain"))
	hand = workflow_guard._key("hand", "qingqian-test-drain")
	workflow_guard.queue_bookkeeping("Arrears Item", doc.name, "on_update", "待审核", "Administrator")
	take = drains.redis.register_script(workflow_guard._TAKE)
	keys = [workflow_guard._key("waiting"), hand, workflow_guard._key("hands")]
	assert take(keys=keys, args=[workflow_guard._key("step", ""), 60])
	# taken, then the process was killed
	assert workflow_guard.waiting() == 0 and len(drains.redis.smembers(hand)) == 1
	seen = []
	monkeypatch.setattr(workflow_guard, "workflow_bookkeeping", lambda *args: seen.append(args))
	workflow_guard.drain_bookkeeping()
	assert seen == [("Arrears Item", doc.name, "on_update", "待审核")]
	assert drains.redis.smembers(hand) == set()


def test_a_record_whose_bookkeeping_fails_is_logged_and_the_others_are_done(district, drains, monkeypatch):
	"""One record's error does not stop the job: it is rolled back and logged (Error Log), the
	others are done; a record that still loses a deadlock after its tries (deadlocks.retried)
	waits again, and is done."""
	from qingqian_app import deadlocks, workflow_guard

	broken, locked, fine = item(district.agency), item(district.agency), item(district.agency)
	for doc in (broken, locked, fine):
		workflow_guard.queue_bookkeeping("Arrears Item", doc.name, "on_update", "待审核", "Administrator")
	tries, logged = [], []

	def bookkeeping(doctype, name, state, reached):
		tries.append(name)
		if name == broken.name:
			raise frappe.ValidationError("测试：生成失败")
		if name == locked.name and tries.count(name) <= deadlocks.ATTEMPTS:
			raise frappe.QueryDeadlockError("测试：死锁")

	monkeypatch.setattr(workflow_guard, "_bookkeeping", bookkeeping)
	monkeypatch.setattr(frappe, "log_error", lambda title=None, **kw: logged.append(title))
	workflow_guard.drain_bookkeeping()
	assert tries.count(locked.name) == deadlocks.ATTEMPTS + 1 and tries.count(fine.name) == 1
	assert logged == [f"审批待办与提醒邮件未能生成：{frappe._('Arrears Item')} {broken.name}"]
	assert workflow_guard.waiting() == 0


@pytest.mark.parametrize("cut_off", ["database away", "time up"])
def test_a_drain_job_cut_off_ends_and_its_step_waits_again(district, drains, monkeypatch, cut_off):
	"""The database away (or the job's time up) ends the job; the step it was doing waits
	again, a few times at most (recovery.STEP_TRIES), then is given up."""
	from pymysql.err import OperationalError
	from rq.timeouts import JobTimeoutException

	from qingqian_app import workflow_guard
	from qingqian_app.domain import recovery

	doc = item(district.agency)
	workflow_guard.queue_bookkeeping("Arrears Item", doc.name, "on_update", "待审核", "Administrator")
	error = {
		"database away": OperationalError(2013, "Lost connection to server during query"),
		"time up": JobTimeoutException("Task exceeded maximum timeout value (300 seconds)"),
	}[cut_off]

	def away(*args):
		raise error

	monkeypatch.setattr(workflow_guard, "workflow_bookkeeping", away)
	for tries in range(1, recovery.STEP_TRIES):
		with pytest.raises(type(error)):
			workflow_guard.drain_bookkeeping()
		assert _step(drains.redis, "Arrears Item", doc.name) == [
			"on_update",
			"待审核",
			"Administrator",
			tries,
		]
	with pytest.raises(type(error)):
		workflow_guard.drain_bookkeeping()
	assert workflow_guard.waiting() == 0 and _step(drains.redis, "Arrears Item", doc.name) is None


def test_steps_left_waiting_or_in_a_dead_jobs_hand_get_a_job_from_the_recovery(district, drains, monkeypatch):
	"""Steps waiting with no drain job queued get one; the hand of a job RQ no longer has (or has
	failed for good) goes back to wait, one try used; a running job's hand is left to it."""
	from rq.job import Job, JobStatus

	from qingqian_app import workflow_guard
	from qingqian_app.operations import recovery

	assert recovery.queue_waiting_bookkeeping() == 0 and drains.queued == []
	doc, gone, running = item(district.agency), item(district.agency), item(district.agency)
	workflow_guard.queue_bookkeeping("Arrears Item", doc.name, "on_update", "待审核", "Administrator")
	drains.redis.delete(workflow_guard._key("queued"))  # its job was lost before it started
	assert recovery.queue_waiting_bookkeeping() == 1 and len(drains.queued) == 2
	assert recovery.queue_waiting_bookkeeping() == 1 and len(drains.queued) == 2  # one queued is enough
	fetch = Job.fetch
	monkeypatch.setattr(Job, "fetch", lambda job_id, connection=None: frappe._dict(get_status=lambda: JobStatus.STARTED)
		if job_id == "qingqian-test-running" else fetch(job_id, connection=connection))  # fmt: skip
	for job, other in (("qingqian-test-gone", gone), ("qingqian-test-running", running)):
		hand = workflow_guard._key("hand", job)
		drains.redis.sadd(
			hand, f'{json.dumps(["Arrears Item", other.name])}\n["on_update", "待报送", "Administrator", 0]'
		)
		drains.redis.sadd(workflow_guard._key("hands"), hand)
	assert recovery.queue_waiting_bookkeeping() == 2
	assert _step(drains.redis, "Arrears Item", gone.name) == ["on_update", "待报送", "Administrator", 1]
	assert _step(drains.redis, "Arrears Item", running.name) is None
	assert len(drains.redis.smembers(workflow_guard._key("hand", "qingqian-test-running"))) == 1


def test_a_bookkeeping_job_whose_item_moved_on_leaves_it_to_the_next_steps_job(district):
	from qingqian_app.workflow_guard import workflow_bookkeeping

	doc = item(district.agency)
	frappe.db.set_value("Arrears Item", doc.name, "workflow_state", "待审核", update_modified=False)

	def entries():
		return frappe.get_all("Workflow Action", pluck="workflow_state", filters={"reference_name": doc.name})

	workflow_bookkeeping("Arrears Item", doc.name, "on_update", reached="待报送")  # sent back since
	assert entries() == []
	workflow_bookkeeping("Arrears Item", doc.name, "on_update", reached="待审核")
	assert entries() == ["待审核"]


def test_a_units_tree_kept_in_redis_follows_each_change_of_the_tree(district):
	"""The units a debtor unit's users see are kept between requests: a unit added below theirs,
	moved away or deleted is seen so at the next request."""
	from qingqian_app.permissions import subtree, user_scope

	reporter = user("it.tree.rep", ["Debtor Unit Reporter"], debtor_unit=district.soe)

	def seen():
		frappe.local.qingqian_scopes = {}  # a new request
		return set(user_scope(reporter).debtor_units)

	before = seen()
	assert {district.soe, district.sub, district.grandchild} <= before
	assert subtree(district.soe) == tuple(subtree(district.soe))  # kept: read again from Redis
	added = unit("测试城投新子公司己", "国有企业", "区城投公司", parent=district.soe, ownership="全资")
	assert seen() == before | {added}
	moved = frappe.get_doc("Debtor Unit", added)
	moved.parent_debtor_unit, moved.ownership = None, None
	moved.save(ignore_permissions=True)
	assert seen() == before
	frappe.delete_doc("Debtor Unit", district.grandchild, ignore_permissions=True, force=True)
	assert seen() == before - {district.grandchild}
