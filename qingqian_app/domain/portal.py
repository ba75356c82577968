"""The enterprise's side (企业端, DESIGN.md "The enterprise's side"): who an enterprise's user is,
what it may register online, and what of its own matters it reads. No Frappe.

An enterprise signs up with its 统一社会信用代码 and is linked to its Enterprise only after the
clearing office or 工商联 verifies it; it then registers claims (a Complaint Lead by the channel
``CHANNEL``) and reads its own leads and the ledger items born from them: the facts it reported
and the answers written for it (工作方案二（三）：告知投诉人并说明理由、向投诉人说明情况), never
the internal fields.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from qingqian_app.domain import complaints, uscc
from qingqian_app.domain.ledger import FINAL_STATES, Problem

ROLE = "Enterprise User"  # a Website User: no desk, ever (fixtures/10_roles.json)
CHANNEL = "企业网上登记"  # the lead's channel (domain.complaints.CHANNELS)

# Enterprise Account (workflows/enterprise_account.json)
PENDING, VERIFIED, REJECTED = "待核验", "已核验", "已驳回"
VERIFY, REJECT = "核验通过", "驳回"

CATEGORIES = ("货物", "工程", "服务")  # the debt arose from buying goods, works or services
MAX_AMOUNT = Decimal("10000000000")  # 100 亿元: anything above is a typing error
MAX_ATTACHMENTS = 5
MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
ATTACHMENT_SUFFIXES = (".pdf", ".jpg", ".jpeg", ".png")

# what an enterprise reads of its own leads and items (and nothing else of them)
LEAD_FIELDS = (
	"name",
	"received_on",
	"respondent_unit",
	"arrears_category",
	"contract_no",
	"claimed_amount",
	"description",
	"workflow_state",
	"transferred_to",
	"handling_deadline",
	"verification_result",
	"out_of_scope_ground",
	"outcome_reason",
	"feedback",
	"closed_on",
	"arrears_item",
	"duplicate_of",
)
ITEM_FIELDS = (
	"name",
	"debtor_unit",
	"workflow_state",
	"arrears_amount",
	"repaid_amount",
	"outstanding_amount",
	"repay_deadline",
	"enterprise_confirmed",
)
REPAYMENT_FIELDS = (
	"name", "payment_date", "amount", "payment_method", "enterprise_response", "enterprise_response_reason",
	"enterprise_responded_on",
)  # fmt: skip
# of its rating: what it wrote and the office's answer
RATING_FIELDS = (
	"name",
	"complaint_lead",
	"rating",
	"reasons",
	"rated_on",
	"review_status",
	"review_result",
	"reviewed_on",
)

PHONE = re.compile(r"^[0-9+\-() ]{7,20}$")
EMAIL = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")


def _text(values: dict, field: str) -> str:
	return str(values.get(field) or "").strip()


def signup_problems(values: dict) -> list[Problem]:
	"""An enterprise's sign-up: its name and code, who speaks for it, how to reach them."""
	out = []
	code = uscc.normalize(values.get("uscc"))
	bad = uscc.problem(code)
	if bad:
		out.append(Problem("uscc", bad.message))
	elif not code.startswith(("91", "92", "93")):
		out.append(
			Problem("uscc", "须为企业、个体工商户或农民专业合作社的统一社会信用代码（以 91、92、93 开头）")
		)
	name = _text(values, "enterprise_name")
	if not 2 <= len(name) <= 100:
		out.append(Problem("enterprise_name", "请填写营业执照上的企业全称"))
	if not 2 <= len(_text(values, "contact_name")) <= 40:
		out.append(Problem("contact_name", "请填写联系人姓名"))
	if not PHONE.match(_text(values, "contact_phone")):
		out.append(Problem("contact_phone", "请填写有效的联系电话"))
	if not EMAIL.match(_text(values, "email")) or len(_text(values, "email")) > 140:
		out.append(Problem("email", "请填写有效的电子邮箱（用于登录和接收办理进展）"))
	return out


def amount(value) -> Decimal | None:
	try:
		a = Decimal(str(value).replace(",", "").strip())
	except (InvalidOperation, ValueError):
		return None
	return a if a.is_finite() else None


