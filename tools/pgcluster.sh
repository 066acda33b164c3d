#!/usr/bin/env bash
# Private PostgreSQL + PostGIS instance for the demo and the tests.
# Never touches the system cluster: data, socket and log live under DIR,
# owned by the postgres user (initdb refuses to run as root).
#
#   tools/pgcluster.sh start DIR PORT   create (first time) and start
#   tools/pgcluster.sh stop DIR         stop (fast shutdown)
#   tools/pgcluster.sh status DIR
#   tools/pgcluster.sh replica DIR PORT PRIMARY_DIR PRIMARY_PORT
#                                       a hot standby of the cluster in PRIMARY_DIR
#                                       (pg_basebackup over its socket, streaming
#                                       replication), made the first time, then started
#                                       (PG_REPLICATION_SLOT=name: through a replication slot)
#
# PG_WAL_ARCHIVE=FOLDER (when the cluster is created): archive every WAL
# segment into FOLDER (archive_mode, the archive_command of PostgreSQL's
# documentation), for point-in-time recovery (docs/operations.md).
set -euo pipefail

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
cmd=${1:?usage: pgcluster.sh start|stop|status|replica DIR [PORT] [PRIMARY_DIR PRIMARY_PORT]}
dir=$(realpath -m "${2:?data folder required}")
port=${3:-55432}

as_postgres() {
    if [ "$(id -un)" = postgres ]; then "$@"; else runuser -u postgres -- "$@"; fi
}

# TLS with a certificate authority of the instance's own: clients connect
# with sslmode=verify-full and sslrootcert=DIR/tls/ca.crt (the host name
# 127.0.0.1 or localhost is in the certificate). Made once, before the
# first start; a real server uses its organisation's certificates instead.
ensure_tls() {
    local tls="$1/tls"
    if [ ! -f "$tls/server.crt" ]; then
        mkdir -p "$tls"
        openssl req -x509 -new -nodes -newkey rsa:2048 -days 3650 -subj "/CN=Zhytomyr GIS private CA" \
            -keyout "$tls/ca.key" -out "$tls/ca.crt" 2>/dev/null
        openssl req -new -nodes -newkey rsa:2048 -subj "/CN=127.0.0.1" \
            -keyout "$tls/server.key" -out "$tls/server.csr" 2>/dev/null
        printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > "$tls/san.ext"
        openssl x509 -req -in "$tls/server.csr" -CA "$tls/ca.crt" -CAkey "$tls/ca.key" -CAcreateserial \
            -days 3650 -extfile "$tls/san.ext" -out "$tls/server.crt" 2>/dev/null
        rm -f "$tls/server.csr" "$tls/san.ext"
        chown -R postgres:postgres "$tls"
        chmod 0755 "$tls"
        chmod 0600 "$tls/server.key" "$tls/ca.key"
        chmod 0644 "$tls/ca.crt" "$tls/server.crt"
    fi
    if ! grep -q "^ssl = on" "$1/data/postgresql.conf"; then
        cat >>"$1/data/postgresql.conf" <<CONF
ssl = on
ssl_cert_file = '$tls/server.crt'
ssl_key_file = '$tls/server.key'
CONF
    fi
}

case "$cmd" in
start)
    mkdir -p "$dir"
    # postgres must be able to reach DIR even when the checkout sits under a
    # folder it cannot enter (/root is 0700): DIR may be a symlink elsewhere.
    if ! as_postgres test -x "$dir"; then
        echo "pgcluster: user postgres cannot enter $dir; point .run to a reachable folder" >&2
        exit 1
    fi
    chown postgres:postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        as_postgres "$PGBIN/initdb" -D "$dir/data" -U postgres --auth-local=trust \
            --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
        mkdir -p "$dir/socket" && chown postgres:postgres "$dir/socket" && chmod 0750 "$dir/socket"
        cat >>"$dir/data/postgresql.conf" <<CONF
