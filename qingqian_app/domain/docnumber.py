"""发文字号 (GB/T 9704-2012 7.2.4): issuing organ's code, the full year in 〔〕, the
sequence number with no leading zero and no 第, then 号 — e.g. 城清欠办函〔2026〕12号."""

from __future__ import annotations

# Which Qingqian Settings prefix each kind of document is numbered under: the working
# forms and letters go out as 函, the progress bulletin as a 发 document (通报).
PREFIX_FIELD = {
	"转办单": "letter_prefix",
	"督办函": "letter_prefix",
	"限期清偿通知书": "letter_prefix",
	"不予受理告知书": "letter_prefix",
	"办理情况告知书": "letter_prefix",
	"问责建议书": "letter_prefix",
	"清欠工作进展情况通报": "bulletin_prefix",
	"台账": "letter_prefix",
}


# 签发: the office head signs the office's letters and notices; a 通报 goes out under the
# working group's leader. Office staff draft (拟稿). Nobody signs their own draft.
DRAFTER = "Qingqian Office Staff"
SIGNER = {kind: "Qingqian Office Head" for kind in PREFIX_FIELD} | {"清欠工作进展情况通报": "Qingqian Leader"}


def document_number(prefix: str, year: int, sequence: int) -> str:
	if not prefix or sequence < 1 or year < 1000:
		raise ValueError("发文字号需要机关代字、四位年份和正整数顺序号")
	return f"{prefix}〔{year}〕{sequence}号"


def series_key(prefix: str, year: int) -> str:
	"""One counter per 代字 (prefix) and year, kept in Frappe's Series table: kinds of
	document that go out under the same 代字 share its sequence, so that no two documents
	ever carry the same number (城清欠办函〔2026〕1号 exists once). A kind numbered on its
	own gets a 代字 of its own in Qingqian Settings."""
	return f"QQDOC-{prefix}-{year}"
