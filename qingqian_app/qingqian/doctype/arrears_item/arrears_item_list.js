// Copyright (c) 2026, qingqian developers
// License: MIT. See LICENSE

frappe.listview_settings["Arrears Item"] = {
	// 约束惩戒: an item of a unit under a measure in force is marked (the units the user sees)
	formatters: {
		debtor_unit(value) {
			const measures = (frappe.listview_settings["Arrears Item"].under_measures || {})[value];
			const text = frappe.utils.escape_html(value || "");
			return measures
				? `<span class="indicator-pill red" title="${frappe.utils.escape_html(measures)}">${__("惩戒中")}</span> ${text}`
				: text;
		},
	},
	onload(listview) {
		frappe
			.xcall("qingqian_app.accountability.actions.units_under_measures")
			.then((units) => {
				frappe.listview_settings["Arrears Item"].under_measures = units;
				listview.refresh();
			});
		// the list's rows, as its filters stand: printed (qingqian_app/printouts.py) or exported to
		// the 台账 template (qingqian_app/ledger_io); the template and an import
		const open_with_filters = (method) => {
			const filters = {};
			for (const [, field, op, value] of listview.get_filters_for_args()) {
				filters[field] = op === "=" ? value : [op, value];
			}
			window.open(`/api/method/${method}?filters=` + encodeURIComponent(JSON.stringify(filters)));
		};
		listview.page.add_inner_button(
			__("下载台账模板"),
			() => window.open("/api/method/qingqian_app.ledger_io.export.template"),
			__("Excel")
		);
		listview.page.add_inner_button(
			__("导出台账"),
			() => open_with_filters("qingqian_app.ledger_io.export.export"),
			__("Excel")
		);
		listview.page.add_inner_button(__("导入台账"), () => frappe.new_doc("Ledger Import"), __("Excel"));
		listview.page.add_inner_button(__("打印台账"), () => open_with_filters("qingqian_app.printouts.ledger_pdf"));
	},
};
