"""One matter, one item, under concurrency: 20 registrations of the same matter sent at once
(same debtor, enterprise and contract — and, without a contract number, the same amount
and due date) give one item and 19 clear refusals naming it."""

import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from .conftest import URL, login
from .helpers import DEBTOR, DEMO, ENTERPRISE, MARK, message

PARALLEL = 20


def register_at_once(values: dict) -> list:
	sessions = [login("debtor.reporter" + DEMO) for _ in range(PARALLEL)]  # one connection each

	def post(s):
		return s.post(f"{URL}/api/resource/Arrears Item", json=values, timeout=120)

	with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
		return list(pool.map(post, sessions))


@pytest.mark.parametrize(
	"matter",
	[
		{"contract_no": f"{MARK}{time.time_ns()}"},
		{
			"description": f"{MARK}无合同编号 {time.time_ns()}",
			"due_date": "2026-08-31",
			"arrears_amount": 30000 + time.time_ns() % 10000,
		},  # fmt: skip
	],
	ids=["same contract", "no contract: same amount and due date"],
)
def test_twenty_parallel_registrations_of_one_matter_make_one_item(matter):
	values = {"debtor_unit": DEBTOR, "enterprise": ENTERPRISE, "arrears_category": "服务", "arrears_amount": 20000,
		**matter}  # fmt: skip
	replies = register_at_once(values)
	made = [r.json()["data"]["name"] for r in replies if r.status_code == 200]
	refused = [message(r) for r in replies if r.status_code != 200]
	codes = sorted({r.status_code for r in replies})
	print(
		f"\n{PARALLEL} 个同时登记：成功 {len(made)}（{', '.join(made)}），拒绝 {len(refused)}，HTTP 状态 {codes}"
	)
	print("拒绝示例：" + (refused[0][:160] if refused else "（无）"))
	assert len(made) == 1, made
	assert len(refused) == PARALLEL - 1
	assert all("同一事项已登记" in m and made[0] in m for m in refused), refused[:3]
	key = [["contract_no", "=", matter["contract_no"]]] if "contract_no" in matter else [
		["description", "=", matter["description"]]]  # fmt: skip
	rows = (
		login("debtor.reporter" + DEMO)
		.get(f"{URL}/api/resource/Arrears Item", params={"filters": json.dumps(key)}, timeout=30)
		.json()["data"]
	)
	assert [r["name"] for r in rows] == made
