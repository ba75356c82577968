"""Which roles see which units: the role sets the permission rules and the definition checks share.

The roles themselves are declared in ``fixtures/10_roles.json`` (their Chinese names in
``locale/zh.po``); this module says how each kind of role relates to the units.
"""

from __future__ import annotations

# the clearing office, the working group's leaders and System Managers: every unit's records
ALL_RECORDS_ROLES = frozenset(
	{"System Manager", "Qingqian Office Head", "Qingqian Office Staff", "Qingqian Leader"}
)

# roles whose users act for one unit (set on the User): they choose only among that unit's units
UNIT_BOUND_ROLES = frozenset(
	{"Member Unit Head", "Member Unit Staff", "Debtor Unit Head", "Debtor Unit Reporter"}
)

# who names any unit in what they register: intake (民营经济局, 信访局, 工商联), 审计局 (a finding's
# unit), 司法局 (a contract's paying unit, an accountability action's unit), 网信办 (the units an event
# concerns), 市场监管局 (a state-owned enterprise's annual report), 发改局 (a project's unit). They
# search and pick every unit, and read the unit masters (never the units' ledgers).
UNIT_PICKERS = frozenset(
	{
		"Complaint Intake Officer",
		"Petition Officer",
		"Enterprise Liaison",
		"Audit Officer",
		"Legal Reviewer",
		"Public Opinion Monitor",
		"Market Regulation Officer",
		"Investment Project Officer",
	}
)
