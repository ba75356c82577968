#!/usr/bin/env bash
# 清欠 set-up and run: one command, re-runnable, on Debian 12.
#
#   sudo ./scripts/setup.sh          production: gunicorn, workers, scheduler, socket.io and the
#                                    PDF renderers kept alive by supervisor, nginx with HTTPS in front
#   sudo DEV=1 ./scripts/setup.sh    development: `bench start` (Frappe's dev server, file watcher)
#
# Installs what is missing (MariaDB with utf8mb4/utf8mb4_unicode_ci, Redis, Node.js and
# yarn, wkhtmltopdf, CJK fonts; nginx and supervisor for production), makes a non-root bench
# user, runs `bench init` on Frappe version-15, links this checkout as the app, creates a site
# in Chinese, installs the app, loads the demo data and starts the processes. Re-running never
# drops a site: it migrates it, and changes nothing else when nothing changed.
#
# Settings (environment):
#   BENCH_USER      bench's system user                    (frappe)
#   BENCH_DIR       where the bench lives                  (/home/$BENCH_USER/frappe-bench)
#   SITE            site name                              (qingqian.localhost)
#   FRAPPE_PATH     a local Frappe git source, for offline intranets (default: upstream)
#   FRAPPE_BRANCH   Frappe branch                          (version-15)
#   DB_ROOT_USER / DB_ROOT_PASSWORD   a MariaDB account that may create databases;
#                   if not given, setup makes one (qingqian_dbadmin) through root's socket
#   DEMO=0          do not load demo data                  (loaded by default)
#   DEV=1           development mode: `bench start` instead of supervisor and nginx
#   START=0         DEV=1 only: do not start the server    (started by default)
#   SERVER_NAME     the name users reach the server by     (this machine's `hostname -f`)
#   SSL_CERTIFICATE / SSL_CERTIFICATE_KEY   the district's certificate and key (PEM files);
#                   without them a self-signed certificate for SERVER_NAME is generated once;
#   SSL_CA_CERTIFICATE  the CA that signed the district's certificate, when it is a private one
#   BACKUP_COPY_TO  a second place for the daily backups (a mounted share), e.g. /mnt/qingqian-backup
#   BACKUP_KEEP_DAYS  days backups are kept, here and there (30)
#   DRILL_CRON=0    do not schedule the weekly restore drill in /etc/cron.d (CI's throwaway benches)
#   TWO_FACTOR_ROLES  roles that must log in with a second factor (OTP app), comma-separated,
#                   e.g. "Qingqian Office Head,Qingqian Leader,System Manager" (level 3: administrators)
set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BENCH_USER=${BENCH_USER:-frappe}
BENCH_HOME=$(getent passwd "$BENCH_USER" | cut -d: -f6 || true)
BENCH_HOME=${BENCH_HOME:-/home/$BENCH_USER}
BENCH_DIR=${BENCH_DIR:-$BENCH_HOME/frappe-bench}
SITE=${SITE:-qingqian.localhost}
FRAPPE_BRANCH=${FRAPPE_BRANCH:-version-15}
FRAPPE_PATH=${FRAPPE_PATH:-}
DEMO=${DEMO:-1}
START=${START:-1}
DEV=${DEV:-0}
DRILL_CRON=${DRILL_CRON:-1}
NO_SUPERVISOR=$([ "$DEV" = 1 ] && echo 1 || true)
SERVER_NAME=${SERVER_NAME:-$(hostname -f 2>/dev/null || hostname)}
CRED="$BENCH_DIR/qingqian-credentials"
BENCH_CLI="$BENCH_HOME/.qingqian/bench-cli"

