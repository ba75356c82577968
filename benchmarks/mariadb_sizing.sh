#!/usr/bin/env bash
# The 1,000,000-item summary scan on MariaDB's defaults and on the settings scripts/setup.sh writes
# for this machine (/etc/mysql/mariadb.conf.d/98-qingqian-sizing.cnf), in the same run:
# benchmarks/oversight.py once with the file set aside, once with it. Prints figures; asserts
# nothing. Restarts MariaDB twice (root); the file is put back whatever happens.
#
#   sudo benchmarks/mariadb_sizing.sh       (QINGQIAN_BENCH / QINGQIAN_SITE as for benchmarks/run.sh)
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=${QINGQIAN_BENCH:-/home/frappe/frappe-bench}
SITE=${QINGQIAN_SITE:-$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['default_site'])" \
	"$BENCH/sites/common_site_config.json")}
SIZING=/etc/mysql/mariadb.conf.d/98-qingqian-sizing.cnf
as_root() { "$@"; }
die() { echo "$*" >&2; exit 1; }
# shellcheck source=scripts/services.sh
. "$REPO/scripts/services.sh"
[ -f "$SIZING" ] || die "没有 $SIZING：先运行 scripts/setup.sh"
owner=$(stat -c %U "$BENCH")
summary() { (cd "$BENCH/sites" && runuser -u "$owner" -- ../env/bin/python "$REPO/benchmarks/oversight.py" --site "$SITE" 2>/dev/null); }
trap 'mv -f "$SIZING.aside" "$SIZING" 2>/dev/null && restart_mariadb' EXIT
echo "== MariaDB's defaults (the sizing file set aside)"
mv "$SIZING" "$SIZING.aside"
restart_mariadb
summary
echo "== sized by setup.sh ($(grep -E 'buffer_pool|log_file' "$SIZING.aside" | tr '\n' ' '))"
mv "$SIZING.aside" "$SIZING"
restart_mariadb
summary
trap - EXIT
