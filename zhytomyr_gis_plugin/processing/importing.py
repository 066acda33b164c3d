"""Import and export as Processing algorithms (they run as background tasks
with progress, like any algorithm without the no-threading flag): an
exchange file or a register file into a register, as drafts submitted for
review by the user; the refused parcels or rows come back as a report
layer. The work itself is done by zhytomyr_gis.importing (no Qt there)."""

from __future__ import annotations

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsField,
    QgsFields,
    QgsGeometry,
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputNumber,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QVariant

from zhytomyr_gis.importing import settings as import_settings
from zhytomyr_gis.importing.cadastral import import_file
from zhytomyr_gis.importing.export import export_parcels
from zhytomyr_gis.importing.register_files import EDITABLE_REGISTERS as EDITABLE
from zhytomyr_gis.importing.register_files import MappingError, import_register
from zhytomyr_gis_plugin.i18n import tr
from zhytomyr_gis_plugin.processing.database import VerificationAlgorithm, database_parameter, session

REPORT_FIELDS = [
    ("source", QVariant.String),
    ("place", QVariant.String),
    ("record", QVariant.String),
    ("reason", QVariant.String),
    ("reason_en", QVariant.String),
]


def report_fields() -> QgsFields:
    fields = QgsFields()
    for name, kind in REPORT_FIELDS:
        fields.append(QgsField(name, kind))
    return fields


def _settings():
    try:
        return import_settings.load()
    except import_settings.SettingsError as error:
        raise QgsProcessingException(error.message_uk) from error


class ImportAlgorithm(VerificationAlgorithm):
    def group(self) -> str:
        return tr("Import and export")

    def groupId(self) -> str:  # noqa: N802 - Qt API
        return "import_export"


