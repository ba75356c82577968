// 失信主体名录: export (Excel/CSV from the report menu), then 登记本次报送 so the next list
// shows what changed since.
frappe.query_reports["Dishonest Entity List"] = {
	filters: [{ fieldname: "changes_only", label: __("只看变动"), fieldtype: "Check" }],
	onload(report) {
		report.page.add_inner_button(__("登记本次报送"), () => {
			frappe.confirm(__("以当前名录登记为本次向信用信息平台的报送？"), () =>
				frappe
					.call({ method: "qingqian_app.accountability.actions.record_credit_export", type: "POST" })
					.then((r) => {
						frappe.show_alert({ message: __("已登记 {0}", [r.message]), indicator: "green" });
						report.refresh();
					})
			);
		});
	},
};
