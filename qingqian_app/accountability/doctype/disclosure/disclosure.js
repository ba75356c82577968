// Copyright (c) 2026, qingqian developers
// License: MIT. See LICENSE

// A draft's snapshot can be taken again (the server refuses it once submitted); a published
// one links to the public page.
frappe.ui.form.on("Disclosure", {
	refresh(frm) {
		if (frm.is_new()) return;
		if (frm.doc.workflow_state === "已发布") {
			frm.add_custom_button(__("查看公开页面"), () => window.open("/arrears-disclosure"));
		}
		if (frm.doc.workflow_state !== "草稿" || !frappe.user_roles.includes("Qingqian Office Staff")) return;
		frm.add_custom_button(__("重新生成"), () =>
			frappe
				.xcall("qingqian_app.accountability.doctype.disclosure.disclosure.regenerate", { name: frm.doc.name })
				.then(() => frm.reload_doc())
		);
	},
});
