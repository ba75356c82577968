// Copyright (c) 2026, qingqian developers
// License: MIT. See LICENSE

// 财政部门确认资金来源: one source at a time, with the document that confirms it.
frappe.ui.form.on("Investment Project", {
	refresh(frm) {
		if (frm.is_new() || frm.doc.workflow_state !== "资金审核") return;
		const open = (frm.doc.funding_sources || []).filter((r) => !r.confirmed);
		if (!open.length || !frappe.user_roles.some((r) => ["Member Unit Head", "Member Unit Staff"].includes(r))) return;
		frm.add_custom_button(__("确认资金来源"), () => {
			const d = new frappe.ui.Dialog({
				title: __("确认资金来源"),
				fields: [
					{
						fieldname: "row",
						label: __("资金来源"),
						fieldtype: "Select",
						reqd: 1,
						options: open.map((r) => ({ value: r.name, label: `${r.idx}. ${r.source_type} ${format_currency(r.amount)}` })),
					},
					{ fieldname: "confirmation_document", label: __("财政确认文件（名称及文号）"), fieldtype: "Data", reqd: 1 },
				],
				primary_action_label: __("确认"),
				primary_action(values) {
					frappe
						.xcall("qingqian_app.prevention.doctype.investment_project.investment_project.confirm_source", {
							name: frm.doc.name,
							...values,
						})
						.then(() => {
							d.hide();
							frm.reload_doc();
						});
				},
			});
			d.show();
		});
	},
});
