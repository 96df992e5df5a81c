"""The I/O floor: the time to read every raw input the build reads with the project's own readers
(parsing, validation and typing included), in a process that has imported them and read everything
once (warm page cache); the bare bytes of the same files for scale. The cold build's workflow time
divided by this floor is the target (<= 3x)."""

from __future__ import annotations

import json
import statistics
import subprocess
from pathlib import Path

from common import MIB, PY, ROOT, Bench, record, say, secs, spread

FLOOR_RATIO = 3.0  # target: cold build <= 3 x the I/O floor

# Runs in a child process (GINO_DATA_DIR = the built data); prints one JSON line.
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
from analysis.public_data import kolada_snapshots
from analysis.public_data.kolada import read_groups, read_kpi_definitions, read_kpi_values

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
    kolada_snapshots.client_survey_values(verify=False)
    read_kpi_values(paths.raw("kolada/ifo_nyckeltal_region10_2014_2022.csv"))
    read_groups(paths.raw("kolada/kommungrupper.csv"))
    read_kpi_definitions(paths.raw("kolada/kpi_definitioner_ifo.csv"))
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
    """The floor, and the cold build's times (``builds``, from ``measure_builds``) divided by it."""
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
