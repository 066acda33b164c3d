#!/usr/bin/env bash
# The public side: nginx in front of QGIS Server FastCGI workers.
#
#   tools/server.sh start RUN_DIR PORT [PROJECTS_DIR]   deploy into RUN_DIR and start
#   tools/server.sh stop RUN_DIR                        stop nginx and the workers
#   tools/server.sh status RUN_DIR
#   tools/server.sh png-defaults RUN_DIR                build RUN_DIR/lib/libzgis-pngdefaults.so
#                                                       (qgis_server/png/pngdefaults.c; start does it too)
#
# RUN_DIR must be reachable by www-data (use a folder under tools/rundir.sh).
# It receives a copy of the projects, the server plugins and the Qt-free
# core they use, the rendered nginx configuration, the socket, pid files
# and logs. The database connection comes from RUN_DIR/pg_service.conf
# (service zhytomyr_gis_portal) and RUN_DIR/pgpass, written beforehand
# (tools/portal-credentials.sh for the demo). Environment knobs:
#   ZGIS_LISTEN (default 127.0.0.1:PORT), ZGIS_WORKERS (default 2),
#   ZGIS_QGIS_LOG_LEVEL (0 info, 1 warning, 2 critical; default 1),
#   ZGIS_QGIS_ENV_OVERRIDES: a file of KEY=VALUE lines overriding the
#   QGIS Server environment (benchmark experiments),
#   ZGIS_MAPFILES: a folder of MapServer mapfiles (python -m
#   zhytomyr_gis.publishing mapfiles): also serve them at /mapserver/<id>
#   with MapServer 8 FastCGI workers (benchmark only, never the public set-up),
#   ZGIS_MAPSERVER_WORKERS (default: as many as QGIS Server's),
#   ZGIS_TILES (default 1: the tile cache at /tiles, MapProxy under gunicorn
#   from the tiles-venv that tools/install-deps.sh makes in the run folder,
#   and its invalidation listener), ZGIS_TILE_WORKERS (default 2),
#   ZGIS_DOWNLOAD_CACHE (default 1: whole-layer WFS downloads answered
#   from files that zhytomyr_gis/publishing/download_cache.py keeps and
#   removes on every approval of their table),
#   ZGIS_OPENDATA (default 1: the open data at /opendata, published into
#   RUN_DIR/opendata by its listener from the opendata-venv that
#   tools/install-deps.sh makes in the run folder), ZGIS_OPENDATA_SETTINGS
#   (a JSON file of open data settings, see zhytomyr_gis/opendata/settings.py),
#   ZGIS_PUBLIC_URL (the site's public address in the open data catalogue;
#   default http://LISTEN).
#   ZGIS_WFS_MAX_FEATURES (features per WFS GetFeature; default in
#   qgis_server/qgis-server.env.in), ZGIS_RATE_LIMIT / ZGIS_RATE_BURST (requests a second per client address
#   to /ows/ and the burst allowed above it; default 20 and 100),
#   ZGIS_TILE_RATE_LIMIT / ZGIS_TILE_RATE_BURST (the same for /tiles/;
#   default 200 and 400), ZGIS_RATE_EXEMPT (addresses or CIDR ranges,
#   space-separated, not counted: monitoring, a proxy of the city's own;
#   127.0.0.1 and ::1, the tile cache's, never are), ZGIS_MONITOR (default 1:
#   the health and metrics service at /health and /metrics, Debian's
#   gunicorn and prometheus_client), ZGIS_MONITORING_ALLOW (addresses or
#   ranges besides this machine's that may read /health/... and /metrics).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cmd=${1:?usage: server.sh start|stop|status|png-defaults RUN_DIR [PORT] [PROJECTS_DIR]}
run=$(realpath -m "${2:?run folder required}")
FCGI_BIN=${FCGI_BIN:-/usr/lib/cgi-bin/qgis_mapserv.fcgi}
MAPSERV_BIN=${MAPSERV_BIN:-/usr/lib/cgi-bin/mapserv}
# nginx sends the portal's precompressed brotli files with it (portal.conf.in).
BROTLI_MODULE=${BROTLI_MODULE:-/usr/lib/nginx/modules/ngx_http_brotli_static_module.so}
service_user=www-data

