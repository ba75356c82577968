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
		"has_permission": "qingqian_app.desk.has_app_permission",  # staff only
	}
]

# Per-unit visibility on every path (list, report, REST, search, form, workflow mail).
permission_query_conditions = {
	"Arrears Item": "qingqian_app.permissions.arrears_item_conditions",
	"Debtor Unit": "qingqian_app.permissions.debtor_unit_conditions",
	"Complaint Lead": "qingqian_app.permissions.complaint_lead_conditions",
	"Petition": "qingqian_app.permissions.petition_conditions",
	"Supervision": "qingqian_app.permissions.supervision_conditions",
	"Unit Report": "qingqian_app.permissions.unit_report_conditions",
	"Bulletin Item": "qingqian_app.permissions.bulletin_item_conditions",
	"Progress Bulletin": "qingqian_app.permissions.progress_bulletin_conditions",
	"Accountability Action": "qingqian_app.permissions.accountability_action_conditions",
	"Audit Finding": "qingqian_app.permissions.audit_finding_conditions",
	"SOE Annual Report": "qingqian_app.permissions.soe_annual_report_conditions",
	"Unit Annual Disclosure": "qingqian_app.permissions.unit_annual_disclosure_conditions",
	"Ledger Import": "qingqian_app.permissions.ledger_import_conditions",
	"Receivable Confirmation": "qingqian_app.permissions.receivable_confirmation_conditions",
	"Contract Review": "qingqian_app.permissions.contract_review_conditions",
	"Investment Project": "qingqian_app.permissions.investment_project_conditions",
	# with Frappe's own: an action is listed only with its record (qingqian_app/leak_guard.py)
	"Workflow Action": "qingqian_app.leak_guard.workflow_action_conditions",
	# with Frappe's own: an attachment is listed only with its record (qingqian_app/file_guard.py)
	"File": "qingqian_app.file_guard.file_conditions",
}
has_permission = {
	"Arrears Item": "qingqian_app.permissions.arrears_item_permission",
	"Debtor Unit": "qingqian_app.permissions.debtor_unit_permission",
	"Complaint Lead": "qingqian_app.permissions.complaint_lead_permission",
	"Petition": "qingqian_app.permissions.petition_permission",
	"Supervision": "qingqian_app.permissions.supervision_permission",
	"Unit Report": "qingqian_app.permissions.unit_report_permission",
	"Bulletin Item": "qingqian_app.permissions.bulletin_item_permission",
	"Progress Bulletin": "qingqian_app.permissions.progress_bulletin_permission",
	"Accountability Action": "qingqian_app.permissions.accountability_action_permission",
	"Audit Finding": "qingqian_app.permissions.audit_finding_permission",
	"SOE Annual Report": "qingqian_app.permissions.soe_annual_report_permission",
	"Unit Annual Disclosure": "qingqian_app.permissions.unit_annual_disclosure_permission",
	"Ledger Import": "qingqian_app.permissions.ledger_import_permission",
	"Receivable Confirmation": "qingqian_app.permissions.receivable_confirmation_permission",
	"Contract Review": "qingqian_app.permissions.contract_review_permission",
	"Investment Project": "qingqian_app.permissions.investment_project_permission",
	"Workflow Action": "qingqian_app.leak_guard.workflow_action_permission",
	"File": "qingqian_app.file_guard.file_permission",
}

# Who may change which field in which state, and which step a state change is: declared in
# workflows/*.json, enforced on every save path for every DocType that has a workflow there
# (qingqian_app/workflow_guard.py); the desk form reads the same declaration.
doc_events = {
	"*": {
		"before_validate": [
			"qingqian_app.input_guard.before_validate",  # types and sizes the database would refuse
			"qingqian_app.workflow_guard.before_validate",
			"qingqian_app.file_guard.check_attach_fields",  # an Attach field names only a file one may read
		],
		"before_save": "qingqian_app.input_guard.before_save",  # and what the controller computed
		# a record's unit fields: the user's scope before and after a change (scope_guard.py)
		"validate": "qingqian_app.scope_guard.validate",
		"on_trash": "qingqian_app.workflow_guard.on_trash",
		"before_rename": "qingqian_app.workflow_guard.before_rename",
	},
	# a government investment project's arrears figures follow its ledger items
	"Arrears Item": {
		"on_update": [
			"qingqian_app.prevention.doctype.investment_project.investment_project.refresh_for_item",
			"qingqian_app.enterprise_portal.mail.item_changed",  # the enterprise told of its matter
		]
	},
	"Complaint Lead": {"on_update": "qingqian_app.enterprise_portal.mail.lead_changed"},
	# the units' tree each debtor unit's users see, kept in Redis until it changes (permissions.py)
	"Debtor Unit": {
		event: "qingqian_app.permissions.forget_subtrees"
		for event in ("after_insert", "on_update", "on_trash", "after_rename")
	},
	"Enterprise Account": {"on_update": "qingqian_app.enterprise_portal.mail.account_changed"},
	# the unit a user belongs to is set by those who administer users (scope_guard.py)
	"User": {"before_validate": "qingqian_app.scope_guard.user_before_validate"},
	# a File is attached, re-pointed and made public only as its record allows (file_guard.py)
	"File": {"before_validate": "qingqian_app.file_guard.before_validate"},
}
boot_session = "qingqian_app.workflow_guard.boot_session"
# failed logins' counts (the account's lock, the address's throttle: qingqian_app/security.py)
# outlive a full cache clear (a migrate, a settings save): else any clear lifts every lock
persistent_cache_keys = ["login_failed_"]


