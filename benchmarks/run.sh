#!/usr/bin/env bash
# Ledger and oversight benchmarks on the bench's site: generate the volume, then print the figures.
#
#   benchmarks/run.sh [COUNT]     (COUNT items named GEN-…, default 1000000)
#
# QINGQIAN_BENCH / QINGQIAN_SITE as for scripts/test.sh. Prints figures; asserts nothing.
set -euo pipefail
REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH=${QINGQIAN_BENCH:-/home/frappe/frappe-bench}
SITE=${QINGQIAN_SITE:-$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['default_site'])" \
	"$BENCH/sites/common_site_config.json")}
COUNT=${1:-1000000}
owner=$(stat -c %U "$BENCH")
as_owner() { if [ "$(id -un)" = "$owner" ]; then "$@"; else runuser -u "$owner" -- "$@"; fi; }
cd "$BENCH"
echo "== generating $COUNT items on $SITE"
time as_owner env PATH="$HOME/.qingqian/bench-cli/bin:/home/$owner/.qingqian/bench-cli/bin:$PATH" \
	bench --site "$SITE" qingqian-generate-items --count "$COUNT"
cd sites
as_owner ../env/bin/python "$REPO/benchmarks/ledger.py" --site "$SITE" "${@:2}"
echo "== oversight reports"
as_owner ../env/bin/python "$REPO/benchmarks/oversight.py" --site "$SITE"
echo "== official documents as PDF"
as_owner ../env/bin/python "$REPO/benchmarks/documents.py" --site "$SITE"
echo "== Ledger Import against Frappe's Data Import (10,000 rows each, removed after)"
as_owner ../env/bin/python "$REPO/benchmarks/ledger_import.py" --site "$SITE"
echo "== the public disclosure page"
as_owner ../env/bin/python "$REPO/benchmarks/public_page.py" "${QINGQIAN_URL:-http://localhost:8000}"
echo "== official documents over HTTP (download_pdf) against Frappe's Standard print, alone and under 20 users"
"${QINGQIAN_VENV:-$REPO/.venv}/bin/python" "$REPO/benchmarks/document_pdfs.py" --url "${QINGQIAN_URL:-http://localhost:8000}"
