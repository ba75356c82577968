#!/usr/bin/env bash
# 清欠 tests: four pytest suites, one summary.
#
#   ./scripts/test.sh            all suites that can run here
#   ./scripts/test.sh unit       one suite (unit, integration, api, security or browser)
#
#   tests/unit         no Frappe: runs everywhere, CI included
#   tests/integration  inside a real site (the bench's Python), rolled back after each test
#   tests/api          HTTP against a running site
#   tests/security     HTTP against a running site, as hostile users (run like tests/api)
#   tests/browser      the desk in headless Chromium (Debian's, /usr/bin/chromium), clicked as
#                      staff do, against the same web process (with the site's assets)
#
# Never on a district's data: by default both run on a test site of their own on the bench
# (qingqian-test.localhost, with the demo data, marked qingqian_test_site: 1 in its site config),
# made by this script the first time and migrated every run; tests/api talks to a web process of
# its own for it on 127.0.0.1 (not the bench's server, not nginx). A site without the mark is
# refused unless QINGQIAN_ALLOW_REAL_SITE=1. Making the test site needs the MariaDB account setup
# made (/etc/qingqian/mariadb-admin, so run as root) or DB_ROOT_USER / DB_ROOT_PASSWORD.
#
# Where a suite cannot run it says why in one line and counts as skipped. The exit status
# is non-zero when any test fails or a suite errors. Environment:
#   QINGQIAN_BENCH  bench directory              (/home/frappe/frappe-bench, as setup makes it)
#   QINGQIAN_SITE   site                         (qingqian-test.localhost, the test site)
#   QINGQIAN_URL    running site for tests/api   (the test site's own web process; set it to
#                   test a site elsewhere by URL, with QINGQIAN_TOKEN and QINGQIAN_DEMO_PASSWORD)
#   QINGQIAN_TOKEN  API key:secret for tests/api (made for Administrator by this script
#                   when the bench is at hand, kept in the bench's qingqian-credentials)
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
SUITES=("${@:-unit integration api security browser}")
read -r -a SUITES <<<"${SUITES[*]}"
BENCH=${QINGQIAN_BENCH:-/home/frappe/frappe-bench}
TEST_SITE=qingqian-test.localhost
URL=${QINGQIAN_URL:-}
VENV=${QINGQIAN_VENV:-$REPO/.venv}
RESULTS=$(mktemp -d)
chmod 777 "$RESULTS"
declare -a SKIPPED=()
status=0

skip() { echo "SKIPPED $1: $2"; SKIPPED+=("$1 ($2)"); }

# The Frappe-free Python: a venv with this package and pytest.
if [ ! -x "$VENV/bin/pytest" ] || [ pyproject.toml -nt "$VENV/bin/pytest" ]; then
	python3 -m venv "$VENV" && "$VENV/bin/pip" install -q -e ".[test]" && touch "$VENV/bin/pytest" || {
		echo "ERROR: could not make the test venv at $VENV"; exit 1; }
fi