# private instance (tools/pgcluster.sh)
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/socket'
max_connections = 100
shared_buffers = 512MB
work_mem = 32MB
maintenance_work_mem = 256MB
fsync = ${PG_FSYNC:-on}
synchronous_commit = ${PG_SYNC_COMMIT:-on}
log_min_messages = warning
log_min_error_statement = error
CONF
        if [ -n "${PG_WAL_ARCHIVE:-}" ]; then
            mkdir -p "$PG_WAL_ARCHIVE" && chown postgres:postgres "$PG_WAL_ARCHIVE" && chmod 0700 "$PG_WAL_ARCHIVE"
            cat >>"$dir/data/postgresql.conf" <<CONF
# WAL archive for point-in-time recovery
archive_mode = on
archive_command = 'test ! -f $PG_WAL_ARCHIVE/%f && cp %p $PG_WAL_ARCHIVE/%f'
archive_timeout = 60
CONF
        fi
    fi
    ensure_tls "$dir"
    # Its log's rotation: logrotate -s DIR/logrotate.state DIR/logrotate.conf (PostgreSQL
    # keeps the file pg_ctl opened in append mode: copied and emptied).
    cat >"$dir/logrotate.conf" <<CONF
$dir/postgres.log {
    su postgres postgres
    daily
    rotate 14
    missingok
    compress
    delaycompress
    copytruncate
}
CONF
    if as_postgres "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        echo "pgcluster: already running ($dir, port $port)"
    else
        # The port is given at every start, so one data folder can serve
        # whichever port the caller asks for (the tests take theirs from the
        # environment).
        # A client connection that happened to get our port as its ephemeral
        # local port keeps it (TIME_WAIT) for up to a minute: wait it out.
        for attempt in $(seq 1 20); do
            if as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -o "-p $port" -w -t 60 start >/dev/null 2>&1; then
                echo "pgcluster: started ($dir, port $port)"
                exit 0
            fi
            if ! tail -n 5 "$dir/postgres.log" | grep -q "Address already in use"; then
                break
            fi
            echo "pgcluster: port $port is still held by a closing connection; retrying ($attempt/20)" >&2
            sleep 5
        done
        echo "pgcluster: could not start the server; see $dir/postgres.log" >&2
        tail -n 5 "$dir/postgres.log" >&2
        exit 1
    fi
    ;;
stop)
    if [ -f "$dir/data/PG_VERSION" ] && as_postgres "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
        echo "pgcluster: stopped ($dir)"
    fi
    ;;
status)
    as_postgres "$PGBIN/pg_ctl" -D "$dir/data" status
    ;;
replica)
    primary=$(realpath -m "${4:?primary folder required}")
    primary_port=${5:?primary port required}
    mkdir -p "$dir" && chown postgres:postgres "$dir"
    if [ ! -f "$dir/data/PG_VERSION" ]; then
        slot=()
        if [ -n "${PG_REPLICATION_SLOT:-}" ]; then slot=(--slot "$PG_REPLICATION_SLOT" --create-slot); fi
        as_postgres "$PGBIN/pg_basebackup" -h "$primary/socket" -p "$primary_port" -U postgres -D "$dir/data" \
            --write-recovery-conf --wal-method=stream --checkpoint=fast "${slot[@]}"
        mkdir -p "$dir/socket" && chown postgres:postgres "$dir/socket" && chmod 0750 "$dir/socket"
        # The copied configuration is the primary's: this one's own socket folder.
        cat >>"$dir/data/postgresql.auto.conf" <<CONF
unix_socket_directories = '$dir/socket'
hot_standby = on
hot_standby_feedback = on
CONF
        chown postgres:postgres "$dir/data/postgresql.auto.conf"
    fi
    if as_postgres "$PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        echo "pgcluster: replica already running ($dir, port $port)"
    else
        as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -o "-p $port" -w -t 60 start >/dev/null \
            || { echo "pgcluster: could not start the replica; see $dir/postgres.log" >&2; tail -n 5 "$dir/postgres.log" >&2; exit 1; }
        echo "pgcluster: replica started ($dir, port $port, streaming from port $primary_port)"
    fi
    ;;
*) echo "usage: pgcluster.sh start|stop|status|replica DIR [PORT] [PRIMARY_DIR PRIMARY_PORT]" >&2; exit 2 ;;
esac