say() { printf '\n==> %s\n' "$*"; }
# shellcheck source=scripts/services.sh
. "$REPO/scripts/services.sh"
die() { printf '错误：%s\n' "$*" >&2; exit 1; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
# Run a command as the bench user in the bench directory, with the bench CLI on PATH.
# UV_NATIVE_TLS: trust the system's certificate store (proxies and intranet CAs).
# FRAPPE_DOCKER_BUILD (development mode): bench restarts no supervisor programs after it installs an
# app — none are this bench's, and where another bench runs under supervisor its socket is not ours.
as_bench() {
	as_root runuser -u "$BENCH_USER" -- env HOME="$BENCH_HOME" PATH="$BENCH_CLI/bin:/usr/local/bin:/usr/bin:/bin" \
		UV_NATIVE_TLS=1 UV_CONSTRAINT="$BENCH_HOME/.qingqian/constraints.txt" \
		PIP_CONSTRAINT="$BENCH_HOME/.qingqian/constraints.txt" FRAPPE_DOCKER_BUILD="$NO_SUPERVISOR" \
		bash -c "cd \"\${1}\" && shift && \"\$@\"" _ "$@"
}
bench_in() { as_bench "$BENCH_DIR" bench "$@"; }
# A git directory owned by another user (root, an admin): let the bench user's git read it.
trust_git_dir() {
	as_bench "$BENCH_HOME" git config --global --get-all safe.directory | grep -qx "$1" ||
		as_bench "$BENCH_HOME" git config --global --add safe.directory "$1"
}

# 1. System packages ------------------------------------------------------------------
PACKAGES=(
	git curl cron sudo build-essential pkg-config python3-dev python3-venv python3-pip
	mariadb-server mariadb-client redis-server
	wkhtmltopdf xfonts-75dpi xfonts-base libpango-1.0-0 libpangoft2-1.0-0 libcairo2 poppler-utils
	# CJK faces for PDFs whose text layer extracts exactly (not Noto CJK: see print_formats/_shared)
	fonts-wqy-zenhei fonts-wqy-microhei fonts-arphic-ukai fonts-arphic-uming
)
install_missing() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	say "安装系统软件包：${missing[*]}"
	as_root apt-get update -q
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}
# development: the desk's tests click in Debian's headless Chromium (scripts/test.sh browser)
[ "$DEV" = 1 ] && PACKAGES+=(chromium)
# Node.js 18 or newer: Debian's unless one is installed already (NodeSource's conflicts with npm).
command -v node >/dev/null || PACKAGES+=(nodejs npm)
install_missing "${PACKAGES[@]}"
command -v yarn >/dev/null || { say "安装 yarn"; as_root npm install -g yarn; }

