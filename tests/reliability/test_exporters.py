"""Debian's Prometheus exporters read the public server and its database (make reliability).

qgis_server/README.md ("Health and metrics") tells a city to scrape nginx
with prometheus-nginx-exporter (from the stub_status at /health/nginx/status)
and PostgreSQL with prometheus-postgres-exporter (a role in pg_monitor).
Here both run as configured there, on loopback ports of their own, against
the tests' server and cluster, and are scraped as Prometheus would: each
says its service is up and reports what the service is doing.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg2
import pytest
import requests
from conftest import PASSWORD, SPARE_SERVER_PORT
from prometheus_client.parser import text_string_to_metric_families

NGINX_EXPORTER = "/usr/bin/prometheus-nginx-exporter"
POSTGRES_EXPORTER = "/usr/bin/prometheus-postgres-exporter"
NGINX_EXPORTER_PORT = SPARE_SERVER_PORT + 5
POSTGRES_EXPORTER_PORT = SPARE_SERVER_PORT + 6


@pytest.fixture(scope="module", autouse=True)
def _exporters_installed():
    missing = [p for p in (NGINX_EXPORTER, POSTGRES_EXPORTER) if not shutil.which(p)]
    assert not missing, f"{missing}: make reliability installs them (tools/install-deps.sh monitoring)"


@contextmanager
def _running(command: list[str], env: dict[str, str] | None = None) -> Iterator[subprocess.Popen]:
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        yield process
    finally:
        process.terminate()
        process.wait(timeout=10)


def _scrape(port: int, deadline_s: float = 20.0) -> dict[str, list[tuple[dict, float]]]:
    """The exporter's samples by name, once it answers."""
    url = f"http://127.0.0.1:{port}/metrics"
    until = time.monotonic() + deadline_s
    while True:
        try:
            response = requests.get(url, timeout=10)
            break
        except requests.ConnectionError:
            if time.monotonic() > until:
                raise
            time.sleep(0.2)
    assert response.status_code == 200, response.text[:300]
    samples: dict[str, list[tuple[dict, float]]] = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples.setdefault(sample.name, []).append((sample.labels, sample.value))
    return samples


def test_nginx_exporter_reads_the_status_of_the_public_nginx(public_server):
    requests.get(public_server.base_url + "/health/nginx", timeout=30)
    command = [
        NGINX_EXPORTER,
        f"-nginx.scrape-uri={public_server.base_url}/health/nginx/status",
        f"-web.listen-address=127.0.0.1:{NGINX_EXPORTER_PORT}",
    ]
    with _running(command) as exporter:
        samples = _scrape(NGINX_EXPORTER_PORT)
        assert exporter.poll() is None
    assert samples["nginx_up"] == [({}, 1.0)]
    assert samples["nginx_http_requests_total"][0][1] >= 1
    assert samples["nginx_connections_active"][0][1] >= 1  # the exporter's own request


def test_postgres_exporter_reads_the_database_as_a_pg_monitor_role(public_server):
    admin = psycopg2.connect(public_server.cluster.superuser_dsn(public_server.dbname))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(
            """DO $$ BEGIN
                 IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 't_prometheus') THEN
                     CREATE ROLE t_prometheus LOGIN IN ROLE pg_monitor;
                 END IF;
               END $$"""
        )
        cur.execute(f"ALTER ROLE t_prometheus PASSWORD '{PASSWORD}'")
    admin.close()
    env = {
        "PATH": "/usr/bin:/bin",
        "DATA_SOURCE_NAME": public_server.cluster.user_dsn("t_prometheus", public_server.dbname) + " sslmode=require",
    }
    command = [POSTGRES_EXPORTER, f"--web.listen-address=127.0.0.1:{POSTGRES_EXPORTER_PORT}"]
    with _running(command, env=env) as exporter:
        samples = _scrape(POSTGRES_EXPORTER_PORT)
        assert exporter.poll() is None
    assert samples["pg_up"] == [({}, 1.0)]
    databases = {labels["datname"]: value for labels, value in samples["pg_stat_database_xact_commit_total"]}
    assert databases[public_server.dbname] > 0
    # What the monitoring role may not do: read a register.
    conn = psycopg2.connect(env["DATA_SOURCE_NAME"])
    try:
        with conn.cursor() as cur, pytest.raises(psycopg2.errors.InsufficientPrivilege):
            cur.execute("SELECT count(*) FROM property.land_parcel")
    finally:
        conn.close()
