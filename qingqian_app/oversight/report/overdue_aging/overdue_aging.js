// 逾期账龄分析, on the summary's filters. Totals come from the server, not Frappe's total row.
frappe.query_reports["Overdue Aging"] = {
	filters: qingqian_figure_filters(),
	onload: qingqian_figure_choices,
	formatter: qingqian_bold_total,
};
