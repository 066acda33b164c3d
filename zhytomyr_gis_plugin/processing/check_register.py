"""Run a register's checks inside PostGIS and return the findings as an
issues layer: one point per finding (on the problem: the overlap, the gap,
the self-intersection; else on the record), with the rule's message."""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QT_TRANSLATE_NOOP, QVariant

from zhytomyr_gis import reports, review
from zhytomyr_gis.registers import REGISTERS
from zhytomyr_gis_plugin.i18n import tr
from zhytomyr_gis_plugin.processing.database import (
    VerificationAlgorithm,
    database_parameter,
    register_parameter,
    session,
    tables_of,
)

# Marked for pylupdate; translated where the parameter is made.
SCOPES = (
    QT_TRANSLATE_NOOP("@default", "whole register"),
    QT_TRANSLATE_NOOP("@default", "submitted records only"),
    QT_TRANSLATE_NOOP("@default", "stored findings (no new run)"),
)
ISSUE_FIELDS = [
    ("register", QVariant.String),
    ("register_title", QVariant.String),
    ("record_id", QVariant.LongLong),
    ("record", QVariant.String),
    ("record_status", QVariant.String),
    ("rule_id", QVariant.String),
    ("severity", QVariant.String),
    ("message", QVariant.String),
    ("message_en", QVariant.String),
    ("hint", QVariant.String),
    ("detail", QVariant.String),
    ("acknowledged", QVariant.Bool),
    ("checked_at", QVariant.String),
]


def issue_fields() -> QgsFields:
    fields = QgsFields()
    for name, kind in ISSUE_FIELDS:
        fields.append(QgsField(name, kind))
    return fields


class CheckRegisterAlgorithm(VerificationAlgorithm):
    def name(self) -> str:
        return "check_register"

    def displayName(self) -> str:  # noqa: N802 - Qt API
        return tr("Check a register")

    def shortHelpString(self) -> str:  # noqa: N802 - Qt API
        return tr(
            "Runs the verification rules of a register (or of every register you may see) inside PostGIS "
            "and stores the findings, as submitting does; returns them as an issues layer: one point per "
            "finding with the rule, its severity (an error blocks approval, a warning needs acknowledgement), "
            "the message and the hint."
        )

    def initAlgorithm(self, config=None) -> None:  # noqa: N802 - Qt API
        self.addParameter(database_parameter())
        self.addParameter(register_parameter())
        self.addParameter(
            QgsProcessingParameterEnum("SCOPE", tr("Check"), options=[tr(o) for o in SCOPES], defaultValue=0)
        )
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", tr("Issues"), QgsProcessing.TypeVectorPoint))
        self.addOutput(QgsProcessingOutputNumber("ERRORS", tr("Errors")))
        self.addOutput(QgsProcessingOutputNumber("WARNINGS", tr("Warnings")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - Qt API
        tables = tables_of(self.parameterAsEnum(parameters, "REGISTER", context))
        scope = self.parameterAsEnum(parameters, "SCOPE", context)
        sink, sink_id = self.parameterAsSink(
            parameters, "OUTPUT", context, issue_fields(), QgsWkbTypes.Point, QgsCoordinateReferenceSystem("EPSG:9836")
        )
        errors = warnings = 0
        with session(self, parameters, context) as conn:
            if tables is None:
                with conn, conn.cursor() as cur:
                    cur.execute(
                        "SELECT table_name FROM workflow.register WHERE verification.may_see(table_name) ORDER BY 1"
                    )
                    tables = [r[0] for r in cur.fetchall()]
            for step, table in enumerate(tables):
                if feedback.isCanceled():
                    break
                feedback.setProgressText(table)
                ids = None
                if scope == 1:
                    with conn, conn.cursor() as cur:
                        cur.execute(f"SELECT id FROM {table} WHERE status = 'submitted' ORDER BY id")
                        ids = [r[0] for r in cur.fetchall()]
                    if not ids:
                        continue
                if scope in (0, 1):
                    review.check(conn, table, ids)
                for row in self._issues(conn, table, ids):
                    errors += row["severity"] == "error"
                    warnings += row["severity"] == "warning"
                    sink.addFeature(self._feature(row), QgsFeatureSink.FastInsert)
                feedback.setProgress(100 * (step + 1) / len(tables))
        feedback.pushInfo(tr("Errors: {}, warnings: {}").format(errors, warnings))
        return {"OUTPUT": sink_id, "ERRORS": errors, "WARNINGS": warnings}

    @staticmethod
    def _issues(conn, table: str, ids: list[int] | None) -> list[dict]:
        with conn, conn.cursor() as cur:
            cur.execute(
                """SELECT i.table_name, i.record_id, i.record_status, i.rule_id, i.severity, i.message_uk,
                          i.message_en, i.hint_uk, i.detail, i.acknowledged_at IS NOT NULL, i.checked_at,
                          ST_AsBinary(verification.marker(i.geom))
                     FROM verification.issues(%s, %s) i WHERE i.is_current""",
                (table, ids),
            )
            names = [
                "table_name", "record_id", "record_status", "rule_id", "severity", "message", "message_en",
                "hint", "detail", "acknowledged", "checked_at", "wkb",
            ]  # fmt: skip
            rows = [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
            labels = review.display_labels(cur, table, sorted({r["record_id"] for r in rows}))
        for r in rows:
            r["record"] = labels.get(r["record_id"], f"#{r['record_id']}")
        return rows

    @staticmethod
    def _feature(row: dict) -> QgsFeature:
        feature = QgsFeature(issue_fields())
        if row["wkb"] is not None:
            geometry = QgsGeometry()
            geometry.fromWkb(bytes(row["wkb"]))
            feature.setGeometry(geometry)
        title = next((r.title_uk for r in REGISTERS if r.table == row["table_name"]), row["table_name"])
        feature.setAttributes(
            [
                row["table_name"],
                title,
                row["record_id"],
                row["record"],
                row["record_status"],
                row["rule_id"],
                row["severity"],
                row["message"],
                row["message_en"],
                row["hint"],
                reports.detail_text(row["detail"]),
                row["acknowledged"],
                row["checked_at"].isoformat(timespec="seconds"),
            ]
        )
        return feature
