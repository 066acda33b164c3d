#!/usr/bin/env bash
# Makes .run/ (the demo's and the tests' private data) in a place the
# service users (postgres, www-data) can reach. When the checkout sits under
# a folder they cannot enter (/root is 0700), .run becomes a symlink to a
# folder under /var/lib/zhytomyr-gis named after the checkout's path.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
run="$root/.run"
if [ -e "$run" ] || [ -L "$run" ]; then
    realpath "$run"
    exit 0
fi
if runuser -u postgres -- test -x "$root" 2>/dev/null && runuser -u www-data -- test -x "$root" 2>/dev/null; then
    mkdir -p "$run"
    chmod 0755 "$run"
else
    target="/var/lib/zhytomyr-gis/$(printf '%s' "$root" | sha256sum | cut -c1-12)"
    mkdir -p "$target"
    chmod 0755 /var/lib/zhytomyr-gis "$target"
    ln -s "$target" "$run"
fi
realpath "$run"
