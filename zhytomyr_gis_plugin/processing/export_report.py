"""Export the verification report: the findings standing on a register (or
every register you may see) with their messages, hints and places, as CSV,
HTML or JSON (chosen by the file's extension)."""

from __future__ import annotations

from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFileDestination,
)

from zhytomyr_gis import reports
from zhytomyr_gis_plugin.i18n import tr
from zhytomyr_gis_plugin.processing.database import (
    VerificationAlgorithm,
    database_parameter,
    register_parameter,
    session,
    tables_of,
)

LANGUAGES = ["українська", "English"]


class ExportVerificationReportAlgorithm(VerificationAlgorithm):
    def name(self) -> str:
        return "export_verification_report"

    def displayName(self) -> str:  # noqa: N802 - Qt API
        return tr("Export verification report")

    def shortHelpString(self) -> str:  # noqa: N802 - Qt API
        return tr(
            "Writes the findings of the checks standing on a register (or on every register you may see) to a "
            "CSV, HTML or JSON file: register, record, rule, severity, message, hint, detail and a point "
            "(EPSG:9836). Optionally runs the checks first."
        )

    def initAlgorithm(self, config=None) -> None:  # noqa: N802 - Qt API
        self.addParameter(database_parameter())
        self.addParameter(register_parameter())
        self.addParameter(QgsProcessingParameterBoolean("RUN_CHECKS", tr("Run the checks first"), False))
        self.addParameter(QgsProcessingParameterEnum("LANGUAGE", tr("Headings"), options=LANGUAGES, defaultValue=0))
        self.addParameter(
            QgsProcessingParameterFileDestination(
                "OUTPUT", tr("Report file"), "HTML (*.html);;CSV (*.csv);;JSON (*.json)"
            )
        )
        self.addOutput(QgsProcessingOutputNumber("ISSUES", tr("Findings")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - Qt API
        tables = tables_of(self.parameterAsEnum(parameters, "REGISTER", context))
        run_checks = self.parameterAsBool(parameters, "RUN_CHECKS", context)
        language = "en" if self.parameterAsEnum(parameters, "LANGUAGE", context) == 1 else "uk"
        path = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        with session(self, parameters, context) as conn:
            rows = reports.verification_report(conn, tables[0] if tables else None, run_checks=run_checks)
        title = "Звіт перевірки" if language == "uk" else "Verification report"
        reports.export(rows, path, reports.REPORT_COLUMNS, title=title, language=language)
        feedback.pushInfo(tr("{} findings written to {}").format(len(rows), path))
        return {"OUTPUT": path, "ISSUES": len(rows)}
