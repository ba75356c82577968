"""Files follow the record they belong to (qingqian_app/file_guard.py, issue 21).

The victim is 区机关事务服务中心's reporter with a private file on one of its items; the
attackers are 区第一中学's reporter (another debtor unit) and 区教科局's head (a member unit
competent for other units). Each path of the issue is tried and must be refused with nothing
written or moved on disk; the record's own users still attach, list and download."""

import os
import types

import pytest

frappe = pytest.importorskip("frappe")

from frappe.core.doctype.file.utils import find_file_by_url

from .factories import as_user, fake_request

D = "@demo.qingqian.example.com"
VICTIM, ATTACKER, MEMBER = f"debtor.reporter{D}", f"school.reporter{D}", f"edu.head{D}"
AGENCY, SCHOOL = "区机关事务服务中心", "区第一中学"


@pytest.fixture
def case():
	"""A 待报送 item of 区机关事务服务中心 with the victim's private file, a closed (已销号) item of
	the same unit, and an item of 区第一中学."""
	for user, unit in ((VICTIM, AGENCY), (ATTACKER, SCHOOL)):
		assert frappe.db.get_value("User", user, "qingqian_debtor_unit") == unit, "demo users changed"
	# the demo's items (a new item would contend for the next number with other test runs)
	own = _demo_item(AGENCY, "待报送")
	closed = _demo_item(AGENCY, "已销号")
	other = _demo_item(SCHOOL, "清偿中")
	as_user(VICTIM)
	tag = frappe.generate_hash(length=6)
	victim_file = _file(f"victim-{tag}.csv", b"secret," + tag.encode(), "Arrears Item", own.name)
	as_user("Administrator")
	assert frappe.has_permission("Arrears Item", "read", own.name, user=VICTIM)
	assert not frappe.has_permission("Arrears Item", "read", own.name, user=ATTACKER)
	return frappe._dict(
		item=own,
		closed=closed,
		other=other,
		file=victim_file,
		url=victim_file.file_url,
		tag=tag,
		attackers_files=set(_files_of(ATTACKER)),
	)


def _demo_item(unit, state):
	name = frappe.db.get_value("Arrears Item", {"debtor_unit": unit, "workflow_state": state}, "name")
	assert name, f"no {state} item of {unit} in the demo data"
	return frappe.get_doc("Arrears Item", name)


def _file(name, content, doctype=None, docname=None, **kw):
	return frappe.get_doc(
		{
			"doctype": "File",
			"file_name": name,
			"content": content,
			"attached_to_doctype": doctype,
			"attached_to_name": docname,
			"is_private": 1,
			**kw,
		}
	).insert()


def _on_disk(url):
	private = url.startswith("/private/files/")
	return os.path.exists(
		frappe.get_site_path("private" if private else "public", "files", url.split("/")[-1])
	)


def _files_of(user):
	return frappe.get_all("File", filters={"owner": user, "is_folder": 0}, pluck="name")


def _listed(user, **filters):
	as_user(user)
	try:
		return set(frappe.get_list("File", filters=filters, pluck="name"))
	finally:
		as_user("Administrator")


# --- the record's own users ---------------------------------------------------------------------


def test_own_users_attach_list_and_download(case):
	assert _on_disk(case.url) and case.url.startswith("/private/files/")
	assert case.file.name in _listed(VICTIM, attached_to_doctype="Arrears Item")
	as_user(VICTIM)
	assert find_file_by_url(case.url).name == case.file.name  # the download's check
	assert frappe.has_permission("File", "read", doc=case.file)
	# a second file of the same item, and the same content again (Frappe reuses the file)
	again = _file("again.csv", b"secret," + case.tag.encode(), "Arrears Item", case.item.name)
	assert again.file_url == case.url
	# the office lists it too
	assert case.file.name in _listed(f"office.staff{D}", attached_to_doctype="Arrears Item")


def test_own_user_makes_own_attachment_public_when_the_field_is_editable(case):
	as_user(VICTIM)
	mine = _file(f"contract-{case.tag}.txt", b"c" + case.tag.encode(), "Arrears Item", case.item.name)
	mine.attached_to_field = "contract_name"  # 待报送: the reporter edits the contract's data
	mine.is_private = 0
	mine.save()
	assert mine.file_url.startswith("/files/") and _on_disk(mine.file_url)
	assert frappe.db.get_value("Arrears Item", case.item.name, "contract_name") == mine.file_url


# --- other units ----------------------------------------------------------------------------------


