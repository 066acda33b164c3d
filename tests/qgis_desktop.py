"""Real QGIS desktop (Debian's ``qgis`` package) under Xvfb, for the tests that
must see what a clerk sees: the plugin installed from its zip into a
throw-away profile, QGIS started in Ukrainian with the plugin enabled, and
a startup script (``--code``) that drives it and writes what it found to a
JSON file before quitting QGIS.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = Path(__file__).resolve().parent / "desktop"
PLUGIN = "zhytomyr_gis_plugin"
SCREEN = "1600x1000x24"

sys.path.insert(0, str(ROOT / "tools"))
import package_plugin  # noqa: E402

# What a new profile needs so QGIS starts quietly, in Ukrainian, with the plugin on.
PROFILE_SETTINGS = f"""[PythonPlugins]
{PLUGIN}=true

[locale]
overrideFlag=true
userLocale=uk
globalLocale=uk_UA

[qgis]
checkVersion=false
showTips322=false

[core]
NewsFeed\\\\httpsfeedqgisorg\\\\disabled=true
"""


def profile_with_plugin(root: Path) -> Path:
    """A profiles folder whose "default" profile has the packaged plugin installed
    as the plugin manager would ("Install from ZIP"); returns the plugins folder."""
    profile = root / "profiles" / "default"
    plugins = profile / "python" / "plugins"
    plugins.mkdir(parents=True)
    archive = package_plugin.build(root / f"{PLUGIN}.zip")
    with zipfile.ZipFile(archive) as zipped:
        zipped.extractall(plugins)
    (profile / "QGIS").mkdir()
    (profile / "QGIS" / "QGIS3.ini").write_text(PROFILE_SETTINGS, encoding="utf-8")
    return plugins


def run(script: str, root: Path, env: dict[str, str] | None = None, timeout: int = 180) -> dict:
    """Start QGIS with the profile under root, run tests/desktop/<script> and return its result.

    The script gets the result file in ZGIS_DESKTOP_RESULT and must write it and quit QGIS.
    """
    assert shutil.which("qgis") and shutil.which("xvfb-run"), "qgis and xvfb are installed by make deps"
    result_file = root / "result.json"
    environment = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "QT_QPA_PLATFORM")}
    environment.update(
        HOME=str(root),
        XDG_RUNTIME_DIR=str(root),
        LANG="C.UTF-8",  # the interface language comes from --lang
        ZGIS_DESKTOP_RESULT=str(result_file),
        ZGIS_DESKTOP_SCRIPTS=str(SCRIPTS),
        **(env or {}),
    )
    command = [
        "xvfb-run", "-a", "-s", f"-screen 0 {SCREEN}",
        "qgis", "--profiles-path", str(root), "--profile", "default",
        "--nologo", "--noversioncheck", "--lang", "uk", "--code", str(SCRIPTS / script),
    ]  # fmt: skip
    # A session of its own, so that a hung QGIS is stopped with its Xvfb.
    process = subprocess.Popen(
        command, cwd=root, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )  # fmt: skip
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
    done = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    if not result_file.exists():
        output = f"{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
        raise AssertionError(f"QGIS wrote no result (exit {done.returncode}):\n{output}")
    result = json.loads(result_file.read_text(encoding="utf-8"))
    if result.get("error"):
        raise AssertionError(f"the script inside QGIS failed:\n{result['error']}\n{done.stderr[-3000:]}")
    return result
