"""Benchmarks of the GINO pipeline: install, build (cold, no-op, incremental), the I/O floor, the
notebooks and the report, and the analyses at national scale. A script, not a test:

    .venv/bin/python benchmarks/run.py [--install] [--repeat N] [--skip-notebooks] [--skip-national]
                                       [--no-tracemalloc] [--no-profile] [--keep]

Every measurement runs in fresh temporary directories (``GINO_DATA_DIR``, ``GINO_CONFIG_DIR``);
the repository's own ``data/`` and ``config/`` are never written. Prints each measurement as it
is taken, a final Markdown table (measurement, value, target, met) and, for every missed target,
where the time goes (cProfile, top 10 functions). See benchmarks/README.md.

The measurements, in the order they run: ``install_render.measure_install`` (``--install``),
``builds.measure_builds`` (fetch, cold, no-op, incremental), ``io_floor.measure_floor``,
``install_render.measure_notebooks`` and ``measure_quarto``, ``national_scale.measure_national``
(its workloads: ``national.py``, ``national_workloads.py``, ``national_survey.py``), then
``profiles.profile_misses``. ``common.py`` holds what they share, the results table among it.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from builds import measure_builds
from common import PY, ROOT, Bench, load_average, record, say, table
from install_render import measure_install, measure_notebooks, measure_quarto
from io_floor import measure_floor
from national_scale import measure_national
from profiles import profile_misses


def code_fingerprint() -> str:
    """A hash of the code and configuration the benchmark measures (analysis/**/*.py, config/*)."""
    import hashlib

    h = hashlib.sha256()
    for path in sorted([*(ROOT / "analysis").rglob("*.py"), *(ROOT / "config").glob("*")]):
        if path.is_file():
            h.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:12]


def check_fingerprint(start: str, when: str) -> None:
    now = code_fingerprint()
    if now != start:
        say(f"WARNING: analysis/ or config/ changed {when} (fingerprint {start} -> {now}); measurements taken "
            "before and after the change measure different code")


def header() -> None:
    cores = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT,
                           capture_output=True, text=True).stdout.rstrip()  # keep the status columns
    say("# GINO benchmarks")
    say(f"date: {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC; machine: {platform.machine()}, {cores} cores "
        f"({usable} usable); Python {platform.python_version()} ({PY}); {platform.platform()}")
    say(f"repository: {ROOT} at {head or '?'}" + (" with uncommitted changes in "
        + ", ".join(line[3:] for line in dirty.splitlines()) if dirty else ""))
    if usable != 2:
        say(f"note: the targets are stated for 2 cores; this machine has {usable} usable")
    say(f"load average at start (1, 5, 15 min): {load_average()} "
        "(other processes on the machine slow every timing)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--install", action="store_true", help="also time git clone + venv + pip install -e '.[test]'")
    parser.add_argument("--repeat", type=int, default=3, metavar="N", help="median of N for the short timings (default 3)")
    parser.add_argument("--skip-notebooks", action="store_true", help="do not execute the notebooks (nor render)")
    parser.add_argument("--skip-national", action="store_true", help="skip the national-scale benchmarks")
    parser.add_argument("--no-tracemalloc", action="store_true",
                        help="skip the second, tracemalloc pass of each national workload")
    parser.add_argument("--no-profile", action="store_true", help="do not profile missed targets")
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory and print its path")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error("--repeat must be at least 1")

    header()
    fingerprint = code_fingerprint()
    say(f"code fingerprint (analysis/**/*.py, config/*): {fingerprint}")
    tmp = Path(tempfile.mkdtemp(prefix="gino-bench-"))
    national_state = None
    try:
        config = tmp / "config"
        shutil.copytree(ROOT / "config", config)
        bench = Bench(config)
        if args.install:
            measure_install(tmp)
        data, builds = measure_builds(bench, tmp, args.repeat)
        measure_floor(bench, data, args.repeat, builds)
        if args.skip_notebooks:
            record("notebooks", "skipped (--skip-notebooks)")
        else:
            measure_notebooks(data)
            measure_quarto(data, tmp)
        if args.skip_national:
            record("national scale", "skipped (--skip-national)")
        else:
            national_state = measure_national(data, tmp, trace=not args.no_tracemalloc)
        table()
        check_fingerprint(fingerprint, "while the measurements ran")
        if not args.no_profile:
            profile_misses(bench, data, tmp, national_state)
            check_fingerprint(fingerprint, "by the end of the profiling")
    finally:
        if args.keep:
            say(f"\n(kept {tmp})")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
