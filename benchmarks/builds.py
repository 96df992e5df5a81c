"""Build timings: ``fetch --mirror``, the cold build, the no-op build and builds after a touched or a
changed input. Every build runs in a fresh temporary data directory (``Bench``); the steps that
reran are read from the build's output."""

from __future__ import annotations

import os
import shutil
import statistics
from pathlib import Path

from common import Bench, copy_committed_data, default_mirror, fresh_copy, record, say, secs, spread

NOOP_SECONDS = 1.0  # target: no-op build <= 1 s


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


def timed_builds(bench: Bench, data: Path, repeat: int, before=None, after=None) -> tuple[list, list, set]:
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


def time_change(bench: Bench, data: Path, path: Path, changed: bytes, repeat: int, title: str, label: str) -> None:
    """Time a build after writing ``changed`` into ``path``, restoring the file (and rebuilding, untimed) after each run."""
    original = path.read_bytes()
    say(f"== {title}, {repeat}×")

    def restore() -> None:
        path.write_bytes(original)
        bench.gino(data, "build")  # back to the original state, not timed

    walls, flows, steps = timed_builds(bench, data, repeat, before=lambda: path.write_bytes(changed), after=restore)
    record(label, secs(statistics.median(walls)) + f" whole command, workflow {statistics.median(flows):.1f} s")
    record("  … steps rerun", ", ".join(sorted(steps)) or "none")
