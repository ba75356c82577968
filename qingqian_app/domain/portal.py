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

from qingqian_app.domain import uscc
from qingqian_app.domain.ledger import Problem

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
REPAYMENT_FIELDS = ("payment_date", "amount", "payment_method")

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
