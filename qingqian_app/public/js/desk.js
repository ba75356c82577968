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

// Dates typed at any speed keep the date typed (issue: 2025-03-15 became 2005-03-15).
// Two causes in Frappe v15 with air-datepicker (Frappe's fork and the npm release alike):
// - the picker opens with a CSS transition; when it ends, ControlDate.update_datepicker_position
//   calls datepicker.update(), which rewrites the box from the picker's selection and wipes
//   what was typed meanwhile ("202" → "", the rest "5-03-15" stays);
// - ControlDate.parse accepts a two-digit year (moment's "YY"), so "5-03-15" is taken as 2005.
// The picker's update() keeps the text of a box being typed in, and a Date field takes only a
// complete date with a four-digit year (2025-03-15, 2025/3/15, 2025.3.15, 20250315,
// 2025年3月15日); anything else is refused with a message naming the field, never guessed.
// The server refuses implausible dates on its own (qingqian_app/domain/dates.py).
(() => {
	const Datepicker = $.fn.datepicker && $.fn.datepicker.Constructor;
	if (Datepicker && !Datepicker.prototype.update.qingqian) {
		const update = Datepicker.prototype.update;
		Datepicker.prototype.update = function (...args) {
			const el = this.el;
			const typing = el && document.activeElement === el;
			const text = typing && el.value;
			const [start, end] = typing ? [el.selectionStart, el.selectionEnd] : [];
			const result = update.apply(this, args);
			if (typing && el.value !== text) {
				el.value = text;
				el.setSelectionRange(start, end);
			}
			return result;
		};
		Datepicker.prototype.update.qingqian = true;
	}

	const ControlDate = frappe.ui.form.ControlDate;
	if (!ControlDate || ControlDate.prototype.parse.qingqian) return;
	const parse = ControlDate.prototype.parse;
	const FORMS = ["YYYY-M-D", "YYYY/M/D", "YYYY.M.D", "YYYYMMDD", "YYYY年M月D日"];
	ControlDate.prototype.parse = function (value) {
		if (!value || this.df.fieldtype !== "Date" || value === "Invalid date") {
			return parse.call(this, value);
		}
		const text = String(value).trim();
		const user_form = frappe.datetime.get_user_date_fmt().toUpperCase();
		const day = moment(text, [user_form, ...FORMS], true);
		if (day.isValid() && day.year() >= 1900) {
			return day.locale("en").format("YYYY-MM-DD");
		}
		frappe.msgprint({
			title: __("日期有误"),
			indicator: "red",
			message: __("{0}：“{1}”不是完整的日期。请填写四位年份的日期，如 {2}", [
				__(this.df.label || this.df.fieldname),
				frappe.utils.escape_html(text),
				frappe.datetime.str_to_user(frappe.datetime.get_today()),
			]),
		});
		return "";
	};
	ControlDate.prototype.parse.qingqian = true;
})();

// 我的待审批 (a Quick List of Workflow Action on the workspace): Frappe shows bare numbers that
// open the raw Workflow Action record; show each record awaiting the user (its kind, number,
// title and state) and open the record itself (qingqian_app/desk.py pending_approvals).
$(document).on("startup", () => {
	const QuickList = frappe.widget && frappe.widget.widget_factory.quick_list;
	if (!QuickList || QuickList.prototype.set_body.qingqian) return;
	const set_body = QuickList.prototype.set_body;
	QuickList.prototype.set_body = function () {
		if (this.document_type !== "Workflow Action") return set_body.call(this);
		this.widget.addClass("quick-list-widget-box");
		this.render_loading_state();
		frappe
			.xcall("qingqian_app.desk.pending_approvals", { limit: 4 })
			.then(({ count, rows }) => {
				this.body.empty();
				if (!rows.length) {
					$(`<div class="list-no-data-state text-muted">${__("没有待您审批的事项")}</div>`).appendTo(
						this.body
					);
					return;
				}
				for (const row of rows) {
					const esc = frappe.utils.escape_html;
					const $item = $(`
						<div class="quick-list-item">
							<div class="ellipsis left">
								<div class="ellipsis title">${esc(row.doctype_label)} ${esc(row.name)}${
						row.title ? "：" + esc(row.title) : ""
					}</div>
								<div class="timestamp text-muted">${frappe.datetime.prettyDate(row.modified)}</div>
							</div>
							<div class="status indicator-pill orange ellipsis">${esc(__(row.state))}</div>
							<div class="right-arrow">${frappe.utils.icon("right", "xs")}</div>
						</div>`);
					$item.click(() => frappe.set_route("Form", row.doctype, row.name));
					$item.appendTo(this.body);
				}
				if (count > rows.length) {
					$(`<div class="text-muted small" style="padding: 4px 8px">${__("共 {0} 项待审批", [count])}</div>`).appendTo(
						this.body
					);
				}
			});
	};
	QuickList.prototype.set_body.qingqian = true;
});

