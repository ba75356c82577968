"""Realistic ledger volume for benchmarks: units, enterprises and arrears items.

    bench --site SITE qingqian-generate-items [--count 1000000] [--delete]

Items go in by bulk INSERT (named GEN-0000001…), with the figures the controller would
compute, so that a million rows load in minutes; the controller's own speed is measured
separately (benchmarks/ledger.py). Deterministic: the same count gives the same rows.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import click
import frappe
from frappe.commands import get_site, pass_context
from frappe.utils import now

from qingqian_app.domain import ledger
from qingqian_app.domain.uscc import check_character
from qingqian_app.oversight import tallies

PREFIX = "GEN-"
UNITS = 300
ENTERPRISES = 2000
# How a district's ledger is spread over the workflow (most items are in progress or closed).
STATES = [
	("待报送", 4), ("待审核", 6), ("已入账", 5), ("已转办", 8), ("核查中", 8), ("清偿中", 25),
	("协调化解中", 6), ("待销号", 3), ("已销号", 33), ("不予列入", 2),
]  # fmt: skip
COMPETENT = [
	("区财政局", "机关"),
	("区财政局", "事业单位"),
	("区教科局", "事业单位"),
	("区城投公司", "国有企业"),
]


def ensure_units() -> list[tuple[str, str, str]]:
	out = []
	for i in range(1, UNITS + 1):
		competent, unit_type = COMPETENT[i % len(COMPETENT)]
		name = f"生成单位{i:04d}"
		if not frappe.db.exists("Debtor Unit", name):
			frappe.get_doc(
				{
					"doctype": "Debtor Unit",
					"unit_name": name,
					"unit_type": unit_type,
					"competent_unit": competent,
					"principal_title": "主要负责人",
				}
			).insert(ignore_permissions=True)
		out.append((name, unit_type, competent))
	return out


def ensure_enterprises() -> list[str]:
	existing = set(frappe.get_all("Enterprise", filters={"name": ["like", "生成企业%"]}, pluck="name"))
	rows, names, ts = [], [], now()
	for i in range(1, ENTERPRISES + 1):
		name = f"生成企业{i:05d}有限公司"
		names.append(name)
		if name not in existing:
			body = f"91140502MA{i:07d}"
			code = body + check_character(body)
			rows.append((name, ts, ts, "Administrator", "Administrator", name, code, "小型"))
	fields = [
		"name",
		"creation",
		"modified",
		"owner",
		"modified_by",
		"enterprise_name",
		"uscc",
		"enterprise_scale",
	]
	frappe.db.bulk_insert("Enterprise", fields, rows)
	return names


def item_rows(count: int, units, enterprises, rng: random.Random, start: int = 1):
	states = [s for s, w in STATES for _ in range(w)]
	today = date.today()
	ts = now()
	for i in range(start, start + count):
		unit, unit_type, competent = units[rng.randrange(len(units))]
		amount = round(rng.lognormvariate(11, 1.2), 2)  # median ≈ 60,000 yuan
		state = rng.choice(states)
		repaid = amount if state in ("待销号", "已销号") else round(amount * rng.choice([0, 0, 0.2, 0.5]), 2)
		disputed = round(amount * 0.3, 2) if state == "协调化解中" else 0
		delivery = today - timedelta(days=rng.randrange(30, 1500))
		due = delivery + timedelta(days=30 if unit_type != "国有企业" else 60)
		outstanding = round(amount - repaid, 2)
		overdue = max((today - due).days, 0) if outstanding > 0 else 0
		enterprise, contract = enterprises[rng.randrange(len(enterprises))], f"HT-{i:07d}"
		yield (
			f"{PREFIX}{i:07d}", ts, ts, "Administrator", "Administrator", unit, unit_type, competent,
			enterprise, rng.choice(("货物", "工程", "服务")), contract, amount, delivery, due, overdue, repaid,
			outstanding, amount - disputed, disputed, int(disputed > 0),
			int(ledger.counts_in_figures(state, False, False)), unit, state, "单位自查",
			ledger.matter_key(unit, enterprise, contract, amount, due),
		)  # fmt: skip


ITEM_FIELDS = [
	"name", "creation", "modified", "owner", "modified_by", "debtor_unit", "debtor_unit_type",
	"competent_unit", "enterprise", "arrears_category", "contract_no", "arrears_amount", "delivery_date",
	"due_date", "overdue_days", "repaid_amount", "outstanding_amount", "undisputed_amount",
	"disputed_amount", "is_disputed", "counted_in_ledger", "responsible_unit", "workflow_state", "source",
	"matter_key",
]  # fmt: skip


def generate(count: int, chunk: int = 20_000) -> int:
	rng = random.Random(20231127)
	units = ensure_units()
	enterprises = ensure_enterprises()
	frappe.db.commit()
	have = frappe.db.count("Arrears Item", {"name": ["like", f"{PREFIX}%"]})
	made = 0
	while have + made < count:
		n = min(chunk, count - have - made)
		frappe.db.bulk_insert(
			"Arrears Item", ITEM_FIELDS, item_rows(n, units, enterprises, rng, have + made + 1)
		)
		frappe.db.commit()
		made += n
		click.echo(f"  {have + made:,} / {count:,}")
	tallies.rebuild()  # inserted in bulk, past the controllers that keep them
	frappe.db.commit()
	return made


def delete_generated():
	frappe.db.sql("delete from `tabArrears Item` where name like %s", f"{PREFIX}%")
	tallies.rebuild()
	frappe.db.commit()


@click.command("qingqian-generate-items")
@click.option("--count", default=1_000_000, show_default=True, help="生成后台账中 GEN- 条目的总数")
@click.option("--delete", is_flag=True, help="删除所有生成的条目")
@pass_context
def generate_items(context, count, delete):
	"""生成用于性能基准的欠款台账数据（GEN- 开头）。"""
	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		if delete:
			delete_generated()
			click.echo("已删除生成的条目")
		else:
			made = generate(count)
			click.echo(
				f"新生成 {made:,} 条；GEN- 条目共 {frappe.db.count('Arrears Item', {'name': ['like', f'{PREFIX}%']}):,} 条"
			)
	finally:
		frappe.destroy()
