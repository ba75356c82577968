// Copyright (c) 2026, qingqian developers
// License: MIT. See LICENSE

// 审计局 移送: a finding becomes a complaint lead or a ledger item (once each).
frappe.ui.form.on("Audit Finding", {
	refresh(frm) {
		if (frm.is_new()) return;
		if (!["Audit Officer", "Qingqian Office Staff"].some((r) => frappe.user_roles.includes(r))) return;
		const turn = (label, method, doctype) =>
			frm.add_custom_button(
				label,
				() =>
					frappe
						.xcall(`qingqian_app.accountability.doctype.audit_finding.audit_finding.${method}`, { name: frm.doc.name })
						.then((name) => frappe.set_route("Form", doctype, name)),
				__("移送")
			);
		if (!frm.doc.complaint_lead) turn(__("转为投诉线索"), "to_lead", "Complaint Lead");
		if (!frm.doc.arrears_item) turn(__("转为台账"), "to_item", "Arrears Item");
	},
});