# The GB/T 9704 faces (print_formats/_shared/gbt9704.css): FandolSong, FandolFang, FandolHei and
# FandolKai (GPL with the font exception) for 小标宋/仿宋/黑体/楷体 where the licensed government
# faces are not installed. Debian ships them only inside texlive-lang-chinese (49 MB, with TeX):
# its .deb is fetched from the machine's apt sources (an intranet mirror offline) and only the
# faces are taken out of it. FANDOL_DEB names a copy of that .deb already on disk.
FANDOL_DIR=/usr/local/share/fonts/fandol
if ! fc-list : family | grep -q "FandolFang"; then
	say "安装公文字体 Fandol（宋、仿宋、黑、楷）"
	deb_dir=$(mktemp -d)
	if [ -n "${FANDOL_DEB:-}" ]; then
		cp "$FANDOL_DEB" "$deb_dir/"
	else
		(cd "$deb_dir" && as_root apt-get download -q texlive-lang-chinese 2>&1 | grep -v "unsandboxed" || true)
	fi
	deb=$(ls "$deb_dir"/texlive-lang-chinese_*.deb 2>/dev/null | head -n1) ||
		die "取不到 texlive-lang-chinese 软件包（Fandol 字体）：请配置 apt 源，或用 FANDOL_DEB 指定其 .deb 文件"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$deb_dir" --wildcards \
		'./usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/Fandol[SFHK]*.otf' \
		'./usr/share/doc/texlive-doc/fonts/fandol/*'
	as_root mkdir -p "$FANDOL_DIR"
	as_root cp "$deb_dir"/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/*.otf \
		"$deb_dir"/usr/share/doc/texlive-doc/fonts/fandol/* "$FANDOL_DIR/"
	as_root chmod 644 "$FANDOL_DIR"/*
	rm -rf "$deb_dir"
	as_root fc-cache -f "$FANDOL_DIR" >/dev/null
fi
# their bold files say weight 400: fontconfig is told they are bold (else plain FandolSong may
# come out bold)
FANDOL_CONF=/etc/fonts/conf.d/64-qingqian-fandol.conf
if ! cmp -s "$REPO/scripts/fonts/64-qingqian-fandol.conf" "$FANDOL_CONF"; then
	as_root install -m 644 "$REPO/scripts/fonts/64-qingqian-fandol.conf" "$FANDOL_CONF"
	as_root fc-cache -f >/dev/null
fi

# 2. MariaDB: utf8mb4 / utf8mb4_unicode_ci, running -----------------------------------
CNF_DIR=/etc/mysql/mariadb.conf.d
as_root mkdir -p "$CNF_DIR"
if ! grep -qs "utf8mb4_unicode_ci" "$CNF_DIR/99-qingqian.cnf"; then
	say "配置 MariaDB 字符集 utf8mb4 / utf8mb4_unicode_ci"
	as_root tee "$CNF_DIR/99-qingqian.cnf" >/dev/null <<'CNF'
[mysqld]
character-set-client-handshake = FALSE
character-set-server = utf8mb4
collation-server = utf8mb4_unicode_ci

[mysql]
default-character-set = utf8mb4
CNF
fi
# Some images ship a my.cnf that includes no directory: include ours.
if ! as_root grep -qsE "^\s*!includedir\s+$CNF_DIR/?\s*$" /etc/mysql/my.cnf /etc/mysql/mariadb.cnf; then
	echo "!includedir $CNF_DIR/" | as_root tee -a /etc/mysql/my.cnf >/dev/null
fi
# Sized to the machine (README “两条命令”): the InnoDB buffer pool holds the ledger's working set
# (40 % of memory: the bench's web and worker processes share the machine), connections for
# gunicorn, workers and scheduler with room, and the redo log a quarter of the pool. Rewritten
# only when the machine changed; MariaDB restarted then.
mem_mb=$(awk '/^MemTotal/ {print int($2 / 1024)}' /proc/meminfo)
pool_mb=$(( mem_mb * 40 / 100 )); [ "$pool_mb" -lt 256 ] && pool_mb=256
log_mb=$(( pool_mb / 4 )); [ "$log_mb" -gt 2048 ] && log_mb=2048; [ "$log_mb" -lt 64 ] && log_mb=64
SIZING="[mysqld]
# written by scripts/setup.sh for ${mem_mb} MB of memory and $(nproc) cores
innodb_buffer_pool_size = ${pool_mb}M
innodb_log_file_size = ${log_mb}M
innodb_file_per_table = 1
innodb_flush_method = O_DIRECT
innodb_flush_log_at_trx_commit = 1
max_connections = 300
tmp_table_size = 64M
max_heap_table_size = 64M"
sizing_changed=0
if [ "$(as_root cat "$CNF_DIR/98-qingqian-sizing.cnf" 2>/dev/null)" != "$SIZING" ]; then
	say "MariaDB 按本机配置：缓冲池 ${pool_mb}M，重做日志 ${log_mb}M，连接数 300"
	printf '%s\n' "$SIZING" | as_root tee "$CNF_DIR/98-qingqian-sizing.cnf" >/dev/null
	sizing_changed=1
fi
collation=$(as_root mariadb -N -e "select @@collation_server" 2>/dev/null || true)
if [ "$collation" != "utf8mb4_unicode_ci" ] || [ "$sizing_changed" = 1 ]; then
	say "重启 MariaDB 以使设置生效（字符集：${collation:-未运行}）"
	restart_mariadb
fi
[ "$(as_root mariadb -N -e 'select @@collation_server')" = utf8mb4_unicode_ci ] || die "MariaDB 排序规则不是 utf8mb4_unicode_ci"
redis-cli ping >/dev/null 2>&1 || { [ -d /run/systemd/system ] && as_root systemctl start redis-server || true; }
service_up cron  # the restore drill's schedule

# 3. Bench user and bench CLI ---------------------------------------------------------
if ! id "$BENCH_USER" >/dev/null 2>&1; then
	say "创建系统用户 $BENCH_USER（bench 不能以 root 运行）"
	as_root useradd -m -s /bin/bash "$BENCH_USER"
fi
as_root chmod o+x "$BENCH_HOME"
as_bench "$BENCH_HOME" mkdir -p .qingqian
# Frappe v15 imports pkg_resources, which setuptools 81 removed.
as_bench "$BENCH_HOME" bash -c 'echo "setuptools<81" > .qingqian/constraints.txt'
if [ ! -x "$BENCH_CLI/bin/bench" ]; then
	say "安装 bench 命令行（frappe-bench）"
	as_bench "$BENCH_HOME" python3 -m venv "$BENCH_CLI"
	as_bench "$BENCH_HOME" "$BENCH_CLI/bin/pip" install -q frappe-bench
fi

# 4. bench init -----------------------------------------------------------------------
if [ ! -d "$BENCH_DIR/apps/frappe" ]; then
	say "bench init（Frappe $FRAPPE_BRANCH，来源：${FRAPPE_PATH:-上游仓库}）"
	if [ -e "$BENCH_DIR" ]; then  # an init that failed earlier: keep it aside, start anew
		as_root mv "$BENCH_DIR" "$BENCH_DIR.failed-$(date +%Y%m%d%H%M%S)"
	fi
	# the bench user's python3 (Frappe v15: 3.10 to 3.12), not the invoking user's
	py=$(as_bench "$BENCH_HOME" bash -c 'command -v python3')
	args=(--frappe-branch "$FRAPPE_BRANCH" --python "$py")
	if [ -n "$FRAPPE_PATH" ]; then
		as_root runuser -u "$BENCH_USER" -- test -r "$FRAPPE_PATH/.git" ||
			die "FRAPPE_PATH=$FRAPPE_PATH 不是 $BENCH_USER 可读的 git 仓库"
		# git checks the work tree when it clones and the .git directory on ls-remote
		trust_git_dir "$FRAPPE_PATH"
		trust_git_dir "$FRAPPE_PATH/.git"
		args+=(--frappe-path "$FRAPPE_PATH")
	fi
	# a bench in a folder its user may not write in (/opt, /var/tmp/…): its own directory made for it
	as_root mkdir -p "$(dirname "$BENCH_DIR")"
	if ! as_root runuser -u "$BENCH_USER" -- test -w "$(dirname "$BENCH_DIR")"; then
		as_root install -d -o "$BENCH_USER" -g "$BENCH_USER" "$BENCH_DIR"
		args+=(--ignore-exist)
	fi
	as_bench "$BENCH_HOME" bench init "${args[@]}" "$BENCH_DIR"
fi
# bench init numbers a new bench's ports only against the benches in the same folder: another
# bench elsewhere on this machine (a second district's, CI's) may hold them. A new bench moves
# every port something already listens on to a free one (web, socket.io, file watcher, Redis),
# once, before its own processes ever ran (qingqian_ports_checked in its common_site_config).
if ! grep -q '"qingqian_ports_checked"' "$BENCH_DIR/sites/common_site_config.json"; then
	moved=$(as_bench "$BENCH_DIR" python3 - sites/common_site_config.json <<'PY'
import json, socket, sys
from urllib.parse import urlparse

path = sys.argv[1]
conf = json.load(open(path))
conf["qingqian_ports_checked"] = 1
# a bench that has sites already ran with its ports (an install from before this check): kept
has_sites = any(p.endswith("/site_config.json") for p in __import__("glob").glob("sites/*/site_config.json"))
keys = ("webserver_port", "socketio_port", "file_watcher_port", "redis_cache", "redis_queue", "redis_socketio")


