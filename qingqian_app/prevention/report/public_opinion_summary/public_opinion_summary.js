// 舆情周报、月报: the week or month containing the chosen day.
frappe.query_reports["Public Opinion Summary"] = {
	filters: [
		{ fieldname: "period", label: __("周期"), fieldtype: "Select", options: "周报\n月报", default: "周报" },
		{ fieldname: "day", label: __("所在日期"), fieldtype: "Date", default: frappe.datetime.get_today() },
	],
};
