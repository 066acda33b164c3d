"""How the plugin reaches the city database: a pg_service entry for where,
the QGIS authentication manager for who.

Layer URIs carry ``service=`` and ``authcfg=`` only, so no password ends up
in a project, a setting or a log. The workflow calls (psycopg2) take the
user name and password from the authentication manager in memory, for the
moment of connecting.
"""

from __future__ import annotations

from dataclasses import dataclass

import psycopg2
from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsDataSourceUri, QgsWkbTypes

from zhytomyr_gis import errors, pgservice
from zhytomyr_gis.workspace import WORKSPACE_SRID
from zhytomyr_gis_plugin import settings

APPLICATION_NAME = "zhytomyr_gis_plugin"


class ConnectionProblem(Exception):
    def __init__(self, problem: errors.Problem):
        super().__init__(str(problem))
        self.problem = problem


@dataclass(frozen=True)
class Connection:
    service: str
    authcfg: str

    @classmethod
    def from_settings(cls) -> Connection:
        return cls(settings.get(settings.SERVICE), settings.get(settings.AUTHCFG))

    def base_uri(self) -> QgsDataSourceUri:
        """The service and the credentials' id, nothing else: the SSL mode
        (sslmode=verify-full with the city's CA) comes from the pg_service
        entry, which an explicit mode here would override."""
        uri = QgsDataSourceUri()
        uri.setConnection(self.service, "", "", "", QgsDataSourceUri.SslPrefer, self.authcfg)
        return uri

    def layer_uri(self, schema: str, table: str, geometry: str | None, key: str = "id") -> str:
        uri = self.base_uri()
        uri.setDataSource(schema, table, "geom" if geometry else None, "", key)
        if geometry:
            uri.setSrid(str(WORKSPACE_SRID))
            uri.setWkbType(QgsWkbTypes.parseType(geometry))
        return uri.uri(False)

    def credentials(self) -> tuple[str, str]:
        """(user, password) of the authentication configuration, decrypted in memory."""
        config = QgsAuthMethodConfig()
        manager = QgsApplication.authManager()
        if not self.authcfg or not manager.loadAuthenticationConfig(self.authcfg, config, True):
            raise ConnectionProblem(
                errors.Problem(
                    "no_service", "у менеджері автентифікації QGIS немає облікових даних. Налаштуйте підключення."
                )
            )
        return config.config("username"), config.config("password")

    def connect(self):
        """A psycopg2 connection as the configured user (for the workflow calls)."""
        if pgservice.read(self.service) is None:
            raise ConnectionProblem(errors.explain(None, f'definition of service "{self.service}" not found'))
        user, password = self.credentials()
        try:
            return psycopg2.connect(
                service=self.service,
                user=user,
                password=password,
                application_name=APPLICATION_NAME,
                connect_timeout=10,
            )
        except psycopg2.Error as error:
            raise ConnectionProblem(errors.explain_psycopg(error)) from None


def store_basic_auth(name: str, user: str, password: str, authcfg: str | None = None) -> str:
    """Create (or update) a basic-auth configuration; returns its id."""
    manager = QgsApplication.authManager()
    config = QgsAuthMethodConfig("Basic")
    if authcfg:
        existing = QgsAuthMethodConfig()
        if manager.loadAuthenticationConfig(authcfg, existing, False):
            config = existing
    config.setName(name)
    config.setMethod("Basic")
    config.setConfig("username", user)
    config.setConfig("password", password)
    config.setConfig("realm", "")
    if config.id():
        ok = manager.updateAuthenticationConfig(config)
    else:
        ok = manager.storeAuthenticationConfig(config)
        ok = ok[0] if isinstance(ok, tuple) else ok
    if not ok or not config.id():
        raise ConnectionProblem(
            errors.Problem("unknown", "не вдалося зберегти облікові дані в менеджері автентифікації QGIS.")
        )
    return config.id()
