"""进展通报的数字: a snapshot of the ledger as of the bulletin's period end, taken when the
bulletin is generated (and again on demand while it is a draft), frozen once it is signed.

The snapshot is one Bulletin Item per item counted in the figures and registered by the
period end, with its repayments up to that day; every figure of the bulletin is a sum over
those rows, so each opens the list of items behind it (/app/bulletin-item?bulletin=…).
Which items count is the ledger's one rule (counted_in_ledger), as of generation.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import frappe
from frappe import _
from frappe.utils import escape_html, get_first_day, getdate, now, nowdate

from qingqian_app.domain import bulletins, unit_reports
from qingqian_app.domain.money import yuan
from qingqian_app.domain.oversight import AGES, LeadTally, Tally, age_sql
from qingqian_app.oversight.figures import (
	MEASURES,
	OVERDUE_AT,
	OWED_AT,
	REPAID_BY,
	lead_tallies,
	number,
	numbers,
)

ITEM = "`tabBulletin Item`"


def snapshot(bulletin: str, period_end: date) -> int:
	"""Replace the bulletin's item rows by the ledger as of ``period_end``."""
	frappe.db.sql(f"delete from {ITEM} where bulletin = %s", bulletin)
	stamp = now()
	frappe.db.sql(
		f"""insert into {ITEM} (name, creation, modified, owner, modified_by, bulletin, arrears_item,
			debtor_unit, competent_unit, debtor_unit_type, responsible_unit, arrears_amount, repaid_amount,
			outstanding_amount, overdue_days, disputed_amount, migrant_wage_amount)
		select md5(concat(%(bulletin)s, i.name)), %(stamp)s, %(stamp)s, 'Administrator', 'Administrator',
			%(bulletin)s, i.name, i.debtor_unit, i.competent_unit, i.debtor_unit_type,
			ifnull(i.responsible_unit, i.debtor_unit), i.arrears_amount, least(ifnull(r.paid, 0), i.arrears_amount),
			{OWED_AT}, if({OVERDUE_AT}, datediff(%(end)s, i.due_date), 0),
			i.disputed_amount, if(i.involves_migrant_wages, i.migrant_wage_amount, 0)
		from `tabArrears Item` i {REPAID_BY}
		where i.counted_in_ledger = 1 and date(i.creation) <= %(end)s""",
		{"bulletin": bulletin, "end": period_end, "stamp": stamp},
	)
	return frappe.db.count("Bulletin Item", {"bulletin": bulletin})


SNAPSHOT_MEASURES = {
	**{
		k: v
		for k, v in MEASURES.items()
		if k not in ("undisputed_amount", "disputed_items", "migrant_wage_repaid")
	},
	"migrant_wage_amount": "sum(i.migrant_wage_amount)",
	"disputed_items": "sum(i.disputed_amount > 0)",
}


def _by(bulletin: str, column: str) -> dict[str, Tally]:
	rows = frappe.db.sql(
		f"""select i.{column} as grp, {", ".join(f"{sql} as {name}" for name, sql in SNAPSHOT_MEASURES.items())}
		from {ITEM} i where i.bulletin = %s group by i.{column}""",
		bulletin,
		as_dict=True,
	)
	return {r.grp or "": Tally.of(r) for r in rows}


def statistics(doc) -> dict:
	"""The bulletin's figures from its snapshot, with the ranking and its change since the last
	issued bulletin, the units that did not report and the overdue leads."""
	name = doc.name
	by_competent, by_type, by_unit = (
		_by(name, c) for c in ("competent_unit", "debtor_unit_type", "debtor_unit")
	)
	total = sum(by_competent.values(), Tally())
	overdue = {
		r.grp: yuan(r.amount)
		for r in frappe.db.sql(
			f"""select debtor_unit as grp, sum(outstanding_amount) as amount from {ITEM}
			where bulletin = %s and overdue_days > 0 group by debtor_unit""",
			name,
			as_dict=True,
		)
	}
	ages = {
		r.age: (int(r["items"]), yuan(r.amount))
		for r in frappe.db.sql(
			f"""select {age_sql("overdue_days")} as age, count(*) as items, sum(outstanding_amount) as amount
			from {ITEM} where bulletin = %s and overdue_days > 0 and outstanding_amount > 0 group by age""",
			name,
			as_dict=True,
		)
	}
	ranking = bulletins.rank(by_unit, overdue, ranking_of(last_issued(doc.period_end, exclude=doc.name)))
	frequency = frappe.db.get_single_value("Qingqian Settings", "unit_report_frequency") or "月度"
	period = unit_reports.period_containing(getdate(doc.period_end), frequency)
	not_reported = frappe.get_all(
		"Unit Report",
		filters={"period_start": ["<=", period.start], "period_end": [">=", get_first_day(doc.period_start)],
			"workflow_state": ["in", unit_reports.NOT_SUBMITTED]},
		pluck="debtor_unit", order_by="debtor_unit", ignore_permissions=True,
	)  # fmt: skip
	return {
		"total": _plain(total.as_dict()),
		"by_competent_unit": {k: _plain(t.as_dict()) for k, t in sorted(by_competent.items())},
		"by_unit_type": {k: _plain(t.as_dict()) for k, t in sorted(by_type.items())},
		"ages": {label: list(map(number, ages.get(label, (0, Decimal(0))))) for _l, _h, label in AGES},
		"ranking": [
			{
				"unit": r.unit,
				"rank": r.rank,
				"amount_rate": number(r.amount_rate),
				"overdue_outstanding": number(r.overdue_outstanding),
				"outstanding": number(r.outstanding),
				"rank_change": r.rank_change,
				"rate_change": number(r.rate_change),
			}
			for r in ranking
		],  # fmt: skip
		"not_reported": sorted(set(not_reported)),
		"leads": _lead_totals(),
		"opinion": _opinion_totals(getdate(doc.period_start), getdate(doc.period_end)),
		"ratings": rating_totals(getdate(doc.period_start), getdate(doc.period_end)),
	}


