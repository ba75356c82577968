# System services on machines with and without systemd (containers), shared by scripts/setup.sh
# and scripts/fault-drill.sh. Sourced; the caller defines as_root and die.

mysql_running() { as_root mariadb-admin ping >/dev/null 2>&1; }

# MariaDB (re)started with the settings in /etc/mysql: systemd's unit, or — without systemd,
# where Debian's init script cannot manage a server it did not start — root's socket login
# stops it and the daemon is started directly.
restart_mariadb() {
	if [ -d /run/systemd/system ]; then as_root systemctl restart mariadb
	else
		as_root mariadb-admin shutdown 2>/dev/null || true
		for _ in $(seq 30); do mysql_running || break; sleep 1; done
		as_root start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd
	fi
	for _ in $(seq 60); do mysql_running && return 0; sleep 1; done
	die "MariaDB 未能启动"
}

# A service running now and at boot: systemd's, or the init script's on machines without
# systemd (containers: their start command runs `service <name> start`, README “生产运行”)
service_up() {
	if [ -d /run/systemd/system ]; then
		as_root systemctl is-enabled --quiet "$1" 2>/dev/null || as_root systemctl enable --quiet "$1"
		as_root systemctl is-active --quiet "$1" || as_root systemctl start "$1"
	else
		as_root service "$1" status >/dev/null 2>&1 || as_root service "$1" start
	fi
}

# A service restarted to take new settings (an init script's restart may start the new process
# before the old one has gone: wait for it, bounded)
restart_service() {
	if [ -d /run/systemd/system ]; then as_root systemctl restart "$1"; return; fi
	as_root service "$1" stop >/dev/null 2>&1 || true
	for _ in $(seq 30); do as_root service "$1" status >/dev/null 2>&1 || break; sleep 1; done
	sleep 1
	as_root service "$1" start
}
