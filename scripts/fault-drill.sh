#!/usr/bin/env bash
# 清欠 fault drill (README “生产运行”): on a bench in production mode, strike each fault a district's
# server meets and check that everything comes back by itself and nothing is lost or half-made.
#
#   sudo ./scripts/fault-drill.sh          (about 15 minutes; loopback only; every wait bounded)
#
# 1. every background worker killed (SIGKILL, its job's process with it) in the middle of a job
#    and of sending mail: supervisor restarts them; the job is queued again and finishes
#    (qingqian_app/operations/recovery.py), the mail cut off mid-send is sent;
# 2. gunicorn's workers, then its master, killed while users save progress notes;
# 3. MariaDB restarted under that light load;
# 4. both Redis servers restarted with jobs waiting in the queue.
# After 2–4: every save that was answered is in the ledger exactly once, none is doubled, and the
# processes are all RUNNING again. The drill's records are removed at the end.
#
# Settings: BENCH_USER (frappe), BENCH_DIR (/home/$BENCH_USER/frappe-bench), SITE (the default site).
set -euo pipefail

BENCH_USER=${BENCH_USER:-frappe}
BENCH_HOME=$(getent passwd "$BENCH_USER" | cut -d: -f6)
BENCH_DIR=${BENCH_DIR:-$BENCH_HOME/frappe-bench}
SITE=${SITE:-$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['default_site'])" \
	"$BENCH_DIR/sites/common_site_config.json")}
B=$(basename "$BENCH_DIR")
WORK=$(mktemp -d /tmp/qingqian-drill.XXXX)
chown "$BENCH_USER" "$WORK"
failures=0

say() { printf '\n==> %s\n' "$*"; }
as_root() { "$@"; }
die() { bad "$*"; }
# shellcheck source=scripts/services.sh
. "$(dirname "${BASH_SOURCE[0]}")/services.sh"
bad() { printf '失败：%s\n' "$*"; failures=$((failures + 1)); }
[ "$(id -u)" = 0 ] || { echo "以 root 运行（需要结束和重启进程）" >&2; exit 1; }
command -v supervisorctl >/dev/null && [ -L "/etc/supervisor/conf.d/$B.conf" ] ||
	{ echo "$B 不在生产模式（scripts/setup.sh 不带 DEV=1）" >&2; exit 1; }

