"""Benchmarks of the GINO pipeline: install, build (cold, no-op, incremental), the I/O floor, the
notebooks and the report, and the analyses at national scale. A script, not a test:

    .venv/bin/python benchmarks/run.py [--install] [--repeat N] [--skip-notebooks] [--skip-national]

Every measurement runs in fresh temporary directories (``GINO_DATA_DIR``, ``GINO_CONFIG_DIR``);
the repository's own ``data/`` and ``config/`` are never written. Prints each measurement as it
is taken, a final Markdown table (measurement, value, target, met) and, for every missed target,
where the time goes (cProfile, top 10 functions). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import cProfile  # noqa: F401  (used through `python -m cProfile` in children)
import os
import platform
import pstats
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import national  # noqa: E402
from national_survey import NATIONAL  # noqa: E402
from national_workloads import ANALYSES, WORKLOADS  # noqa: E402

from analysis.core import paths  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
GIB = 1 << 30
MIB = 1 << 20

# Targets.
FLOOR_RATIO = 3.0          # cold build <= 3 x the I/O floor
NOOP_SECONDS = 1.0         # no-op build <= 1 s
NATIONAL_SECONDS = 30.0    # national-scale analyses <= 30 s in all
NATIONAL_BYTES = 2 * GIB   # and <= 2 GiB peak memory each
# Safety limits for the national children (they are not targets): a runaway workload is stopped
# before it can take the machine's memory.
CHILD_AS_LIMIT = 8 * GIB   # RLIMIT_AS: a larger allocation fails with MemoryError and a traceback
CHILD_RSS_LIMIT = 4 * GIB  # watchdog on resident memory
CHILD_SECONDS = 600
PROFILE_SUBSAMPLE = 2_000  # respondents, for profiling a national workload that cannot finish


@dataclass
class Row:
    measurement: str
    value: str
    target: str = "—"
    met: str = "—"


ROWS: list[Row] = []
MISSES: list[str] = []  # keys of missed targets, profiled at the end


def say(text: str = "") -> None:
    print(text, flush=True)


def record(measurement: str, value: str, target: str = "—", met: bool | None = None, miss_key: str | None = None):
    ROWS.append(Row(measurement, value, target, "—" if met is None else ("yes" if met else "no")))
    if met is False and miss_key:
        MISSES.append(miss_key)


def secs(x: float) -> str:
    return f"{x:.2f} s" if x < 100 else f"{x:.0f} s"


def mib(kib_or_bytes: float, kib: bool = False) -> str:
    b = kib_or_bytes * 1024 if kib else kib_or_bytes
    return f"{b / GIB:.2f} GiB" if b >= GIB else f"{b / MIB:.0f} MiB"


def spread(values: list[float]) -> str:
    return "" if len(values) < 2 else f" (min {min(values):.2f}, max {max(values):.2f}, n = {len(values)})"


# ---------------------------------------------------------------- data and commands

def default_mirror() -> Path:
    return Path(os.environ.get("GINO_MIRROR", ROOT.parent / "shared" / "data")).resolve()


copy_committed_data = paths.copy_committed_data


@dataclass
class Ran:
    wall: float
    stdout: str
    stderr: str

    @property
    def steps(self) -> list[str]:
        """The steps that ran: ``gino build`` prints ``  done  STEP (x s)`` for each, nothing for a current one."""
        return re.findall(r"^\s*done\s+(\S+)", self.stdout, flags=re.MULTILINE)

    @property
    def workflow(self) -> float:
        """The workflow's own time as ``gino build`` prints it (0.1 s resolution)."""
        m = re.search(r"^build: (?:\d+ steps? ran|nothing to do);.*\(([\d.]+) s\)\s*$", self.stdout, flags=re.MULTILINE)
        if m is None:
            raise RuntimeError(f"no 'build: … (x s)' line in the output of gino build:\n{self.stdout}")
        return float(m.group(1))


