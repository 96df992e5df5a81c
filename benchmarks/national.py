"""National-scale benchmarks: the GINO analyses run on all of Sweden instead of eight municipalities.

Called from ``benchmarks/run.py`` (through ``national_scale.py``). Every workload runs in its own
Python process (``python benchmarks/national.py WORKLOAD --result FILE ...``) so that its peak memory
can be read from the operating system (``os.wait4`` returns the child's ``ru_maxrss``, KiB on Linux)
and nothing one workload imported or allocated colours the next. This module is both sides of that:
``run_child`` starts a child and waits for it; ``main`` and ``worker`` run in the child.

The workloads are in ``national_workloads.py``, the synthetic national survey they share in
``national_survey.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

from national_workloads import WORKLOADS, prepare

ROOT = Path(__file__).resolve().parent.parent


# ---------------------------------------------------------------- child side

def _timed(call):
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def worker(name: str, work: Path, result_path: Path, trace: bool, profile: Path | None,
           subsample: int | None = None) -> None:
    """Run one workload in this process and write its measurements as JSON: the time of the call alone,
    its tracemalloc peak (``trace``) or a cProfile of it (``profile``), and a few lines about its result."""
    call, describe = prepare(name, work, subsample)
    out: dict = {"workload": name, "subsample": subsample}
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        _, out["seconds"] = _timed(lambda: profiler.runcall(call))
        profiler.dump_stats(str(profile))
    elif trace:
        import tracemalloc

        tracemalloc.start()
        _, out["seconds"] = _timed(call)
        out["tracemalloc_peak"] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    else:
        result, out["seconds"] = _timed(call)
        out["info"] = describe(result)
    out["self_maxrss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result_path.write_text(json.dumps(out), encoding="utf-8")


# ---------------------------------------------------------------- parent side

def run_child(name: str, data_dir: Path, work: Path, env: dict | None = None, trace: bool = False,
              profile: Path | None = None, subsample: int | None = None, preexec_fn=None, on_start=None) -> dict:
    """Run workload ``name`` in a fresh Python process; its result plus ``wall`` (whole process, start-up
    included) and ``peak_rss_kib`` (the child's own ru_maxrss, from ``os.wait4``).

    ``preexec_fn`` runs in the child before it starts (resource limits); ``on_start(pid)`` is called
    once the child runs (a watchdog). A failed child raises RuntimeError with the end of its output."""
    tag = f"{name}{'-trace' if trace else ''}{'-profile' if profile else ''}"
    result, log = work / f"{tag}.json", work / f"{tag}.log"
    result.unlink(missing_ok=True)
    cmd = [sys.executable, str(Path(__file__).resolve()), name, "--work", str(work), "--result", str(result)]
    if trace:
        cmd.append("--tracemalloc")
    if profile:
        cmd += ["--profile", str(profile)]
    if subsample:
        cmd += ["--subsample", str(subsample)]
    child_env = {**os.environ, **(env or {}), "GINO_DATA_DIR": str(data_dir)}
    with open(log, "wb") as fh:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=child_env, stdout=fh, stderr=subprocess.STDOUT,
                                preexec_fn=preexec_fn)
        if on_start:
            on_start(proc.pid)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0 or not result.exists():
        tail = log.read_text(encoding="utf-8", errors="replace").strip().splitlines()[-12:]
        raise RuntimeError(f"national workload {name} failed (exit {proc.returncode}, peak RSS "
                           f"{usage.ru_maxrss} KiB):\n" + "\n".join(tail))
    out = json.loads(result.read_text(encoding="utf-8"))
    out.update(wall=wall, peak_rss_kib=usage.ru_maxrss)
    return out


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run one national-scale workload (used by benchmarks/run.py).")
    parser.add_argument("workload", choices=WORKLOADS)
    parser.add_argument("--work", type=Path, required=True, help="scratch directory (the national survey lives here)")
    parser.add_argument("--result", type=Path, required=True, help="JSON file for the measurements")
    parser.add_argument("--tracemalloc", action="store_true", help="measure Python allocations (slower; not timed)")
    parser.add_argument("--profile", type=Path, help="write cProfile stats of the timed call here")
    parser.add_argument("--subsample", type=int, help="analyses only: a random subsample of this many respondents")
    args = parser.parse_args(argv)
    worker(args.workload, args.work, args.result, args.tracemalloc, args.profile, args.subsample)


if __name__ == "__main__":
    main()