pids_alive() { # pid file -> running pids listed in it
    [ -f "$1" ] || return 0
    while read -r pid || [ -n "$pid" ]; do  # spawn-fcgi writes no final newline
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then echo "$pid"; fi
    done <"$1"
}

stop_workers() { # pid file
    local pids
    pids=$(pids_alive "$1")
    if [ -n "$pids" ]; then
        # shellcheck disable=SC2086
        kill $pids 2>/dev/null || true
        for _ in $(seq 50); do [ -z "$(pids_alive "$1")" ] && break; sleep 0.1; done
        # shellcheck disable=SC2086
        kill -9 $(pids_alive "$1") 2>/dev/null || true
    fi
    rm -f "$1"
}

stop_tiles() {
    stop_workers "$run/tiles-listener.pid"
    stop_workers "$run/tiles.pid"
    rm -f "$run/tiles.sock"
}

start_tiles() { # MapProxy (gunicorn) + the listener that removes the tiles of approved changes
    local tiles_venv python_env
    tiles_venv=${ZGIS_TILES_VENV:-$("$root/tools/rundir.sh")/tiles-venv}
    [ -x "$tiles_venv/bin/gunicorn" ] || { echo "server: $tiles_venv missing (run make deps)" >&2; exit 1; }
    # A cache left from before may hold tiles of changes approved since: start empty.
    rm -rf "$run/tiles" && mkdir -p "$run/tiles/cache" "$run/tiles/locks"
    python_env=(env -i PATH=/usr/bin:/bin LANG=C.UTF-8 PYTHONPATH="$run/python" PYTHONDONTWRITEBYTECODE=1
        PROJ_DATA=/usr/share/proj PGSERVICEFILE="$run/pg_service.conf" PGPASSFILE="$run/pgpass")
    "${python_env[@]}" /usr/bin/python3 -m zhytomyr_gis.publishing tiles-config --out "$run/tiles/mapproxy.yaml" \
        --upstream "http://$listen" --cache-dir "$run/tiles/cache" --lock-dir "$run/tiles/locks"
    local as_user=() drop=()
    if [ "$(id -u)" -eq 0 ]; then
        chown -R "$service_user:" "$run/tiles"
        as_user=(--user "$service_user" --group "$service_user")
        drop=(setpriv --reuid="$service_user" --regid="$service_user" --init-groups)
    fi
    render "$root/qgis_server/tiles-proxy.conf.in" "$run/tiles-proxy.conf"
    render "$root/qgis_server/tiles.conf.in" "$run/locations/tiles.conf"
    env -i PATH=/usr/bin:/bin LANG=C.UTF-8 SCRIPT_NAME=/tiles PROJ_NETWORK=OFF \
        "$tiles_venv/bin/gunicorn" --daemon --pid "$run/tiles.pid" --bind "unix:$run/tiles.sock" --umask 0007 \
        --workers "${ZGIS_TILE_WORKERS:-2}" "${as_user[@]}" --chdir "$run/tiles" \
        --error-logfile "$run/logs/tiles.log" --timeout 120 --pythonpath "$run/python" \
        "zhytomyr_gis.publishing.tiles_app:make_app('$run/tiles/mapproxy.yaml')"
    "${drop[@]}" "${python_env[@]}" setsid /usr/bin/python3 -m zhytomyr_gis.publishing.tile_invalidation \
        --cache-dir "$run/tiles/cache" --status-file "$run/tiles/listener-status.json" \
        --refresh-command "$tiles_venv/bin/python -m zhytomyr_gis.publishing.tile_refresh --config $run/tiles/mapproxy.yaml --cache-dir $run/tiles/cache" \
        >>"$run/logs/tile-invalidation.log" 2>&1 </dev/null &
    echo $! >"$run/tiles-listener.pid"
    for _ in $(seq 100); do [ -S "$run/tiles.sock" ] && break; sleep 0.1; done
}

