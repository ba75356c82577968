// 按单位类型的未清偿金额: scoped to the user, no shared cache (qingqian_app/oversight/dashboard.py)
frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Qingqian Outstanding By Unit Type"] = {
	method: "qingqian_app.oversight.dashboard.outstanding_by_unit_type",
	filters: [],
};
