"""The plugin's translations: Ukrainian by default, English as the source language."""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtCore import QCoreApplication, QTranslator

from zhytomyr_gis_plugin import settings

I18N_DIR = Path(__file__).resolve().parent / "i18n"
# pylupdate5 files bare tr("...") calls under the "@default" context.
CONTEXT = "@default"


def tr(message: str) -> str:
    """Translate a source (English) string of the plugin."""
    return QCoreApplication.translate(CONTEXT, message)


def qm_file(language: str) -> Path:
    return I18N_DIR / f"zhytomyr_gis_{language}.qm"


def install_translator(language: str | None = None) -> QTranslator | None:
    """Install the translator for the chosen language; returns it (keep a reference) or None."""
    language = language or settings.get(settings.LANGUAGE)
    path = qm_file(language)
    if language == "en" or not path.exists():
        return None
    translator = QTranslator()
    if not translator.load(str(path)):
        return None
    QCoreApplication.installTranslator(translator)
    return translator


def remove_translator(translator: QTranslator | None) -> None:
    if translator is not None:
        QCoreApplication.removeTranslator(translator)
