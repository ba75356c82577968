"""舆情 (工作方案三（三）“做好舆情监测和应对处置……主动回应社会关切”; 附件 网信办“监测、分析、研判，
及时通报工作组办公室……定期归纳整理相关舆情信息”): an event's facts and the periodic summary
(周报、月报) for the office. Pure Python.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

# States and actions of workflows/public_opinion_event.json that the rules name
REGISTERED, VERIFIED, RESPONDED, CLOSED = "已登记", "已核实", "已回应", "已办结"
VERIFY, RESPOND = "核实", "回应"
# Public Opinion Event.source and heat_level
SOURCES = ("新闻网站", "微博", "微信", "短视频平台", "论坛贴吧", "12345热线", "其他")
HEAT_LEVELS = ("一般", "较高", "高")
HIGH = HEAT_LEVELS[-1]
# Qingqian report Public Opinion Summary: 周报 (Monday to Sunday) and 月报
WEEKLY, MONTHLY = "周报", "月报"
PERIODS = (WEEKLY, MONTHLY)


def period(kind: str, day: date) -> tuple[date, date]:
	"""The week (Monday to Sunday) or calendar month containing ``day``."""
	if kind == WEEKLY:
		start = day - timedelta(days=day.weekday())
		return start, start + timedelta(days=6)
	start = day.replace(day=1)
	following = (start + timedelta(days=32)).replace(day=1)
	return start, following - timedelta(days=1)


def previous(kind: str, today: date) -> tuple[date, date]:
	"""The last complete week or month before ``today``."""
	start, _end = period(kind, today)
	return period(kind, start - timedelta(days=1))


def due_summaries(today: date) -> list[str]:
	"""Which summaries are sent today: the 周报 on Mondays, the 月报 on the first of a month."""
	return [k for k, due in ((WEEKLY, today.weekday() == 0), (MONTHLY, today.day == 1)) if due]


@dataclass(frozen=True)
class Event:
	name: str
	state: str
	source: str
	heat_level: str
	units: tuple[str, ...] = ()
	has_lead: bool = False
	items: int = 0


@dataclass
class Summary:
	total: int = 0
	by_source: Counter = field(default_factory=Counter)
	by_heat: Counter = field(default_factory=Counter)
	by_state: Counter = field(default_factory=Counter)
	by_unit: Counter = field(default_factory=Counter)
	responded: int = 0
	to_leads: int = 0
	linked_items: int = 0


def summarise(events: list[Event]) -> Summary:
	s = Summary()
	for e in events:
		s.total += 1
		s.by_source[e.source or "未注明"] += 1
		s.by_heat[e.heat_level or "未注明"] += 1
		s.by_state[e.state] += 1
		for u in e.units:
			s.by_unit[u] += 1
		s.responded += e.state in (RESPONDED, CLOSED)
		s.to_leads += e.has_lead
		s.linked_items += e.items
	return s


def sentences(kind: str, start: date, end: date, s: Summary) -> list[str]:
	"""The summary as the office reads it."""
	if not s.total:
		return [f"{start} 至 {end}（{kind}），未监测到涉及拖欠民营企业账款的舆情。"]
	join = lambda c: "、".join(f"{k} {v} 件" for k, v in c.most_common())  # noqa: E731
	out = [
		f"{start} 至 {end}（{kind}），监测到涉及拖欠民营企业账款的舆情 {s.total} 件：{join(s.by_heat)}（按热度）；"
		f"来源 {join(s.by_source)}。",
		f"已回应 {s.responded} 件，尚未回应 {s.total - s.responded} 件；转为投诉线索 {s.to_leads} 件，关联台账 {s.linked_items} 条。",
	]
	if s.by_unit:
		out.append(f"涉及单位：{join(s.by_unit)}。")
	return out
