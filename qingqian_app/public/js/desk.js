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
			result.marked_string = __(item || "");
		}
		return result;
	};
	utils.fuzzy_search.qingqian = true;
});
