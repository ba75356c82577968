// Copyright (c) 2026, qingqian developers
// License: MIT. See LICENSE

frappe.listview_settings["Arrears Item"] = {
	onload(listview) {
		// 台账打印: the rows of the current filters, landscape, with totals (qingqian_app/printouts.py)
		listview.page.add_inner_button(__("打印台账"), () => {
			const filters = {};
			for (const [, field, op, value] of listview.get_filters_for_args()) {
				filters[field] = op === "=" ? value : [op, value];
			}
			window.open(
				"/api/method/qingqian_app.printouts.ledger_pdf?filters=" +
					encodeURIComponent(JSON.stringify(filters))
			);
		});
	},
};