def test_other_unit_neither_lists_nor_reads_nor_downloads(case):
	assert case.file.name not in _listed(ATTACKER, attached_to_doctype="Arrears Item")
	assert case.file.name not in _listed(ATTACKER, file_url=case.url)
	assert case.file.name not in _listed(MEMBER)  # 区教科局 is not 区机关事务服务中心's competent unit
	as_user(ATTACKER)
	assert not frappe.has_permission("File", "read", doc=case.file)
	assert find_file_by_url(case.url) is None


@pytest.mark.parametrize(
	"address",
	[
		"{url}",
		"{site}{url}",
		"http://another-host.example{url}",
		"{dir}/./{name}",
		"{dir}//{name}",
		"{dir}/../files/{name}",
		"{dir}/{quoted}",
	],
)
def test_a_file_of_ones_own_at_anothers_address_is_refused(case, address):
	name = case.url.rsplit("/", 1)[1]
	url = address.format(
		url=case.url,
		site=frappe.utils.get_url(),
		dir="/private/files",
		name=name,
		quoted=name.replace("-", "%2D"),
	)
	as_user(ATTACKER)
	with pytest.raises(frappe.PermissionError):
		frappe.get_doc({"doctype": "File", "file_url": url}).insert()
	assert set(_files_of(ATTACKER)) == case.attackers_files
	assert find_file_by_url(case.url) is None
	assert _on_disk(case.url)


@pytest.mark.parametrize("content", ["", "data:,", "=="])
def test_content_that_decodes_to_nothing_leaves_the_address_checked(case, content):
	as_user(ATTACKER)
	with pytest.raises(frappe.PermissionError):
		frappe.get_doc({"doctype": "File", "file_url": case.url, "content": content, "decode": 1}).insert()
	assert set(_files_of(ATTACKER)) == case.attackers_files


def test_content_beside_a_full_address_or_a_folder_is_no_way_round(case):
	"""Frappe ignores the content of a File with an http(s) address (its own site's becomes
	the local address); a folder is found by the download by its address too."""
	as_user(ATTACKER)
	full = frappe.utils.get_url() + case.url
	with pytest.raises(frappe.PermissionError):
		frappe.get_doc({"doctype": "File", "file_url": full, "content": b"mine"}).insert()
	with pytest.raises(frappe.PermissionError):
		frappe.get_doc({"doctype": "File", "is_folder": 1, "file_name": "f", "file_url": case.url}).insert()
	mine = _file(f"mine-{case.tag}.txt", b"mine" + case.tag.encode())
	doc = frappe.get_doc("File", mine.name)
	doc.is_folder, doc.file_url = 1, case.url
	with pytest.raises(frappe.PermissionError):
		doc.save()
	assert set(_files_of(ATTACKER)) == case.attackers_files | {mine.name}
	assert find_file_by_url(case.url) is None


def test_upload_file_by_address_and_from_the_library_are_refused(case, request_files):
	from frappe.handler import upload_file

	as_user(ATTACKER)
	frappe.local.form_dict = frappe._dict(file_url=case.url, is_private=1)
	with pytest.raises(frappe.PermissionError):
		upload_file()
	frappe.local.form_dict = frappe._dict(library_file_name=case.file.name)
	with pytest.raises(frappe.PermissionError):
		upload_file()
	assert set(_files_of(ATTACKER)) == case.attackers_files


def test_a_name_that_differs_only_by_case_is_refused(case):
	"""The database finds files by address ignoring case: the download would serve the
	victim's file through the attacker's record."""
	as_user(ATTACKER)
	upper = case.url.rsplit("/", 1)[1].upper()
	with pytest.raises(frappe.PermissionError):
		_file(upper, b"mine")
	assert set(_files_of(ATTACKER)) == case.attackers_files
	frappe.db.rollback()  # Frappe removes what the refused upload wrote
	assert not os.path.exists(frappe.get_site_path("private", "files", upper))


def test_ledger_import_cannot_take_anothers_file(case):
	as_user(ATTACKER)
	with pytest.raises(frappe.PermissionError):
		frappe.get_doc({"doctype": "File", "file_url": case.url}).insert()
	with pytest.raises(frappe.PermissionError):
		frappe.get_doc({"doctype": "Ledger Import", "import_file": case.url}).insert()


def test_attaching_to_anothers_record_is_refused(case):
	as_user(ATTACKER)
	with pytest.raises(frappe.PermissionError):
		_file("intrude.txt", b"x", "Arrears Item", case.item.name)
	with pytest.raises(frappe.PermissionError):  # a record not there yet, by its future name
		_file("intrude.txt", b"x", "Arrears Item", "QQ-2099-99999")
	mine = _file(f"mine-{frappe.generate_hash(length=6)}.txt", b"mine")
	mine.attached_to_doctype, mine.attached_to_name = "Arrears Item", case.item.name
	with pytest.raises(frappe.PermissionError):
		mine.save()
	assert not frappe.get_all("File", filters={"attached_to_name": case.item.name, "owner": ATTACKER})