def port_of(key):
	value = conf.get(key)
	return urlparse(value).port if isinstance(value, str) else value


def free(port):
	with socket.socket() as s:
		try:
			s.bind(("127.0.0.1", port))
		except OSError:
			return False
	with socket.socket() as s:
		return s.connect_ex(("127.0.0.1", port)) != 0


taken = {port_of(k) for k in keys if port_of(k)}
new = {}
for key in keys:
	port = port_of(key)
	if has_sites or not port or free(port):
		continue
	if key == "redis_socketio" and "redis_cache" in new:
		new[key] = new["redis_cache"]
		continue
	candidate = port + 1
	while candidate in taken or not free(candidate):
		candidate += 1
	taken.add(candidate)
	new[key] = candidate
for key, port in new.items():
	conf[key] = f"redis://127.0.0.1:{port}" if key.startswith("redis") else port
json.dump(conf, open(path, "w"), indent=1, sort_keys=True)
print(" ".join(f"{k}={p}" for k, p in new.items()))
PY
)
	if [ -n "$moved" ]; then
		say "本机已有进程占用默认端口，新 bench 改用：$moved"
		bench_in setup redis
		# the Procfile (`bench start`) names the web port; bench's `setup procfile` only asks interactively
		as_bench "$BENCH_DIR" sed -i -E "s/^(web: .*--port )[0-9]+/\1$(sed -n 's/.*"webserver_port": \([0-9]*\).*/\1/p' \
			"$BENCH_DIR/sites/common_site_config.json")/" Procfile
	fi
fi
as_bench "$BENCH_DIR" uv pip install -q "setuptools<81" --python env/bin/python 2>/dev/null ||
	as_bench "$BENCH_DIR" env/bin/python -m pip install -q "setuptools<81"

# 5. This checkout as the app ---------------------------------------------------------
if ! grep -qx qingqian_app "$BENCH_DIR/sites/apps.txt"; then
	[ -L "$BENCH_DIR/apps/qingqian_app" ] && as_root rm "$BENCH_DIR/apps/qingqian_app"  # a failed earlier run
	as_root runuser -u "$BENCH_USER" -- test -r "$REPO/pyproject.toml" ||
		die "$BENCH_USER 读不到 $REPO：请把仓库放在 $BENCH_USER 可读的目录（如 /opt 或 $BENCH_HOME）后重试"
	say "链接应用：$REPO"
	trust_git_dir "$REPO"  # the checkout may belong to another user
	bench_in get-app --soft-link "$REPO"
fi

# The app's Python dependencies may have changed since the bench got it (pyproject.toml).
as_bench "$BENCH_DIR" uv pip install -q -e apps/qingqian_app --python env/bin/python

# 6. Credentials: generated once (mode 600) ---------------------------------------------
# The site's Administrator password lives beside the bench; the MariaDB account that
# creates sites is the machine's, shared by every bench on it, so it lives in /etc.
new_secret() { python3 -c 'import secrets; print(secrets.token_urlsafe(15))'; }
if [ ! -f "$CRED" ]; then
	as_bench "$BENCH_DIR" bash -c "umask 077; echo ADMIN_PASSWORD=$(new_secret) > '$CRED'"
