// 惩戒措施执行情况: choose 限制参与政府采购 for the procurement office's list, then 导出.
frappe.query_reports["Measures In Force"] = {
	filters: [
		{ fieldname: "measure", label: __("惩戒措施"), fieldtype: "Select" },
		{ fieldname: "implementing_unit", label: __("实施单位"), fieldtype: "Link", options: "Member Unit" },
		{ fieldname: "date", label: __("日期"), fieldtype: "Date", default: frappe.datetime.get_today() },
	],
	onload(report) {
		qingqian_report_choices(report, { measure: ["Accountability Measure", "measure"] });
	},
};