stop_opendata() {
    stop_workers "$run/opendata-listener.pid"
}

start_opendata() { # the listener that publishes the open data after approvals (RUN_DIR/opendata/current)
    local venv settings=() drop=()
    venv=${ZGIS_OPENDATA_VENV:-$("$root/tools/rundir.sh")/opendata-venv}
    [ -x "$venv/bin/python" ] || { echo "server: $venv missing (run make deps)" >&2; exit 1; }
    mkdir -p "$run/opendata"
    if [ -n "${ZGIS_OPENDATA_SETTINGS:-}" ]; then
        cp "$ZGIS_OPENDATA_SETTINGS" "$run/opendata-settings.json"
        settings=(--settings "$run/opendata-settings.json")
    fi
    if [ "$(id -u)" -eq 0 ]; then
        chown -R "$service_user:" "$run/opendata"
        drop=(setpriv --reuid="$service_user" --regid="$service_user" --init-groups)
    fi
    render "$root/qgis_server/opendata.conf.in" "$run/site/opendata.conf"
    # From RUN_DIR/home: python -m puts the working folder first on sys.path,
    # and the deployed copy in RUN_DIR/python is the one to run.
    (cd "$run/home" && exec "${drop[@]}" env -i PATH=/usr/bin:/bin LANG=C.UTF-8 PYTHONPATH="$run/python" \
        PYTHONDONTWRITEBYTECODE=1 PROJ_DATA=/usr/share/proj PGSERVICEFILE="$run/pg_service.conf" \
        PGPASSFILE="$run/pgpass" setsid "$venv/bin/python" -m zhytomyr_gis.opendata "${settings[@]}" \
        --base-url "${ZGIS_PUBLIC_URL:-http://$listen}" listen "$run/opendata" \
        >>"$run/logs/opendata.log" 2>&1 </dev/null) &
    echo $! >"$run/opendata-listener.pid"
}

stop_downloads() {
    stop_workers "$run/downloads.pid"
    rm -rf "$run/downloads" "$run/downloads-state"
}

start_downloads() { # the files of whole-layer downloads (zhytomyr_gis/publishing/download_cache.py)
    local drop=()
    # Files left from before may hold data approved over since: start empty.
    rm -rf "$run/downloads" "$run/downloads-state" && mkdir -p "$run/downloads" "$run/downloads-state"
    if [ "$(id -u)" -eq 0 ]; then
        chown "$service_user:" "$run/downloads" "$run/downloads-state"
        drop=(setpriv --reuid="$service_user" --regid="$service_user" --init-groups)
    fi
    # It asks this server for the answers it keeps: started once nginx answers.
    (cd "$run/home" && exec "${drop[@]}" env -i PATH=/usr/bin:/bin LANG=C.UTF-8 PYTHONPATH="$run/python" \
        PYTHONDONTWRITEBYTECODE=1 PGSERVICEFILE="$run/pg_service.conf" PGPASSFILE="$run/pgpass" \
        setsid nice -n 10 /usr/bin/python3 -m zhytomyr_gis.publishing.download_cache \
        --cache-dir "$run/downloads" --base-url "http://$listen" --status-file "$run/downloads-state/status.json" \
        >>"$run/logs/download-cache.log" 2>&1 </dev/null) &
    echo $! >"$run/downloads.pid"
    # Ready once it has connected and written its state (the monitoring's check reads it).
    for _ in $(seq 100); do [ -s "$run/downloads-state/status.json" ] && break; sleep 0.1; done
}

