#!/usr/bin/env bash
# 清欠 tests: three pytest suites, one summary.
#
#   ./scripts/test.sh            all suites that can run here
#   ./scripts/test.sh unit       one suite (unit, integration or api)
#
#   tests/unit         no Frappe: runs everywhere, CI included
#   tests/integration  inside a real site (the bench's Python), rolled back after each test
#   tests/api          HTTP against a running site
#
# Where a suite cannot run it says why in one line and counts as skipped. The exit status
# is non-zero when any test fails or a suite errors. Environment:
#   QINGQIAN_BENCH  bench directory              (/home/frappe/frappe-bench, as setup makes it)
#   QINGQIAN_SITE   site                         (the bench's default site)
#   QINGQIAN_URL    running site for tests/api   (http://localhost:<the bench's webserver_port>)
#   QINGQIAN_TOKEN  API key:secret for tests/api (made for Administrator by this script
#                   when the bench is at hand, kept in the bench's qingqian-credentials)
set -uo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$REPO"
SUITES=("${@:-unit integration api}")
read -r -a SUITES <<<"${SUITES[*]}"
BENCH=${QINGQIAN_BENCH:-/home/frappe/frappe-bench}
bench_port=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get('webserver_port', 8000))" \
	"$BENCH/sites/common_site_config.json" 2>/dev/null || echo 8000)
URL=${QINGQIAN_URL:-http://localhost:$bench_port}
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
site_name() {
	if [ -n "${QINGQIAN_SITE:-}" ]; then echo "$QINGQIAN_SITE"; return; fi
	[ -f "$BENCH/sites/currentsite.txt" ] && cat "$BENCH/sites/currentsite.txt" && return
	python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get('default_site',''))" \
		"$BENCH/sites/common_site_config.json" 2>/dev/null
}
# Why the bench cannot test this checkout (empty when it can).
bench_problem() {
	[ -x "$BENCH/env/bin/python" ] || { echo "no Frappe bench at $BENCH (set QINGQIAN_BENCH; ./scripts/setup.sh makes one)"; return; }
	local app site
	app=$(readlink -f "$BENCH/apps/qingqian_app" 2>/dev/null)
	[ "$app" = "$(readlink -f "$REPO")" ] ||
		{ echo "the bench at $BENCH runs qingqian_app from ${app:-nowhere}, not from this checkout ($REPO)"; return; }
	site=$(site_name)
	[ -n "$site" ] && [ -d "$BENCH/sites/$site" ] || { echo "no site in $BENCH (set QINGQIAN_SITE)"; return; }
}

stored_token() {
	local cred="$BENCH/qingqian-credentials"
	echo "$(as_owner sed -n 's/^API_KEY=//p' "$cred" 2>/dev/null):$(as_owner sed -n 's/^API_SECRET=//p' "$cred" 2>/dev/null)"
}
token_works() {
	[ "$1" != ":" ] && curl -fsS -o /dev/null --max-time 10 -H "Authorization: token $1" \
		"$URL/api/method/frappe.auth.get_logged_user" 2>/dev/null
}
# A System Manager's key for tests/api: Administrator's, made on the site, kept beside the bench.
make_token() {
	local site secret cred="$BENCH/qingqian-credentials"
	site=$(site_name)
	secret=$(cd "$BENCH/sites" && as_owner ../env/bin/python -c "
import frappe, sys
frappe.init(site=sys.argv[1], sites_path='.'); frappe.connect()
from frappe.core.doctype.user.user import generate_keys
frappe.set_user('Administrator'); s = generate_keys('Administrator')['api_secret']; frappe.db.commit()
print(frappe.db.get_value('User', 'Administrator', 'api_key') + ':' + s)" "$site" | tail -1)
	case $secret in
	?*:?*) as_owner bash -c "sed -i '/^API_KEY=/d; /^API_SECRET=/d' '$cred'
		printf 'API_KEY=%s\nAPI_SECRET=%s\n' '${secret%%:*}' '${secret#*:}' >> '$cred'" ;;
	*) echo "could not make an API key for Administrator on $site" >&2; return 1 ;;
	esac
}

# What tests/api made (marked APITEST-) is removed in process on the bench: records past
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

run_pytest() {  # suite python [runner...]
	local suite=$1 py=$2; shift 2
	echo "=== $suite"
	"$@" "$py" -m pytest "tests/$suite" -p no:cacheprovider -q --junitxml="$RESULTS/$suite.xml"
	local rc=$?
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
		as_owner "$BENCH/env/bin/python" -c "import pytest" 2>/dev/null ||
			as_owner "$BENCH/env/bin/python" -m pip install -q pytest 2>/dev/null ||
			as_owner env UV_NATIVE_TLS=1 uv pip install -q pytest --python "$BENCH/env/bin/python"
		run_pytest integration "$BENCH/env/bin/python" as_owner env QINGQIAN_BENCH="$BENCH" QINGQIAN_SITE="$(site_name)"
		;;
	api)
		if ! curl -fsS -o /dev/null --max-time 5 "$URL/api/method/ping" 2>/dev/null; then
			skip api "no site answers at $URL (start one with ./scripts/setup.sh, or set QINGQIAN_URL)"; continue
		fi
		token=${QINGQIAN_TOKEN:-}
		if [ -z "$token" ] && [ -z "$(bench_problem)" ]; then
			token=$(stored_token)
			token_works "$token" || { make_token >/dev/null; token=$(stored_token); }
		fi
		if [ -z "$token" ] || [ "$token" = ":" ]; then
			why=$(bench_problem)
			skip api "no API token for the site at $URL${why:+: $why}; set QINGQIAN_TOKEN=key:secret to test a site by URL"
			continue
		fi
		run_pytest api "$VENV/bin/python" env QINGQIAN_URL="$URL" QINGQIAN_TOKEN="$token"
		purge_api_records
		;;
	*) echo "unknown suite: $suite (unit, integration, api)"; exit 2 ;;
	esac
done

echo "=== summary"
"$VENV/bin/python" - "$RESULTS" "${SKIPPED[@]}" <<'PY'
import sys, xml.etree.ElementTree as ET
from pathlib import Path
totals = {"passed": 0, "failed": 0, "skipped": 0}
for xml in sorted(Path(sys.argv[1]).glob("*.xml")):
	s = ET.parse(xml).getroot()
	s = s if s.tag == "testsuite" else s.find("testsuite")
	tests, fail = int(s.get("tests", 0)), int(s.get("failures", 0)) + int(s.get("errors", 0))
	skip = int(s.get("skipped", 0))
	print(f"{xml.stem}: {tests - fail - skip} passed, {fail} failed, {skip} skipped")
	totals["passed"] += tests - fail - skip; totals["failed"] += fail; totals["skipped"] += skip
for reason in sys.argv[2:]:
	print(f"suite skipped: {reason}")
print(f"{totals['passed']} passed, {totals['failed']} failed, {totals['skipped']} skipped")
PY
rm -rf "$RESULTS"
exit $status
