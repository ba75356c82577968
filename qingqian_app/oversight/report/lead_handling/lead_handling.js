// 线索办理情况统计. Totals, rates and averages come from the server, not Frappe's total row.
frappe.query_reports["Lead Handling"] = {
	filters: [
		{
			fieldname: "group_by",
			label: __("汇总方式"),
			fieldtype: "Select",
			options: [
				{ value: "channel", label: __("按来源渠道") },
				{ value: "transferred_to", label: __("按承办单位") },
			],
			default: "channel",
			reqd: 1,
		},
		{ fieldname: "from_date", label: __("收到日期自"), fieldtype: "Date" },
		{ fieldname: "to_date", label: __("至"), fieldtype: "Date" },
		// choices as the DocType declares them
		{ fieldname: "channel", label: __("来源渠道"), fieldtype: "Select" },
		{ fieldname: "transferred_to", label: __("承办单位"), fieldtype: "Link", options: "Debtor Unit" },
	],
	onload(report) {
		qingqian_report_choices(report, { channel: ["Complaint Lead", "channel"] });
	},
	formatter: qingqian_bold_total,
};