stop_server() {
    if [ -f "$run/nginx.pid" ] && kill -0 "$(cat "$run/nginx.pid")" 2>/dev/null; then
        nginx -p "$run" -c "$run/nginx.conf" -s quit 2>/dev/null || kill "$(cat "$run/nginx.pid")"
        for _ in $(seq 50); do kill -0 "$(cat "$run/nginx.pid" 2>/dev/null || echo 0)" 2>/dev/null || break; sleep 0.1; done
    fi
    stop_downloads
    stop_tiles
    stop_opendata
    stop_monitor
    stop_workers "$run/qgis-server.pid"
    stop_workers "$run/mapserver.pid"
    rm -f "$run/qgis-server.sock" "$run/mapserver.sock"
}

start_mapserver() { # MapServer FastCGI workers for the mapfiles in $ZGIS_MAPFILES (benchmark peer)
    rm -rf "$run/mapserver" && mkdir -p "$run/mapserver"
    cp "$ZGIS_MAPFILES"/*.map "$ZGIS_MAPFILES"/fonts.txt "$run/mapserver/"
    sed -i "s|^  FONTSET .*|  FONTSET \"$run/mapserver/fonts.txt\"|" "$run/mapserver"/*.map
    {
        echo "CONFIG"
        echo "  ENV"
        echo "    MS_MAP_PATTERN \"^$run/mapserver/\""
        echo "    MS_ERRORFILE \"$run/logs/mapserver.log\""
        echo "  END"
        echo "  MAPS"
        for map in "$run/mapserver"/*.map; do echo "    $(basename "$map" .map) \"$map\""; done
        echo "  END"
        echo "END"
    } >"$run/mapserver/mapserver.conf"
    rm -f "$run/locations"/mapserver-*.conf
    for map in "$run/mapserver"/*.map; do
        render "$root/qgis_server/mapserver-location.conf.in" "$run/locations/mapserver-$(basename "$map" .map).conf" \
            "$(basename "$map" .map)"
    done
    chmod -R a+rX "$run/mapserver"
    env -i PATH=/usr/bin:/bin LANG=C.UTF-8 MAPSERVER_CONFIG_FILE="$run/mapserver/mapserver.conf" \
        PGSERVICEFILE="$run/pg_service.conf" PGPASSFILE="$run/pgpass" \
        spawn-fcgi -s "$run/mapserver.sock" -M 0660 -F "${ZGIS_MAPSERVER_WORKERS:-$workers}" -P "$run/mapserver.pid" \
        -d "$run/home" "${as_service[@]}" -- "$MAPSERV_BIN" >"$run/logs/spawn-fcgi-mapserver.log" 2>&1
}

# The PNG encoder defaults that QGIS Server's workers preload
# (qgis_server/png/pngdefaults.c): built when missing or older than its source.
build_png_defaults() {
    local src="$root/qgis_server/png/pngdefaults.c" lib="$run/lib/libzgis-pngdefaults.so"
    if [ ! -f "$lib" ] || [ "$src" -nt "$lib" ]; then
        cc -O2 -Wall -shared -fPIC -o "$lib.tmp" "$src" -lpng16 -ldl \
            || { echo "server: cannot build $lib (make deps installs gcc and libpng-dev)" >&2; exit 1; }
        mv "$lib.tmp" "$lib"
    fi
}

render() { # template -> output, replacing @NAME@ placeholders
    sed -e "s|@RUN_DIR@|$run|g" -e "s|@LISTEN@|$listen|g" -e "s|@USER_DIRECTIVE@|$user_directive|g" \
        -e "s|@PGSERVICEFILE@|$run/pg_service.conf|g" -e "s|@PGPASSFILE@|$run/pgpass|g" \
        -e "s|@RATE_LIMIT@|$rate_limit|g" -e "s|@RATE_BURST@|$rate_burst|g" \
        -e "s|@TILE_RATE_LIMIT@|$tile_rate_limit|g" -e "s|@TILE_RATE_BURST@|$tile_rate_burst|g" \
        -e "s|^@RATE_EXEMPT@$|$rate_exempt|" -e "s|^@MONITORING_ALLOW@$|$monitoring_allow|" \
        -e "s|@BROTLI_MODULE@|$BROTLI_MODULE|g" -e "s|@ID@|${3:-}|g" "$1" >"$2"
}

# Request rate limits (nginx limit_req, see nginx.conf.in): whole numbers,
# and the exempt addresses as lines of its geo block.
rate_settings() {
    rate_limit=${ZGIS_RATE_LIMIT:-20}
    rate_burst=${ZGIS_RATE_BURST:-100}
    tile_rate_limit=${ZGIS_TILE_RATE_LIMIT:-200}
    tile_rate_burst=${ZGIS_TILE_RATE_BURST:-400}
    local value
    for value in "$rate_limit" "$rate_burst" "$tile_rate_limit" "$tile_rate_burst"; do
        [[ "$value" =~ ^[1-9][0-9]*$ ]] || { echo "server: rate limits must be whole numbers above 0, not '$value'" >&2; exit 1; }
    done
    rate_exempt=""
    for value in ${ZGIS_RATE_EXEMPT:-}; do
        [[ "$value" =~ ^[0-9A-Fa-f:.]+(/[0-9]+)?$ ]] || { echo "server: ZGIS_RATE_EXEMPT: '$value' is not an address or range" >&2; exit 1; }
        rate_exempt+="        $value 1;\\n"
    done
    monitoring_allow=""
    for value in ${ZGIS_MONITORING_ALLOW:-}; do
        [[ "$value" =~ ^[0-9A-Fa-f:.]+(/[0-9]+)?$ ]] || { echo "server: ZGIS_MONITORING_ALLOW: '$value' is not an address or range" >&2; exit 1; }
        monitoring_allow+="    allow $value;\\n"
    done
}

stop_monitor() {
    stop_workers "$run/monitor.pid"
    rm -f "$run/monitor.sock"
}

start_monitor() { # the health and metrics service (zhytomyr_gis/publishing/monitor.py)
    local as_user=() status="" downloads=""
    if [ "$(id -u)" -eq 0 ]; then as_user=(--user "$service_user" --group "$service_user"); fi
    if [ "${ZGIS_TILES:-1}" = 1 ]; then status="$run/tiles/listener-status.json"; fi
    if [ "${ZGIS_DOWNLOAD_CACHE:-1}" = 1 ]; then downloads="$run/downloads-state/status.json"; fi
    render "$root/qgis_server/monitor.conf.in" "$run/locations/monitor.conf"
    env -i PATH=/usr/bin:/bin LANG=C.UTF-8 PYTHONPATH="$run/python" PYTHONDONTWRITEBYTECODE=1 \
        PGSERVICEFILE="$run/pg_service.conf" PGPASSFILE="$run/pgpass" \
        ZGIS_MONITOR_BASE_URL="http://$listen" ZGIS_MONITOR_LISTENER_STATUS="$status" \
        ZGIS_MONITOR_DOWNLOAD_STATUS="$downloads" \
        /usr/bin/gunicorn --daemon --pid "$run/monitor.pid" --bind "unix:$run/monitor.sock" --umask 0007 \
        --workers 1 --threads 4 "${as_user[@]}" --chdir "$run" --error-logfile "$run/logs/monitor.log" \
        --timeout 60 "zhytomyr_gis.publishing.monitor:make_app()"
    for _ in $(seq 50); do [ -S "$run/monitor.sock" ] && break; sleep 0.1; done
}

case "$cmd" in
start)
    port=${3:?port required}
    projects=$(realpath "${4:-$root/projects}")
    listen=${ZGIS_LISTEN:-127.0.0.1:$port}
    workers=${ZGIS_WORKERS:-2}
    rate_settings
    [ -f "$BROTLI_MODULE" ] || { echo "server: nginx's brotli module $BROTLI_MODULE is missing (tools/install-deps.sh)" >&2; exit 1; }
    for f in pg_service.conf pgpass; do
        [ -f "$run/$f" ] || { echo "server: $run/$f missing (write the portal credentials first)" >&2; exit 1; }
    done
    stop_server
    mkdir -p "$run"/{logs,nginx-tmp,home,cache,locations,site,projects,plugins,python,lib}
    # Deploy: projects, server plugins and the core package they import.
    rm -rf "$run/projects"/* "$run/plugins"/* "$run/python"/*
    cp "$projects"/*.qgs "$run/projects/"
    cp -r "$root/qgis_server/plugins/." "$run/plugins/"
    cp -r "$root/zhytomyr_gis" "$run/python/"
    build_png_defaults
    find "$run/plugins" "$run/python" -name __pycache__ -prune -exec rm -rf {} +
    if [ "$(id -u)" -eq 0 ]; then
        user_directive="user $service_user;"
        # Made here, owned by the service user: the services append to them and
        # logrotate rotates them as that user (qgis_server/logrotate/).
        touch "$run/logs"/{tile-invalidation,opendata,download-cache,spawn-fcgi,qgis-server,tiles,monitor}.log
        chown -R "$service_user:" "$run"/{logs,nginx-tmp,home,cache}
        chown "$service_user:" "$run/pgpass"
        chmod 0600 "$run/pgpass"
        chmod -R a+rX "$run/projects" "$run/plugins" "$run/python" "$run/lib"
        chmod a+r "$run/pg_service.conf"
    else
        user_directive=""
    fi
    render "$root/qgis_server/nginx.conf.in" "$run/nginx.conf"
    render "$root/qgis_server/cors.conf.in" "$run/cors.conf"
    render "$root/qgis_server/qgis-fastcgi.conf.in" "$run/qgis-fastcgi.conf"
    rm -f "$run/locations"/*.conf
    [ -n "${ZGIS_MAPFILES:-}" ] || rm -rf "$run/mapserver"
    for qgs in "$run/projects"/*.qgs; do
        id=$(basename "$qgs" .qgs)
        render "$root/qgis_server/location.conf.in" "$run/locations/$id.conf" "$id"
    done
    touch "$run/site/.keep"
    # The geoportal (built by `make portal`), when built: pages, their
    # config.json from the publishing declaration, its nginx locations.
    rm -rf "$run/portal" "$run/site/portal.conf" "$run/site/opendata.conf"
    if [ -f "$root/portal/dist/index.html" ]; then
        portal_settings=${ZGIS_PORTAL_SETTINGS:-$root/portal/settings.json}
        cp -r "$root/portal/dist" "$run/portal"
        PYTHONPATH="$root" PGSERVICEFILE="$run/pg_service.conf" PGPASSFILE="$run/pgpass" \
            /usr/bin/python3 -m zhytomyr_gis.portal config --settings "$portal_settings" --out "$run/portal/config.json" \
            --pages "$run/portal" $([ "${ZGIS_TILES:-1}" = 1 ] && echo --tile-cache)
        frame_ancestors=$(PYTHONPATH="$root" /usr/bin/python3 -m zhytomyr_gis.portal frame-ancestors --settings "$portal_settings")
        render "$root/qgis_server/portal.conf.in" "$run/site/portal.conf"
        sed -i "s|@FRAME_ANCESTORS@|$frame_ancestors|g" "$run/site/portal.conf"
        chmod -R a+rX "$run/portal"
    fi
    # The QGIS Server environment, documented in qgis_server/qgis-server.env.in.
    sed -e "s|@RUN_DIR@|$run|g" -e "s|@LOG_LEVEL@|${ZGIS_QGIS_LOG_LEVEL:-1}|g" \
        "$root/qgis_server/qgis-server.env.in" | grep -v -e '^#' -e '^$' >"$run/qgis-server.env"
    # The WFS feature cap of the plugin, when given (the benchmark measures whole-layer downloads).
    if [ -n "${ZGIS_WFS_MAX_FEATURES:-}" ]; then
        echo "ZGIS_WFS_MAX_FEATURES=$ZGIS_WFS_MAX_FEATURES" >>"$run/qgis-server.env"
    fi
    # Benchmark experiments: KEY=VALUE lines that override the documented environment.
    if [ -n "${ZGIS_QGIS_ENV_OVERRIDES:-}" ]; then
        sed -e "s|@RUN_DIR@|$run|g" "$ZGIS_QGIS_ENV_OVERRIDES" | grep -v -e '^#' -e '^$' >>"$run/qgis-server.env"
    fi
    mapfile -t worker_env <"$run/qgis-server.env"
    as_service=()
    if [ "$(id -u)" -eq 0 ]; then
        as_service=(-u "$service_user" -g "$service_user" -U "$service_user" -G "$service_user")
    fi
    # spawn-fcgi opens the socket and starts multiwatch (Debian's, made for
    # this), which forks the workers on it and starts a new one whenever one
    # dies (spawn-fcgi alone does not); TERM stops multiwatch and its workers.
    env -i "${worker_env[@]}" \
        spawn-fcgi -s "$run/qgis-server.sock" -M 0660 -F 1 -P "$run/qgis-server.pid" -d "$run/home" \
        "${as_service[@]}" \
        -- /usr/bin/multiwatch --forks "$workers" --signal TERM --retry 10 -- "$FCGI_BIN" \
        >"$run/logs/spawn-fcgi.log" 2>&1
    if [ -n "${ZGIS_MAPFILES:-}" ]; then start_mapserver; fi
    if [ "${ZGIS_TILES:-1}" = 1 ]; then start_tiles; fi
    if [ "${ZGIS_OPENDATA:-1}" = 1 ]; then start_opendata; fi
    if [ "${ZGIS_MONITOR:-1}" = 1 ]; then start_monitor; fi
    # Log rotation of this run folder (qgis_server/logrotate/run-folder.conf.in).
    render "$root/qgis_server/logrotate/run-folder.conf.in" "$run/logrotate.conf"
    sed -i "s|@SERVICE_USER@|$(if [ "$(id -u)" -eq 0 ]; then echo "$service_user"; else id -un; fi)|g" "$run/logrotate.conf"
    nginx -t -q -p "$run" -c "$run/nginx.conf"
    nginx -p "$run" -c "$run/nginx.conf"
    # Ready when a worker answers (the first request loads QGIS).
    for _ in $(seq 150); do
        code=$(curl -s -o /dev/null -w '%{http_code}' "http://${listen}/catalog/index.json" || true)
        [ "$code" = 200 ] && break
        sleep 0.2
    done
    if [ "${ZGIS_DOWNLOAD_CACHE:-1}" = 1 ]; then start_downloads; fi
    echo "server: QGIS Server ($workers workers) behind nginx at http://$listen/ows/<id> ($run)"
    if [ "${ZGIS_TILES:-1}" = 1 ]; then echo "server: tile cache (MapProxy) at http://$listen/tiles/"; fi
    if [ "${ZGIS_DOWNLOAD_CACHE:-1}" = 1 ]; then
        echo "server: whole-layer downloads from files (log logs/download-cache.log)"
    fi
    if [ "${ZGIS_OPENDATA:-1}" = 1 ]; then
        echo "server: open data at http://$listen/opendata/ (published by its listener, log logs/opendata.log)"
    fi
    if [ "${ZGIS_MONITOR:-1}" = 1 ]; then echo "server: health at http://$listen/health, metrics at http://$listen/metrics"; fi
    ;;
png-defaults) # build RUN_DIR/lib/libzgis-pngdefaults.so only (as start does)
    mkdir -p "$run/lib"
    build_png_defaults
    echo "$run/lib/libzgis-pngdefaults.so"
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
    supervisor=$(pids_alive "$run/qgis-server.pid")
    echo "QGIS Server workers: $(if [ -n "$supervisor" ]; then pgrep -P "$supervisor" | wc -l; else echo 0; fi)"
    ;;
*) echo "usage: server.sh start|stop|status|png-defaults RUN_DIR [PORT] [PROJECTS_DIR]" >&2; exit 2 ;;
esac