// Amounts as staff write them: 万 and 亿, never K and M ("¥ 1.16 M" on a number card, "500 K"
// on a chart's axis); a number card's money in 元 or 万元/亿元 with two decimals.
(() => {
	const utils = frappe.utils;
	if (utils.get_number_system.qingqian) return;
	const CHINESE = [
		{ divisor: 1e8, symbol: "亿" },
		{ divisor: 1e4, symbol: "万" },
	];
	const get_number_system = utils.get_number_system;
	utils.get_number_system = function (country) {
		return country === "China" || frappe.boot.lang === "zh" ? CHINESE : get_number_system.call(this, country);
	};
	utils.get_number_system.qingqian = true;
})();
$(document).on("startup", () => {
	const NumberCard = frappe.widget && frappe.widget.widget_factory.number_card;
	if (!NumberCard || NumberCard.prototype.set_formatted_number.qingqian) return;
	NumberCard.prototype.set_formatted_number = function (df) {
		const n = Number(this.number) || 0;
		const kind = (df && df.fieldtype) || "";
		const unit = Math.abs(n) >= 1e8 ? ["亿", 1e8] : Math.abs(n) >= 1e4 ? ["万", 1e4] : ["", 1];
		const decimals = unit[1] > 1 || ["Currency", "Float", "Percent"].includes(kind) ? 2 : 0;
		const text = (n / unit[1]).toLocaleString("zh-CN", {
			minimumFractionDigits: decimals,
			maximumFractionDigits: decimals,
		});
		this.formatted_number =
			kind === "Currency" ? `${text} ${unit[0]}元` : kind === "Percent" ? `${text}%` : `${text}${unit[0]}`;
	};
	NumberCard.prototype.set_formatted_number.qingqian = true;
});

// Counts step by whole numbers on a chart's axis. frappe-charts divides a range of 1 or 2 into
// quarters (0, 0.5, 1, 1.5, 2 for a chart of two items); where every value is a whole number
// the axis reaches at least 4, which it divides into steps of 1. Kept on each update (a filter
// changed), as the chart was asked for otherwise.
(() => {
	if (!frappe.Chart || frappe.Chart.qingqian) return;
	const Chart = frappe.Chart;
	const axis_range = (data, asked) => {
		const values = ((data && data.datasets) || []).flatMap((d) => d.values || []).map(Number);
		const small_counts =
			values.length && values.every(Number.isInteger) && Math.max(...values.map(Math.abs)) <= 2;
		return small_counts ? Object.assign({ max: 4 }, asked) : asked;
	};
	frappe.Chart = function (parent, options) {
		const asked = (options.axisOptions && options.axisOptions.yAxisRange) || {};
		options.axisOptions = Object.assign({}, options.axisOptions, {
			yAxisRange: axis_range(options.data, asked),
		});
		const chart = new Chart(parent, options);
		if (chart && chart.config && typeof chart.update === "function") {
			const update = chart.update;
			chart.update = function (data) {
				this.config.yAxisRange = axis_range(data, asked);
				return update.apply(this, arguments);
			};
		}
		return chart;
	};
	frappe.Chart.qingqian = true;
})();

// A number a contract may leave out is stored 0 and means "not agreed" (qingqian_app/domain/
// ledger.py BLANK_WHEN_ZERO, in the boot info): the form and its read-only view show it blank.
(() => {
	const blank = (doctype, df) =>
		((frappe.boot.qingqian_blank_zero || {})[doctype || (df && df.parent)] || []).includes(
			df && df.fieldname
		);
	for (const Control of [frappe.ui.form.ControlInt, frappe.ui.form.ControlFloat]) {
		if (!Control || Control.prototype.format_for_input.qingqian) continue;
		const format = Control.prototype.format_for_input;
		Control.prototype.format_for_input = function (value) {
			if (!Number(value) && blank(this.doctype, this.df)) return "";
			return format.call(this, value);
		};
		Control.prototype.format_for_input.qingqian = true;
	}
	const formatters = frappe.form.formatters;
	for (const kind of ["Int", "Float", "Percent"]) {
		const format = formatters[kind];
		if (!format || format.qingqian) continue;
		formatters[kind] = function (value, docfield, options, doc) {
			if (!Number(value) && blank(doc && doc.doctype, docfield)) return "";
			return format.call(this, value, docfield, options, doc);
		};
		formatters[kind].qingqian = true;
	}
})();

// Words Frappe shows from values, in Chinese: a value that was not set (the timeline's "由 null 改为"),
// the system time zone under a date-and-time field ("Asia/Shanghai"), a DocType named in a link.
(() => {
	const utils = frappe.utils;
	if (utils.html2text.qingqian) return;
	const html2text = utils.html2text;
	utils.html2text = function (html) {
		return html === null || html === undefined ? __("（空）") : html2text.call(this, html);
	};
	utils.html2text.qingqian = true;
	const Datetime = frappe.ui.form.ControlDatetime;
	if (Datetime) {
		const zone = Datetime.prototype.get_user_time_zone;
		Datetime.prototype.get_user_time_zone = function () {
			return __(zone.call(this));
		};
	}
	const link = frappe.form.formatters.Link;
	frappe.form.formatters.Link = function (value, docfield, options, doc) {
		if (value && docfield && docfield.options === "DocType") return frappe.utils.escape_html(__(value));
		return link.call(this, value, docfield, options, doc);
	};
})();
