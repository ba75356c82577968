#!/usr/bin/env bash
# 恢复演练：把最近一次完整备份恢复到临时站点，与在用站点核对，然后删除临时站点。
#
#   sudo ./scripts/restore-drill.sh            最近一次本机备份
#   sudo FROM=/mnt/backup/qingqian.localhost ./scripts/restore-drill.sh   从异地副本恢复
#
# 核对：备份时刻以前建立的每个 DocType 的记录数，以及全部台账的金额和状态的校验和（备份之后
# 在用站点改过的台账两边都不计）；另核对附件文件数。不一致或任何一步失败：退出码非零，
# 并通知清欠办主任和系统管理员。Settings as scripts/setup.sh (BENCH_USER, BENCH_DIR, SITE,
# DB_ROOT_USER / DB_ROOT_PASSWORD or the account setup made in /etc/qingqian/mariadb-admin).
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_USER=${BENCH_USER:-frappe}
BENCH_HOME=$(getent passwd "$BENCH_USER" | cut -d: -f6)
BENCH_DIR=${BENCH_DIR:-$BENCH_HOME/frappe-bench}
SITE=${SITE:-qingqian.localhost}
FROM=${FROM:-$BENCH_DIR/sites/$SITE/private/backups}
DB_ROOT_USER=${DB_ROOT_USER:-qingqian_dbadmin}
DB_ROOT_PASSWORD=${DB_ROOT_PASSWORD:-$(cat /etc/qingqian/mariadb-admin)}
DRILL="restore-drill-$(date +%Y%m%d%H%M%S).localhost"

say() { printf '==> %s\n' "$*"; }
as_bench() {
	runuser -u "$BENCH_USER" -- env HOME="$BENCH_HOME" PATH="$BENCH_HOME/.qingqian/bench-cli/bin:/usr/local/bin:/usr/bin:/bin" \
		bash -c "cd \"\${1}\" && shift && \"\$@\"" _ "$@"
}
bench_in() { as_bench "$BENCH_DIR" bench "$@"; }
last_json() { grep -E '^\{' | tail -1; }
fail() {
	printf '恢复演练失败：%s\n' "$1" >&2
	bench_in --site "$SITE" execute qingqian_app.operations.backups.alert \
		--kwargs "{'what': '恢复演练失败', 'detail': $(python3 -c 'import json,sys; print(json.dumps(sys.argv[1]))' "$1")}" >/dev/null 2>&1 || true
	exit 1
}
cleanup() {
	if [ -d "$BENCH_DIR/sites/$DRILL" ]; then
		say "删除临时站点 $DRILL"
		bench_in drop-site "$DRILL" --force --no-backup --db-root-username "$DB_ROOT_USER" \
			--db-root-password "$DB_ROOT_PASSWORD" >/dev/null 2>&1 || echo "未能删除临时站点 $DRILL" >&2
		rm -rf "$BENCH_DIR/sites/$DRILL" "$BENCH_DIR/archived/sites/$DRILL"*
	fi
}
trap cleanup EXIT

# the latest complete set, by the same rule as the daily backup (qingqian_app/domain/backups.py)
read -r TAKEN DB FILES PRIVATE < <(python3 - "$REPO" "$FROM" <<'PY'
import os, sys
sys.path.insert(0, sys.argv[1])
from qingqian_app.domain.backups import latest_complete, sets
s = latest_complete(sets(os.listdir(sys.argv[2])))
if s:
	d = sys.argv[2]
	print(s.taken.strftime("%Y-%m-%d %H:%M:%S").replace(" ", "T"), *(os.path.join(d, s.files[k]) for k in ("database", "files", "private_files")))
PY
) || true
[ -n "${DB:-}" ] || fail "$FROM 中没有完整的备份（数据库、公开文件、私有文件）"
TAKEN=${TAKEN/T/ }
say "最近的完整备份：$TAKEN（$(basename "$DB")）"
for f in "$DB" "$FILES" "$PRIVATE"; do runuser -u "$BENCH_USER" -- test -r "$f" || fail "$BENCH_USER 读不到 $f"; done

say "建立临时站点 $DRILL 并恢复"
bench_in new-site "$DRILL" --db-root-username "$DB_ROOT_USER" --db-root-password "$DB_ROOT_PASSWORD" \
	--admin-password "$(python3 -c 'import secrets; print(secrets.token_urlsafe(16))')" >/dev/null || fail "建立临时站点失败"
bench_in --site "$DRILL" restore "$DB" --with-public-files "$FILES" --with-private-files "$PRIVATE" \
	--db-root-username "$DB_ROOT_USER" --db-root-password "$DB_ROOT_PASSWORD" --force >/dev/null || fail "恢复备份失败"

say "核对记录数与台账校验和（截至 $TAKEN）"
live=$(bench_in --site "$SITE" execute qingqian_app.operations.backups.fingerprint --kwargs "{'until': '$TAKEN'}" | last_json)
changed=$(python3 -c 'import json,sys; print(json.dumps(json.loads(sys.argv[1])["changed_since"]))' "$live")
restored=$(bench_in --site "$DRILL" execute qingqian_app.operations.backups.fingerprint \
	--kwargs "{'until': '$TAKEN', 'exclude': $changed}" | last_json)
count_files() { find "$BENCH_DIR/sites/$1/public/files" "$BENCH_DIR/sites/$1/private/files" -type f ! -newermt "$TAKEN" 2>/dev/null | wc -l; }
report=$(python3 - "$REPO" "$live" "$restored" "$(count_files "$SITE")" "$(count_files "$DRILL")" <<'PY'
import json, sys
sys.path.insert(0, sys.argv[1])
from qingqian_app.domain.backups import differences
live, restored = json.loads(sys.argv[2]), json.loads(sys.argv[3])
print(f"DocType {len(live['counts'])} 个，记录 {sum(live['counts'].values())} 条 / 恢复 {sum(restored['counts'].values())} 条；"
      f"台账 {live['ledger_items']} 条 / 恢复 {restored['ledger_items']} 条，校验和 {live['ledger_checksum'][:16]} / {restored['ledger_checksum'][:16]}；"
      f"附件 {sys.argv[4]} 个 / 恢复 {sys.argv[5]} 个（备份之后改过的台账 {len(live['changed_since'])} 条两边不计）")
diff = differences(live, restored)
if sys.argv[4] != sys.argv[5]:
	diff.append(f"附件文件数不同：在用站点 {sys.argv[4]} 个，恢复站点 {sys.argv[5]} 个")
for d in diff:
	print("不一致：" + d)
sys.exit(1 if diff else 0)
PY
) && ok=1 || ok=0
echo "$report"
[ "$ok" = 1 ] || fail "$report"
say "恢复演练通过"
