"""What a user waits for besides the build: the install (``git clone`` + ``python -m venv`` +
``pip install -e '.[test]'``, as ``make venv`` does), executing the notebooks, and ``quarto render``
(only when Quarto is on PATH). Each runs in the benchmark's temporary directory."""

from __future__ import annotations

import json
import os
import shutil
import sys
from pathlib import Path

from analysis.core.paths import copy_repository
from common import PY, ROOT, last_line, record, say, secs, timed_run, without_make_settings


def measure_install(tmp: Path) -> None:
    say("== install: git clone + python -m venv + pip install -e '.[test]' (what `make venv` does)")
    base = shutil.which("python3.11") or shutil.which("python3") or sys._base_executable  # as the Makefile
    clone = tmp / "clone"
    times = {}
    for what, cmd, cwd in (
        ("git clone", ["git", "clone", "--quiet", str(ROOT), str(clone)], tmp),
        ("python -m venv", [base, "-m", "venv", ".venv"], clone),
        ("pip install -e '.[test]'", [str(clone / ".venv/bin/python"), "-m", "pip", "install", "--quiet",
                                      "--disable-pip-version-check", "-e", ".[test]"], clone),
    ):
        proc, times[what] = timed_run(cmd, cwd=cwd)
        if proc.returncode != 0:
            say(f"  {what} failed ({proc.returncode}): {proc.stderr.strip().splitlines()[-1:]}")
            record(f"install: {what}", f"failed after {secs(times[what])}")
            return
        say(f"  {what:<26} {secs(times[what])}")
    for what, t in times.items():
        record(f"install: {what}", secs(t))
    record("install: total (clone of the committed HEAD, local package index)", secs(sum(times.values())))
    shutil.rmtree(clone, ignore_errors=True)


# Runs in a child process (GINO_DATA_DIR = the built data); prints one JSON line per notebook.
NOTEBOOK_CODE = r'''
import json
from analysis.report.notebooks import execute_all
for path, seconds in execute_all():
    print(json.dumps({"notebook": path.name, "seconds": seconds}), flush=True)
'''


def measure_notebooks(data: Path) -> None:
    say("== notebooks: analysis.report.notebooks.execute_all in a subprocess (GINO_DATA_DIR = the benchmark's data)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GINO_")}
    env["GINO_DATA_DIR"] = str(data)
    proc, wall = timed_run([PY, "-c", NOTEBOOK_CODE], cwd=ROOT, env=env)
    for line in proc.stdout.strip().splitlines():
        r = json.loads(line)
        say(f"  {r['notebook']:<32} {secs(r['seconds'])}")
        record(f"notebook {r['notebook']}", secs(r["seconds"]))
    if proc.returncode != 0:
        last = last_line(proc.stderr)
        say(f"  failed: {last}")
        record("notebooks, all (execute_all)", f"FAILED after {secs(wall)}: {last}")
        return
    record("notebooks, all (execute_all, whole subprocess)", secs(wall))


def measure_quarto(data: Path, tmp: Path) -> None:
    quarto = shutil.which("quarto")
    if quarto is None:
        say("== quarto render: skipped: quarto not on PATH")
        record("quarto render", "skipped: quarto not on PATH")
        return
    # Rendered in a copy of the working tree, so nothing is written into the repository; its .venv a
    # directory tree like a user's, which Quarto walks (a link it would not: docs/report.md).
    say("== quarto render (in a copy of the working tree; its .venv a tree of links to the repository's files)")
    copy = copy_repository(tmp / "render", venv="tree")
    env = {**without_make_settings(os.environ), "GINO_DATA_DIR": str(data), "QUARTO_PYTHON": PY,
           "PYTHONPATH": str(copy)}  # the copy's analysis/, not the editable install's (tools/environment_owner.py)
    proc, wall = timed_run([quarto, "render"], cwd=copy, env=env)
    if proc.returncode != 0:
        record("quarto render", f"FAILED after {secs(wall)}: {last_line(proc.stderr)}")
    else:
        record("quarto render (whole project)", secs(wall))
    say(f"  {secs(wall)} (exit {proc.returncode})")
