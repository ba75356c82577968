"""HTTP transport: reads and writes records of a remote site over Frappe's REST API.

Used by the ``qingqian`` command; no Frappe import, only ``requests``.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import requests

from .definitions import Record

REGISTER = "Qingqian Definition"


class SiteError(Exception):
	"""The site refused a request; the message carries its answer."""


class RestTransport:
	def __init__(self, url: str, token: str, timeout: float = 30, session: requests.Session | None = None):
		self.base = url.rstrip("/")
		self.http = session or requests.Session()
		self.http.headers.update({"Authorization": f"token {token}", "Accept": "application/json"})
		self.timeout = timeout

	def _url(self, doctype: str, name: str | None = None) -> str:
		url = f"{self.base}/api/resource/{quote(doctype, safe='')}"
		return url if name is None else f"{url}/{quote(name, safe='')}"

	def _check(self, resp: requests.Response) -> dict:
		if resp.status_code >= 400:
			detail = resp.text[:500]
			try:
				body = resp.json()
				msgs = body.get("_server_messages")
				if msgs:
					detail = "；".join(json.loads(m).get("message", m) for m in json.loads(msgs))
				elif body.get("exception"):
					detail = body["exception"]
			except ValueError:
				pass
			raise SiteError(f"{resp.request.method} {resp.url} → HTTP {resp.status_code}：{detail}")
		return resp.json()

	def registered(self) -> set[tuple[str, str]]:
		resp = self.http.get(
			self._url(REGISTER),
			params={"fields": json.dumps(["ref_doctype", "ref_name"]), "limit_page_length": 0},
			timeout=self.timeout,
		)
		return {(r["ref_doctype"], r["ref_name"]) for r in self._check(resp)["data"]}

	def fetch(self, record: Record) -> dict | None:
		resp = self.http.get(self._url(record.doctype, record.name), timeout=self.timeout)
		if resp.status_code == 404:
			return None
		return self._check(resp)["data"]

	def create(self, record: Record) -> None:
		values = {**record.values, **record.create_only}
		if record.single:
			resp = self.http.put(self._url(record.doctype, record.doctype), json=values, timeout=self.timeout)
		else:
			resp = self.http.post(self._url(record.doctype), json=values, timeout=self.timeout)
		self._check(resp)

	def update(self, record: Record, changed: dict) -> None:
		resp = self.http.put(self._url(record.doctype, record.name), json=changed, timeout=self.timeout)
		self._check(resp)

	def register(self, record: Record) -> None:
		resp = self.http.post(
			self._url(REGISTER),
			json={"ref_doctype": record.doctype, "ref_name": record.name, "source": record.source},
			timeout=self.timeout,
		)
		self._check(resp)