bench_owner() { stat -c %U "$BENCH"; }
as_owner() {  # the site's files belong to the bench user: never write them as root
	if [ "$(id -un)" = "$(bench_owner)" ]; then "$@"
	elif [ "$(id -u)" = 0 ]; then runuser -u "$(bench_owner)" -- "$@"
	else sudo -u "$(bench_owner)" "$@"; fi
}
site_name() { echo "${QINGQIAN_SITE:-$TEST_SITE}"; }
site_conf() {  # key of the test site's config
	as_owner python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], ''))" \
		"$BENCH/sites/$(site_name)/site_config.json" "$1" 2>/dev/null
}
bench_owner_home() { getent passwd "$(bench_owner)" | cut -d: -f6; }
bench_cmd() {
	(cd "$BENCH" && as_owner env HOME="$(bench_owner_home)" \
		PATH="$(bench_owner_home)/.qingqian/bench-cli/bin:/usr/local/bin:/usr/bin:/bin" bench "$@")
}
# The test site: made the first time (demo data, marked as a test site), migrated every run.
ensure_test_site() {
	local site db_user db_pw
	[ -f "$RESULTS/site-ready" ] && return 0  # once a run (each suite asks in a subshell)
	site=$(site_name)
	# the checkout's Chinese (locale/zh.po) as the desk and the server read it: compiled to .mo
	# before the site is made or migrated (which clears the cached translations)
	bench_cmd compile-po-to-mo --app qingqian_app >/dev/null 2>&1 || { echo "could not compile locale/zh.po"; return 1; }
	if [ ! -d "$BENCH/sites/$site" ]; then
		[ "$site" = "$TEST_SITE" ] || { echo "no site $site in $BENCH"; return 1; }
		db_user=${DB_ROOT_USER:-qingqian_dbadmin}
		db_pw=${DB_ROOT_PASSWORD:-$(cat /etc/qingqian/mariadb-admin 2>/dev/null)}
		[ -n "$db_pw" ] || { echo "no test site yet, and no MariaDB account to make one (run as root, or set DB_ROOT_USER/DB_ROOT_PASSWORD)"; return 1; }
		echo "=== making the test site $site (demo data; once)"
		{ bench_cmd new-site "$site" --db-root-username "$db_user" --db-root-password "$db_pw" \
			--admin-password "$(python3 -c 'import secrets; print(secrets.token_urlsafe(16))')" &&
			bench_cmd --site "$site" set-config -p qingqian_test_site 1 &&
			bench_cmd --site "$site" install-app qingqian_app &&
			bench_cmd --site "$site" execute qingqian_app.install.configure_site &&
			bench_cmd --site "$site" execute qingqian_app.security.apply &&
			bench_cmd --site "$site" execute qingqian_app.install.load_demo; } >/dev/null ||
			{ echo "could not make the test site $site"; return 1; }
	else
		# before anything touches it: a site without the mark holds a district's data
		if [ "$(site_conf qingqian_test_site)" != 1 ] && [ "${QINGQIAN_ALLOW_REAL_SITE:-}" != 1 ]; then
			echo "$site is not a test site (no qingqian_test_site: 1 in its site config): the suites create and delete records and take document numbers; set QINGQIAN_ALLOW_REAL_SITE=1 to run them there anyway"
			return 1
		fi
		bench_cmd --site "$site" migrate >/dev/null 2>&1 || { echo "migrate of $site failed"; return 1; }
		bench_cmd --site "$site" execute qingqian_app.security.apply >/dev/null 2>&1  # as setup does
	fi
	# wkhtmltopdf fetches a print's assets from host_name: the bench's web server, asked for the test
	# site by its name (gunicorn in production picks the site by the Host header), which resolves
	# to this machine as `bench add-to-hosts` arranges it; a district's own site is left as it is
	local port url loopback
	port=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get('webserver_port', 8000))" \
		"$BENCH/sites/common_site_config.json" 2>/dev/null || echo 8000)
	if [ "$(site_conf qingqian_test_site)" = 1 ]; then
		if ! getent hosts "$site" >/dev/null && [ "$(id -u)" = 0 ]; then
			echo "127.0.0.1 $site" >> /etc/hosts
		fi
		url="http://localhost:$port"
		if getent hosts "$site" >/dev/null; then
			url="http://$site:$port"
			# production: gunicorn serves no assets; nginx does, for every site, on its loopback port
			loopback=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get('qingqian_loopback_port', ''))" \
				"$BENCH/sites/common_site_config.json" 2>/dev/null || true)
			if [ -n "$loopback" ] && curl -fs -o /dev/null "http://$site:$loopback/api/method/ping"; then
				url="http://$site:$loopback"
			fi
		fi
		[ "$(site_conf host_name)" = "$url" ] || bench_cmd --site "$site" set-config host_name "$url" >/dev/null
	elif [ -z "$(site_conf host_name)" ]; then
		bench_cmd --site "$site" set-config host_name "http://localhost:$port" >/dev/null
	fi
	touch "$RESULTS/site-ready"
}
# tests/api's own web process for the test site, on a free port of 127.0.0.1 (its URL and pid in
# $RESULTS: the caller runs this in a subshell)
start_server() {
	local port url loopback
	port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	(cd "$BENCH/sites" && as_owner ../env/bin/python -c "
import os, sys
import frappe.app as app
from werkzeug.serving import run_simple
open(sys.argv[3], 'w').write(str(os.getpid()))
app._site, app._sites_path = sys.argv[2], '.'
run_simple('127.0.0.1', int(sys.argv[1]), app.application_with_statics(), use_reloader=False, threaded=True)" \
		"$port" "$(site_name)" "$RESULTS/server.pid") > "$RESULTS/server.log" 2>&1 < /dev/null &
	url=http://127.0.0.1:$port
	echo "$url" > "$RESULTS/url"
	for _ in $(seq 60); do curl -fsS -o /dev/null "$url/api/method/ping" 2>/dev/null && return 0; sleep 1; done
	echo "the test site's web process did not answer at $url"; return 1
}
stop_server() { [ -f "$RESULTS/server.pid" ] && kill "$(cat "$RESULTS/server.pid")" 2>/dev/null; rm -f "$RESULTS/server.pid"; }
trap stop_server EXIT
# Why the bench cannot test this checkout (empty when it can).
bench_problem() {
	[ -x "$BENCH/env/bin/python" ] || { echo "no Frappe bench at $BENCH (set QINGQIAN_BENCH; ./scripts/setup.sh makes one)"; return; }
	local app site
	app=$(readlink -f "$BENCH/apps/qingqian_app" 2>/dev/null)
	[ "$app" = "$(readlink -f "$REPO")" ] ||
		{ echo "the bench at $BENCH runs qingqian_app from ${app:-nowhere}, not from this checkout ($REPO)"; return; }
	site=$(site_name)  # the test site is made when missing (ensure_test_site)
	[ "$site" = "$TEST_SITE" ] || [ -d "$BENCH/sites/$site" ] || { echo "no site $site in $BENCH"; return; }
}

# A System Manager's key for tests/api: the test site's Administrator's, made anew each run
# (never kept, never the district site's).
make_token() {
	(cd "$BENCH/sites" && as_owner ../env/bin/python -c "
import frappe, sys
frappe.init(site=sys.argv[1], sites_path='.'); frappe.connect()
from frappe.core.doctype.user.user import generate_keys
frappe.set_user('Administrator'); s = generate_keys('Administrator')['api_secret']; frappe.db.commit()
print(frappe.db.get_value('User', 'Administrator', 'api_key') + ':' + s)" "$(site_name)" 2>/dev/null | tail -1)
}

# What tests/api and tests/security made (marked APITEST-) is removed in process on the bench: records past
# their first state are never deleted through the app (qingqian_app/testing.py).
purge_api_records() {
	if [ -n "$(bench_problem)" ] || [ -n "${QINGQIAN_URL:-}" ]; then
		echo "tests/api: records marked APITEST- are left on the site at $URL (no bench here to remove them)"
		return
	fi
	(cd "$BENCH/sites" && as_owner ../env/bin/python -c "
import frappe, sys
frappe.init(site=sys.argv[1], sites_path='.'); frappe.connect()
from qingqian_app.testing import purge_api_records
print('tests/api: removed', purge_api_records())" "$(site_name)" | tail -1)
}

# No test waits for ever: one that runs past TEST_SECONDS fails by name, with every thread's stack
# printed, and the suite goes on (pytest-timeout, where it is installed).
TEST_SECONDS=${QINGQIAN_TEST_SECONDS:-900}
run_pytest() {  # suite python [runner...]
	local suite=$1 py=$2 t rc; shift 2
	local -a limit=()
	"$@" "$py" -c "import pytest_timeout" 2>/dev/null && limit=(--timeout="$TEST_SECONDS" --timeout-method=signal)
	echo "=== $suite"
	t=$(date +%s)
	"$@" "$py" -m pytest "tests/$suite" -p no:cacheprovider -q --junitxml="$RESULTS/$suite.xml" "${limit[@]}"
	rc=$?
	echo "$suite $(( $(date +%s) - t ))" >> "$RESULTS/seconds"
	[ $rc = 0 ] || [ $rc = 5 ] || status=1  # 5: no tests collected, reported in the summary
}

for suite in "${SUITES[@]}"; do
	case $suite in
	unit)
		run_pytest unit "$VENV/bin/python" env
		;;
	integration)
		why=$(bench_problem)
		if [ -n "$why" ]; then skip integration "$why"; continue; fi
		why=$(ensure_test_site) || { skip integration "$why"; status=1; continue; }
		as_owner "$BENCH/env/bin/python" -c "import pytest, pytest_timeout" 2>/dev/null ||
			as_owner "$BENCH/env/bin/python" -m pip install -q pytest pytest-timeout 2>/dev/null ||
			as_owner env UV_NATIVE_TLS=1 uv pip install -q pytest pytest-timeout --python "$BENCH/env/bin/python"
		run_pytest integration "$BENCH/env/bin/python" as_owner env QINGQIAN_BENCH="$BENCH" QINGQIAN_SITE="$(site_name)"
		;;
	api | security | browser)
		# each HTTP suite against a web process of its own, started afresh (the code as it is now)
		if [ "$suite" = browser ] && [ ! -x "${QINGQIAN_CHROMIUM:-/usr/bin/chromium}" ]; then
			skip browser "no Chromium at ${QINGQIAN_CHROMIUM:-/usr/bin/chromium} (Debian's chromium package; setup installs it with DEV=1)"; continue
		fi
		URL=${QINGQIAN_URL:-}
		token=${QINGQIAN_TOKEN:-} demo_password=${QINGQIAN_DEMO_PASSWORD:-}
		if [ -z "$URL" ]; then  # the test site on this bench, through a web process of its own
			why=$(bench_problem)
			if [ -n "$why" ]; then skip "$suite" "$why; or set QINGQIAN_URL, QINGQIAN_TOKEN and QINGQIAN_DEMO_PASSWORD to test a site by URL"; continue; fi
			why=$(ensure_test_site) || { skip "$suite" "$why"; status=1; continue; }
			why=$(start_server) || { skip "$suite" "$why"; status=1; continue; }
			URL=$(cat "$RESULTS/url")
			token=${token:-$(make_token)}
			demo_password=${demo_password:-$(site_conf qingqian_demo_password)}
		fi
		if ! curl -fsS -o /dev/null --max-time 5 "$URL/api/method/ping" 2>/dev/null; then
			skip "$suite" "no site answers at $URL"; continue
		fi
		case $token in ?*:?*) ;; *) skip "$suite" "no API token for the site at $URL (QINGQIAN_TOKEN=key:secret)"; continue ;; esac
		run_pytest "$suite" "$VENV/bin/python" env QINGQIAN_URL="$URL" QINGQIAN_TOKEN="$token" QINGQIAN_DEMO_PASSWORD="$demo_password"
		stop_server
		purge_api_records
		;;
	*) echo "unknown suite: $suite (unit, integration, api, security, browser)"; exit 2 ;;
	esac
done

echo "=== summary"
"$VENV/bin/python" - "$RESULTS" "${SKIPPED[@]}" <<'PY'
import sys, xml.etree.ElementTree as ET
from pathlib import Path
totals = {"passed": 0, "failed": 0, "skipped": 0}
times = Path(sys.argv[1]) / "seconds"
seconds = dict(line.split() for line in times.read_text().splitlines()) if times.exists() else {}
for xml in sorted(Path(sys.argv[1]).glob("*.xml")):
	s = ET.parse(xml).getroot()
	s = s if s.tag == "testsuite" else s.find("testsuite")
	tests, fail = int(s.get("tests", 0)), int(s.get("failures", 0)) + int(s.get("errors", 0))
	skip = int(s.get("skipped", 0))
	took = seconds.get(xml.stem)
	print(f"{xml.stem}: {tests - fail - skip} passed, {fail} failed, {skip} skipped" + (f" in {took} s" if took else ""))
	totals["passed"] += tests - fail - skip; totals["failed"] += fail; totals["skipped"] += skip
for reason in sys.argv[2:]:
	print(f"suite skipped: {reason}")
print(f"{totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped")
PY
stop_server
rm -rf "$RESULTS"
exit $status