def rating_totals(start, end) -> dict:
	"""企业回访 of the period (ratings made on the portal), per unit as domain.portal counts them."""
	from qingqian_app.domain import portal

	rows = frappe.get_all(
		"Handling Rating",
		filters={"rated_on": ["between", [start, end]]},
		fields=["unit", "rating", "review_status"],
		ignore_permissions=True,
	)
	return dict(sorted(portal.rating_summary(rows).items()))


def _opinion_totals(start, end) -> dict:
	"""舆情 of the bulletin's period (工作方案三（三）), as the summaries count them."""
	from qingqian_app.domain import opinion as rules
	from qingqian_app.prevention import opinion

	s = opinion.summary(opinion.rows(start, end))
	return {
		"total": s.total,
		"high": s.by_heat.get(rules.HIGH, 0),
		"responded": s.responded,
		"to_leads": s.to_leads,
	}


def _lead_totals() -> dict:
	t = sum(lead_tallies("channel", user="Administrator").values(), LeadTally())
	return {"received": t.received, "untransferred_overdue": t.untransferred_overdue, "overdue_open": t.overdue_open,
		"results_late": t.results_late, "on_time_rate": number(t.on_time_rate)}  # fmt: skip


def last_issued(before=None, exclude: str | None = None):
	"""The latest issued bulletin (name and statistics), or the latest whose period ended
	before ``before``; None where there is none."""
	filters = {"workflow_state": bulletins.ISSUED}
	if before:
		filters["period_end"] = ["<", before]
	if exclude:
		filters["name"] = ["!=", exclude]
	rows = frappe.get_all(
		"Progress Bulletin", filters=filters, fields=["name", "statistics"], order_by="period_end desc",
		limit=1, ignore_permissions=True,
	)  # fmt: skip
	return rows[0] if rows else None


def ranking_of(bulletin) -> dict[str, dict]:
	"""{unit: its ranking row} of a bulletin's statistics (empty for none)."""
	if not bulletin or not bulletin.statistics:
		return {}
	stats = json.loads(bulletin.statistics) if isinstance(bulletin.statistics, str) else bulletin.statistics
	return {r["unit"]: r for r in stats.get("ranking", [])}


def _plain(d: dict) -> dict:
	return numbers([d])[0]


def generate(doc):
	"""Take the snapshot and compute the figures (a draft only), with a narrative skeleton
	where there is none yet."""
	if doc.workflow_state not in (None, "", bulletins.DRAFT):
		frappe.throw(
			_("通报已进入“{0}”，数字已冻结，不能重新生成").format(doc.workflow_state), frappe.PermissionError
		)
	doc.snapshot_items = snapshot(doc.name, getdate(doc.period_end))
	stats = statistics(doc)
	doc.statistics = json.dumps(stats, ensure_ascii=False)
	note = empty_note(getdate(doc.period_end)) if not doc.snapshot_items else ""
	doc.figures_html = (
		f"<p class='text-warning'><b>{escape_html(note)}</b></p>" if note else ""
	) + figures_html(doc.name, stats)
	doc.generated_on = now()
	if not doc.narrative:
		doc.narrative = narrative(doc, stats)
	if note and getattr(frappe.local, "request", None):  # the desk's user sees why the figures are zero
		frappe.msgprint(note, title=_("进展通报"), indicator="orange")


def empty_note(period_end: date) -> str:
	"""Why a bulletin's figures are all zero: no item counted in the ledger as of its end."""
	first = frappe.db.sql("select min(date(creation)) from `tabArrears Item` where counted_in_ledger = 1")[0][
		0
	]
	if not first:
		return _("系统中还没有计入统计的台账，本期各项数字均为零。")
	return _(
		"截至{0}，系统中还没有计入统计的台账（最早一条登记于{1}），本期各项数字均为零。请核对通报的截至日期。"
	).format(
		frappe.utils.formatdate(period_end, "yyyy年M月d日"), frappe.utils.formatdate(first, "yyyy年M月d日")
	)


