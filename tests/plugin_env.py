"""Fixtures of the plugin tests: a styled test database reached through a
pg_service entry and the QGIS authentication manager, as a clerk's QGIS does."""

from __future__ import annotations

import pytest
from qgis.core import QgsApplication, QgsProject

from zhytomyr_gis import pgservice
from zhytomyr_gis_plugin import settings
from zhytomyr_gis_plugin.connection import store_basic_auth
from zhytomyr_gis_plugin.layers import styles

PASSWORD = "test-password"
MASTER_PASSWORD = "zhytomyr-test-master"
SERVICE = "zgis_test"


@pytest.fixture(scope="session")
def auth_manager(qgis_app, tmp_path_factory):
    manager = QgsApplication.authManager()
    assert manager.setMasterPassword(MASTER_PASSWORD, True), "QGIS authentication database not usable"
    return manager


@pytest.fixture
def service_file(tmp_path, monkeypatch):
    path = tmp_path / "pg_service.conf"
    monkeypatch.setenv("PGSERVICEFILE", str(path))
    return path


@pytest.fixture
def styled_db(db, service_file, auth_manager):
    """A test database with the registers' default styles, named by a pg_service entry."""
    styles.build_styles(db.superuser_dsn, log=lambda _l: None)
    # A service name per database: QGIS reuses open connections by URI, and a
    # previous test's database is gone.
    _CURRENT["service"] = f"{SERVICE}_{db.name}"
    pgservice.write(_CURRENT["service"], "127.0.0.1", db.cluster.port, db.name, path=service_file)
    yield db
    QgsProject.instance().clear()


_AUTHCFG: dict[str, str] = {}
_CURRENT = {"service": SERVICE}


def login(user: str) -> str:
    """Point the plugin's settings at the test service with this user's credentials.

    One authentication configuration per user: QGIS shares open database
    connections between layers with the same URI, so users must differ in it.
    """
    authcfg = _AUTHCFG.get(user) or store_basic_auth(f"test {user}", user, PASSWORD)
    _AUTHCFG[user] = authcfg
    settings.set(settings.SERVICE, _CURRENT["service"])
    settings.set(settings.AUTHCFG, authcfg)
    settings.set(settings.CONFIGURED, True)
    settings.set(settings.LANGUAGE, "uk")
    return authcfg


@pytest.fixture
def plugin(qgis_iface, styled_db):
    from zhytomyr_gis_plugin.plugin import ZhytomyrGisPlugin

    qgis_iface.messageBar().clear_messages()
    instance = ZhytomyrGisPlugin(qgis_iface)
    instance.initGui()
    yield instance
    instance.unload()
    QgsProject.instance().clear()


def critical(iface) -> list[str]:
    from qgis.core import Qgis

    return iface.messageBar().get_messages(Qgis.Critical)
