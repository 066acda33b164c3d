"""The plugin's connection: parameters handed to libpq as keywords (a password
with quotes, spaces or "key=value" in it is a password, not more options),
and TLS verified against the city's own certificate authority
(sslmode=verify-full from the pg_service entry)."""

from __future__ import annotations

import subprocess

import psycopg2
import pytest
from plugin_env import auth_manager  # noqa: F401 - fixture

from zhytomyr_gis import errors, pgservice
from zhytomyr_gis_plugin.connection import Connection, ConnectionProblem, store_basic_auth

# A password that would add options if pasted into a connection string.
AWKWARD = "a b' host=203.0.113.9 sslmode=disable c=d"


@pytest.fixture
def awkward_user(db):
    db.cluster.execute(
        "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 't_awkward') THEN"
        " CREATE ROLE t_awkward LOGIN IN ROLE property_editor; END IF; END $$;"
    )
    with db.connect().cursor() as cur:
        cur.execute("ALTER ROLE t_awkward PASSWORD %s", (AWKWARD,))
    return "t_awkward"


def _ca(db) -> str:
    return str(db.cluster.run_dir / "tls" / "ca.crt")


@pytest.mark.usefixtures("auth_manager")
def test_the_plugin_connects_with_tls_verified_and_an_awkward_password(db, awkward_user, tmp_path, monkeypatch):
    services = tmp_path / "pg_service.conf"
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    pgservice.write("zgis_tls", "127.0.0.1", db.cluster.port, db.name, sslmode="verify-full", sslrootcert=_ca(db))
    connection = Connection("zgis_tls", store_basic_auth("tls test", awkward_user, AWKWARD))
    conn = connection.connect()
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT ssl, current_user FROM pg_stat_ssl, current_user WHERE pid = pg_backend_pid()")
            assert cur.fetchone() == (True, awkward_user)
    finally:
        conn.close()
    assert "sslmode" not in connection.layer_uri(
        "property", "land_parcel", "MultiPolygon"
    ), "layers take the SSL mode from the service entry"


def test_a_server_certificate_of_another_authority_is_refused_clearly(db, tmp_path):
    other_ca = tmp_path / "other-ca.crt"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-new",
            "-nodes",
            "-newkey",
            "rsa:2048",
            "-days",
            "1",
            "-subj",
            "/CN=other",
            "-keyout",
            str(tmp_path / "other-ca.key"),
            "-out",
            str(other_ca),
        ],
        check=True,
        capture_output=True,
    )
    with pytest.raises(psycopg2.OperationalError) as refused:
        psycopg2.connect(
            host="127.0.0.1",
            port=db.cluster.port,
            dbname=db.name,
            user="t_property_editor",
            password="test-password",
            sslmode="verify-full",
            sslrootcert=str(other_ca),
        )
    problem = errors.explain_psycopg(refused.value)
    assert problem.kind == "tls" and problem.title == "Захищене з'єднання не встановлено"
    assert "sslrootcert" in problem.message_uk


def test_a_missing_service_is_a_message(tmp_path, monkeypatch):
    monkeypatch.setenv("PGSERVICEFILE", str(tmp_path / "none.conf"))
    with pytest.raises(ConnectionProblem) as missing:
        Connection("no_such_service", "x").connect()
    assert missing.value.problem.kind == "no_service"
