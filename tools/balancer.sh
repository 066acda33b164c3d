#!/usr/bin/env bash
# The public address in front of several public servers (qgis_server/balancer.conf.in):
#
#   tools/balancer.sh start RUN_DIR PORT HOST:PORT [HOST:PORT ...]   render and start nginx
#   tools/balancer.sh stop RUN_DIR
#
# Each HOST:PORT is a public server started by tools/server.sh (its own
# nginx, QGIS Server workers and tile cache, reading a streaming replica:
# tools/pgcluster.sh replica). Knobs: ZGIS_LISTEN (default 127.0.0.1:PORT),
# ZGIS_MAX_FAILS (default 1) and ZGIS_FAIL_TIMEOUT (default 10s): a host that
# failed that often is left out for that long.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cmd=${1:?usage: balancer.sh start|stop RUN_DIR [PORT HOST:PORT...]}
run=$(realpath -m "${2:?run folder required}")

stop() {
    if [ -f "$run/nginx.pid" ] && kill -0 "$(cat "$run/nginx.pid")" 2>/dev/null; then
        nginx -p "$run" -c "$run/nginx.conf" -s quit 2>/dev/null || kill "$(cat "$run/nginx.pid")"
        for _ in $(seq 50); do kill -0 "$(cat "$run/nginx.pid" 2>/dev/null || echo 0)" 2>/dev/null || break; sleep 0.1; done
    fi
}

case "$cmd" in
start)
    port=${3:?port required}
    shift 3
    [ $# -ge 1 ] || { echo "balancer: name at least one host (HOST:PORT)" >&2; exit 2; }
    listen=${ZGIS_LISTEN:-127.0.0.1:$port}
    servers=""
    for host in "$@"; do
        [[ "$host" =~ ^[A-Za-z0-9.:_-]+:[0-9]+$ ]] || { echo "balancer: '$host' is not HOST:PORT" >&2; exit 2; }
        servers+="        server $host max_fails=${ZGIS_MAX_FAILS:-1} fail_timeout=${ZGIS_FAIL_TIMEOUT:-10s};\\n"
    done
    stop
    mkdir -p "$run"/{logs,nginx-tmp}
    user_directive=""
    if [ "$(id -u)" -eq 0 ]; then
        user_directive="user www-data;"
        chown -R www-data: "$run"/{logs,nginx-tmp}
    fi
    sed -e "s|@RUN_DIR@|$run|g" -e "s|@LISTEN@|$listen|g" -e "s|@USER_DIRECTIVE@|$user_directive|g" \
        -e "s|^@UPSTREAM_SERVERS@$|$servers|" "$root/qgis_server/balancer.conf.in" >"$run/nginx.conf"
    nginx -t -q -p "$run" -c "$run/nginx.conf"
    nginx -p "$run" -c "$run/nginx.conf"
    echo "balancer: http://$listen/ in front of $*"
    ;;
stop)
    stop
    echo "balancer: stopped ($run)"
    ;;
*) echo "usage: balancer.sh start|stop RUN_DIR [PORT HOST:PORT...]" >&2; exit 2 ;;
esac
