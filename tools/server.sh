#!/usr/bin/env bash
# The public side: nginx in front of QGIS Server FastCGI workers.
#
#   tools/server.sh start RUN_DIR PORT [PROJECTS_DIR]   deploy into RUN_DIR and start
#   tools/server.sh stop RUN_DIR                        stop nginx and the workers
#   tools/server.sh status RUN_DIR
#
# RUN_DIR must be reachable by www-data (use a folder under tools/rundir.sh).
# It receives a copy of the projects, the server plugins and the Qt-free
# core they use, the rendered nginx configuration, the socket, pid files
# and logs. The database connection comes from RUN_DIR/pg_service.conf
# (service zhytomyr_gis_portal) and RUN_DIR/pgpass, written beforehand
# (tools/portal-credentials.sh for the demo). Environment knobs:
#   ZGIS_LISTEN (default 127.0.0.1:PORT), ZGIS_WORKERS (default 2),
#   ZGIS_QGIS_LOG_LEVEL (0 info, 1 warning, 2 critical; default 1).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cmd=${1:?usage: server.sh start|stop|status RUN_DIR [PORT] [PROJECTS_DIR]}
run=$(realpath -m "${2:?run folder required}")
FCGI_BIN=${FCGI_BIN:-/usr/lib/cgi-bin/qgis_mapserv.fcgi}
service_user=www-data

pids_alive() { # pid file -> running pids listed in it
    [ -f "$1" ] || return 0
    while read -r pid || [ -n "$pid" ]; do  # spawn-fcgi writes no final newline
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "$pid"; fi
    done <"$1"
}

stop_server() {
    if [ -f "$run/nginx.pid" ] && kill -0 "$(cat "$run/nginx.pid")" 2>/dev/null; then
        nginx -p "$run" -c "$run/nginx.conf" -s quit 2>/dev/null || kill "$(cat "$run/nginx.pid")"
        for _ in $(seq 50); do kill -0 "$(cat "$run/nginx.pid" 2>/dev/null || echo 0)" 2>/dev/null || break; sleep 0.1; done
    fi
    local pids
    pids=$(pids_alive "$run/qgis-server.pid")
    if [ -n "$pids" ]; then
        # shellcheck disable=SC2086
        kill $pids 2>/dev/null || true
        for _ in $(seq 50); do [ -z "$(pids_alive "$run/qgis-server.pid")" ] && break; sleep 0.1; done
        # shellcheck disable=SC2086
        kill -9 $(pids_alive "$run/qgis-server.pid") 2>/dev/null || true
    fi
    rm -f "$run/qgis-server.pid" "$run/qgis-server.sock"
}

render() { # template -> output, replacing @NAME@ placeholders
    sed -e "s|@RUN_DIR@|$run|g" -e "s|@LISTEN@|$listen|g" -e "s|@USER_DIRECTIVE@|$user_directive|g" \
        -e "s|@PGSERVICEFILE@|$run/pg_service.conf|g" -e "s|@PGPASSFILE@|$run/pgpass|g" \
        -e "s|@ID@|${3:-}|g" "$1" >"$2"
}

