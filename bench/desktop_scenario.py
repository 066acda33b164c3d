"""Inside QGIS desktop (started by bench/desktop.py through tests/qgis_desktop.py):
the steps of the desktop benchmark, through the plugin's own code paths.

1. opening the workspace (the plugin's background task, every layer of the
   department in the project, the canvas drawn once over the city);
2. opening a parcel's attribute form (QGIS's feature form, as the layer's
   configuration builds it, in editing mode);
3. editing 1,000 parcels in the edit buffer (as the field calculator does)
   and saving them (commitChanges, with the plugin's save guards);
4. submitting the 1,000 (the plugin's "Submit selected for verification");
5. loading the review queue as the department's verifier (the "Review
   changes" dock).

Wall times in ms (time.perf_counter around the call, the event loop run
until the result is on screen) and the process's resident memory; with
ZGIS_BENCH_PROFILE=step,... a cProfile of those steps (top functions).
"""

import cProfile
import io
import os
import pstats
import sys
import time

sys.path.insert(0, os.environ["ZGIS_DESKTOP_SCRIPTS"])

import _steps  # noqa: E402 - tests/desktop/_steps.py
import qgis.utils  # noqa: E402
from qgis.core import QgsFeatureRequest, QgsProject  # noqa: E402
from qgis.PyQt.QtWidgets import QApplication  # noqa: E402

PARCELS = "property.land_parcel"
RUNS = int(os.environ.get("ZGIS_BENCH_RUNS", "3"))
PROFILE = set(filter(None, os.environ.get("ZGIS_BENCH_PROFILE", "").split(",")))
TIMEOUT_S = float(os.environ.get("ZGIS_BENCH_STEP_TIMEOUT", "600"))


def memory_mib() -> dict[str, int]:
    """Resident memory now and at its peak (VmRSS, VmHWM) of this QGIS process."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(("VmRSS:", "VmHWM:")):
                key, value = line.split(":")
                values[key] = int(value.split()[0]) // 1024
    return {"rss_mib": values["VmRSS"], "peak_rss_mib": values["VmHWM"]}


class Measure:
    """One timed run of a step: ms, memory after it, a cProfile when asked for."""

    def __init__(self, result: dict, step: str):
        self.result, self.step = result, step
        self.profiler = cProfile.Profile() if step in PROFILE else None

    def __enter__(self):
        if self.profiler:
            self.profiler.enable()
        self.started = time.perf_counter()
        return self

    def stop(self) -> float:
        ms = (time.perf_counter() - self.started) * 1000
        entry = self.result.setdefault("steps", {}).setdefault(self.step, {"runs_ms": [], "memory": []})
        if self.profiler:  # the profile of the slowest run is kept
            self.profiler.disable()
            if ms >= max(entry["runs_ms"], default=0):
                text = io.StringIO()
                pstats.Stats(self.profiler, stream=text).sort_stats("cumulative").print_stats(40)
                heading = f"run {len(entry['runs_ms']) + 1}, {ms:.0f} ms\n"
                self.result.setdefault("profiles", {})[self.step] = heading + text.getvalue()
            self.profiler = None
        entry["runs_ms"].append(round(ms, 1))
        entry["memory"].append(memory_mib())
        return ms

    def __exit__(self, *exc):
        return False


def settle() -> None:
    """Let Qt deliver what the call posted (paint, layout, deferred signals)."""
    for _ in range(3):
        QApplication.processEvents()


def until(condition):
    """Event loop steps of 5 ms until condition() holds."""
    deadline = time.monotonic() + TIMEOUT_S
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("a step took longer than ZGIS_BENCH_STEP_TIMEOUT")
        yield 5


def close_workspace(plugin) -> None:
    plugin._release_workspace()
    QgsProject.instance().removeAllMapLayers()
    QgsProject.instance().layerTreeRoot().removeAllChildren()
    QgsProject.instance().relationManager().clear()


def open_workspace(result, plugin, canvas):
    """From the toolbar's "Open my workspace" to the city drawn on the canvas."""
    drawn = []

    def refreshed():
        if plugin.workspace is not None and not canvas.isDrawing():
            drawn.append(time.perf_counter())

    canvas.mapCanvasRefreshed.connect(refreshed)
    try:
        with Measure(result, "workspace") as measure:
            plugin.open_workspace(os.environ["ZGIS_BENCH_DEPARTMENT"])  # in the background, as from the toolbar
            yield from until(lambda: plugin.workspace is not None)
            loaded_ms = (time.perf_counter() - measure.started) * 1000
            yield from until(lambda: bool(drawn))
            measure.stop()
    finally:
        canvas.mapCanvasRefreshed.disconnect(refreshed)
    result.setdefault("workspace_layers_ms", []).append(round(loaded_ms, 1))
    result["workspace_layer_count"] = len(plugin.workspace.layers)