def _workflow_doctypes() -> list[str]:
	import json
	from pathlib import Path

	folder = Path(__file__).resolve().parent.parent / "workflows"
	return sorted(json.loads(p.read_text("utf-8"))["document_type"] for p in folder.glob("*.json"))


def _document_doctypes() -> list[str]:
	import json
	from pathlib import Path

	folder = Path(__file__).resolve().parent.parent / "print_formats"
	metas = [json.loads(p.read_text("utf-8")) for p in folder.glob("*/format.json")]
	return sorted({m["doc_type"] for m in metas if m.get("document_kind")})


def _child_doctypes() -> list[str]:
	import json
	from pathlib import Path

	folder = Path(__file__).resolve().parent
	metas = [
		json.loads(p.read_text("utf-8")) for p in folder.glob("*/doctype/*/*.json") if p.stem == p.parent.name
	]
	return sorted(m["name"] for m in metas if m.get("doctype") == "DocType" and m.get("istable"))


# child rows follow their parent's record-level scope on every list path (qingqian_app/child_scope.py)
permission_query_conditions.update(
	{doctype: "qingqian_app.child_scope.conditions" for doctype in _child_doctypes()}
)

# the form reads the editing declaration and offers the record's official documents
doctype_js = {doctype: "public/js/form.js" for doctype in {*_workflow_doctypes(), *_document_doctypes()}}
# every desk page (the search bar); served as it is from public/, no build step
app_include_js = "/assets/qingqian_app/js/desk.js"
# the text editor's pickers and table menu, named in CSS, in Chinese
app_include_css = "/assets/qingqian_app/css/desk.css"
# an enterprise's login lands on its own matters (企业端), not on Frappe's /me
role_home_page = {"Enterprise User": "my-arrears"}

override_whitelisted_methods = {
	# the workflow action taken is passed to the guard, never guessed from the states
	"frappe.model.workflow.apply_workflow": "qingqian_app.workflow_guard.apply_workflow",
	"frappe.model.workflow.bulk_workflow_approval": "qingqian_app.workflow_guard.bulk_workflow_approval",
	"frappe.workflow.doctype.workflow_action.workflow_action.confirm_action": "qingqian_app.workflow_guard.confirm_action",
	# the desk's save, tried again when it loses a deadlock to another user's (qingqian_app/deadlocks.py)
	"frappe.desk.form.save.savedocs": "qingqian_app.deadlocks.savedocs",
	# counts through the user's permissions (qingqian_app/read_guard.py)
	"frappe.client.get_count": "qingqian_app.read_guard.get_count",
	"frappe.desk.listview.get_group_by_count": "qingqian_app.read_guard.get_group_by_count",
	# the search bar finds records by a fragment of a Chinese name (qingqian_app/search.py)
	"frappe.utils.global_search.search": "qingqian_app.search.global_search",
	# prints of stored records only, never a document sent as JSON (qingqian_app/print_guard.py)
	"frappe.www.printview.get_html_and_style": "qingqian_app.print_guard.get_html_and_style",
	"frappe.www.printview.get_rendered_raw_commands": "qingqian_app.print_guard.get_rendered_raw_commands",
	# a chart computed for its reader, through the read guard (qingqian_app/read_guard.py)
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.get": "qingqian_app.read_guard.dashboard_chart",
	"frappe.desk.doctype.number_card.number_card.get_result": "qingqian_app.read_guard.number_card_result",
	# likes and link titles of readable records, one answer to a password reset (qingqian_app/leak_guard.py)
	"frappe.desk.like.toggle_like": "qingqian_app.leak_guard.toggle_like",
	"frappe.desk.search.get_link_title": "qingqian_app.leak_guard.get_link_title",
	"frappe.core.doctype.user.user.reset_password": "qingqian_app.leak_guard.reset_password",
	# report PDFs load nothing but the site's own /assets and /files; exports write text as text
	# (qingqian_app/http_guard.py)
	"frappe.utils.print_format.report_to_pdf": "qingqian_app.http_guard.report_to_pdf",
	"frappe.desk.reportview.export_query": "qingqian_app.http_guard.export_query",
	"frappe.desk.query_report.export_query": "qingqian_app.http_guard.export_query_report",
	# a mail attaches only files its sender may read (qingqian_app/file_guard.py)
	"frappe.core.doctype.communication.email.make": "qingqian_app.file_guard.make_communication",
	# the desk's PDF button asks on every click (qingqian_app/pdf.py)
	"frappe.utils.pdf.is_wkhtmltopdf_valid": "qingqian_app.pdf.is_wkhtmltopdf_valid",
}
# Link fields search by record number or a fragment of the enterprise's or unit's name,
# through indexed columns (qingqian_app/search.py), not LIKE '%…%' over a million rows.
standard_queries = {
	doctype: "qingqian_app.search.link_query" for doctype in ("Arrears Item", "Complaint Lead", "Petition")
}

