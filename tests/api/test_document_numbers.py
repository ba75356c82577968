"""Document numbers under concurrent issue on a real site: 20 parallel requests, 20
distinct consecutive numbers; reissuing returns the same number."""

import json
import re
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import quote

import requests

from .conftest import URL

DEBTOR = "区机关事务服务中心"


def test_twenty_parallel_issues_get_twenty_consecutive_numbers(admin, token):
	names = []
	stamp = time.time_ns()
	for i in range(20):
		r = admin.post(
			f"{URL}/api/resource/Petition",
			json={
				"petition_no": f"DN-{stamp}-{i}",
				"petition_form": "来信",
				"involved_unit": DEBTOR,
				"content": "编号测试",
			},
			timeout=30,
		)
		assert r.status_code == 200, r.text[:300]
		names.append(r.json()["data"]["name"])

	def issue(name):
		s = requests.Session()  # one connection each: truly parallel requests
		s.headers["Authorization"] = f"token {token}"
		r = s.post(
			f"{URL}/api/method/qingqian_app.qingqian.doctype.issued_document.issued_document.issue",
			data={"document_kind": "督办函", "reference_doctype": "Petition", "reference_name": name},
			timeout=60,
		)
		assert r.status_code == 200, r.text[:300]
		return r.json()["message"]

	try:
		with ThreadPoolExecutor(max_workers=20) as pool:
			numbers = list(pool.map(issue, names))
		year = time.localtime().tm_year
		seqs = []
		for n in numbers:
			m = re.fullmatch(r"城清欠办函〔(\d{4})〕(\d+)号", n)
			assert m, n
			seqs.append(int(m.group(2)))
		assert len(set(numbers)) == 20
		assert sorted(seqs) == list(range(min(seqs), min(seqs) + 20)), sorted(seqs)
		assert int(m.group(1)) in (year, year + 1)  # the site's year (Asia/Shanghai)
		assert issue(names[0]) == numbers[0]  # reissue: the same number
	finally:
		rows = admin.get(
			f"{URL}/api/resource/Issued%20Document",
			params={"filters": json.dumps([["reference_name", "in", names]]), "limit_page_length": 0},
			timeout=30,
		).json()["data"]
		for row in rows:
			admin.delete(f"{URL}/api/resource/Issued%20Document/{row['name']}", timeout=30)
		for name in names:
			admin.delete(f"{URL}/api/resource/Petition/{quote(name)}", timeout=30)
