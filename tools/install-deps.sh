#!/usr/bin/env bash
# Installs what the project needs on Debian 12 and is missing: Debian
# packages (PostgreSQL + PostGIS, PyQGIS, QGIS Server, nginx...), then the
# .venv (system site packages, for PyQGIS and psycopg2) with the pinned
# PyPI packages of requirements.txt. Safe to run again: it only adds.
#   tools/install-deps.sh reliability   also .venv-reliability (requirements-reliability.txt)
#                                       for make reliability
#   tools/install-deps.sh monitoring    also Debian's Prometheus exporters for nginx and
#                                       PostgreSQL (a real server; qgis_server/README.md)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

packages=(
    postgresql-15 postgresql-15-postgis-3 postgresql-contrib
    python3-venv python3-psycopg2 proj-bin gdal-bin
    python3-qgis qgis-providers qttools5-dev-tools pyqt5-dev-tools xvfb xauth
    qgis-server qgis-server-landingpage python3-owslib python3-numpy python3-pil python3-requests
    nginx libnginx-mod-http-brotli-static python3-brotli spawn-fcgi multiwatch logrotate curl fonts-dejavu-core
    python3-pyproj python3-lxml python3-gdal python3-yaml chromium
    qgis
    cgi-mapserver mapserver-bin python3-matplotlib linux-perf
    gcc libc6-dev libpng-dev libjemalloc2 openssl
    poppler-utils python3-segno
    gunicorn python3-prometheus-client
)
# The geoportal is built with npm (portal/package.json): Debian's nodejs and
# npm only where no npm is installed (a newer Node.js may be there already).
if ! command -v npm >/dev/null 2>&1; then
    packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "install-deps: missing Debian packages: ${missing[*]} (run as root, or: sudo apt-get install ${missing[*]})" >&2
        exit 1
    fi
    echo "install-deps: installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null
    apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

if [ ! -x .venv/bin/python ]; then
    /usr/bin/python3 -m venv --system-site-packages .venv
fi
stamp=.venv/.requirements.sha256
want=$(cat requirements.txt requirements-opendata.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
    echo "$want" > "$stamp"
fi
# The open data listener runs as www-data too, from its own environment in
# the run folder (with Debian's psycopg2 and GDAL: system site packages).
opendata_venv="$(tools/rundir.sh)/opendata-venv"
if [ ! -x "$opendata_venv/bin/python" ]; then
    /usr/bin/python3 -m venv --system-site-packages "$opendata_venv"
fi
stamp="$opendata_venv/.requirements.sha256"
want=$(sha256sum requirements-opendata.txt | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    "$opendata_venv/bin/pip" install -q --disable-pip-version-check -r requirements-opendata.txt
    echo "$want" > "$stamp"
fi
# The tile cache (MapProxy + gunicorn) in a virtual environment of its own,
# under the run folder: its workers run as www-data, which may not enter
# the checkout (tools/server.sh finds it there).
tiles_venv="$(tools/rundir.sh)/tiles-venv"
if [ ! -x "$tiles_venv/bin/python" ]; then
    /usr/bin/python3 -m venv "$tiles_venv"
fi
stamp="$tiles_venv/.requirements.sha256"
want=$(sha256sum requirements-tiles.txt | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    "$tiles_venv/bin/pip" install -q --disable-pip-version-check -r requirements-tiles.txt
    echo "$want" > "$stamp"
fi
# The reliability checks (make reliability): schemathesis in a virtual
# environment of its own (it needs a newer pytest than the tests pin).
if [ "${1:-}" = reliability ]; then
    if [ ! -x .venv-reliability/bin/python ]; then
        /usr/bin/python3 -m venv .venv-reliability
    fi
    stamp=.venv-reliability/.requirements.sha256
    want=$(sha256sum requirements-reliability.txt | cut -d' ' -f1)
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        .venv-reliability/bin/pip install -q --disable-pip-version-check -r requirements-reliability.txt
        echo "$want" > "$stamp"
    fi
fi
# Debian's Prometheus exporters, for a real server only: their packages
# enable services that listen on every address until configured.
if [ "${1:-}" = monitoring ]; then
    for p in prometheus-nginx-exporter prometheus-postgres-exporter; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
            DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$p" >/dev/null
        fi
    done
fi