scheduler_events = {
	"daily": [
		"qingqian_app.qingqian.doctype.arrears_item.arrears_item.refresh_overdue",
		# every unit's report for the period just ended (应报尽报), then the reminders and 督办
		# of every time limit (after the overdue days are refreshed)
		"qingqian_app.oversight.unit_reports.generate",
		# from 1 January, each 机关 and 事业单位's figures of the last year to publish by 31 March
		"qingqian_app.accountability.disclosure.annual_disclosures",
		# accountability measures start and end by their dates (shown on the Debtor Unit)
		"qingqian_app.accountability.actions.daily",
		# projects' arrears and inspections' overdue rectifications (prevention at the source)
		"qingqian_app.prevention.doctype.investment_project.investment_project.refresh_all",
		"qingqian_app.prevention.doctype.enforcement_inspection.enforcement_inspection.daily",
		"qingqian_app.oversight.supervision.daily",
		# on the first of a month, the draft progress bulletin as of the month's end
		"qingqian_app.oversight.bulletins.monthly",
		# on Mondays the 舆情 weekly summary of the week before, on the first the monthly one
		"qingqian_app.prevention.opinion.daily",
	],
	# the day's full backup, kept here and copied to a second place (qingqian_app/operations/backups.py)
	"daily_long": ["qingqian_app.operations.backups.daily"],
	# jobs a killed worker left behind queued again, mail cut off mid-send sent (operations/recovery.py)
	"cron": {"*/2 * * * *": ["qingqian_app.operations.recovery.every_two_minutes"]},
}

# Jinja methods for print formats: amounts in capitals (人民币大写), the register's number and date
jinja = {
	"methods": [
		"qingqian_app.jinja.qingqian_capitals",
		"qingqian_app.jinja.qingqian_days_in_words",
		"qingqian_app.jinja.qingqian_issued",
		"qingqian_app.jinja.qingqian_json",
		# a linked record, loaded only with the reader's permission
		"qingqian_app.jinja.qingqian_linked_doc",
	]
}

# Every print of a record passes here: a document is refused where its words are not true
# (format.json "printable"; qingqian_app/documents.py).
pdf_body_html = "qingqian_app.documents.pdf_body_html"

# Official documents (print_formats/) become PDFs through WeasyPrint on every path Frappe
# makes PDFs by (download, desk, mail attachments): see qingqian_app/pdf.py.
# The read guard and the workflow bookkeeping likewise (qingqian_app/read_guard.py,
# qingqian_app/workflow_guard.py): Frappe offers no hook at those places.
before_request = [
	"qingqian_app.pdf.install",
	"qingqian_app.jinja.install",  # templates given as strings compiled once per process
	"qingqian_app.read_guard.install",
	"qingqian_app.child_scope.install",
	"qingqian_app.workflow_guard.install",
	# no GET changes data; failed logins lock the account (qingqian_app/http_guard.py, security.py)
	"qingqian_app.http_guard.before_request",
	# a record's child tables as lists of rows, before Frappe builds it (qingqian_app/input_guard.py)
	"qingqian_app.input_guard.before_request",
]
before_job = [
	"qingqian_app.pdf.install",
	"qingqian_app.jinja.install",
	"qingqian_app.read_guard.install",
	"qingqian_app.child_scope.install",
	"qingqian_app.workflow_guard.install",
	"qingqian_app.jobs.use_users_language",
]