def test_toggle_cannot_write_a_closed_record_nor_move_its_file(case):
	"""Frappe writes the attached record's field with db.set_value when a file goes public."""
	as_user(ATTACKER)
	mine = _file(f"mine-{case.tag}.txt", b"mine" + case.tag.encode())
	mine.update(
		{
			"attached_to_doctype": "Arrears Item",
			"attached_to_name": case.closed.name,
			"attached_to_field": "contract_name",
			"is_private": 0,
		}
	)
	with pytest.raises(frappe.PermissionError):
		mine.save()
	assert _on_disk(mine.file_url) and mine.file_url.startswith("/private/")
	assert frappe.db.get_value("Arrears Item", case.closed.name, "contract_name") == case.closed.contract_name


def test_own_unit_cannot_write_a_field_the_state_freezes(case):
	"""The record's own reporter may write the record but not, once closed, its fields."""
	as_user("Administrator")
	frozen = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": f"closed-{case.tag}.txt",
			"content": b"closed" + case.tag.encode(),
			"attached_to_doctype": "Arrears Item",
			"attached_to_name": case.closed.name,
			"attached_to_field": "contract_name",
			"is_private": 1,
		}
	).insert()
	frappe.db.set_value("File", frozen.name, "owner", VICTIM)
	as_user(VICTIM)
	assert frappe.has_permission("Arrears Item", "write", case.closed.name)
	doc = frappe.get_doc("File", frozen.name)
	doc.is_private = 0
	with pytest.raises(frappe.PermissionError):
		doc.save()
	assert _on_disk(frozen.file_url)
	assert frappe.db.get_value("Arrears Item", case.closed.name, "contract_name") == case.closed.contract_name


def test_an_old_rogue_record_cannot_move_the_victims_file(case):
	"""A File made at the victim's address before this guard (as Frappe allowed): toggling it
	would move the victim's file where Guest reads it."""
	as_user("Administrator")
	rogue = frappe.get_doc({"doctype": "File", "file_url": case.url}).insert()
	frappe.db.set_value("File", rogue.name, "owner", ATTACKER)
	as_user(ATTACKER)
	doc = frappe.get_doc("File", rogue.name)
	doc.is_private = 0
	with pytest.raises(frappe.PermissionError):
		doc.save()
	doc = frappe.get_doc("File", rogue.name)
	doc.content_hash = "0" * 32
	with pytest.raises(frappe.PermissionError):
		doc.save()
	assert _on_disk(case.url)
	assert frappe.db.get_value("File", case.file.name, "file_url") == case.url


def test_detach_and_delete_need_write_on_the_record(case):
	as_user("Administrator")
	legacy = _file(f"legacy-{case.tag}.txt", b"legacy" + case.tag.encode(), "Arrears Item", case.item.name)
	frappe.db.set_value("File", legacy.name, "owner", ATTACKER)
	as_user(ATTACKER)
	doc = frappe.get_doc("File", legacy.name)
	doc.attached_to_doctype = doc.attached_to_name = None
	with pytest.raises(frappe.PermissionError):
		doc.save()
	with pytest.raises(frappe.PermissionError):
		frappe.delete_doc("File", case.file.name)
	frappe.local.form_dict = frappe._dict(fid=case.file.name)
	from frappe.desk.form.utils import remove_attach

	with pytest.raises(frappe.PermissionError):
		remove_attach()
	assert frappe.db.exists("File", case.file.name) and _on_disk(case.url)
	assert frappe.db.get_value("File", legacy.name, "attached_to_name") == case.item.name


def test_an_attach_field_cannot_name_anothers_file(case):
	"""Frappe's attach_files_to_document makes a File (ignore_permissions) for an Attach
	field's address: 区教科局 would read 区机关事务服务中心's file through its own item."""
	as_user(MEMBER)
	doc = frappe.get_doc("Arrears Item", case.other.name)
	doc.confirmation_document = case.url
	with pytest.raises(frappe.PermissionError):
		doc.save()
	assert not frappe.get_all("File", filters={"attached_to_name": case.other.name, "file_url": case.url})
	assert find_file_by_url(case.url) is None
	# a repayment's voucher likewise (a row of the item's table)
	as_user(ATTACKER)
	doc = frappe.get_doc("Arrears Item", case.other.name)
	doc.append("repayments", {"payment_date": frappe.utils.nowdate(), "amount": 1, "voucher": case.url})
	with pytest.raises(frappe.PermissionError):
		doc.save()


