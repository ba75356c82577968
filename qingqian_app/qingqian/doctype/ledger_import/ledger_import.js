// Copyright (c) 2026, qingqian developers
// License: MIT. See LICENSE

// 预检 then 导入, each in the background: the progress bar moves as the server reports.
frappe.ui.form.on("Ledger Import", {
	setup(frm) {
		frappe.realtime.on("ledger_import_progress", (data) => {
			if (data.name !== frm.doc.name) return;
			if (data.finished) {
				frm.dashboard.hide_progress();
				frm.reload_doc();
				return;
			}
			frm.dashboard.show_progress(
				data.dry_run ? "预检中" : "导入中", // the same bar as refresh shows
				data.percent,
				__("{0} / {1} 行", [data.done, data.total])
			);
		});
	},
	refresh(frm) {
		// the preview the server wrote (escaped there), as a table
		frm.get_field("preview").$wrapper.html(frm.doc.preview_html || "");
		if (frm.is_new() || !frm.doc.import_file) return;
		const busy = ["预检中", "导入中"].includes(frm.doc.status);
		if (busy) {
			frm.dashboard.show_progress(frm.doc.status, frm.doc.progress || 0);
			return;
		}
		const start = (dry_run) =>
			frappe
				.xcall("qingqian_app.qingqian.doctype.ledger_import.ledger_import.start", { name: frm.doc.name, dry_run })
				.then(() => frm.reload_doc());
		if (frm.doc.status !== "已完成") {
			frm.add_custom_button(__("预检"), () => start(1));
		}
		if (frm.doc.status === "已预检") {
			frm.add_custom_button(__("导入"), () =>
				frappe.confirm(
					__("将新建 {0} 条、更新 {1} 条；{2} 行有误不导入。确定导入？", [
						frm.doc.to_create,
						frm.doc.to_update,
						frm.doc.refused,
					]),
					() => start(0)
				)
			).addClass("btn-primary");
		}
	},
});
