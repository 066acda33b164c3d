"""Runs a scenario inside QGIS desktop (started with --code), one step at a time.

A scenario is a generator over the result dict: it yields how many
milliseconds QGIS's event loop should run before the next step (so maps
render, dialogs show and deleteLater() happens), and fills the dict with
what it found. Whatever happens, the result (or the traceback) is written
to $ZGIS_DESKTOP_RESULT and QGIS quits.
"""

from __future__ import annotations

import json
import os
import traceback

from qgis.core import QgsApplication, QgsProject
from qgis.PyQt.QtCore import QTimer

_running = []  # keeps the generator alive between timer calls


def start(scenario, first_wait_ms: int = 500) -> None:
    result: dict = {}
    steps = scenario(result)
    _running.append(steps)

    def finish(error: str | None = None) -> None:
        if error:
            result["error"] = error
        with open(os.environ["ZGIS_DESKTOP_RESULT"], "w", encoding="utf-8") as out:
            json.dump(result, out, ensure_ascii=False, indent=1, default=str)
        QgsProject.instance().setDirty(False)  # no "save the project?" question on quitting
        QgsApplication.exit(0)

    def step() -> None:
        try:
            wait = next(steps)
        except StopIteration:
            finish()
            return
        except Exception:
            finish(traceback.format_exc())
            return
        QTimer.singleShot(int(wait), step)

    QTimer.singleShot(first_wait_ms, step)