def ids(name: str) -> list[int]:
    ids = [int(v) for v in os.environ.get(name, "").split(",") if v]
    if not ids:
        raise ValueError(f"{name} names no features")
    return ids


def scenario(result):
    batch_ids, form_ids = ids("ZGIS_BENCH_BATCH_IDS"), ids("ZGIS_BENCH_FORM_IDS")
    iface = qgis.utils.iface
    window = iface.mainWindow()
    plugin = qgis.utils.plugins["zhytomyr_gis_plugin"]
    from zhytomyr_gis_plugin import settings
    from zhytomyr_gis_plugin.connection import store_basic_auth

    window.showMaximized()
    _steps.sign_in_as_clerk(os.environ["ZGIS_BENCH_EDITOR"])
    canvas = iface.mapCanvas()
    result["memory_at_start"] = memory_mib()
    yield 500

    # 1. The workspace, opened and closed RUNS times (the first is the morning's, cold).
    for run in range(RUNS):
        if run:
            close_workspace(plugin)
            yield 300
        yield from open_workspace(result, plugin, canvas)
        yield 300
    layer = plugin.workspace.layers[PARCELS]
    result["parcels_in_layer"] = layer.featureCount()
    # QGIS's feature ids of the chosen records (QGIS numbers them in reading order, see loader).
    from zhytomyr_gis_plugin.layers import loader

    batch_fids = loader.feature_ids(layer, batch_ids)
    form_fids = [loader.feature_ids(layer, [i])[0] for i in form_ids]

    # 2. A parcel's form, in editing mode, as a double click with the identify tool opens it.
    layer.startEditing()
    for fid in form_fids[: RUNS + 1]:
        feature = layer.getFeature(fid)
        with Measure(result, "form") as measure:
            dialog = iface.getFeatureForm(layer, feature)
            dialog.show()
            settle()
            measure.stop()
        result["form_title"] = dialog.windowTitle()
        yield 200
        dialog.close()
        dialog.deleteLater()
        yield 200
    layer.rollBack()

    # 3. 1,000 parcels edited (the field calculator's way: old value known) and saved, RUNS times.
    note = layer.fields().indexOf("note")
    request = QgsFeatureRequest().setFilterFids(batch_fids).setFlags(QgsFeatureRequest.NoGeometry)
    request.setSubsetOfAttributes([note])
    for run in range(RUNS):
        layer.startEditing()
        with Measure(result, "edit") as measure:
            layer.beginEditCommand("bench")
            for feature in layer.getFeatures(request):
                layer.changeAttributeValue(feature.id(), note, f"уточнено ({run + 1})", feature[note])
            layer.endEditCommand()
            measure.stop()
        result.setdefault("edited", []).append(len(layer.editBuffer().changedAttributeValues()))
        with Measure(result, "save") as measure:
            saved = layer.commitChanges()
            settle()
            measure.stop()
        result.setdefault("saved", []).append(saved)
        if not saved:
            result["commit_errors"] = layer.commitErrors()[:10]
            raise RuntimeError(f"saving failed: {layer.commitErrors()[:5]}")
        yield 300

    # 4. The 1,000 submitted, RUNS times (withdrawn in between with the plugin's own action).
    layer.selectByIds(batch_fids)
    for run in range(RUNS):
        if run:  # the submission taken back (the selection is gone with the layer's reload)
            layer.selectByIds(batch_fids)
            withdrawn = plugin.withdraw_selected(layer)
            if withdrawn != len(batch_ids):
                raise RuntimeError(f"withdrawn {withdrawn} of {len(batch_ids)}")
            layer.selectByIds(batch_fids)
            yield 300
        with Measure(result, "submit") as measure:
            count = plugin.submit_selected(layer, note="уточнення меж", ask_note=False)
            settle()
            measure.stop()
        result.setdefault("submitted", []).append(count)
        if count != len(batch_ids):
            raise RuntimeError(f"submitted {count} of {len(batch_ids)}: {iface.messageBar().items()[-1].text()[:300]}")
        yield 300
    layer.removeSelection()
    result["messages"] = [f"{item.title()}: {item.text()[:300]}" for item in iface.messageBar().items()][-5:]

    # 5. The review queue as the department's verifier: the dock opened, then refreshed.
    authcfg = store_basic_auth("verifier", os.environ["ZGIS_BENCH_VERIFIER"], os.environ["ZGIS_PASSWORD"])
    settings.set(settings.AUTHCFG, authcfg)
    for run in range(RUNS):
        with Measure(result, "queue") as measure:
            if run == 0:
                dock = plugin.show_review()
            else:
                dock.refresh()
            settle()
            measure.stop()
        result.setdefault("queue_rows", []).append(dock.queue_table.rowCount())
        yield 300
    result["queue_summary"] = dock.summary.text()
    result["memory_at_end"] = memory_mib()


_steps.start(scenario)
