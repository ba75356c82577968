// 国企年报核对: the SOEs whose annual report disagrees with the ledger.
frappe.query_reports["SOE Annual Report Check"] = {
	filters: [
		{ fieldname: "year", label: __("年度"), fieldtype: "Int", default: new Date().getFullYear() - 1 },
		{ fieldname: "show_all", label: __("含一致的"), fieldtype: "Check" },
	],
};