fi
ADMIN_PASSWORD=$(as_root sed -n 's/^ADMIN_PASSWORD=//p' "$CRED")
DB_CRED=/etc/qingqian/mariadb-admin
db_login_ok() { mariadb -h127.0.0.1 -u"$1" -p"$2" -e 'select 1' >/dev/null 2>&1; }
if [ -z "${DB_ROOT_USER:-}" ] || ! db_login_ok "$DB_ROOT_USER" "${DB_ROOT_PASSWORD:-}"; then
	if ! as_root test -f "$DB_CRED"; then
		as_root mkdir -p /etc/qingqian
		as_root bash -c "umask 077; echo $(new_secret) > $DB_CRED"
	fi
	DB_ROOT_USER=qingqian_dbadmin DB_ROOT_PASSWORD=$(as_root cat "$DB_CRED")
	if ! db_login_ok "$DB_ROOT_USER" "$DB_ROOT_PASSWORD"; then
		say "创建 MariaDB 管理账号 $DB_ROOT_USER（经 root 本地套接字；密码在 $DB_CRED）"
		for host in localhost 127.0.0.1 ::1; do
			as_root mariadb -e "CREATE USER IF NOT EXISTS '$DB_ROOT_USER'@'$host' IDENTIFIED BY '$DB_ROOT_PASSWORD';
				ALTER USER '$DB_ROOT_USER'@'$host' IDENTIFIED BY '$DB_ROOT_PASSWORD';
				GRANT ALL PRIVILEGES ON *.* TO '$DB_ROOT_USER'@'$host' WITH GRANT OPTION;"
		done
	fi
fi

# 7. The site -------------------------------------------------------------------------
if [ ! -d "$BENCH_DIR/sites/$SITE" ]; then
	say "创建站点 $SITE"
	if ! bench_in new-site "$SITE" --db-root-username "$DB_ROOT_USER" --db-root-password "$DB_ROOT_PASSWORD" \
		--admin-password "$ADMIN_PASSWORD" --set-default; then
		# a half-made site would be taken for an existing one next time: remove it
		bench_in drop-site "$SITE" --force --no-backup --db-root-username "$DB_ROOT_USER" \
			--db-root-password "$DB_ROOT_PASSWORD" || true
		die "创建站点 $SITE 失败（见上方输出）；已清除未完成的站点，修正后可重新运行"
	fi
	# the time zone first, so that what the install creates is stamped in local time
	bench_in --site "$SITE" execute frappe.db.set_single_value \
		--args "['System Settings', 'time_zone', 'Asia/Shanghai']"
fi
bench_in use "$SITE"  # before the server starts: it reads the default site once

# 8. Processes: the bench's own Redis (cache and queue) must run for migrate and jobs ---------
# bench init picks free ports when other benches exist: read them, never assume them
bench_conf() {
	python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], sys.argv[3]))" \
		"$BENCH_DIR/sites/common_site_config.json" "$1" "$2"
}
PORT=$(bench_conf webserver_port 8000)
CACHE_PORT=$(sed -n 's/^port //p' "$BENCH_DIR/config/redis_cache.conf")
BENCH_NAME=$(basename "$BENCH_DIR")
SUPERVISOR_LINKS=("/etc/supervisor/conf.d/$BENCH_NAME.conf" "/etc/supervisor/conf.d/$BENCH_NAME-qingqian.conf")
NGINX_LINK=/etc/nginx/conf.d/$BENCH_NAME.conf
# The PDF renderers (qingqian_app/pdf_render.py): one command for supervisor and the Procfile
PDF_POOL="$BENCH_DIR/env/bin/python -m qingqian_app.pdf_render --serve --bench $BENCH_DIR"
url="http://localhost:$PORT"
stop_redis_after=0
if [ "$DEV" = 1 ]; then
	# leaving production: supervisor and nginx let go of this bench
	for link in "${SUPERVISOR_LINKS[@]}" "$NGINX_LINK"; do
		[ -L "$link" ] || continue
		say "开发模式：移除 $link"
		as_root rm "$link"
	done
	command -v supervisorctl >/dev/null && as_root supervisorctl update >/dev/null 2>&1 || true
	command -v nginx >/dev/null && as_root nginx -t >/dev/null 2>&1 && as_root service nginx reload >/dev/null 2>&1 || true
	grep -q '^qingqian_pdf:' "$BENCH_DIR/Procfile" ||
		as_bench "$BENCH_DIR" bash -c "printf '\nqingqian_pdf: %s\n' '$PDF_POOL' >> Procfile"
	if [ "$START" != 0 ]; then
		if curl -fsS -o /dev/null "$url/api/method/ping" 2>/dev/null; then
			say "服务器已在运行：$url"
		else
			say "启动开发服务器 bench start（日志：$BENCH_DIR/logs/qingqian-start.log）"
			as_bench "$BENCH_DIR" bash -c 'nohup setsid bench start > logs/qingqian-start.log 2>&1 < /dev/null &'
			for _ in $(seq 60); do redis-cli -p "$CACHE_PORT" ping >/dev/null 2>&1 && break; sleep 1; done
		fi
	else
		for conf in redis_cache redis_queue; do
			port=$(sed -n 's/^port //p' "$BENCH_DIR/config/$conf.conf")
			redis-cli -p "$port" ping >/dev/null 2>&1 && continue
			as_bench "$BENCH_DIR" redis-server "config/$conf.conf" --daemonize yes
			stop_redis_after=1
		done
	fi
