"""Where the time goes, for every missed target (``common.MISSES``): cProfile's top functions, for the
no-op build also the start-up split and ``python -X importtime``; a national workload that did not
finish is profiled on a random subsample of respondents, and says so."""

from __future__ import annotations

import pstats
import re
import subprocess
import time
from pathlib import Path

from common import GIB, MISSES, PY, ROOT, Bench, copy_committed_data, default_mirror, say, secs, timed_run
from national_survey import NATIONAL
from national_workloads import ANALYSES
from national_scale import run_child_guarded

PROFILE_SUBSAMPLE = 2_000  # respondents, for profiling a national workload that cannot finish


def short(location: tuple) -> str:
    file, line, func = location
    for marker in ("site-packages/", "/lib/python3.11/"):
        if marker in file:
            file = file.split(marker, 1)[1]
            break
    else:
        try:
            file = str(Path(file).resolve().relative_to(ROOT))
        except ValueError:
            pass
    return f"{func}" if file == "~" else f"{file}:{line}({func})"


def _in_project(location: tuple) -> bool:
    file = location[0]
    return file.startswith(str(ROOT / "analysis")) or file.startswith(str(ROOT / "benchmarks"))


def print_profile(stats_file: Path, n: int = 10) -> None:
    """Top ``n`` project functions by cumulative time (where in our code), then top ``n`` of all
    functions by own time (what actually burns the CPU)."""
    stats = pstats.Stats(str(stats_file)).stats
    total = max((ct for (_, _, _, ct, _) in stats.values()), default=0)
    say(f"  profiled total {total:.2f} s")
    for title, rows in (
        (f"top {n} project functions (analysis/, benchmarks/) by cumulative time",
         sorted(((k, v) for k, v in stats.items() if _in_project(k)), key=lambda kv: -kv[1][3])[:n]),
        (f"top {n} functions by own time (tottime)", sorted(stats.items(), key=lambda kv: -kv[1][2])[:n]),
    ):
        say(f"  {title}")
        say(f"  {'cumtime':>8} {'tottime':>8} {'calls':>15}  function")
        for loc, (cc, nc, tt, ct, _) in rows:
            calls = f"{nc}" if nc == cc else f"{nc}/{cc}"
            say(f"  {ct:8.3f} {tt:8.3f} {calls:>15}  {short(loc)}")


def import_times(stderr: str, n: int = 10) -> None:
    """Where Python start-up goes (``python -X importtime``): own import time summed per top-level
    package, and the project modules by cumulative import time."""
    packages: dict[str, int] = {}
    project = []
    for line in stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+(\d+) \| (\s*)(\S+)", line)
        if not m:
            continue
        own, cum, name = int(m.group(1)), int(m.group(2)), m.group(4)
        root = name.split(".")[0]
        packages[root] = packages.get(root, 0) + own
        if root == "analysis":
            project.append((cum, name))
    total = sum(packages.values())
    say(f"  imports (python -X importtime): {total / 1e6:.2f} s in all; top {n} top-level packages by own import "
        "time summed over their modules:")
    say("  " + ", ".join(f"{name} {t / 1e6:.2f} s" for name, t in sorted(packages.items(), key=lambda kv: -kv[1])[:n]))
    say(f"  top {n} project modules by cumulative import time (each includes what it imports first):")
    say("  " + ", ".join(f"{name} {cum / 1e6:.2f} s" for cum, name in sorted(project, reverse=True)[:n]))


def profile_misses(bench: Bench, data: Path, tmp: Path, national_state: dict | None) -> None:
    """Profile each missed target once, in the order they were missed."""
    if not MISSES:
        return
    say()
    say("## Where the time goes (missed targets)")
    prof_dir = tmp / "profiles"
    prof_dir.mkdir(exist_ok=True)
    seen = set()
    for key in MISSES:
        if key in seen:
            continue
        seen.add(key)
        if key == "noop":
            _profile_noop(bench, data, prof_dir)
        elif key == "floor":
            _profile_cold(bench, tmp, prof_dir)
        elif key.startswith("national") and national_state:
            _profile_national(key, national_state, data, prof_dir, seen)