def _money(v) -> str:
	return f"{yuan(v) / 10000:,.2f}"


def _link(bulletin: str, text: str, **filters) -> str:
	query = "&".join(
		f"{k}={frappe.utils.quote(str(v))}" for k, v in {"bulletin": bulletin, **filters}.items()
	)
	return f'<a href="/app/bulletin-item?{query}">{escape_html(text)}</a>'


def figures_html(name: str, s: dict) -> str:
	"""The figures as the form shows them, each a link to the items behind it."""
	t = s["total"]
	rows = "".join(
		f"<tr><td>{_link(name, unit, competent_unit=unit)}</td><td>{int(v['items'])}</td>"
		f"<td>{_money(v['arrears_amount'])}</td><td>{_money(v['repaid_amount'])}</td>"
		f"<td>{_money(v['outstanding_amount'])}</td><td>{v['amount_rate'] or 0:.2f}%</td></tr>"
		for unit, v in s["by_competent_unit"].items()
	)
	return (
		f"<p>计入统计的台账 {_link(name, str(int(t['items'])) + ' 条')}，欠款 {_money(t['arrears_amount'])} 万元，"
		f"已清偿 {_money(t['repaid_amount'])} 万元，未清偿 {_money(t['outstanding_amount'])} 万元，"
		f"化解率（按金额）{t['amount_rate'] or 0:.2f}%。</p>"
		"<table class='table table-bordered'><tr><th>主管部门</th><th>事项</th><th>欠款（万元）</th>"
		f"<th>已清偿（万元）</th><th>未清偿（万元）</th><th>化解率</th></tr>{rows}</table>"
	)


def _opinion_sentence(o: dict | None) -> str:
	if not o or not o["total"]:
		return "本期未监测到涉及拖欠民营企业账款的舆情。"
	return (
		f"本期监测到涉及拖欠民营企业账款的舆情 {o['total']} 件（高热度 {o['high']} 件），"
		f"已回应 {o['responded']} 件，转为投诉线索 {o['to_leads']} 件。"
	)


def _rating_sentence(r: dict | None) -> str:
	from qingqian_app.domain import portal

	if not r:
		return "本期没有企业回访评价。"
	count = lambda k: sum(v[k] for v in r.values())  # noqa: E731
	low = (
		"、".join(f"{u}（{v[portal.DISSATISFIED]} 件）" for u, v in r.items() if v[portal.DISSATISFIED])
		or "无"
	)
	return (
		f"本期企业回访评价 {count('total')} 件：满意 {count(portal.SATISFIED)} 件、基本满意 "
		f"{count(portal.FAIRLY_SATISFIED)} 件、不满意 {count(portal.DISSATISFIED)} 件（待复核 {count('to_review')} 件）。"
		f"企业不满意的单位：{low}。"
	)


def narrative(doc, s: dict) -> str:
	"""A skeleton for the office to edit: the facts in sentences, the judgements left to it."""
	t, leads = s["total"], s["leads"]
	top = "、".join(r["unit"] for r in s["ranking"][:3]) or "（无）"
	bottom = "、".join(r["unit"] for r in s["ranking"][-3:][::-1]) or "（无）"
	not_reported = "、".join(s["not_reported"]) or "无"
	return "".join(
		f"<p>{p}</p>"
		for p in (
			f"截至{getdate(doc.period_end).year}年{getdate(doc.period_end).month}月{getdate(doc.period_end).day}日，"
			f"全区纳入清欠台账统计的拖欠民营企业账款 {int(t['items'])} 笔、{_money(t['arrears_amount'])} 万元，"
			f"已清偿 {_money(t['repaid_amount'])} 万元，化解率（按金额）{t['amount_rate'] or 0:.2f}%，"
			f"尚未清偿 {_money(t['outstanding_amount'])} 万元。",
			f"化解进度靠前的单位：{top}；靠后的单位：{bottom}。",
			f"本期未按时报送定期报告的单位：{not_reported}。",
			f"投诉线索超期未转办 {leads['untransferred_overdue']} 件、超期未反馈 {leads['overdue_open']} 件。",
			_opinion_sentence(s.get("opinion")),
			_rating_sentence(s.get("ratings")),
			"【下一步工作要求，由清欠办填写】",
		)
	)


def monthly(today=None):
	"""Scheduler: on the first day of a month, a draft bulletin as of the last day before it."""
	today = getdate(today or nowdate())
	if today.day != 1:
		return None
	end = frappe.utils.add_days(today, -1)
	if frappe.db.exists("Progress Bulletin", {"period_end": end}):
		return None
	doc = frappe.get_doc(
		{"doctype": "Progress Bulletin", "period_start": get_first_day(end), "period_end": end}
	)
	return doc.insert(ignore_permissions=True)