else
	# an earlier DEV=1 run's `bench start` holds the ports: end it (its processes with it)
	if pids=$(pgrep -u "$BENCH_USER" -f "honcho start"); then
		say "结束开发服务器 bench start（进程 $pids）"
		as_root kill -TERM $pids || true
		for _ in $(seq 30); do pgrep -u "$BENCH_USER" -f "honcho start" >/dev/null || break; sleep 1; done
	fi
	# Production's packages come after bench init: bench restarts supervisor's programs after it
	# installs an app, and fails where supervisorctl exists but its socket is not the bench user's
	install_missing nginx supervisor openssl
	# the bench user runs supervisorctl (bench restart, bench update), as Frappe's own production
	# set-up arranges it: the socket is the bench user's group's
	SUPD=/etc/supervisor/supervisord.conf
	supd_before=$(as_root sha256sum "$SUPD")
	as_root sed -i -e '/^\[unix_http_server\]/,/^\[/{s/^chmod=.*/chmod=0760/;/^chown=/d}' \
		-e "/^\[unix_http_server\]/a chown=$BENCH_USER:$BENCH_USER" "$SUPD"
	if [ "$(as_root sha256sum "$SUPD")" != "$supd_before" ] && as_root supervisorctl pid >/dev/null 2>&1; then
		restart_service supervisor  # running with the old socket settings
	fi
	service_up supervisor
	say "生产模式：supervisor 守护 gunicorn（$(bench_conf gunicorn_workers 0) 个工作进程）、后台任务、调度、socket.io、Redis、公文渲染进程"
	# The certificate nginx serves: the district's, or one generated once for SERVER_NAME. The
	# certificate (not its key) is readable by the bench user: socket.io checks each browser's
	# session against https://<the name the browser used>/, so node must trust it too.
	SSL_DIR=/etc/qingqian/ssl
	if [ -n "${SSL_CERTIFICATE:-}" ]; then
		as_root test -r "$SSL_CERTIFICATE" && as_root test -r "${SSL_CERTIFICATE_KEY:-}" ||
			die "SSL_CERTIFICATE / SSL_CERTIFICATE_KEY 须为可读的 PEM 文件"
		cert=$SSL_CERTIFICATE key=$SSL_CERTIFICATE_KEY hsts='add_header Strict-Transport-Security "max-age=63072000";'
	else
		cert=$SSL_DIR/$SERVER_NAME.crt key=$SSL_DIR/$SERVER_NAME.key
		hsts='# no HSTS with a self-signed certificate: it would bar users from accepting it'
		if ! as_root test -f "$cert"; then
			say "生成自签名证书 $cert（可换为本区证书：SSL_CERTIFICATE / SSL_CERTIFICATE_KEY）"
			as_root mkdir -p "$SSL_DIR"
			san="DNS:$SERVER_NAME,DNS:localhost,IP:127.0.0.1"
			for ip in $(hostname -I 2>/dev/null); do [[ $ip == *:* ]] || san+=",IP:$ip"; done
			as_root openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=$SERVER_NAME" \
				-addext "subjectAltName=$san" -keyout "$key" -out "$cert" 2>/dev/null
		fi
		as_root chmod 755 "$SSL_DIR" && as_root chmod 600 "$key" && as_root chmod 644 "$cert"
	fi
	# Frappe's own supervisor config (bench's template; supervisord itself is configured here)
	bench_in setup supervisor --yes --skip-supervisord --user "$BENCH_USER"
	# socket.io (node) calls back through nginx to authenticate each browser: trust its certificate
	# (a district certificate from a private CA: SSL_CA_CERTIFICATE names that CA's certificate)
	as_bench "$BENCH_DIR" sed -i "/^command=.* socketio$/a environment=NODE_EXTRA_CA_CERTS=\"${SSL_CA_CERTIFICATE:-$cert}\"" \
		config/supervisor.conf
	as_bench "$BENCH_DIR" bash -c "cat > config/qingqian-supervisor.conf" <<CONF
