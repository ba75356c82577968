// Copyright (c) 2026, qingqian developers
// License: MIT. See LICENSE

// Forms of the DocTypes with a workflow in workflows/ or numbered documents (hooks.py doctype_js):
// - the form opens exactly the fields the user may change in the record's state: the
//   declaration the server enforces (qingqian_app/workflow_guard.py), sent in the boot info;
// - a 公文 menu drafts (拟稿), signs (签发) and prints the record's official documents
//   where their words are true (qingqian_app/documents.py decides, the server refuses).
(() => {
	if (window.qingqian_edit_rules) return;
	const all = (window.qingqian_edit_rules = frappe.boot.qingqian_edit_rules || {});
	const kinds = frappe.boot.qingqian_document_kinds || {};
	const REGISTER = "qingqian_app.qingqian.doctype.issued_document.issued_document";

	function allowed_fields(frm, rules) {
		const state = frm.is_new() ? rules.initial : frm.doc.workflow_state || rules.initial;
		const allowed = new Set();
		for (const [role, fields] of Object.entries(rules.edit[state] || {})) {
			if (frappe.user_roles.includes(role)) fields.forEach((f) => allowed.add(f));
		}
		return allowed;
	}

	function apply(frm) {
		const rules = all[frm.doctype];
		if (!rules || frappe.session.user === "Administrator") return;
		const allowed = allowed_fields(frm, rules);
		for (const fieldname of rules.fields) {
			frm.set_df_property(fieldname, "read_only", allowed.has(fieldname) ? 0 : 1);
		}
		// a log: saved rows stay as they are, new ones may be added
		for (const table of rules.append_only) {
			if (!allowed.has(table)) continue;
			frm.set_df_property(table, "cannot_delete_rows", 1);
			const child = frm.fields_dict[table].grid.doctype;
			for (const row of frm.doc[table] || []) {
				if (row.__islocal) continue;
				for (const df of frappe.get_meta(child).fields) {
					frm.set_df_property(table, "read_only", 1, frm.docname, df.fieldname, row.name);
				}
			}
			frm.refresh_field(table);
		}
	}

	async function document_menu(frm) {
		if (frm.is_new() || !kinds[frm.doctype]) return;
		const rows = await frappe.xcall(`${REGISTER}.register_of`, {
			reference_doctype: frm.doctype,
			reference_name: frm.docname,
		});
		const group = __("公文");
		// a button's label and a message are HTML to Frappe: the server's values are escaped
		const esc = (v) => frappe.utils.escape_html(v == null ? "" : String(v));
		const args = (r) => ({
			document_kind: r.kind,
			reference_doctype: frm.doctype,
			reference_name: frm.docname,
		});
		for (const r of rows) {
			if (r.may_draft) {
				// the draft opens at once (its register entry, with the draft's preview)
				frm.add_custom_button(__("拟稿：{0}", [esc(r.kind)]), () =>
					frappe.xcall(`${REGISTER}.draft`, args(r)).then((name) => {
						frappe.show_alert({ message: __("已拟稿：{0}，待签发", [esc(r.kind)]), indicator: "green" }, 7);
						frappe.set_route("Form", "Issued Document", name);
					}), group);
			}
			if (r.may_sign) {
				frm.add_custom_button(__("签发：{0}", [esc(r.kind)]), () =>
					frappe.confirm(__("签发后分配发文字号，不能撤回。确定签发“{0}”？", [esc(r.kind)]), () =>
						frappe.xcall(`${REGISTER}.sign`, args(r)).then((number) => {
							frappe.msgprint(__("已签发：{0}", [esc(number)]));
							frm.reload_doc();
						})), group);
			}
			if (!r.problem) {
				const label = r.number ? `${r.print_format}（${r.number}）` : r.print_format;
				frm.add_custom_button(__("打印：{0}", [esc(label)]), () =>
					window.open(
						"/api/method/frappe.utils.print_format.download_pdf?" +
							new URLSearchParams({ doctype: frm.doctype, name: frm.docname, format: r.print_format })
					), group);
			}
		}
	}

	for (const doctype of new Set([...Object.keys(all), ...Object.keys(kinds)])) {
		frappe.ui.form.on(doctype, {
			refresh(frm) {
				apply(frm);
				document_menu(frm);
			},
			onload_post_render: apply,
			// each workflow action says what it did (Frappe's form only reloads)
			before_workflow_action(frm) {
				frm.qingqian_action = frm.selected_workflow_action;
			},
			after_workflow_action(frm) {
				const state = frm.doc[frappe.workflow.get_state_fieldname(frm.doctype) || "workflow_state"];
				frappe.show_alert(
					{
						message: __("已{0}：状态已变为“{1}”", [
							frappe.utils.escape_html(__(frm.qingqian_action || "")),
							frappe.utils.escape_html(__(state || "")),
						]),
						indicator: "green",
					},
					7
				);
			},
		});
	}
})();