def _profile_noop(bench: Bench, data: Path, prof_dir: Path) -> None:
    say()
    say("### no-op build, whole command (python -m cProfile -m analysis build, nothing to do)")
    subprocess.run([PY, "-c", "pass"], capture_output=True)  # warm the page cache
    _, bare = timed_run([PY, "-c", "pass"])
    _, cli = timed_run([PY, "-c", "import analysis.cli"], cwd=ROOT)
    _, wf = timed_run([PY, "-c", "import analysis.workflow"], cwd=ROOT, env=bench.env(data))
    say(f"  bare `python -c pass`: {secs(bare)}; `import analysis.cli`: {secs(cli)}; "
        f"`import analysis.workflow` (steps and their libraries): {secs(wf)}")
    out = prof_dir / "noop.prof"
    bench.gino(data, "build")  # absorbs any code change since the timed runs
    ran = bench.gino(data, "build", python_args=("-m", "cProfile", "-o", str(out)))
    if ran.steps:
        say(f"  note: the profiled build was not a no-op (ran {', '.join(ran.steps)}): the code changed meanwhile")
    print_profile(out)
    ran = bench.gino(data, "build", python_args=("-X", "importtime"))
    import_times(ran.stderr)


def _profile_cold(bench: Bench, tmp: Path, prof_dir: Path) -> None:
    say()
    say("### cold build (python -m cProfile -m analysis build in a fresh data directory)")
    cold = copy_committed_data(tmp / "profile-cold" / "data")
    bench.gino(cold, "fetch", "--mirror", str(default_mirror()))
    out = prof_dir / "cold.prof"
    bench.gino(cold, "build", python_args=("-m", "cProfile", "-o", str(out)))
    print_profile(out)


def _profile_national(key: str, national_state: dict, data: Path, prof_dir: Path, seen: set) -> None:
    """``national-time``: every timed workload of 1 s or more; ``national…:NAME``: that workload."""
    results, work = national_state["results"], national_state["work"]
    if key == "national-time":
        names = [n for n in ("sparsity", *ANALYSES)
                 if n in results and results[n].get("seconds", 0) >= 1.0 and "failed" not in results[n]]
    else:
        names = [key.split(":", 1)[1]]
    for name in names:
        if ("profiled", name) in seen:
            continue
        seen.add(("profiled", name))
        failed = "failed" in results.get(name, {})
        out = prof_dir / f"{name}.prof"
        say()
        if failed and name in ANALYSES:
            say(f"### national {name}: did not finish at 100 000 respondents "
                f"({results[name]['failed']}); profiled on a random subsample of {PROFILE_SUBSAMPLE} "
                "respondents")
            r = run_child_guarded(name, data, work, profile=out, subsample=PROFILE_SUBSAMPLE)
        else:
            say(f"### national {name} (100 000 respondents)")
            r = run_child_guarded(name, data, work, profile=out)
        if "failed" in r:
            say(f"  profiling failed too: {r['failed']}")
            continue
        say(f"  profiled call: {secs(r['seconds'])}")
        print_profile(out)
        if name == "distance_form_test":
            explain_distance_form_test(results, work)


def explain_distance_form_test(results: dict, work: Path) -> None:
    """What the profile of distance_form_test implies at full size (from the code path, stated as such)."""
    import pandas as pd

    frame = pd.read_parquet(work / f"{NATIONAL}.parquet", columns=["travel_distance", "preferred_meeting"])
    n = int(frame.dropna().shape[0])
    one = 8 * 9999 * n / GIB
    say(f"  At full size the 'full' 5 × 6 table has {n} answers but an expected count below 5 (the 100+ km band "
        "is small), so stats.independence_test takes scipy's Fisher–Freeman–Halton permutation test "
        "(stats.RESAMPLES = 9 999). scipy.stats.permutation_test (permutation_type='pairings', no batch) "
        "materialises (9 999 × n) arrays of 8-byte values: the tiled int64 indices, their permuted copy and the "
        f"float64 data gathered through them, {one:.1f} GiB each, about {3 * one:.0f} GiB together. The statistic "
        "(crosstab + random_table.pmf) is then evaluated once per resample in Python, so the time grows with n "
        "as well (the profile above: argsort inside np.unique, i.e. crosstab, dominates).")
    import numpy as np
    from scipy import stats

    both = frame.dropna()
    x, y = both["travel_distance"].to_numpy(dtype=int), both["preferred_meeting"].to_numpy(dtype=int)
    rng = np.random.default_rng(0)
    started = time.perf_counter()
    for _ in range(20):
        stats.contingency.crosstab(rng.permutation(x), y)
    each = (time.perf_counter() - started) / 20
    say(f"  Measured here: one permuted crosstab at n = {n} takes {each * 1000:.0f} ms, so the 9 999 resamples alone "
        f"would take about {each * 9999:.0f} s even with the memory problem solved (e.g. by batching).")
