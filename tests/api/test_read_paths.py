"""Every read path, tried by a user of another unit (school.reporter) on an item and a lead of
区机关事务服务中心, and by a user who reads every lead but not its contact data (the leader)
with a filter on that permlevel-1 field: lists, counts, values, report view, sidebar and
group-by counts, link and global search, the form with its versions, comments and
attachments, print, PDF and mail. Each answers nothing or refuses."""

import json

import pytest

from .conftest import URL
from .helpers import DEBTOR, LEAD_ENTERPRISE, Actor, mark, message, new_item, state

LEAD = "Complaint Lead"
ITEM = "Arrears Item"


@pytest.fixture(scope="module")
def a():
	return {
		n: Actor(n)
		for n in ("debtor.reporter", "complaint.officer", "debtor.head", "school.reporter", "leader")
	}


@pytest.fixture(scope="module")
def records(a):
	reporter = a["debtor.reporter"]
	item = new_item(reporter, arrears_amount=43210)
	reporter.call("frappe.desk.form.utils.add_comment", reference_doctype=ITEM, reference_name=item["name"],
		content="内部意见：暂缓支付", comment_email=reporter.user, comment_by="填报员")  # fmt: skip
	attached = reporter.s.post(
		f"{URL}/api/method/upload_file",
		files={"file": ("合同.txt", "合同内容：金额 43,210 元".encode())},
		data={"doctype": ITEM, "docname": item["name"], "is_private": 1},
		timeout=30,
	)
	assert attached.status_code == 200, message(attached)
	reporter.put(item["name"], description="更新说明")  # a version
	o = a["complaint.officer"]
	lead = o.create(LEAD, channel="12345热线", enterprise=LEAD_ENTERPRISE, respondent_unit=DEBTOR, claimed_amount=43210,
		contract_no=mark(), description="逾期未付", complainant_phone="0356-2000177").json()["data"]  # fmt: skip
	assert state(o.act(lead["name"], "受理", LEAD)) == "已受理"
	o.put(lead["name"], LEAD, transferred_to=DEBTOR)
	assert state(o.act(lead["name"], "转办", LEAD)) == "已转办"
	return {"item": item, "lead": lead, "file": attached.json()["message"]}


def names_in(r) -> set:
	if r.status_code != 200:
		return set()
	body = r.json()
	rows = body.get("data") or body.get("message") or []
	if isinstance(rows, dict):
		rows = rows.get("values") or rows.get("results") or []
	out = set()
	for row in rows:
		if isinstance(row, dict):
			out |= {row.get("name"), row.get("value")}
		elif isinstance(row, list | tuple):
			out |= set(row)
	return out


def test_lists_counts_and_values_show_another_units_nothing(a, records):
	s, item = a["school.reporter"], records["item"]["name"]
	amount = [["arrears_amount", "=", 43210], ["debtor_unit", "=", DEBTOR]]
	f = json.dumps(amount)
	answers = {
		"get_list": s.call("frappe.client.get_list", doctype=ITEM, filters=f, limit_page_length=0),
		"api/resource": s.s.get(f"{URL}/api/resource/{ITEM}", params={"filters": f}, timeout=30),
		"get_value": s.call("frappe.client.get_value", doctype=ITEM, fieldname="name", filters=f),
		"reportview.get": s.call(
			"frappe.desk.reportview.get", doctype=ITEM, fields=json.dumps(["name"]), filters=f
		),
		"search_link": s.call("frappe.desk.search.search_link", doctype=ITEM, txt="宏达"),
		"global search": s.call("frappe.utils.global_search.search", text="宏达"),
	}
	for path, r in answers.items():
		assert item not in names_in(r), path
	counts = {
		"get_count": s.call("frappe.client.get_count", doctype=ITEM, filters=f),
		"reportview.get_count": s.call("frappe.desk.reportview.get_count", doctype=ITEM, filters=f),
		"api/v2 count": s.s.get(f"{URL}/api/v2/doctype/{ITEM}/count", params={"filters": f}, timeout=30),
	}
	for path, r in counts.items():
		assert r.status_code == 200 and (r.json().get("message") or r.json().get("data") or 0) == 0, (
			path,
			r.text[:200],
		)
	for field in ("debtor_unit", "assigned_to"):
		r = s.call("frappe.desk.listview.get_group_by_count", doctype=ITEM, current_filters=f, field=field)
		assert r.status_code == 200 and all(
			row["count"] == 0 or row["name"] != DEBTOR for row in r.json()["message"]
		), field
	# the unit itself sees its item on the same paths
	mine = a["debtor.reporter"]
	assert item in names_in(mine.call("frappe.client.get_list", doctype=ITEM, filters=f))
	assert mine.call("frappe.client.get_count", doctype=ITEM, filters=f).json()["message"] >= 1
	number = str(int(item.rsplit("-", 1)[1]))
	assert item in names_in(mine.call("frappe.desk.search.search_link", doctype=ITEM, txt=number))
	found = mine.call("frappe.utils.global_search.search", text="宏达").json()["message"]
	assert {"Enterprise", ITEM} <= {r["doctype"] for r in found}  # a fragment of a Chinese name


