"""A web process for a test site with some of the app's guards taken out, to show that the
hostile suite fails without them (issue 21: "it must fail when any one of the guards is
removed"). Nothing is changed on disk: the app's hooks are filtered as Frappe reads them.
Run with the bench's Python from the bench's sites directory, as the bench user:

    cd ~/frappe-bench/sites
    ../env/bin/python /path/to/tests/security/without_guards.py qingqian-test.localhost 18322 \\
        qingqian_app.file_guard            # or qingqian_app.print_guard, qingqian_app.scope_guard, ...

then run the suite against it (QINGQIAN_URL=http://127.0.0.1:18322, as scripts/test.sh passes
the others): each hook whose dotted path starts with one of the given prefixes is gone."""

import sys


def main(site: str, port: int, prefixes: list[str]) -> None:
	import frappe
	import frappe.app as app
	from werkzeug.serving import run_simple

	def strip(value):
		if isinstance(value, str):
			return None if any(value.startswith(p) for p in prefixes) else value
		if isinstance(value, list):
			return [x for x in (strip(v) for v in value) if x is not None]
		if isinstance(value, dict):
			out = type(value)()
			for k, v in value.items():
				v = strip(v)
				if v not in (None, []):
					out[k] = v
			return out
		return value

	get_hooks = frappe.get_hooks

	def filtered(hook=None, default="_KEEP_DEFAULT_LIST", app_name=None):
		return strip(get_hooks(hook, default, app_name))

	frappe.get_hooks = filtered
	app._site, app._sites_path = site, "."
	run_simple("127.0.0.1", port, app.application, use_reloader=False, threaded=True)


if __name__ == "__main__":
	main(sys.argv[1], int(sys.argv[2]), sys.argv[3:])
