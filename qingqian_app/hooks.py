app_name = "qingqian_app"
app_title = "清欠"
app_publisher = "qingqian developers"
app_description = "防范和化解拖欠民营企业账款工作系统"
app_email = "qingqian@example.com"
app_license = "MIT"

# Definitions in workflows/, print_formats/ and fixtures/ are synced into the site by
# one engine (qingqian_app.sync) on install and on every migrate.
after_install = "qingqian_app.install.after_install"
after_migrate = "qingqian_app.install.after_migrate"
before_uninstall = "qingqian_app.install.before_uninstall"

add_to_apps_screen = [
	{
		"name": "qingqian_app",
		"logo": "/assets/frappe/images/frappe-framework-logo.svg",
		"title": "清欠",
		"route": "/app/qingqian",
	}
]

# Per-unit visibility on every path (list, report, REST, search, form, workflow mail).
permission_query_conditions = {
	"Arrears Item": "qingqian_app.permissions.arrears_item_conditions",
	"Debtor Unit": "qingqian_app.permissions.debtor_unit_conditions",
	"Complaint Lead": "qingqian_app.permissions.complaint_lead_conditions",
	"Petition": "qingqian_app.permissions.petition_conditions",
}
has_permission = {
	"Arrears Item": "qingqian_app.permissions.arrears_item_permission",
	"Debtor Unit": "qingqian_app.permissions.debtor_unit_permission",
	"Complaint Lead": "qingqian_app.permissions.complaint_lead_permission",
	"Petition": "qingqian_app.permissions.petition_permission",
}

scheduler_events = {
	"daily": ["qingqian_app.qingqian.doctype.arrears_item.arrears_item.refresh_overdue"],
}

# Jinja methods for print formats: amounts in capitals (人民币大写)
jinja = {"methods": ["qingqian_app.jinja.qingqian_capitals"]}

# Official documents (print_formats/) become PDFs through WeasyPrint on every path Frappe
# makes PDFs by (download, desk, mail attachments): see qingqian_app/pdf.py.
before_request = ["qingqian_app.pdf.install"]
before_job = ["qingqian_app.pdf.install", "qingqian_app.jobs.use_users_language"]