class ImportExchangeFileAlgorithm(ImportAlgorithm):
    def name(self) -> str:
        return "import_exchange_file"

    def displayName(self) -> str:  # noqa: N802 - Qt API
        return tr("Import an exchange file")

    def shortHelpString(self) -> str:  # noqa: N802 - Qt API
        return tr(
            "Reads a cadastral exchange file (XML of any format version, in any coordinate system it may declare), "
            "checks every parcel (area against the coordinates, closed boundaries, the classifier, the hromada "
            "boundary) and enters new and changed parcels as drafts submitted for review in one batch. The file "
            "enters whole or not at all; the refused parcels and the reasons come back as a layer. With a dry run "
            "nothing is changed."
        )

    def initAlgorithm(self, config=None) -> None:  # noqa: N802 - Qt API
        self.addParameter(database_parameter())
        self.addParameter(QgsProcessingParameterFile("FILE", tr("Exchange file"), extension="xml"))
        self.addParameter(QgsProcessingParameterBoolean("DRY_RUN", tr("Dry run (check only)"), False))
        self.addParameter(
            QgsProcessingParameterFeatureSink("OUTPUT", tr("Refused parcels"), QgsProcessing.TypeVectorPolygon)
        )
        self.addOutput(QgsProcessingOutputNumber("SUBMITTED", tr("Submitted for review")))
        self.addOutput(QgsProcessingOutputNumber("REFUSED", tr("Refused")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - Qt API
        path = self.parameterAsFile(parameters, "FILE", context)
        dry_run = self.parameterAsBool(parameters, "DRY_RUN", context)
        sink, sink_id = self.parameterAsSink(
            parameters,
            "OUTPUT",
            context,
            report_fields(),
            QgsWkbTypes.MultiPolygon,
            QgsCoordinateReferenceSystem("EPSG:9836"),
        )
        settings = _settings()
        with session(self, parameters, context) as conn:
            conn.autocommit = False
            report = import_file(
                path,
                settings,
                conn=conn,
                dry_run=dry_run,
                progress=lambda n: feedback.setProgressText(tr("Parcels read: {}").format(n)),
            )
        refused = 0
        for finding in report.findings:
            if finding.severity == "error":
                refused += 1
                sink.addFeature(_feature(report.path.name, finding.where(), "", finding), QgsFeatureSink.FastInsert)
            else:
                feedback.pushWarning(str(finding))
        for entry in report.parcels:
            errors = [f for f in entry.findings if f.severity == "error"]
            if not errors:
                continue
            refused += 1
            feedback.reportError(f"{entry.parcel.cadastral_number}: {'; '.join(str(e) for e in errors)}", False)
            feature = _feature(report.path.name, errors[0].where(), entry.parcel.cadastral_number, *errors)
            if entry.parcel.wkt_9836:
                feature.setGeometry(QgsGeometry.fromWkt(entry.parcel.wkt_9836))
            sink.addFeature(feature, QgsFeatureSink.FastInsert)
        feedback.setProgress(100)
        counts = report.counts()
        feedback.pushInfo(
            tr("Parcels: {}, new: {}, changed: {}, unchanged: {}, refused: {}").format(
                counts["parcels"], counts["insert"], counts["update"], counts["unchanged"], counts["refused"]
            )
        )
        feedback.pushInfo(
            tr("Lands, leases and restrictions of the parcels: added {}, removed {}").format(
                counts["parts_added"], counts["parts_removed"]
            )
        )
        if report.refused:
            feedback.reportError(tr("The file is refused; nothing was changed"), fatalError=False)
        return {"OUTPUT": sink_id, "SUBMITTED": report.submitted if report.imported else 0, "REFUSED": refused}


class ImportRegisterFileAlgorithm(ImportAlgorithm):
    def name(self) -> str:
        return "import_register_file"

    def displayName(self) -> str:  # noqa: N802 - Qt API
        return tr("Import a register from a file")

    def shortHelpString(self) -> str:  # noqa: N802 - Qt API
        return tr(
            "Reads a GeoPackage, Shapefile, CSV (WKT or X/Y columns) or XLSX with a saved field mapping (YAML or "
            "JSON: the file's columns to the register's fields and classifier codes) and enters the rows as drafts "
            "submitted for review in one batch. The database's rules decide; the refused rows and the reasons come "
            "back as a layer. With a dry run nothing is changed."
        )

    def initAlgorithm(self, config=None) -> None:  # noqa: N802 - Qt API
        self.addParameter(database_parameter())
        self.addParameter(
            QgsProcessingParameterEnum(
                "REGISTER", tr("Register"), options=[f"{r.title_uk} ({r.table})" for r in EDITABLE], defaultValue=0
            )
        )
        self.addParameter(QgsProcessingParameterFile("FILE", tr("File (GeoPackage, Shapefile, CSV, XLSX)")))
        self.addParameter(QgsProcessingParameterFile("MAPPING", tr("Field mapping (YAML or JSON)")))
        self.addParameter(QgsProcessingParameterBoolean("DRY_RUN", tr("Dry run (check only)"), False))
        self.addParameter(QgsProcessingParameterFeatureSink("OUTPUT", tr("Refused rows"), QgsProcessing.TypeVector))
        self.addOutput(QgsProcessingOutputNumber("SUBMITTED", tr("Submitted for review")))
        self.addOutput(QgsProcessingOutputNumber("REFUSED", tr("Refused")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - Qt API
        register = EDITABLE[self.parameterAsEnum(parameters, "REGISTER", context)]
        path = self.parameterAsFile(parameters, "FILE", context)
        mapping = self.parameterAsFile(parameters, "MAPPING", context)
        dry_run = self.parameterAsBool(parameters, "DRY_RUN", context)
        geometry_type = {
            "MultiPolygon": QgsWkbTypes.MultiPolygon,
            "MultiLineString": QgsWkbTypes.MultiLineString,
            "Point": QgsWkbTypes.Point,
        }.get(register.geometry, QgsWkbTypes.NoGeometry)
        sink, sink_id = self.parameterAsSink(
            parameters, "OUTPUT", context, report_fields(), geometry_type, QgsCoordinateReferenceSystem("EPSG:9836")
        )
        with session(self, parameters, context) as conn:
            conn.autocommit = False
            try:
                report = import_register(
                    register.table,
                    path,
                    mapping,
                    conn,
                    _settings(),
                    dry_run=dry_run,
                    progress=lambda n: feedback.setProgressText(tr("Rows read: {}").format(n)),
                )
            except MappingError as error:
                raise QgsProcessingException(error.message_uk) from error
        for message in report.errors:
            feature = QgsFeature(report_fields())
            feature.setAttributes([report.path.name, "", "", message, ""])
            sink.addFeature(feature, QgsFeatureSink.FastInsert)
        for row in report.refused_rows:
            feature = QgsFeature(report_fields())
            feature.setAttributes([report.path.name, f"рядок {row.number}", row.key, "; ".join(row.reasons), ""])
            if row.wkb:
                geometry = QgsGeometry()
                geometry.fromWkb(row.wkb)
                feature.setGeometry(geometry)
            sink.addFeature(feature, QgsFeatureSink.FastInsert)
        counts = report.counts()
        feedback.setProgress(100)
        feedback.pushInfo(
            tr("Rows: {}, new: {}, changed: {}, unchanged: {}, refused: {}").format(
                counts["rows"], counts["insert"], counts["update"], counts["unchanged"], counts["refused"]
            )
        )
        return {
            "OUTPUT": sink_id,
            "SUBMITTED": report.submitted if report.imported else 0,
            "REFUSED": len(report.refused_rows) + len(report.errors),
        }


class ExportExchangeFileAlgorithm(ImportAlgorithm):
    def name(self) -> str:
        return "export_exchange_file"

    def displayName(self) -> str:  # noqa: N802 - Qt API
        return tr("Export an exchange file")

    def shortHelpString(self) -> str:  # noqa: N802 - Qt API
        return tr(
            "Writes land parcels to a cadastral exchange file (format 2.0, МСК-18): the approved parcels the public "
            "sees, or the working records of your department (with the lessees that are private persons)."
        )

    def initAlgorithm(self, config=None) -> None:  # noqa: N802 - Qt API
        self.addParameter(database_parameter())
        self.addParameter(
            QgsProcessingParameterBoolean("PUBLISHED", tr("Approved parcels only (no personal data)"), True)
        )
        self.addParameter(QgsProcessingParameterFileDestination("OUTPUT", tr("Exchange file"), "XML (*.xml)"))
        self.addOutput(QgsProcessingOutputNumber("PARCELS", tr("Parcels")))

    def processAlgorithm(self, parameters, context, feedback):  # noqa: N802 - Qt API
        path = self.parameterAsFileOutput(parameters, "OUTPUT", context)
        published = self.parameterAsBool(parameters, "PUBLISHED", context)
        with session(self, parameters, context) as conn:
            count = export_parcels(conn, path, published=published)
        feedback.pushInfo(tr("{} parcels written to {}").format(count, path))
        return {"OUTPUT": path, "PARCELS": count}


def _feature(source: str, place: str, record: str, *findings) -> QgsFeature:
    feature = QgsFeature(report_fields())
    feature.setAttributes(
        [
            source,
            place,
            record,
            "; ".join(f.message_uk for f in findings),
            "; ".join(f.message_en for f in findings),
        ]
    )
    return feature