def claim_problems(values: dict, today: date, units: set[str]) -> list[Problem]:
	"""A claim registered online: the same checks as a lead registered by staff (the debt came
	from buying goods, works or services under a contract, is due, and no court, arbitration or
	mediation has taken it), with the unit one of the public list."""
	out = []
	if _text(values, "respondent_unit") not in units:
		out.append(Problem("respondent_unit", "请从单位列表中选择欠款的机关、事业单位或国有企业"))
	if _text(values, "arrears_category") not in CATEGORIES:
		out.append(Problem("arrears_category", "欠款须因采购货物、工程或服务产生，请选择其一"))
	if not _text(values, "contract_no") and len(_text(values, "description")) < 20:
		out.append(Problem("contract_no", "请填写合同编号，或在事实与理由中写明合同（订单）情况"))
	claimed = amount(values.get("claimed_amount"))
	if claimed is None or claimed <= 0 or claimed > MAX_AMOUNT:
		out.append(Problem("claimed_amount", "请填写大于零的欠款金额（元）"))
	elif claimed != claimed.quantize(Decimal("0.01")):
		out.append(Problem("claimed_amount", "金额最多两位小数（分）"))
	due = values.get("due_date")
	if isinstance(due, date) and due > today:
		out.append(Problem("due_date", "应付款日期尚未到来，款项尚未逾期，暂不能投诉"))
	if not 10 <= len(_text(values, "description")) <= 4000:
		out.append(Problem("description", "请写明事实与理由（10 至 4000 字）"))
	if not values.get("no_court_statement"):
		out.append(
			Problem(
				"no_court_statement",
				"已由人民法院、仲裁机构受理或处理、或正在调解的，不属于投诉受理范围；未受理的请勾选声明",
			)
		)
	if values.get("involves_migrant_wages"):
		wages = amount(values.get("migrant_wage_amount"))
		if wages is None or wages <= 0 or (claimed is not None and wages > claimed):
			out.append(Problem("migrant_wage_amount", "其中农民工工资须大于零且不超过欠款金额"))
	return out


def attachment_problems(files: list[tuple[str, int]]) -> list[Problem]:
	"""Evidence (合同、发票、对账单…): a few PDFs or pictures of reasonable size."""
	out = []
	if len(files) > MAX_ATTACHMENTS:
		out.append(Problem("attachments", f"最多上传 {MAX_ATTACHMENTS} 个附件"))
	for name, size in files:
		if not name.lower().endswith(ATTACHMENT_SUFFIXES) or re.search(r"[<>\"'/\\]", name):
			out.append(Problem("attachments", f"“{name[:60]}”：只接受 PDF、JPG、PNG 文件"))
		elif size > MAX_ATTACHMENT_BYTES:
			out.append(Problem("attachments", f"“{name[:60]}”：单个附件不超过 10 MB"))
		elif size == 0:
			out.append(Problem("attachments", f"“{name[:60]}”：文件是空的"))
	return out


def visible(record: dict, fields: tuple[str, ...]) -> dict:
	"""Only the fields written for the enterprise."""
	return {f: record.get(f) for f in fields}


# --- payment confirmation: the enterprise answers each repayment the unit recorded ----------
# Arrears Repayment.enterprise_response (its options are these); 企业已确认收款 online is
# domain.ledger.ONLINE, computed from these answers
CONFIRMED, DISPUTED = "已确认", "有异议"
RESPONSES = (CONFIRMED, DISPUTED)


def response_problems(response: str | None, reason: str | None, item_state: str) -> list[Problem]:
	"""An answer to one repayment: confirmed, or disputed with the reason; never on a closed
	item (its 销号 rested on a confirmation already given)."""
	if item_state in FINAL_STATES:
		return [Problem("enterprise_response", f"台账已{item_state}，不能再确认或提出异议")]
	if response not in RESPONSES:
		return [Problem("enterprise_response", "请选择“已确认”或“有异议”")]
	reason = (reason or "").strip()
	if response == DISPUTED and not 5 <= len(reason) <= 1000:
		return [
			Problem("enterprise_response_reason", "提出异议须写明理由（5 至 1000 字），如未到账、金额不符")
		]
	return []


