// Copyright (c) 2026, qingqian developers
// License: MIT. See LICENSE

// The search bar's results (qingqian_app/search.py) name each field they show. Frappe v15's
// search dialog prints "undefined" for a field whose label does not contain the words
// searched for (fuzzy_search then returns no marked string): give it the label itself.
$(document).on("startup", () => {
	const utils = frappe.search && frappe.search.utils;
	if (!utils || utils.fuzzy_search.qingqian) return;
	const fuzzy_search = utils.fuzzy_search;
	utils.fuzzy_search = function (keywords, item, return_marked_string) {
		const result = fuzzy_search.call(this, keywords, item, return_marked_string);
		if (return_marked_string && result && result.marked_string === undefined) {
			result.marked_string = frappe.utils.escape_html(__(item || "")); // shown as HTML
		}
		return result;
	};
	utils.fuzzy_search.qingqian = true;
});

// Select filters of the oversight reports take their choices from the DocType that declares
// them (one list, in the DocType's JSON): {filter: [doctype, fieldname]}.
window.qingqian_report_choices = function (report, choices) {
	for (const [filter, [doctype, fieldname]] of Object.entries(choices)) {
		frappe.model.with_doctype(doctype, () => {
			const df = frappe.meta.get_docfield(doctype, fieldname);
			const field = report.get_filter(filter);
			if (!df || !field) return;
			field.df.options = ["", ...(df.options || "").split("\n").filter(Boolean)];
			field.refresh();
		});
	}
};

// The filters every report on the ledger's figures shares (qingqian_app/oversight/figures.py
// reads them): how to group, and which items.
window.qingqian_figure_filters = function () {
	return [
		{
			fieldname: "group_by",
			label: __("汇总方式"),
			fieldtype: "Select",
			options: [
				{ value: "competent_unit", label: __("按主管部门") },
				{ value: "debtor_unit_type", label: __("按单位类型") },
				{ value: "debtor_unit", label: __("按欠款单位（含子公司）") },
			],
			default: "competent_unit",
			reqd: 1,
		},
		{ fieldname: "competent_unit", label: __("主管部门"), fieldtype: "Link", options: "Member Unit" },
		{ fieldname: "debtor_unit", label: __("欠款单位（含下级）"), fieldtype: "Link", options: "Debtor Unit" },
		// choices as the DocTypes declare them (qingqian_figure_choices, on load)
		{ fieldname: "debtor_unit_type", label: __("单位类型"), fieldtype: "Select" },
		{ fieldname: "arrears_category", label: __("欠款类别"), fieldtype: "Select" },
		{ fieldname: "involves_migrant_wages", label: __("仅涉及农民工工资"), fieldtype: "Check" },
	];
};
window.qingqian_figure_choices = function (report) {
	qingqian_report_choices(report, {
		debtor_unit_type: ["Debtor Unit", "unit_type"],
		arrears_category: ["Arrears Item", "arrears_category"],
	});
};
window.qingqian_bold_total = function (value, row, column, data, default_formatter) {
	value = default_formatter(value, row, column, data);
	return data && data.bold ? `<b>${value}</b>` : value;
};
