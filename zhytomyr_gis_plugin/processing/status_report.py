"""The status report per department: records per register and workflow
state, and reviews waiting longer than N days; as a table, and optionally
as a CSV, HTML or JSON file."""

from __future__ import annotations

from qgis.core import (
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsProcessing,
    QgsProcessingOutputNumber,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterNumber,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from zhytomyr_gis import reports
from zhytomyr_gis_plugin.i18n import tr
from zhytomyr_gis_plugin.processing.database import VerificationAlgorithm, database_parameter, session

COLUMNS = [
    ("department", QVariant.String),
    ("department_title", QVariant.String),
    ("register", QVariant.String),
    ("register_title", QVariant.String),
    ("draft", QVariant.Int),
    ("submitted", QVariant.Int),
    ("verified", QVariant.Int),
    ("rejected", QVariant.Int),
    ("deletion_requests", QVariant.Int),
    ("waiting_over_days", QVariant.Int),
    ("oldest_submitted_at", QVariant.String),
    ("errors", QVariant.Int),
    ("warnings", QVariant.Int),
]


class StatusReportAlgorithm(VerificationAlgorithm):
    def name(self) -> str:
        return "status_report"

    def displayName(self) -> str:  # noqa: N802 - Qt API
        return tr("Status report per department")

    def shortHelpString(self) -> str:  # noqa: N802 - Qt API
        return tr(
            "Counts the records of every register of your departments (all of them for the GIS administrator) "
            "per workflow state, the reviews waiting longer than the given number of days and the standing "
            "findings of the checks."
        )

    def initAlgorithm(self, config=None) -> None:  # noqa: N802 - Qt API
        self.addParameter(database_parameter())
        self.addParameter(
            QgsProcessingParameterNumber(
                "WAITING_DAYS",
                tr("Reviews waiting longer than (days)"),
                QgsProcessingParameterNumber.Integer,
                7,
                False,
                0,
            )
        )
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", tr("Status"), QgsProcessing.TypeVector))
        self.addParameter(
            QgsProcessingParameterFileDestination(
                "REPORT", tr("Report file"), "HTML (*.html);;CSV (*.csv);;JSON (*.json)", optional=True
            )
        )
        self.addOutput(QgsProcessingOutputNumber("SUBMITTED", tr("Submitted records")))
        self.addOutput(QgsProcessingOutputNumber("WAITING", tr("Waiting longer than the limit")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - Qt API
        days = self.parameterAsInt(parameters, "WAITING_DAYS", context)
        report_path = self.parameterAsFileOutput(parameters, "REPORT", context)
        with session(self, parameters, context) as conn:
            rows = reports.status_report(conn, days)
        fields = QgsFields()
        for name, kind in COLUMNS:
            fields.append(QgsField(name, kind))
        sink, sink_id = self.parameterAsSink(parameters, "OUTPUT", context, fields, QgsWkbTypes.NoGeometry)
        for r in rows:
            feature = QgsFeature(fields)
            feature.setAttributes(
                [
                    r.department,
                    r.department_title_uk,
                    r.table,
                    r.title_uk,
                    r.draft,
                    r.submitted,
                    r.verified,
                    r.rejected,
                    r.deletion_requests,
                    r.waiting_over_days,
                    r.oldest_submitted_at.isoformat(timespec="seconds") if r.oldest_submitted_at else None,
                    r.errors,
                    r.warnings,
                ]
            )
            sink.addFeature(feature, QgsFeatureSink.FastInsert)
        results = {
            "OUTPUT": sink_id,
            "SUBMITTED": sum(r.submitted for r in rows),
            "WAITING": sum(r.waiting_over_days for r in rows),
        }
        if report_path:
            columns = dict(reports.STATUS_COLUMNS)
            columns["waiting_over_days"] = (f"Чекають понад {days} дн.", f"Waiting over {days} days")
            reports.export(rows, report_path, columns, title=f"Стан реєстрів (подання понад {days} дн.)")
            results["REPORT"] = report_path
        feedback.pushInfo(
            tr("Submitted: {}, waiting over {} days: {}").format(results["SUBMITTED"], days, results["WAITING"])
        )
        return results