# --- 回访: the enterprise rates a closed matter ---------------------------------------------
SATISFIED, FAIRLY_SATISFIED, DISSATISFIED = "满意", "基本满意", "不满意"
RATINGS = (SATISFIED, FAIRLY_SATISFIED, DISSATISFIED)  # Handling Rating.rating
# Handling Rating.review_status: an unsatisfied rating goes to the office for review
NO_REVIEW, TO_REVIEW, REVIEWED = "无需复核", "待复核", "已复核"
REVIEW_STATUSES = (NO_REVIEW, TO_REVIEW, REVIEWED)
REVIEW_WORKING_DAYS = 10  # the office reviews an unsatisfied rating within ten working days


def rating_problems(
	rating: str | None, reasons: str | None, lead_state: str, rated_before: bool
) -> list[Problem]:
	"""A 回访 rating: once per matter, after it closed; 不满意 says why."""
	if lead_state not in complaints.CLOSED_STATES:
		return [Problem("rating", "诉求办结后才能评价")]
	if rated_before:
		return [Problem("rating", "这条诉求已经评价过")]
	if rating not in RATINGS:
		return [Problem("rating", "请选择满意、基本满意或不满意")]
	reasons = (reasons or "").strip()
	if rating == DISSATISFIED and not 5 <= len(reasons) <= 1000:
		return [Problem("reasons", "不满意请写明理由（5 至 1000 字），清欠办将复核")]
	if len(reasons) > 1000:
		return [Problem("reasons", "评价理由不超过 1000 字")]
	return []


def review_status(rating: str) -> str:
	return TO_REVIEW if rating == DISSATISFIED else NO_REVIEW


def rating_summary(rows: list[dict]) -> dict[str, dict]:
	"""Ratings per unit: the count of each rating, the share satisfied (满意 and 基本满意) and
	how many still wait for review. ``rows`` carry unit, rating, review_status."""
	out: dict[str, dict] = {}
	for r in rows:
		u = out.setdefault(r["unit"], {**{k: 0 for k in RATINGS}, "total": 0, "to_review": 0})
		u[r["rating"]] += 1
		u["total"] += 1
		u["to_review"] += r.get("review_status") == TO_REVIEW
	for u in out.values():
		u["satisfied_share"] = round(100 * (u[SATISFIED] + u[FAIRLY_SATISFIED]) / u["total"], 1)
	return out


# --- what the enterprise is told by mail (enterprise_portal.mail) ----------------------------
def account_news(state: str, reject_reason: str | None) -> str | None:
	"""The line a mail tells of the enterprise's sign-up being decided."""
	return {
		VERIFIED: "您的企业账号已核验通过，可以在网上登记拖欠账款诉求、查看办理进展。",
		REJECTED: f"您的企业账号未通过核验：{reject_reason or ''}。如有疑问，请联系区清欠办或区工商联。",
	}.get(state)


def lead_news(state: str, lead: dict) -> str | None:
	"""The line a mail tells of a lead reaching ``state``; None for a step inside government
	(核查中, 延期待批, 待反馈) the enterprise follows on the portal."""
	c = complaints
	unit, deadline = lead.get("transferred_to"), lead.get("handling_deadline")
	news = {
		c.REGISTERED: "已收到您的诉求，受理回执可在“我的诉求”下载。",
		c.ACCEPTED: "您的诉求已受理。",
		c.REJECTED: f"您的诉求不予受理。依据：{lead.get('out_of_scope_ground') or ''}；理由：{lead.get('outcome_reason') or ''}",
		c.TRANSFERRED: f"您的诉求已转 {unit} 办理，办理时限至 {deadline}。",
		c.IN_LEDGER: "经核查，您反映的欠款已纳入清欠台账，将督促清偿。",
		c.DONE: f"您的诉求已办结。{lead.get('feedback') or ''} 欢迎在“我的诉求”中评价办理情况。",
	}
	return news.get(state)
