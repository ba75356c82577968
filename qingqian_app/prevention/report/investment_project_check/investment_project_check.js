// 政府投资项目检查: projects with arrears, started without confirmed funding, or repayment not budgeted.
frappe.query_reports["Investment Project Check"] = {
	filters: [
		{ fieldname: "flag", label: __("检查发现"), fieldtype: "Select", options: "" },
		{ fieldname: "owner_unit", label: __("项目单位"), fieldtype: "Link", options: "Debtor Unit" },
		{ fieldname: "show_all", label: __("含无发现的项目"), fieldtype: "Check" },
	],
	onload(report) {
		// the choices are the domain's (qingqian_app/domain/projects.py)
		frappe
			.xcall("qingqian_app.prevention.report.investment_project_check.investment_project_check.flag_options")
			.then((options) => {
				const filter = report.get_filter("flag");
				filter.df.options = ["", ...options].join("\n");
				filter.refresh();
			});
	},
};
