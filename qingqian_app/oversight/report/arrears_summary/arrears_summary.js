// 拖欠民营企业账款台账汇总表. By debtor unit the rows form a tree (subsidiaries rolled up
// into their parent). Totals and rates come from the server, not Frappe's total row.
frappe.query_reports["Arrears Summary"] = {
	filters: qingqian_figure_filters(),
	onload: qingqian_figure_choices,
	formatter: qingqian_bold_total,
	tree: true,
	name_field: "group",
	parent_field: "parent_group",
	initial_depth: 1,
};
