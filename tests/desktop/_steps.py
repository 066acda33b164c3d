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
import time
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


def wait_until(condition, seconds: float = 60):
    """Steps of 200 ms until ``condition()`` holds (``yield from`` it in a scenario)."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("waited too long")
        yield 200


def save(widget, name: str, result: dict, region=None) -> None:
    """The widget (or a region of it) as $ZGIS_SCREENSHOTS/<name>, its size in the result."""
    pixmap = widget.grab(region) if region is not None else widget.grab()
    assert pixmap.save(os.path.join(os.environ["ZGIS_SCREENSHOTS"], name), "PNG", 9), name
    result.setdefault("images", {})[name] = [pixmap.width(), pixmap.height()]


def sign_in_as_clerk(user: str) -> None:
    """The plugin connected as a clerk who has already gone through the
    first-run dialog: service, password and master password from the test."""
    from zhytomyr_gis_plugin import settings
    from zhytomyr_gis_plugin.connection import store_basic_auth

    assert QgsApplication.authManager().setMasterPassword(os.environ["ZGIS_MASTER_PASSWORD"], True)
    authcfg = store_basic_auth(f"Житомирська міська ГІС ({user})", user, os.environ["ZGIS_PASSWORD"])
    settings.set(settings.SERVICE, os.environ["ZGIS_SERVICE"])
    settings.set(settings.AUTHCFG, authcfg)
    settings.set(settings.CONFIGURED, True)
