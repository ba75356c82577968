// 年度公开情况: the units that have not published last year's figures (for 考核).
frappe.query_reports["Annual Disclosure Status"] = {
	filters: [
		{ fieldname: "year", label: __("年度"), fieldtype: "Int", default: new Date().getFullYear() - 1 },
		{ fieldname: "competent_unit", label: __("主管部门"), fieldtype: "Link", options: "Member Unit" },
		{ fieldname: "show_all", label: __("含已公开"), fieldtype: "Check" },
	],
};
