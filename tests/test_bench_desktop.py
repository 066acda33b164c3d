"""The desktop benchmark's verdicts (bench/desktop.py, run by `make bench-desktop`,
not by the tests): the slowest run is judged against the target, a measure
that did not run is reported as not measured, the labels name the batch."""

from __future__ import annotations

from bench import desktop


def _step(*runs_ms: float) -> dict:
    return {
        "runs_ms": list(runs_ms),
        "memory": [{"rss_mib": 400, "peak_rss_mib": 500 + i} for i in range(len(runs_ms))],
    }


def test_the_slowest_run_is_judged_and_a_missing_measure_is_not_passed():
    results = {
        "prepared": {"batch": 1000},
        "qgis": {"steps": {"form": _step(400, 1200, 500), "queue": _step(300, 200, 250), "edit": _step(2000)}},
    }
    rows = {row["step"]: row for row in desktop.judge(results)}
    form = rows["form"]
    assert (form["first_ms"], form["median_ms"], form["max_ms"], form["ok"]) == (400, 500, 1200, False)
    assert form["peak_rss_mib"] == 502
    assert rows["queue"]["ok"] is True
    assert rows["queue"]["label"] == "load a review queue of 1,000 (verifier)"
    assert rows["workspace"]["ok"] is None and "median_ms" not in rows["workspace"]
    assert rows["edit"]["ok"] is None  # information, no target
    assert {step for step, (_label, target, reason) in desktop.TARGETS.items() if target and reason} == {
        "workspace",
        "form",
        "save",
        "submit",
        "queue",
    }
