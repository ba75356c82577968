// Copyright (c) 2026, qingqian developers
// License: MIT. See LICENSE

// A verified event becomes a complaint lead (channel 舆情监测).
frappe.ui.form.on("Public Opinion Event", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.complaint_lead || frm.doc.workflow_state === "已登记") return;
		if (!["Public Opinion Monitor", "Qingqian Office Staff"].some((r) => frappe.user_roles.includes(r))) return;
		frm.add_custom_button(__("转为投诉线索"), () =>
			frappe
				.xcall("qingqian_app.prevention.doctype.public_opinion_event.public_opinion_event.to_lead", { name: frm.doc.name })
				.then((name) => frappe.set_route("Form", "Complaint Lead", name))
		);
	},
});
