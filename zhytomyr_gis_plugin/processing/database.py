"""The database an algorithm works on, and what is common to the algorithms.

The DATABASE parameter names a saved QGIS PostgreSQL connection (its
password from the QGIS authentication manager) or is a libpq connection
string (``service=zhytomyr_gis``), which is what models and batch runs on a
server pass.
"""

from __future__ import annotations

import psycopg2
from qgis.core import (
    QgsDataSourceUri,
    QgsProcessingAlgorithm,
    QgsProcessingException,
    QgsProcessingParameterEnum,
    QgsProcessingParameterProviderConnection,
    QgsProviderRegistry,
)
from qgis.PyQt.QtCore import QCoreApplication

from zhytomyr_gis.errors import DatabaseRefusal
from zhytomyr_gis.registers import REGISTERS

ALL_REGISTERS = "Усі реєстри / All registers"


def tr(text: str) -> str:
    return QCoreApplication.translate("ZhytomyrGisProcessing", text)


def database_parameter() -> QgsProcessingParameterProviderConnection:
    return QgsProcessingParameterProviderConnection(
        "DATABASE", tr("Database (PostgreSQL connection or libpq string)"), "postgres"
    )


def register_parameter(name: str = "REGISTER") -> QgsProcessingParameterEnum:
    options = [ALL_REGISTERS] + [f"{r.title_uk} ({r.table})" for r in REGISTERS]
    return QgsProcessingParameterEnum(name, tr("Register"), options=options, defaultValue=0)


def tables_of(choice: int) -> list[str] | None:
    """The register chosen in a REGISTER parameter; None for all of them."""
    return None if choice == 0 else [REGISTERS[choice - 1].table]


def dsn_of(value: str) -> str:
    """A libpq connection string from a saved connection's name or a connection string."""
    value = (value or "").strip()
    if not value:
        raise QgsProcessingException(tr("No database connection given"))
    if "=" in value or value.startswith(("postgres://", "postgresql://")):
        return value
    connection = QgsProviderRegistry.instance().providerMetadata("postgres").findConnection(value)
    if connection is None:
        raise QgsProcessingException(tr("No PostgreSQL connection named «{}» in QGIS").format(value))
    return QgsDataSourceUri(connection.uri()).connectionInfo(True)


def connect(algorithm: QgsProcessingAlgorithm, parameters, context):
    dsn = dsn_of(algorithm.parameterAsConnectionName(parameters, "DATABASE", context))
    try:
        return psycopg2.connect(dsn, application_name="zhytomyr_gis processing")
    except psycopg2.Error as error:
        raise QgsProcessingException(tr("Cannot connect to the database: {}").format(str(error).strip())) from error


def refused(error: DatabaseRefusal) -> QgsProcessingException:
    """The database's own message (Ukrainian), as Processing shows errors."""
    return QgsProcessingException(error.message_uk + (f" ({error.hint})" if error.hint else ""))
