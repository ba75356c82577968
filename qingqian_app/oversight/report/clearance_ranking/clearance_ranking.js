// 化解进度排名, on the summary's filters; the change is against the last issued bulletin.
frappe.query_reports["Clearance Ranking"] = {
	filters: qingqian_figure_filters().filter((f) => f.fieldname !== "group_by"),
	onload: qingqian_figure_choices,
};
