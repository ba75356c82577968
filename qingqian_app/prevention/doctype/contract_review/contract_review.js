// Copyright (c) 2026, qingqian developers
// License: MIT. See LICENSE

// A contract unpaid past its due date becomes a ledger item in one step.
frappe.ui.form.on("Contract Review", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.arrears_item || frm.doc.paid_on || frm.doc.workflow_state !== "已审查") return;
		if (!frm.doc.payment_due_date || frm.doc.payment_due_date >= frappe.datetime.get_today()) return;
		frm.add_custom_button(__("逾期未付，转为台账"), () =>
			frappe
				.xcall("qingqian_app.prevention.doctype.contract_review.contract_review.to_item", { name: frm.doc.name })
				.then((name) => frappe.set_route("Form", "Arrears Item", name))
		);
	},
});