def test_a_file_without_a_record_is_not_taken_by_address(case):
	"""A file on disk that no File names (left behind): nobody takes it by its address; an
	address where no file is stays a plain value (Frappe makes no File of it)."""
	name = f"orphan-{case.tag}.txt"
	path = frappe.get_site_path("private", "files", name)
	with open(path, "wb") as f:
		f.write(b"orphan")
	try:
		as_user(ATTACKER)
		with pytest.raises(frappe.PermissionError, match="须是您本人上传的文件"):
			frappe.get_doc({"doctype": "File", "file_url": f"/private/files/{name}"}).insert()
		as_user(MEMBER)
		doc = frappe.get_doc("Arrears Item", case.other.name)
		doc.confirmation_document = f"/private/files/{name}"
		with pytest.raises(frappe.PermissionError, match="企业书面确认"):
			doc.save()
		doc = frappe.get_doc("Arrears Item", case.other.name)
		doc.confirmation_document = f"/private/files/missing-{case.tag}.pdf"
		doc.save()
	finally:
		os.remove(path)


def test_an_attach_field_takes_ones_own_upload(case):
	as_user(MEMBER)
	mine = _file(
		f"confirm-{case.tag}.pdf", b"%PDF confirm" + case.tag.encode(), "Arrears Item", case.other.name
	)
	doc = frappe.get_doc("Arrears Item", case.other.name)
	doc.confirmation_document = mine.file_url
	doc.save()
	assert frappe.db.get_value("Arrears Item", case.other.name, "confirmation_document") == mine.file_url


def test_attach_file_needs_write_not_only_read(case):
	"""frappe.client.attach_file checks read on the record only; the leader reads every item
	but writes none."""
	from frappe.client import attach_file

	leader = f"leader{D}"
	assert frappe.has_permission("Arrears Item", "read", case.item.name, user=leader)
	assert not frappe.has_permission("Arrears Item", "write", case.item.name, user=leader)
	as_user(leader)
	with pytest.raises(frappe.PermissionError):
		attach_file("note.txt", "bm90ZQ==", "Arrears Item", case.item.name, decode_base64=1, is_private=1)
	assert not frappe.get_all("File", filters={"attached_to_name": case.item.name, "owner": leader})


def test_own_unattached_uploads_stay_listed(case):
	as_user(ATTACKER)
	mine = _file(f"mine-{case.tag}.txt", b"mine" + case.tag.encode())
	assert mine.name in _listed(ATTACKER)
	as_user(ATTACKER)
	assert find_file_by_url(mine.file_url).name == mine.name


def test_a_mail_attaches_only_files_its_sender_may_read(case):
	"""The mail dialog's make(attachments=[File name]) would copy the victim's file onto the
	attacker's Communication (and mail it)."""
	from qingqian_app.file_guard import make_communication

	mail = {"subject": "x", "content": "x", "recipients": "x@example.com", "send_email": 0}
	as_user(ATTACKER)
	with pytest.raises(frappe.PermissionError):
		make_communication(attachments=[case.file.name], **mail)
	assert not frappe.get_all("File", filters={"file_url": case.url, "attached_to_doctype": "Communication"})
	as_user(VICTIM)
	done = make_communication(
		doctype="Arrears Item", name=case.item.name, attachments=frappe.as_json([case.file.name]), **mail
	)
	assert frappe.get_all("File", filters={"attached_to_name": done["name"], "file_url": case.url})


@pytest.fixture
def request_files():
	with fake_request(types.SimpleNamespace(files={}, headers={}), {}):
		yield


@pytest.mark.parametrize("name", ['<img src=x onerror="alert(1)">.txt', "a>b.csv", "合同'.pdf"])
def test_a_file_name_the_desk_would_show_as_html_is_refused(case, name):
	"""The form's attachments list shows a File's name as HTML: markup in it is refused at upload
	and at rename, and nothing is written to disk."""
	as_user(VICTIM)
	with pytest.raises(frappe.ValidationError, match="文件名不能含有"):
		_file(name, b"x" + case.tag.encode(), "Arrears Item", case.item.name)
	assert not frappe.get_all("File", filters={"file_name": name})
	with pytest.raises(frappe.ValidationError, match="文件名不能含有"):
		frappe.get_doc("File", case.file.name).update({"file_name": name}).save()
