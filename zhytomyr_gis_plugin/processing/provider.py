"""The "Zhytomyr GIS" Processing provider."""

from __future__ import annotations

from qgis.core import QgsProcessingProvider

from zhytomyr_gis_plugin.processing.check_register import CheckRegisterAlgorithm
from zhytomyr_gis_plugin.processing.export_report import ExportVerificationReportAlgorithm
from zhytomyr_gis_plugin.processing.importing import (
    ExportExchangeFileAlgorithm,
    ImportExchangeFileAlgorithm,
    ImportRegisterFileAlgorithm,
)
from zhytomyr_gis_plugin.processing.status_report import StatusReportAlgorithm


class ZhytomyrGisProvider(QgsProcessingProvider):
    def id(self) -> str:
        return "zhytomyr_gis"

    def name(self) -> str:
        return "Zhytomyr GIS"

    def longName(self) -> str:  # noqa: N802 - Qt API
        return "Житомирська міська ГІС / Zhytomyr City GIS"

    def loadAlgorithms(self) -> None:  # noqa: N802 - Qt API
        for algorithm in (
            CheckRegisterAlgorithm(),
            StatusReportAlgorithm(),
            ExportVerificationReportAlgorithm(),
            ImportExchangeFileAlgorithm(),
            ImportRegisterFileAlgorithm(),
            ExportExchangeFileAlgorithm(),
        ):
            self.addAlgorithm(algorithm)
