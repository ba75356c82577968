"""Documents numbered before drafting and signing were separate steps were signed when
numbered: their register rows say so, with the signer as the drafter of record."""

import frappe


def execute():
	frappe.db.sql(
		"""update `tabIssued Document` set status = '已签发', drafted_by = ifnull(drafted_by, issued_by),
		drafted_on = ifnull(drafted_on, issued_on) where ifnull(document_number, '') != ''"""
	)