def test_the_record_and_what_hangs_on_it_are_closed_to_another_unit(a, records):
	s, item = a["school.reporter"], records["item"]["name"]
	closed = {
		"getdoc (form, versions, comments)": s.method_get(
			"frappe.desk.form.load.getdoc", doctype=ITEM, name=item
		),
		"docinfo": s.method_get("frappe.desk.form.load.get_docinfo", doctype=ITEM, name=item),
		"Version": s.s.get(
			f"{URL}/api/resource/Version", params={"filters": json.dumps([["docname", "=", item]])}
		),
		"Comment": s.s.get(
			f"{URL}/api/resource/Comment", params={"filters": json.dumps([["reference_name", "=", item]])}
		),
		"File record": s.s.get(f"{URL}/api/resource/File/{records['file']['name']}"),
		"File download": s.s.get(f"{URL}{records['file']['file_url']}"),
		"printview": s.s.get(
			f"{URL}/printview", params={"doctype": ITEM, "name": item, "format": "台账登记表"}
		),
		"PDF": s.method_get(
			"frappe.utils.print_format.download_pdf", doctype=ITEM, name=item, format="台账登记表"
		),
		"mail": s.call(
			"frappe.core.doctype.communication.email.make",
			doctype=ITEM,
			name=item,
			content="转发",
			recipients="x@example.com",
			send_email=0,
		),  # fmt: skip
	}
	for path, r in closed.items():
		leaked = "43,210" in r.text or "43210" in r.text or "暂缓支付" in r.text or "合同内容" in r.text
		assert r.status_code in (403, 404) or (r.status_code == 200 and not leaked and not names_in(r) - {None}), (
			path, r.status_code, r.text[:200])  # fmt: skip
		assert not leaked, path
	# the unit itself reads its comment and file
	mine = a["debtor.reporter"]
	doc = mine.method_get("frappe.desk.form.load.getdoc", doctype=ITEM, name=item).json()
	assert "暂缓支付" in json.dumps(doc, ensure_ascii=False)
	assert mine.s.get(f"{URL}{records['file']['file_url']}", timeout=30).status_code == 200


def test_no_one_filters_sorts_or_groups_on_what_they_may_not_read(a, records):
	leader = a["leader"]  # reads every lead, not the complainant's contact data
	phone = json.dumps([["complainant_phone", "like", "0356%"]])
	refused = {
		"get_list": leader.call("frappe.client.get_list", doctype=LEAD, filters=phone),
		"get_count": leader.call("frappe.client.get_count", doctype=LEAD, filters=phone),
		"get_value": leader.call("frappe.client.get_value", doctype=LEAD, fieldname="name", filters=phone),
		"api/resource": leader.s.get(f"{URL}/api/resource/{LEAD}", params={"filters": phone}, timeout=30),
		"order_by": leader.s.get(
			f"{URL}/api/resource/{LEAD}", params={"order_by": "complainant_phone asc"}, timeout=30
		),
		"or_filters": leader.s.get(f"{URL}/api/resource/{LEAD}", params={"or_filters": phone}, timeout=30),
		"reportview.get": leader.call(
			"frappe.desk.reportview.get", doctype=LEAD, fields=json.dumps(["name"]), filters=phone
		),  # fmt: skip
		"reportview.get_count": leader.call("frappe.desk.reportview.get_count", doctype=LEAD, filters=phone),
		"group by": leader.call(
			"frappe.desk.listview.get_group_by_count",
			doctype=LEAD,
			current_filters="[]",
			field="complainant_phone",
		),  # fmt: skip
		"raw condition": leader.call(
			"frappe.client.get_list",
			doctype=LEAD,
			filters=json.dumps(["`tabComplaint Lead`.complainant_phone like '0356%'"]),
		),  # fmt: skip
	}
	for path, r in refused.items():
		assert r.status_code in (403, 404, 417) and "0356-2000177" not in r.text, (
			path,
			r.status_code,
			r.text[:200],
		)
	# the leader still reads the lead itself, without the phone
	doc = leader.get(records["lead"]["name"], LEAD).json()["data"]
	assert doc["claimed_amount"] == 43210 and "complainant_phone" not in doc
	# and the handling unit, which reads the phone, may filter on it
	r = a["debtor.head"].call("frappe.client.get_count", doctype=LEAD, filters=phone)
	assert r.status_code == 200 and r.json()["message"] >= 1
