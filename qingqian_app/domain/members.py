"""Member units of the working group (工作方案附件“各成员单位主要职责”): each has a duty, and
every rule that hands work to a member unit keys on the duty, never on the unit's name
(a district names its units its own way; a 镇/街道 is a member unit too). Pure Python."""

from __future__ import annotations

CLEARING_OFFICE = "清欠办"
FINANCE = "财政"
EDUCATION = "教科"
CITY_INVESTMENT = "城投"
PRIVATE_ECONOMY = "民营经济"  # receives complaint leads and transfers them (条例第二十五条)
PETITIONS = "信访"
AUDIT = "审计"
JUSTICE = "司法"
DEVELOPMENT = "发改"
MARKET_REGULATION = "市场监管"
CYBERSPACE = "网信"
FEDERATION = "工商联"
TOWNSHIP = "镇/街道"

# Member Unit.duty's choices, in the annex's order
DUTIES = (
	CLEARING_OFFICE, FINANCE, EDUCATION, CITY_INVESTMENT, PRIVATE_ECONOMY, PETITIONS, AUDIT, JUSTICE,
	DEVELOPMENT, MARKET_REGULATION, CYBERSPACE, FEDERATION, TOWNSHIP,
)  # fmt: skip
