// Copyright (c) 2026, qingqian developers
// License: MIT. See LICENSE

// A report that disagrees with the ledger can open an accountability action (列入经营异常名录).
frappe.ui.form.on("SOE Annual Report", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.matches || frm.doc.accountability_action) return;
		if (!["Market Regulation Officer", "Qingqian Office Staff"].some((r) => frappe.user_roles.includes(r))) return;
		frm.add_custom_button(__("提请列入经营异常名录"), () =>
			frappe
				.xcall("qingqian_app.accountability.actions.open_from_soe_report", { name: frm.doc.name })
				.then((name) => frappe.set_route("Form", "Accountability Action", name))
		);
	},
});
