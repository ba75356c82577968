"""What the API tests share: the demo users acting over REST, the records they make
(marked APITEST-, removed by scripts/test.sh: qingqian_app.testing), and reading replies."""

import datetime
import json
import time
from urllib.parse import quote

from .conftest import URL, login

DEMO = "@demo.qingqian.example.com"
DEBTOR = "区机关事务服务中心"
ENTERPRISE = "晋城市宏达建材有限公司"
LEAD_ENTERPRISE = "晋城市安和物业服务有限公司"
MARK = "APITEST-"


def site_today(admin) -> datetime.date:
	"""The site's date (its System Settings' time zone), which the server's rules use: the test
	machine's may be a day behind (16:00–24:00 UTC is the next day in Asia/Shanghai)."""
	from zoneinfo import ZoneInfo

	r = admin.get(f"{URL}/api/method/frappe.client.get_single_value",
		params={"doctype": "System Settings", "field": "time_zone"}, timeout=30)  # fmt: skip
	return datetime.datetime.now(ZoneInfo(r.json()["message"] or "Asia/Shanghai")).date()


def mark() -> str:
	"""A contract or petition number of the API suite's own, unique."""
	return f"{MARK}{time.time_ns()}"


class Actor:
	"""A demo user over REST."""

	def __init__(self, name):
		self.user = name + DEMO
		self.s = login(self.user)

	def url(self, doctype, name=None):
		u = f"{URL}/api/resource/{quote(doctype)}"
		return u if name is None else f"{u}/{quote(name, safe='')}"

	def get(self, name, doctype="Arrears Item"):
		return self.s.get(self.url(doctype, name), timeout=30)

	def create(self, doctype="Arrears Item", **values):
		return self.s.post(self.url(doctype), json=values, timeout=30)

	def listed(self, doctype, filters) -> list:
		"""The records of ``doctype`` this user's list shows under ``filters``."""
		r = self.s.get(self.url(doctype), params={"filters": json.dumps(filters)}, timeout=30)
		return r.json()["data"]

	def put(self, name, doctype="Arrears Item", **values):
		return self.s.put(self.url(doctype, name), json=values, timeout=30)

	def act(self, name, action, doctype="Arrears Item"):
		doc = self.get(name, doctype).json().get("data") or {"doctype": doctype, "name": name}
		return self.s.post(
			f"{URL}/api/method/frappe.model.workflow.apply_workflow",
			data={"doc": json.dumps(doc), "action": action},
			timeout=30,
		)

	def call(self, method, **params):
		return self.s.post(f"{URL}/api/method/{method}", data=params, timeout=60)

	def method_get(self, method, **params):
		return self.s.get(f"{URL}/api/method/{method}", params=params, timeout=60)


def message(r) -> str:
	"""Every message of a reply (the exception and what the server printed)."""
	try:
		body = r.json()
	except ValueError:
		return r.text[:500]
	# with tracebacks off (the security baseline) the exception's type still comes back
	parts = [body.get("exception", ""), body.get("exc_type", "")]
	for m in json.loads(body.get("_server_messages", "[]")):
		parts.append(json.loads(m).get("message", ""))
	return " ".join(parts)


def state(r):
	assert r.status_code == 200, f"HTTP {r.status_code}: {message(r)[:300]}"
	body = r.json()
	return (body.get("message") or body.get("data"))["workflow_state"]


def new_item(actor, **extra):
	values = dict(
		debtor_unit=DEBTOR,
		enterprise=ENTERPRISE,
		arrears_category="货物",
		contract_no=mark(),
		arrears_amount=50000,
		delivery_date="2026-09-01",
		repayments=[{"payment_date": "2026-10-01", "amount": 10000, "payment_method": "银行转账"}],
	)
	values.update(extra)
	r = actor.create(**values)
	assert r.status_code == 200, message(r)
	return r.json()["data"]


def to_state(actors, name, target):
	"""Take a new item (待报送) along the main path to ``target`` as the demo users would."""
	a = actors
	path = [
		("待审核", "debtor.reporter", "报送", None),
		("已入账", "finance.head", "审核通过", None),
		("已转办", "office.staff", "转办", {"responsible_unit": DEBTOR, "repay_deadline": "2026-12-31"}),
		("核查中", "debtor.head", "开始核查", None),
		("清偿中", "debtor.head", "确认无分歧", None),
	]
	for reached, who, action, values in path:
		if values:
			r = a[who].put(name, **values)
			assert r.status_code == 200, message(r)
		assert state(a[who].act(name, action)) == reached
		if reached == target:
			return
	raise ValueError(target)


def record_confirmation(actor, name):
	"""The clearing office's record of a 回访: the enterprise confirms it was paid."""
	r = actor.put(
		name,
		confirmation_method="回访",
		confirmation_contact="企业财务负责人",
		confirmation_means="电话",
		confirmation_date="2026-11-26",
	)
	assert r.status_code == 200, message(r)
	return r