case "$cmd" in
start)
    port=${3:?port required}
    projects=$(realpath "${4:-$root/projects}")
    listen=${ZGIS_LISTEN:-127.0.0.1:$port}
    workers=${ZGIS_WORKERS:-2}
    for f in pg_service.conf pgpass; do
        [ -f "$run/$f" ] || { echo "server: $run/$f missing (write the portal credentials first)" >&2; exit 1; }
    done
    stop_server
    mkdir -p "$run"/{logs,nginx-tmp,home,cache,locations,site,projects,plugins,python}
    # Deploy: projects, server plugins and the core package they import.
    rm -rf "$run/projects"/* "$run/plugins"/* "$run/python"/*
    cp "$projects"/*.qgs "$run/projects/"
    cp -r "$root/qgis_server/plugins/." "$run/plugins/"
    cp -r "$root/zhytomyr_gis" "$run/python/"
    find "$run/plugins" "$run/python" -name __pycache__ -prune -exec rm -rf {} +
    if [ "$(id -u)" -eq 0 ]; then
        user_directive="user $service_user;"
        chown -R "$service_user:" "$run"/{logs,nginx-tmp,home,cache}
        chown "$service_user:" "$run/pgpass"
        chmod 0600 "$run/pgpass"
        chmod -R a+rX "$run/projects" "$run/plugins" "$run/python"
        chmod a+r "$run/pg_service.conf"
    else
        user_directive=""
    fi
    render "$root/qgis_server/nginx.conf.in" "$run/nginx.conf"
    render "$root/qgis_server/cors.conf.in" "$run/cors.conf"
    render "$root/qgis_server/qgis-fastcgi.conf.in" "$run/qgis-fastcgi.conf"
    rm -f "$run/locations"/*.conf
    for qgs in "$run/projects"/*.qgs; do
        id=$(basename "$qgs" .qgs)
        render "$root/qgis_server/location.conf.in" "$run/locations/$id.conf" "$id"
    done
    touch "$run/site/.keep"
    # The geoportal (built by `make portal`), when built: pages, their
    # config.json from the publishing declaration, its nginx locations.
    rm -rf "$run/portal" "$run/site/portal.conf"
    if [ -f "$root/portal/dist/index.html" ]; then
        portal_settings=${ZGIS_PORTAL_SETTINGS:-$root/portal/settings.json}
        cp -r "$root/portal/dist" "$run/portal"
        PYTHONPATH="$root" PGSERVICEFILE="$run/pg_service.conf" PGPASSFILE="$run/pgpass" \
            /usr/bin/python3 -m zhytomyr_gis.portal config --settings "$portal_settings" --out "$run/portal/config.json"
        frame_ancestors=$(PYTHONPATH="$root" /usr/bin/python3 -m zhytomyr_gis.portal frame-ancestors --settings "$portal_settings")
        render "$root/qgis_server/portal.conf.in" "$run/site/portal.conf"
        sed -i "s|@FRAME_ANCESTORS@|$frame_ancestors|g" "$run/site/portal.conf"
        chmod -R a+rX "$run/portal"
    fi
    # The QGIS Server environment, documented in qgis_server/qgis-server.env.in.
    sed -e "s|@RUN_DIR@|$run|g" -e "s|@LOG_LEVEL@|${ZGIS_QGIS_LOG_LEVEL:-1}|g" \
        "$root/qgis_server/qgis-server.env.in" | grep -v -e '^#' -e '^$' >"$run/qgis-server.env"
    mapfile -t worker_env <"$run/qgis-server.env"
    as_service=()
    if [ "$(id -u)" -eq 0 ]; then
        as_service=(-u "$service_user" -g "$service_user" -U "$service_user" -G "$service_user")
    fi
    env -i "${worker_env[@]}" \
        spawn-fcgi -s "$run/qgis-server.sock" -M 0660 -F "$workers" -P "$run/qgis-server.pid" -d "$run/home" \
        "${as_service[@]}" \
        -- "$FCGI_BIN" >"$run/logs/spawn-fcgi.log" 2>&1
    nginx -t -q -p "$run" -c "$run/nginx.conf"
    nginx -p "$run" -c "$run/nginx.conf"
    # Ready when a worker answers (the first request loads QGIS).
    for _ in $(seq 150); do
        code=$(curl -s -o /dev/null -w '%{http_code}' "http://${listen}/catalog/index.json" || true)
        [ "$code" = 200 ] && break
        sleep 0.2
    done
    echo "server: QGIS Server ($workers workers) behind nginx at http://$listen/ows/<id> ($run)"
    ;;
stop)
    stop_server
    echo "server: stopped ($run)"
    ;;
status)
    if [ -f "$run/nginx.pid" ] && kill -0 "$(cat "$run/nginx.pid")" 2>/dev/null; then
        echo "nginx running (pid $(cat "$run/nginx.pid"))"
    else
        echo "nginx not running"
    fi
    echo "QGIS Server workers: $(pids_alive "$run/qgis-server.pid" | wc -l)"
    ;;
*) echo "usage: server.sh start|stop|status RUN_DIR [PORT] [PROJECTS_DIR]" >&2; exit 2 ;;
esac