class Bench:
    """Runs ``python -m analysis`` with the benchmark's data and configuration directories."""

    def __init__(self, config: Path):
        self.config = config

    def env(self, data: Path, extra: dict | None = None) -> dict:
        return {**os.environ, "GINO_DATA_DIR": str(data), "GINO_CONFIG_DIR": str(self.config), **(extra or {})}

    def gino(self, data: Path, *args: str, python_args: tuple[str, ...] = (), env: dict | None = None) -> Ran:
        environment = {k: v for k, v in self.env(data, env).items() if v is not None}
        started = time.perf_counter()
        proc = subprocess.run([PY, *python_args, "-m", "analysis", *args], cwd=ROOT, env=environment,
                              capture_output=True, text=True)
        wall = time.perf_counter() - started
        if proc.returncode != 0:
            raise RuntimeError(f"gino {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        return Ran(wall, proc.stdout, proc.stderr)


def fresh_copy(template: Path, dest: Path) -> Path:
    shutil.copytree(template, dest, symlinks=True)
    return dest


# ---------------------------------------------------------------- 1. install

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
        started = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
        times[what] = time.perf_counter() - started
        if proc.returncode != 0:
            say(f"  {what} failed ({proc.returncode}): {proc.stderr.strip().splitlines()[-1:]}")
            record(f"install: {what}", f"failed after {secs(times[what])}")
            return
        say(f"  {what:<26} {secs(times[what])}")
    for what, t in times.items():
        record(f"install: {what}", secs(t))
    record("install: total (clone of the committed HEAD, local package index)", secs(sum(times.values())))
    shutil.rmtree(clone, ignore_errors=True)


# ---------------------------------------------------------------- 2. build

def population_csv(data: Path) -> Path:
    import yaml

    for meta in (data / "raw").rglob("*.meta.yaml"):
        doc = yaml.safe_load(meta.read_text(encoding="utf-8"))
        if doc.get("id") == "population_2019":
            return data / "raw" / doc["file"]
    raise RuntimeError("no catalog entry population_2019")


def measure_builds(bench: Bench, tmp: Path, repeat: int) -> tuple[Path, dict]:
    """Cold, no-op and incremental builds; returns the built data directory and the timings."""
    mirror = default_mirror()
    template = copy_committed_data(tmp / "template" / "data")
    fetched = bench.gino(template, "fetch", "--mirror", str(mirror))
    say(f"== fetch --mirror {mirror}: {secs(fetched.wall)} (copy and sha256 of every snapshot)")
    record("fetch --mirror (whole command)", secs(fetched.wall))

    say(f"== cold build: python -m analysis build in a fresh data directory, {repeat}×")
    cold_wall, cold_flow, data = [], [], None
    for i in range(repeat):
        data = fresh_copy(template, tmp / f"cold{i}" / "data")
        ran = bench.gino(data, "build")
        cold_wall.append(ran.wall)
        cold_flow.append(ran.workflow)
        say(f"  run {i + 1}: {secs(ran.wall)} whole command, workflow {ran.workflow:.1f} s; ran {', '.join(ran.steps)}")
        if i == 0:
            for line in ran.stdout.splitlines():
                if line.strip().startswith("done"):
                    say(f"     {line.strip()}")
        if i < repeat - 1:
            shutil.rmtree(data.parent)
    out = {"cold_wall": statistics.median(cold_wall), "cold_flow": statistics.median(cold_flow)}
    record("cold build, whole command (median)", secs(out["cold_wall"]) + spread(cold_wall))
    record("cold build, workflow's own time as printed (median)", secs(out["cold_flow"]) + spread(cold_flow))

    say(f"== no-op build (nothing changed), {repeat}×")
    walls, flows, steps = timed_builds(bench, data, repeat)
    out["noop_wall"], out["noop_flow"] = statistics.median(walls), statistics.median(flows)
    record("no-op build, whole command incl. Python start-up (median)", secs(out["noop_wall"]) + spread(walls),
           f"≤ {NOOP_SECONDS:.0f} s", out["noop_wall"] <= NOOP_SECONDS, "noop")
    record("no-op build, workflow's own time as printed (median)", secs(out["noop_flow"]) + spread(flows),
           f"≤ {NOOP_SECONDS:.0f} s", out["noop_flow"] <= NOOP_SECONDS)
    record("no-op build: steps rerun", ", ".join(sorted(steps)) or "none", "none", not steps)

    if os.environ.get("PYTHONDONTWRITEBYTECODE"):
        # This environment keeps Python from caching bytecode, so every module without a .pyc is
        # compiled at each start. With a bytecode cache in the temporary directory instead:
        cache = {"PYTHONDONTWRITEBYTECODE": None, "PYTHONPYCACHEPREFIX": str(tmp / "pycache")}
        bench.gino(data, "build", env=cache)  # fills the cache
        walls = [bench.gino(data, "build", env=cache).wall for _ in range(repeat)]
        say(f"  with a bytecode cache (PYTHONPYCACHEPREFIX in the temporary directory; this environment sets "
            f"PYTHONDONTWRITEBYTECODE=1): {secs(statistics.median(walls))} whole command (median)")
        record("no-op build, whole command, with a bytecode cache (median; the environment sets "
               "PYTHONDONTWRITEBYTECODE=1)", secs(statistics.median(walls)) + spread(walls))

    raw = population_csv(data)
    say(f"== touch {raw.relative_to(data)} (mtime only, content unchanged), {repeat}×")
    walls, flows, steps = timed_builds(bench, data, repeat, before=lambda: os.utime(raw, None))
    record(f"build after touching {raw.name} (median)", secs(statistics.median(walls))
           + f" whole command, workflow {statistics.median(flows):.1f} s")
    record("  … steps rerun (content hashes, so none expected)", ", ".join(sorted(steps)) or "none", "none", not steps)

    regions = bench.config / "regions.yaml"
    original = regions.read_bytes()
    addition = '  bench_sodra_lappland:\n    name: Södra Lappland (benchmark)\n    kommuner: ["2425", "2462", "2463"]\n'
    time_change(bench, data, regions, original + addition.encode("utf-8"), repeat,
                "change config: add a region to a temporary copy of config/regions.yaml (GINO_CONFIG_DIR)",
                "build after adding a region to regions.yaml (median)")

    # A raw file whose content can change without breaking a checksum: the published figures are
    # committed raw inputs but not catalogued snapshots (the snapshots' sha256 is verified).
    published = data / "raw" / "published" / "region_facts.csv"
    changed = published.read_text(encoding="utf-8").replace("Antal kommuner i GINO", "Antal kommuner i GINO (benchmark)", 1)
    time_change(bench, data, published, changed.encode("utf-8"), repeat,
                "change content of raw/published/region_facts.csv (a description text; not checksummed)",
                "build after changing raw/published/region_facts.csv (median)")
    return data, out


def timed_builds(bench, data: Path, repeat: int, before=None, after=None) -> tuple[list, list, set]:
    """``repeat`` timed builds, ``before()`` each and ``after()`` each (untimed): wall and workflow
    times and the steps that ran, each run printed."""
    walls, flows, steps = [], [], set()
    for i in range(repeat):
        if before:
            before()
        ran = bench.gino(data, "build")
        if after:
            after()
        walls.append(ran.wall)
        flows.append(ran.workflow)
        steps |= set(ran.steps)
        say(f"  run {i + 1}: {secs(ran.wall)} whole command, workflow {ran.workflow:.1f} s; "
            f"steps run: {', '.join(ran.steps) or 'none'}")
    return walls, flows, steps


def time_change(bench, data: Path, path: Path, changed: bytes, repeat: int, title: str, label: str) -> None:
    """Time a build after writing ``changed`` into ``path``, restoring the file (and rebuilding, untimed) after each run."""
    original = path.read_bytes()
    say(f"== {title}, {repeat}×")

    def restore() -> None:
        path.write_bytes(original)
        bench.gino(data, "build")  # back to the original state, not timed

    walls, flows, steps = timed_builds(bench, data, repeat, before=lambda: path.write_bytes(changed), after=restore)
    record(label, secs(statistics.median(walls)) + f" whole command, workflow {statistics.median(flows):.1f} s")
    record("  … steps rerun", ", ".join(sorted(steps)) or "none")


# ---------------------------------------------------------------- 4. the I/O floor

FLOOR_CODE = r'''
import json, statistics, sys, time
from pathlib import Path
from analysis.core import paths
from analysis.public_data.catalog import load_catalog
from analysis.survey_data.codebooks import load_codebooks
from analysis.core.settings import load_settings, load_survey_settings
from analysis.public_data.sources import (read_areas, read_grid_layer, read_kommuner, read_lan, read_land_use,
                              read_population, read_published_facts, read_tatorter)
from analysis.survey_data.published import read_published_survey_figures
from analysis.survey_data.loading import load_survey

repeat = int(sys.argv[1])
cat, settings, surveys = load_catalog(), load_settings(), load_survey_settings()
files = [cat[i].path for i in cat] + list(surveys.files.values()) + [
    paths.published_dir() / "region_facts.csv", paths.published_dir() / "survey_figures.csv"]

def readers():
    codebooks = load_codebooks()
    k = read_kommuner(cat["kommuner_boundaries"].path, cat["kommuner_boundaries"].meta["layer"])
    known = set(k["kommun_kod"])
    read_lan(cat["lan_boundaries"].path, cat["lan_boundaries"].meta["layer"])
    read_population(cat[settings.population_snapshot].path, known)
    read_land_use(cat["land_use_2015"].path, known)
    read_areas(cat["areas_2015"].path, known)
    read_tatorter(cat["tatorter_2020"].path, known, cat["tatorter_2020"].meta["layer"])
    for layer in settings.grid_layers:
        read_grid_layer(cat["population_grid"].path, layer)
    for dataset, file in surveys.files.items():
        load_survey(file, codebooks[dataset])
    read_published_facts(paths.published_dir() / "region_facts.csv")
    read_published_survey_figures(paths.published_dir() / "survey_figures.csv")

def raw_bytes():
    return sum(len(Path(f).read_bytes()) for f in files)

out = {"files": len(files), "size": raw_bytes()}
for name, fn in (("readers", readers), ("bytes", raw_bytes)):
    fn()  # warm-up: first calls import lazily and fill the page cache
    times = []
    for _ in range(repeat):
        t = time.perf_counter(); fn(); times.append(time.perf_counter() - t)
    out[name] = times
print(json.dumps(out))
'''


def measure_floor(bench: Bench, data: Path, repeat: int, builds: dict) -> None:
    import json

    say(f"== I/O floor: read every raw input the build reads with the project's readers, {repeat}× (after a warm-up)")
    proc = subprocess.run([PY, "-c", FLOOR_CODE, str(repeat)], cwd=ROOT, env=bench.env(data),
                          capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"I/O floor failed:\n{proc.stderr}")
    r = json.loads(proc.stdout.strip().splitlines()[-1])
    floor, raw = statistics.median(r["readers"]), statistics.median(r["bytes"])
    say(f"  {r['files']} files, {r['size'] / MIB:.1f} MiB: readers {secs(floor)}, bare bytes {raw * 1000:.0f} ms")
    record("I/O floor: project readers on every raw input (median)", secs(floor) + spread(r["readers"]))
    record("I/O floor: bare file bytes only (median, for scale)", f"{raw * 1000:.1f} ms ({r['size'] / MIB:.1f} MiB, "
           f"{r['files']} files)")
    ratio = builds["cold_flow"] / floor
    record("cold build (workflow time) / I/O floor", f"{ratio:.2f}×", f"≤ {FLOOR_RATIO:.0f}×", ratio <= FLOOR_RATIO,
           "floor")
    record("cold build (whole command) / I/O floor", f"{builds['cold_wall'] / floor:.2f}×")


# ---------------------------------------------------------------- 3. notebooks and Quarto

NOTEBOOK_CODE = r'''
import json
from analysis.report.notebooks import execute_all
for path, seconds in execute_all():
    print(json.dumps({"notebook": path.name, "seconds": seconds}), flush=True)
'''


def measure_notebooks(data: Path) -> None:
    import json

    say("== notebooks: analysis.report.notebooks.execute_all in a subprocess (GINO_DATA_DIR = the benchmark's data)")
    env = {k: v for k, v in os.environ.items() if not k.startswith("GINO_")}
    env["GINO_DATA_DIR"] = str(data)
    started = time.perf_counter()
    proc = subprocess.run([PY, "-c", NOTEBOOK_CODE], cwd=ROOT, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    for line in proc.stdout.strip().splitlines():
        r = json.loads(line)
        say(f"  {r['notebook']:<32} {secs(r['seconds'])}")
        record(f"notebook {r['notebook']}", secs(r["seconds"]))
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
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
    # Rendered in a copy of the working tree, so nothing is written into the repository.
    say("== quarto render (in a copy of the working tree; the copy's .venv links to the repository's)")
    copy = tmp / "render"
    shutil.copytree(ROOT, copy, symlinks=True, ignore=shutil.ignore_patterns(
        ".git", ".venv", "__pycache__", ".pytest_cache", "processed", ".state", "_site", "_freeze"))
    (copy / ".venv").symlink_to(ROOT / ".venv")
    env = {**os.environ, "GINO_DATA_DIR": str(data), "QUARTO_PYTHON": PY}
    started = time.perf_counter()
    proc = subprocess.run([quarto, "render"], cwd=copy, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        last = (proc.stderr.strip().splitlines() or ["?"])[-1]
        record("quarto render", f"FAILED after {secs(wall)}: {last}")
    else:
        record("quarto render (whole project)", secs(wall))
    say(f"  {secs(wall)} (exit {proc.returncode})")


# ---------------------------------------------------------------- 5. national scale

def run_child_guarded(name: str, data: Path, work: Path, **kw) -> dict:
    """``national.run_child`` with safety limits: address space, resident memory and time.

    Returns the child's result, or {"failed": reason, "wall": ..., "peak_rss_kib": ...}."""
    import resource

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (CHILD_AS_LIMIT, CHILD_AS_LIMIT))

    stop = threading.Event()
    state = {"killed": None, "max_rss": 0}

    def watchdog(pid_holder):
        started = time.perf_counter()
        while not stop.wait(0.02):
            pid = pid_holder.get("pid")
            if pid is None:
                continue
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                return
            m = re.search(r"VmRSS:\s+(\d+) kB", status)
            rss = int(m.group(1)) * 1024 if m else 0
            state["max_rss"] = max(state["max_rss"], rss)
            if rss > CHILD_RSS_LIMIT or time.perf_counter() - started > CHILD_SECONDS:
                state["killed"] = (f"stopped by the benchmark: resident memory {mib(rss)} > {mib(CHILD_RSS_LIMIT)}"
                                   if rss > CHILD_RSS_LIMIT else f"stopped by the benchmark after {CHILD_SECONDS} s")
                os.kill(pid, signal.SIGKILL)  # only the child this benchmark started
                return

    holder: dict = {}
    thread = threading.Thread(target=watchdog, args=(holder,), daemon=True)
    thread.start()
    started = time.perf_counter()
    try:
        return national.run_child(name, data, work, preexec_fn=limit,
                                  on_start=lambda pid: holder.__setitem__("pid", pid), **kw)
    except RuntimeError as exc:
        reason = state["killed"] or str(exc).strip().splitlines()[-1]
        return {"failed": reason, "log": str(exc), "wall": time.perf_counter() - started,
                "peak_rss_kib": state["max_rss"] // 1024}
    finally:
        stop.set()
        thread.join()


LABELS = {
    "sparsity": "national (a) sparsity: 290 municipalities, 2 017 tätorter, grid distances",
    "generate": "national (b) generate the synthetic national survey, 100 000 respondents (setup)",
    "headline_indicators": "national (b) headline_indicators",
    "indicators_by_municipality": "national (b) indicators_by_municipality (290 municipalities)",
    "collapsed_by_municipality": "national (b) collapsed_by_municipality (distance and form)",
    "distance_form_test": "national (b) distance_form_test (1 999 bootstrap resamples)",
    "cramers_v_bootstrap": "  … of which the two Cramér's V bootstraps alone (2 × 1 999 resamples, as in distance_form_test)",
    "remote_preference_model": "national (b) remote_preference_model",
}


def measure_national(data: Path, tmp: Path, trace: bool) -> dict:
    work = tmp / "national"
    work.mkdir()
    say("== national scale: each workload in its own process; time = the analysis call only, "
        "process = whole child incl. start-up and loading")
    results = {}
    for name in WORKLOADS:
        r = run_child_guarded(name, data, work)
        if "failed" not in r and trace:
            t = run_child_guarded(name, data, work, trace=True)
            r["tracemalloc_peak"] = t.get("tracemalloc_peak")
        results[name] = r
        if "failed" in r:
            say(f"  {name}: FAILED after {secs(r['wall'])} ({r['failed']})")
            for line in r["log"].splitlines()[1:]:
                say(f"      | {line}")
        else:
            extra = f", tracemalloc peak {mib(r['tracemalloc_peak'])}" if r.get("tracemalloc_peak") else ""
            say(f"  {name}: {secs(r['seconds'])} (process {secs(r['wall'])}), peak RSS "
                f"{mib(r['peak_rss_kib'], kib=True)}{extra}")
            for line in r.get("info", []):
                say(f"      {line}")
        if name == "generate" and "failed" in r:
            say("  the analyses need the national survey; skipping them")
            break

    for name, r in results.items():
        if "failed" in r:
            record(LABELS[name], f"FAILED after {secs(r['wall'])}: {r['failed']}", "≤ 2 GiB RSS", False,
                   f"national:{name}")
            continue
        value = (f"{secs(r['seconds'])} (process {secs(r['wall'])}); peak RSS {mib(r['peak_rss_kib'], kib=True)}"
                 + (f", tracemalloc {mib(r['tracemalloc_peak'])}" if r.get("tracemalloc_peak") else ""))
        ok = r["peak_rss_kib"] * 1024 <= NATIONAL_BYTES
        record(LABELS[name], value, "≤ 2 GiB RSS", ok, f"national-mem:{name}")

    timed = ["sparsity", *ANALYSES]
    done = [n for n in timed if n in results and "failed" not in results[n]]
    total = sum(results[n]["seconds"] for n in done)
    if len(done) == len(timed):
        record("national scale: sparsity + the 5 analyses, total time", secs(total), f"≤ {NATIONAL_SECONDS:.0f} s",
               total <= NATIONAL_SECONDS, "national-time")
    else:
        missing = [n for n in timed if n not in done]
        record("national scale: sparsity + the 5 analyses, total time",
               f"not measurable ({', '.join(missing)} did not finish); the others: {secs(total)}",
               f"≤ {NATIONAL_SECONDS:.0f} s", False, "national-time")
    peak = max((r.get("peak_rss_kib", 0) for r in results.values()), default=0)
    failed_mem = [n for n, r in results.items() if "failed" in r]
    record("national scale: peak RSS, largest workload" + (" that finished" if failed_mem else ""),
           mib(peak, kib=True) + (f"; {', '.join(failed_mem)} did not finish" if failed_mem else ""),
           "≤ 2 GiB", peak * 1024 <= NATIONAL_BYTES and not failed_mem)
    if "generate" in results and "failed" not in results["generate"]:
        g = results["generate"]
        record("national: generation + sparsity + analyses, total time",
               secs(total + g["seconds"]) if len(done) == len(timed) else "not measurable")
    return {"results": results, "work": work}


# ---------------------------------------------------------------- profiles of missed targets

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
            say()
            say("### no-op build, whole command (python -m cProfile -m analysis build, nothing to do)")
            subprocess.run([PY, "-c", "pass"], capture_output=True)  # warm the page cache
            t = time.perf_counter()
            subprocess.run([PY, "-c", "pass"], capture_output=True)
            bare = time.perf_counter() - t
            t = time.perf_counter()
            subprocess.run([PY, "-c", "import analysis.cli"], cwd=ROOT, capture_output=True)
            cli = time.perf_counter() - t
            t = time.perf_counter()
            subprocess.run([PY, "-c", "import analysis.workflow"], cwd=ROOT, capture_output=True, env=bench.env(data))
            wf = time.perf_counter() - t
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
        elif key == "floor":
            say()
            say("### cold build (python -m cProfile -m analysis build in a fresh data directory)")
            cold = copy_committed_data(tmp / "profile-cold" / "data")
            bench.gino(cold, "fetch", "--mirror", str(default_mirror()))
            out = prof_dir / "cold.prof"
            bench.gino(cold, "build", python_args=("-m", "cProfile", "-o", str(out)))
            print_profile(out)
        elif key.startswith("national") and national_state:
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


# ---------------------------------------------------------------- main

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
    say(f"load average at start (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())} "
        "(other processes on the machine slow every timing)")


def table() -> None:
    say()
    say(f"load average at the end (1, 5, 15 min): {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    say()
    say("## Results")
    say()
    say("| measurement | value | target | met |")
    say("|---|---|---|---|")
    for r in ROWS:
        say(f"| {r.measurement} | {r.value} | {r.target} | {r.met} |")
    missed = [r.measurement for r in ROWS if r.met == "no"]
    say()
    say(f"targets missed: {len(missed)}" + (f" ({'; '.join(missed)})" if missed else ""))


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
