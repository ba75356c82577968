// 每月清偿金额: scoped to the user, no shared cache (qingqian_app/oversight/dashboard.py)
frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Qingqian Repaid By Month"] = {
	method: "qingqian_app.oversight.dashboard.repaid_by_month",
	filters: [],
};
