// 督办清单: what is past or near its deadline, and who answers for it.
frappe.query_reports["Supervision List"] = {
	filters: [
		{ fieldname: "stage", label: __("状态"), fieldtype: "Select", options: ["", "已逾期", "将到期"] },
		// choices as the DocType declares them
		{ fieldname: "time_limit", label: __("督办事项"), fieldtype: "Select" },
		{ fieldname: "competent_unit", label: __("主管部门"), fieldtype: "Link", options: "Member Unit" },
	],
	onload(report) {
		qingqian_report_choices(report, { time_limit: ["Supervision", "time_limit"] });
	},
};
