"""The database an algorithm works on, and what is common to the algorithms.

The DATABASE parameter is left empty for the plugin's own connection (its
pg_service entry and the credentials in the QGIS authentication manager),
names a saved QGIS PostgreSQL connection, or is a libpq connection string
(``service=zhytomyr_gis``), which is what models and batch runs on a server
pass.
"""

from __future__ import annotations

from contextlib import contextmanager

import psycopg2
from qgis.core import (
    QgsDataSourceUri,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterEnum,
    QgsProcessingParameterProviderConnection,
    QgsProviderRegistry,
)

from zhytomyr_gis.errors import DatabaseRefusal
from zhytomyr_gis.registers import REGISTERS
from zhytomyr_gis_plugin.connection import Connection, ConnectionProblem
from zhytomyr_gis_plugin.i18n import tr

ALL_REGISTERS = "Усі реєстри / All registers"


def database_parameter() -> QgsProcessingParameterProviderConnection:
    return QgsProcessingParameterProviderConnection(
        "DATABASE",
        tr("Database (empty: the plugin's connection; a PostgreSQL connection or a libpq string)"),
        "postgres",
        optional=True,
    )


def register_parameter(name: str = "REGISTER") -> QgsProcessingParameterEnum:
    options = [ALL_REGISTERS] + [f"{r.title_uk} ({r.table})" for r in REGISTERS]
    return QgsProcessingParameterEnum(name, tr("Register"), options=options, defaultValue=0)


def tables_of(choice: int) -> list[str] | None:
    """The register chosen in a REGISTER parameter; None for all of them."""
    return None if choice == 0 else [REGISTERS[choice - 1].table]


def dsn_of(value: str) -> str:
    """A libpq connection string from a saved connection's name or a connection string."""
    value = value.strip()
    if "=" in value or value.startswith(("postgres://", "postgresql://")):
        return value
    connection = QgsProviderRegistry.instance().providerMetadata("postgres").findConnection(value)
    if connection is None:
        raise QgsProcessingException(tr("No PostgreSQL connection named «{}» in QGIS").format(value))
    return QgsDataSourceUri(connection.uri()).connectionInfo(True)


def connect(algorithm: QgsProcessingAlgorithm, parameters, context):
    value = (algorithm.parameterAsConnectionName(parameters, "DATABASE", context) or "").strip()
    if not value:
        try:
            return Connection.from_settings().connect()
        except ConnectionProblem as problem:
            raise QgsProcessingException(str(problem)) from problem
    dsn = dsn_of(value)
    try:
        return psycopg2.connect(dsn, application_name="zhytomyr_gis processing")
    except psycopg2.Error as error:
        raise QgsProcessingException(tr("Cannot connect to the database: {}").format(str(error).strip())) from error


def refused(error: DatabaseRefusal) -> QgsProcessingException:
    """The database's own message (Ukrainian), as Processing shows errors."""
    return QgsProcessingException(error.message_uk + (f" ({error.hint})" if error.hint else ""))


@contextmanager
def session(algorithm: QgsProcessingAlgorithm, parameters, context):
    """The algorithm's database connection for a ``with`` block: closed after it, whatever
    happens; the database's refusals reach Processing as its errors, in Ukrainian."""
    conn = connect(algorithm, parameters, context)
    try:
        yield conn
    except DatabaseRefusal as error:
        raise refused(error) from error
    finally:
        conn.close()


class VerificationAlgorithm(QgsProcessingAlgorithm):
    """What every algorithm of the provider shares: its group, and a fresh instance of its own class."""

    def group(self) -> str:
        return tr("Verification")

    def groupId(self) -> str:  # noqa: N802 - Qt API
        return "verification"

    def createInstance(self):  # noqa: N802 - Qt API
        return type(self)()