; 清欠 公文 PDF renderers (qingqian_app/pdf_render.py), written by scripts/setup.sh
[program:$BENCH_NAME-qingqian-pdf]
command=$PDF_POOL
priority=4
autostart=true
autorestart=true
stopwaitsecs=30
killasgroup=true
stdout_logfile=$BENCH_DIR/logs/qingqian-pdf.log
stderr_logfile=$BENCH_DIR/logs/qingqian-pdf.error.log
user=$BENCH_USER
directory=$BENCH_DIR
startretries=10
CONF
	as_root ln -sfn "$BENCH_DIR/config/supervisor.conf" "${SUPERVISOR_LINKS[0]}"
	as_root ln -sfn "$BENCH_DIR/config/qingqian-supervisor.conf" "${SUPERVISOR_LINKS[1]}"
	for _ in $(seq 30); do as_root supervisorctl pid >/dev/null 2>&1 && break; sleep 1; done
	as_root supervisorctl update
	for _ in $(seq 60); do redis-cli -p "$CACHE_PORT" ping >/dev/null 2>&1 && break; sleep 1; done
	url="https://$SERVER_NAME"
fi

# Links in mail and the assets wkhtmltopdf fetches for PDFs go to host_name: without it
# they name the site, which only resolves where DNS knows it.
# (output read whole first: with pipefail, grep -q closing the pipe early fails the pipeline)
# In production it is the address users use (HTTPS through nginx).
site_config=$(bench_in --site "$SITE" show-config --format json 2>/dev/null || true)
if [ "$DEV" != 1 ]; then
	grep -q "\"host_name\": \"$url\"" <<<"$site_config" || bench_in --site "$SITE" set-config host_name "$url"
else
	grep -q '"host_name"' <<<"$site_config" || bench_in --site "$SITE" set-config host_name "$url"
fi

# 9. The app on the site --------------------------------------------------------------
installed=$(bench_in --site "$SITE" list-apps 2>/dev/null || true)
if ! grep -qw qingqian_app <<<"$installed"; then
	say "在站点 $SITE 上安装 qingqian_app"
	bench_in --site "$SITE" install-app qingqian_app
	bench_in --site "$SITE" execute qingqian_app.install.configure_site
else
	say "站点 $SITE 已安装 qingqian_app：保留数据，执行迁移"
	bench_in --site "$SITE" migrate
fi
# A new Frappe site keeps its scheduler off (the setup wizard turns it on; we skip the
# wizard): without it no mail leaves the queue and the daily overdue refresh never runs.
bench_in --site "$SITE" enable-scheduler
# The security baseline (等级保护 2.0, README “安全基线”): raised to on every run, never lowered
say "安全基线：会话空闲 30 分钟、失败 5 次锁定、口令复杂度和 90 天更换、不返回错误堆栈、日志保留 180 天"
bench_in --site "$SITE" execute qingqian_app.security.apply
# Backups (README “备份与恢复演练”): Frappe's full backup every day, kept and copied; a weekly
# restore drill into a scratch site, run by cron as root (it creates and drops a database)
if [ -n "${BACKUP_COPY_TO:-}" ]; then
	as_root mkdir -p "$BACKUP_COPY_TO" && as_root chown "$BENCH_USER" "$BACKUP_COPY_TO"
	bench_in --site "$SITE" set-config qingqian_backup_copy_to "$BACKUP_COPY_TO"
fi
[ -n "${BACKUP_KEEP_DAYS:-}" ] && bench_in --site "$SITE" set-config -p qingqian_backup_keep_days "$BACKUP_KEEP_DAYS"
if [ -d /etc/cron.d ] && [ "$DRILL_CRON" != 0 ]; then
	as_root tee /etc/cron.d/qingqian-restore-drill >/dev/null <<CRON
# 清欠恢复演练：每周日 3:30 把最近一次备份恢复到临时站点并核对（scripts/restore-drill.sh）
30 3 * * 0 root BENCH_USER=$BENCH_USER BENCH_DIR=$BENCH_DIR SITE=$SITE $REPO/scripts/restore-drill.sh >> /var/log/qingqian-restore-drill.log 2>&1
CRON
fi
if [ -n "${TWO_FACTOR_ROLES:-}" ]; then
	bench_in --site "$SITE" execute qingqian_app.security.require_two_factor --kwargs "{'roles': '$TWO_FACTOR_ROLES'}"
fi
bench_in build --app qingqian_app

if [ "$DEMO" != 0 ]; then
	say "加载演示数据"
	bench_in --site "$SITE" execute qingqian_app.install.load_demo
fi
if [ "$stop_redis_after" = 1 ]; then  # START=0: leave the ports to a later `bench start`
	for conf in redis_cache redis_queue; do
		redis-cli -p "$(sed -n 's/^port //p' "$BENCH_DIR/config/$conf.conf")" shutdown nosave >/dev/null 2>&1 || true
	done
