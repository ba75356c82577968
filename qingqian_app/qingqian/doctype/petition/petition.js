// Copyright (c) 2026, qingqian developers
// License: MIT. See LICENSE

frappe.ui.form.on("Petition", {
	refresh(frm) {
		if (!frm.is_new() && !frm.doc.complaint_lead && frm.doc.workflow_state !== "已登记") {
			frm.add_custom_button(__("转为投诉线索"), () =>
				frm.call("open_lead").then((r) => {
					frm.reload_doc();
					if (r.message) frappe.set_route("Form", "Complaint Lead", r.message);
				})
			);
		}
	},
});
