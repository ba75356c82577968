// 回访评价统计: the enterprises' ratings of each unit's handling, lowest satisfaction first.
frappe.query_reports["Handling Rating Summary"] = {
	filters: [
		{ fieldname: "from_date", label: __("评价日期自"), fieldtype: "Date" },
		{ fieldname: "to_date", label: __("至"), fieldtype: "Date" },
		{ fieldname: "competent_unit", label: __("主管部门"), fieldtype: "Link", options: "Member Unit" },
	],
};