fi
if [ "$DEV" != 1 ]; then
	# nginx: HTTPS in front, the site's assets and files served from disk (scripts/nginx.conf); every
	# site of the bench on a loopback port too (the port a setting of the bench's, read by test.sh)
	LOOPBACK_PORT=$(bench_conf qingqian_loopback_port "")
	if [ -z "$LOOPBACK_PORT" ]; then
		LOOPBACK_PORT=8001
		bench_in set-config -g -p qingqian_loopback_port "$LOOPBACK_PORT"
	fi
	error_pages=$(ls -d "$BENCH_CLI"/lib/python3*/site-packages/bench/config/templates | head -1)  # bench's 502 page
	sed -e "s|@BENCH_NAME@|$BENCH_NAME|g" -e "s|@SITE@|$SITE|g" -e "s|@SITES_PATH@|$BENCH_DIR/sites|g" \
		-e "s|@WEB_PORT@|$PORT|g" -e "s|@SOCKETIO_PORT@|$(bench_conf socketio_port 9000)|g" \
		-e "s|@HTTP_TIMEOUT@|$(bench_conf http_timeout 120)|g" -e "s|@ERROR_PAGES@|$error_pages|g" \
		-e "s|@LOOPBACK_PORT@|$LOOPBACK_PORT|g" \
		-e "s|@SSL_CERTIFICATE@|$cert|g" -e "s|@SSL_CERTIFICATE_KEY@|$key|g" -e "s|@HSTS@|$hsts|g" \
		"$REPO/scripts/nginx.conf" | as_bench "$BENCH_DIR" bash -c "cat > config/nginx.conf.new"
	if ! cmp -s "$BENCH_DIR/config/nginx.conf.new" "$BENCH_DIR/config/nginx.conf"; then
		as_bench "$BENCH_DIR" mv config/nginx.conf.new config/nginx.conf
	else
		as_bench "$BENCH_DIR" rm config/nginx.conf.new
	fi
	as_root ln -sfn "$BENCH_DIR/config/nginx.conf" "$NGINX_LINK"
	# Debian's welcome page holds port 80 as the default server
	[ -L /etc/nginx/sites-enabled/default ] && as_root rm /etc/nginx/sites-enabled/default
	as_root nginx -t -q || die "nginx 配置有误（nginx -t）"
	service_up nginx
	as_root service nginx reload >/dev/null
	# New code or settings reach the running processes; nothing restarts when nothing changed
	deployed=$( { git -C "$REPO" rev-parse HEAD; git -C "$REPO" status --porcelain; git -C "$BENCH_DIR/apps/frappe" rev-parse HEAD;
		cat "$BENCH_DIR/config/supervisor.conf" "$BENCH_DIR/sites/common_site_config.json"; } 2>/dev/null | sha256sum | cut -c1-16)
	if [ "$(cat "$BENCH_DIR/config/qingqian-deployed" 2>/dev/null)" != "$deployed" ]; then
		say "重启 web、后台任务和公文渲染进程以载入新版本"
		as_root supervisorctl restart "$BENCH_NAME-web:" "$BENCH_NAME-workers:" "$BENCH_NAME-qingqian-pdf"
		as_bench "$BENCH_DIR" bash -c "echo $deployed > config/qingqian-deployed"
	fi
	for _ in $(seq 120); do curl -kfsS -o /dev/null "https://localhost/api/method/ping" 2>/dev/null && break; sleep 1; done
	curl -kfsS -o /dev/null "https://localhost/api/method/ping" || die "经 nginx 的 https://localhost 未能在 120 秒内响应"
	echo
	as_root supervisorctl status
elif [ "$START" != 0 ]; then
	for _ in $(seq 120); do curl -fsS -o /dev/null "$url/api/method/ping" 2>/dev/null && break; sleep 1; done
	curl -fsS -o /dev/null "$url/api/method/ping" ||
		die "服务器未能在 120 秒内响应，见 $BENCH_DIR/logs/qingqian-start.log"
fi

cat <<DONE

清欠已就绪：$url （站点 $SITE，$([ "$DEV" = 1 ] && echo 开发模式 || echo 生产模式)）
  管理员：Administrator / $ADMIN_PASSWORD   （保存在 $CRED）
DONE
if [ "$DEMO" != 0 ]; then
	demo_pw=$(as_root python3 -c "import json,sys; print(json.load(open(sys.argv[1])).get('qingqian_demo_password', ''))" \
		"$BENCH_DIR/sites/$SITE/site_config.json")
	echo "  演示账号（本站点生成的密码：$demo_pw，保存在站点配置 qingqian_demo_password）："
	python3 - "$REPO/fixtures/demo/30_users.json" <<'PY'
import json, sys
for u in json.load(open(sys.argv[1]))["records"]:
	print(f"    {u['email']:<42} {u['first_name']}")
PY
fi