drill() {
	runuser -u "$BENCH_USER" -- env HOME="$BENCH_HOME" bash -c 'cd "$0/sites" && exec ../env/bin/python -m qingqian_app.operations.drills "$@" 2>>/tmp/qingqian-drill.err' \
		"$BENCH_DIR" "$@" --site "$SITE"
}
# every program RUNNING (bounded), or say which is not
all_running() {
	for _ in $(seq 60); do
		supervisorctl status "$B-web:" "$B-workers:" "$B-redis:" "$B-qingqian-pdf" >/dev/null 2>&1 && return 0
		sleep 1
	done
	bad "进程未全部恢复：$(supervisorctl status | grep -v RUNNING | tr '\n' ';')"
	return 1
}
main_pid() { supervisorctl pid "$1"; }
kill_tree() {  # a process and its children (a worker and its job's work horse)
	local pid=$1
	pkill -KILL -P "$pid" 2>/dev/null || true
	kill -KILL "$pid" 2>/dev/null || true
}
ping_ok() { curl -ksf -o /dev/null --max-time 10 https://localhost/api/method/ping; }
writes_check() {  # $1: the writes file; prints the result, counts a loss or a double
	local result
	if result=$(drill check-writes --file "$1"); then echo "  $result"; else
		echo "  $result"
		bad "台账写入丢失、重复或被拒仍写入"
	fi
}

cleanup() {
	[ -n "${sink:-}" ] && kill "$sink" 2>/dev/null || true
	drill cleanup || true
	rm -rf "$WORK"
}
trap cleanup EXIT

say "起点：$(supervisorctl status | grep -c RUNNING) 个进程 RUNNING"
all_running
ping_ok || bad "https://localhost 不通"
# a loopback mail server that takes 6 s a message, so that sending is still under way when struck
runuser -u "$BENCH_USER" -- env HOME="$BENCH_HOME" bash -c 'cd "$0/sites" && exec ../env/bin/python -m qingqian_app.operations.drills smtp-sink --file "$1" --delay 6' \
	"$BENCH_DIR" "$WORK/mail.log" 2>/dev/null &
sink=$!
sleep 2

say "1. 后台任务进行中结束全部 worker（SIGKILL，连同执行任务的子进程）"
jobs=$(drill jobs --count 2 --seconds 30 --queue long)
mails=$(drill mails --count 3)
echo "  任务 $jobs；邮件 $mails"
for _ in $(seq 60); do [ "$(drill sending)" -ge 1 ] && break; sleep 1; done
echo "  正在发送的演练邮件：$(drill sending)"
sleep 3
for program in $(supervisorctl status "$B-workers:" | awk '{print $1}'); do
	pid=$(main_pid "$program")
	[[ $pid =~ ^[0-9]+$ ]] || continue
	kill_tree "$pid"
	echo "  已结束 $program（进程 $pid）"
done
sleep 3
all_running && echo "  supervisor 已重启：$(supervisorctl status "$B-workers:" | awk '{print $1" "$4}' | tr -d ',' | tr '\n' ' ')"

say "2. 用户保存进展时结束 gunicorn 的工作进程，再结束其主进程"
drill writes --url https://localhost --seconds 45 --users 2 --file "$WORK/writes-web.json" &
writer=$!
sleep 8
web=$(main_pid "$B-web:$B-frappe-web")
for child in $(pgrep -P "$web" | head -2); do kill -KILL "$child" && echo "  已结束 gunicorn 工作进程 $child"; done
sleep 12
web=$(main_pid "$B-web:$B-frappe-web")
kill_tree "$web" && echo "  已结束 gunicorn 主进程 $web"
wait "$writer"
all_running && ping_ok && echo "  web 已恢复（主进程 $(main_pid "$B-web:$B-frappe-web")）"
writes_check "$WORK/writes-web.json"

say "3. 保存进行中重启 MariaDB"
drill writes --url https://localhost --seconds 45 --users 2 --file "$WORK/writes-db.json" &
writer=$!
sleep 10
restart_mariadb && echo "  MariaDB 已重启（运行 $(mariadb -N -e "show global status like 'Uptime'" | cut -f2) 秒）"
wait "$writer"
all_running && ping_ok && echo "  各进程无需重启，仍在服务"
writes_check "$WORK/writes-db.json"
after=$(drill jobs --count 1 --seconds 1 --queue short)
drill wait-jobs --keys "$after" --timeout 300 | sed 's/^/  重启后新任务：/' || bad "MariaDB 重启后任务未执行"

say "4. 队列中有任务等待时重启两个 Redis（缓存与队列）"
supervisorctl stop "$B-workers:" >/dev/null
waiting=$(drill jobs --count 3 --seconds 1 --queue default)
drill writes --url https://localhost --seconds 30 --users 2 --file "$WORK/writes-redis.json" &
writer=$!
sleep 8
supervisorctl restart "$B-redis:" >/dev/null && echo "  Redis 已重启（保存进行中，3 个任务在队列中等待）"
wait "$writer"
supervisorctl start "$B-workers:" >/dev/null
all_running && ping_ok && echo "  各进程仍在服务"
writes_check "$WORK/writes-redis.json"
drill wait-jobs --keys "$waiting" --timeout 300 | sed 's/^/  排队的任务：/' || bad "Redis 重启后排队任务丢失"

say "1（续）. 被结束的任务和邮件"
drill wait-jobs --keys "$jobs" --timeout 420 | sed 's/^/  被中断的任务：/' || bad "被中断的任务未重新执行"
drill wait-mails --keys "$mails" --timeout 720 | sed 's/^/  被中断的邮件：/' || bad "被中断的邮件未发出"
echo "  回环邮件服务器收到：$(wc -l < "$WORK/mail.log") 封"

say "结束：$(supervisorctl status | grep -c RUNNING) 个进程 RUNNING"
supervisorctl status
if [ "$failures" = 0 ]; then echo "故障演练通过"; else echo "故障演练：$failures 项失败"; exit 1; fi
