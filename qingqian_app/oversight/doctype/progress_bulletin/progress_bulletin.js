// Copyright (c) 2026, qingqian developers
// License: MIT. See LICENSE

// A draft's figures can be taken again as of its period end (the server refuses it once the
// bulletin has gone to review); the figures link to the items behind them.
frappe.ui.form.on("Progress Bulletin", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.workflow_state !== "草稿") return;
		if (!frappe.user_roles.includes("Qingqian Office Staff")) return;
		frm.add_custom_button(__("重新生成数字"), () =>
			frappe
				.xcall("qingqian_app.oversight.doctype.progress_bulletin.progress_bulletin.regenerate", {
					name: frm.doc.name,
				})
				.then(() => frm.reload_doc())
		);
	},
});
