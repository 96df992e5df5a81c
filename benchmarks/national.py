"""National-scale benchmarks: the GINO analyses run on all of Sweden instead of eight municipalities.

Called from ``benchmarks/run.py``. Every workload runs in its own Python process
(``python benchmarks/national.py WORKLOAD --result FILE ...``) so that its peak memory can be
read from the operating system (``os.wait4`` returns the child's ``ru_maxrss``, KiB on Linux)
and nothing one workload imported or allocated colours the next.

Workloads (``WORKLOADS``):

``sparsity``
    ``analysis.sparsity.measures`` on the full processed tables: density and the share living outside
    tätorter for all 290 municipalities, the distance of every tätort in Sweden to its municipal
    centre and to Umeå, and the population-weighted distance to the centre where the 1 km grid
    exists. The mirror's grid covers Västerbotten (24) and Norrbotten (25) only, so that last
    figure exists for 29 of the 290 municipalities.
``generate``
    A synthetic NATIONAL client survey of ``RESPONDENTS`` respondents made by the project's own
    generator (``analysis.survey_data.synthetic_travel.generate_client``); see ``national_inputs``. Written to
    ``WORK/client_survey_national.parquet`` for the analysis workloads. Setup for the analyses,
    timed and measured like them.
``headline_indicators``, ``indicators_by_municipality``, ``collapsed_by_municipality``,
``distance_form_test``, ``remote_preference_model``
    The client-survey analyses of ``analysis.client_surveys.indicators`` on the national survey, called as
    notebook 03 calls them (``collapsed_by_municipality`` twice: travel distance and meeting form;
    ``distance_form_test`` with its default 1 999 bootstrap resamples).
``cramers_v_bootstrap``
    A component of ``distance_form_test``: its two ``stats.cramers_v_interval`` calls alone
    (1 999 resamples each), so the bootstrap's cost is known even if the whole test cannot run.

The residence model outside the grid (documented assumption, benchmark only): the project's
residence model draws a resident's 1 km grid cell by population. For municipalities outside
counties 24 and 25 there are no cells, so two pseudo-cells stand in for them and the generator
is used unchanged: with probability centre_population / population (the municipality's largest
tätort, capped at 1) a resident lives uniformly in a 2 km × 2 km square on the municipal centre,
otherwise uniformly in a square of the municipality's land area centred on the municipal centre.
The five municipalities without a tätort of their own (Järfälla, Salem, Tyresö, Sundbyberg,
Solna: their people live in the Stockholm tätort, coded to Stockholm) have no centre; the
representative point of their polygon is used. The ``generate`` workload prints how this
stand-in compares with the real grid where both exist.
"""

from __future__ import annotations

import argparse
import copy
import dataclasses
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NATIONAL = "client_survey_national"
BASE = "client_survey_2018"
RESPONDENTS = 100_000
GRID_COUNTIES = ("24", "25")
CENTRE_SQUARE_M = 2_000.0
# Mean distance from the centre of a square of side L to a uniform point in it: L * (sqrt 2 + asinh 1) / 6.
SQUARE_MEAN = (2 ** 0.5 + 0.881373587019543) / 6
SEED = 20200401
ANALYSES = ("headline_indicators", "indicators_by_municipality", "collapsed_by_municipality",
            "distance_form_test", "remote_preference_model")
# A component, not counted in the total: the two Cramér's V bootstraps that distance_form_test makes.
WORKLOADS = ("sparsity", "generate", *ANALYSES, "cramers_v_bootstrap")


# ---------------------------------------------------------------- inputs of the national survey

def national_codebook(base, municipalities):
    """The 2018 client codebook with its kommun scale replaced by every municipality of Sweden."""
    key = base.identifiers["municipality"]
    kommun = base.variable(key)
    names = dict(zip(municipalities["kommun_kod"], municipalities["kommun_namn"]))
    scale = dataclasses.replace(kommun.scale, id="kommun_sverige", labels=dict(sorted(names.items())), aliases={})
    variables = tuple(dataclasses.replace(v, scale=scale) if v.name == key else v for v in base.variables)
    return dataclasses.replace(base, dataset=NATIONAL, variables=variables,
                               title=f"{base.title} – SYNTETISK NATIONELL VERSION (benchmark)")


def national_figures(published):
    """The 2018 poster's "N av 10" figures, reused for the national survey (dataset renamed)."""
    rows = published[(published["dataset"] == BASE) & (published["rule"] == "of_ten")].copy()
    rows["dataset"] = NATIONAL
    rows["figure_id"] = "nat_" + rows["figure_id"]
    return rows.reset_index(drop=True)


def national_config(base_cfg: dict) -> dict:
    cfg = copy.deepcopy(base_cfg)
    cfg["respondents"] = RESPONDENTS
    cfg["fewest_per_municipality"] = 1
    # The twin itself is anchored to Kolada (analysis/survey_data/synthetic_client.py); the national stand-in keeps the
    # population-proportional generator with these declared rates (the twin's former assumptions).
    cfg["missing_rate"] = 0.03
    cfg["dont_know_rate"] = {"contact_ease": 0.04, "information_ease": 0.03, "shows_understanding": 0.03,
                             "asks_views": 0.05, "can_influence": 0.08, "situation_improved": 0.10,
                             "overall_satisfaction": 0.02}
    cfg["positive_share"] = {"can_influence": 0.65}
    return cfg


def _square(x: float, y: float, side: float):
    from shapely.geometry import box

    h = side / 2
    return box(x - h, y - h, x + h, y + h)


def national_inputs():
    """Everything ``generate_client`` needs for the national survey, from the processed data.

    Returns (codebook, figures, cfg, population, grid, centres, notes). ``grid``: the real 2018
    cells of counties 24 and 25 plus the two pseudo-cells of every other municipality (see the
    module docstring); ``centres``: centre_x, centre_y per kommun code.
    """
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    from analysis.core import paths
    from analysis.survey_data.codebooks import load_codebook
    from analysis.core.files import read_yaml
    from analysis.core.settings import load_settings
    from analysis.core.settings import reference_year
    from analysis.survey_data.published import read_published_survey_figures

    municipalities = pd.read_csv(paths.processed("municipalities.csv"), dtype={"kommun_kod": str, "lan_kod": str})
    shapes = gpd.read_parquet(paths.processed("municipalities.parquet")).set_index("kommun_kod")
    ref_year = reference_year(load_settings().grid_reference_layer)
    grid = gpd.read_parquet(paths.processed("population_grid.parquet"))
    grid = grid[(grid["ref_year"] == ref_year) & grid["kommun_kod"].str[:2].isin(GRID_COUNTIES)]

    m = municipalities.set_index("kommun_kod")
    no_centre = m.index[m["centre_x"].isna()]
    points = shapes.loc[no_centre].geometry.representative_point()
    centres = m[["centre_x", "centre_y"]].copy()
    centres.loc[no_centre, "centre_x"] = points.x.to_numpy()
    centres.loc[no_centre, "centre_y"] = points.y.to_numpy()

    outside = m[~m["lan_kod"].isin(GRID_COUNTIES)]
    pseudo = []
    for code, row in outside.iterrows():
        x, y = centres.loc[code, ["centre_x", "centre_y"]]
        in_centre = min(float(row["centre_population"]) if pd.notna(row["centre_population"]) else 0.0,
                        float(row["population"]))
        side = float(np.sqrt(row["land_area_km2"]) * 1000)
        pseudo.append({"kommun_kod": code, "population": in_centre, "geometry": _square(x, y, CENTRE_SQUARE_M)})
        pseudo.append({"kommun_kod": code, "population": float(row["population"]) - in_centre,
                       "geometry": _square(x, y, side)})
    pseudo = gpd.GeoDataFrame(pseudo, geometry="geometry", crs=grid.crs)
    cells = pd.concat([grid[["kommun_kod", "population", "geometry"]], pseudo], ignore_index=True)
    cells = gpd.GeoDataFrame(cells, geometry="geometry", crs=grid.crs)

    cfg = national_config(read_yaml(paths.config_dir() / "synthetic.yaml", "synthetic-twin configuration")[BASE])
    published = read_published_survey_figures(paths.published_dir() / "survey_figures.csv")
    codebook = national_codebook(load_codebook(BASE), municipalities)
    population = m["population"]
    notes = [f"{len(m)} municipalities, population " + f"{int(population.sum()):,}".replace(",", " "),
             f"grid cells (ref. year {ref_year}) for {grid['kommun_kod'].nunique()} municipalities in counties "
             f"{'/'.join(GRID_COUNTIES)}; pseudo-cells (centre square + land-area square) for {len(outside)}",
             f"no tätort of their own, centre = polygon's representative point: "
             + ", ".join(m.loc[no_centre, "kommun_namn"])]
    notes.append(_stand_in_check(municipalities, grid, centres, float(cfg["detour_factor"])))
    return codebook, national_figures(published), cfg, population, cells, centres, notes


def _stand_in_check(municipalities, grid, centres, detour: float) -> str:
    """How the pseudo-cell model's expected distance compares with the real grid in counties 24/25."""
    import numpy as np

    from analysis.public_data.residence import weighted_distance_to_centre

    real = weighted_distance_to_centre(grid, centres.reset_index(), detour).set_index("kommun_kod")
    m = municipalities.set_index("kommun_kod").loc[real.index]
    p_centre = (m["centre_population"].astype(float) / m["population"]).clip(upper=1)
    model = detour / 1000 * SQUARE_MEAN * (p_centre * CENTRE_SQUARE_M
                                           + (1 - p_centre) * np.sqrt(m["land_area_km2"]) * 1000)
    ratio = model / real["mean_road_km_to_centre"]
    return (f"stand-in check in counties 24/25 (pseudo-cell model's expected road km / grid's population-weighted "
            f"road km, 29 municipalities): median {ratio.median():.2f}, range {ratio.min():.2f}–{ratio.max():.2f}")


# ---------------------------------------------------------------- workloads (run inside the child)

def _survey_frame(work: Path):
    import pandas as pd

    from analysis.core import paths
    from analysis.survey_data.codebooks import load_codebook
    from analysis.survey_data.published import read_published_survey_figures

    municipalities = pd.read_csv(paths.processed("municipalities.csv"), dtype={"kommun_kod": str, "lan_kod": str})
    codebook = national_codebook(load_codebook(BASE), municipalities)
    figures = national_figures(read_published_survey_figures(paths.published_dir() / "survey_figures.csv"))
    frame = pd.read_parquet(work / f"{NATIONAL}.parquet")
    return frame, codebook, figures


def prepare(name: str, work: Path, subsample: int | None = None):
    """Load what workload ``name`` needs (not timed); returns (call, describe): ``call()`` is the timed
    work, ``describe(result)`` a few lines about its result."""
    import numpy as np
    import pandas as pd

    from analysis.core import paths

    if name == "sparsity":
        import geopandas as gpd

        from analysis.sparsity import measures as sparsity
        from analysis.core.settings import load_settings, reference_year
        from analysis.survey_data.synthetic import synthetic_config_path
        from analysis.core.files import read_yaml

        t = time.perf_counter()
        municipalities = pd.read_csv(paths.processed("municipalities.csv"), dtype={"kommun_kod": str, "lan_kod": str})
        tatorter = gpd.read_parquet(paths.processed("tatorter.parquet"))
        grid = gpd.read_parquet(paths.processed("population_grid.parquet"))
        load = time.perf_counter() - t
        ref_year = reference_year(load_settings().grid_reference_layer)
        detour = float(read_yaml(synthetic_config_path(), "synthetic-twin configuration")[BASE]["detour_factor"])
        codes = sorted(municipalities["kommun_kod"])
        from analysis.public_data.regions import load_regions, reference_kommun
        hub = reference_kommun(load_regions(), municipalities)  # the configured reference town

        def call():
            density = municipalities[["kommun_kod", "population", "land_area_km2"]].assign(
                density_land_per_km2=municipalities["population"] / municipalities["land_area_km2"])
            outside = sparsity.outside_tatorter(municipalities)
            distances = sparsity.tatort_distances(tatorter, codes, detour, hub)
            cells = grid[grid["ref_year"] == ref_year]
            weighted = sparsity.mean_distance_to_centre(cells, tatorter, codes, detour)
            return density, outside, distances, weighted

        def describe(result):
            density, outside, distances, weighted = result
            counties = sorted(municipalities.loc[municipalities["kommun_kod"].isin(weighted["kommun_kod"]), "lan_kod"].unique())
            return [f"loading the processed tables (not in the time): {load:.2f} s",
                    f"density and share outside tätorter: {len(density)} municipalities "
                    f"(median share outside {outside['share_outside_tatorter'].median():.1%})",
                    f"tätort distances: {len(distances)} tätorter in {distances['kommun_kod'].nunique()} municipalities; "
                    f"road km to Umeå median {distances['road_km_to_regional_centre'].median():.0f}, "
                    f"max {distances['road_km_to_regional_centre'].max():.0f}",
                    f"population-weighted road km to the centre: {len(weighted)} of {len(municipalities)} municipalities "
                    f"(counties {', '.join(counties)}) - the mirror's 1 km grid covers only Västerbotten and "
                    f"Norrbotten, so the other {len(municipalities) - len(weighted)} have no value"]

        return call, describe

    if name == "generate":
        from analysis.survey_data.synthetic_travel import generate_client

        t = time.perf_counter()
        codebook, figures, cfg, population, cells, centres, notes = national_inputs()
        load = time.perf_counter() - t

        def call():
            rng = np.random.default_rng([SEED, 290])
            return generate_client(codebook, figures, cfg, population, rng, cells, centres)

        def describe(result):
            frame, solutions = result
            frame.to_parquet(work / f"{NATIONAL}.parquet", index=False)
            per = frame["kommun"].value_counts()
            bands = frame["travel_distance"].value_counts(normalize=True).sort_index()
            return [f"inputs (processed tables, codebook, pseudo-cells; not in the time): {load:.2f} s", *notes,
                    f"{len(frame)} respondents in {per.size} municipalities ({per.min()}–{per.max()} each); "
                    f"{len(solutions)} questions solved against the 2018 'N av 10' figures",
                    "travel-distance bands 1-5: " + ", ".join(f"{b:.0%}" for b in bands)]

        return call, describe

    from analysis.client_surveys import indicators as client_survey

    frame, codebook, figures = _survey_frame(work)
    if subsample:
        frame = frame.sample(subsample, random_state=SEED).reset_index(drop=True)
    if name == "headline_indicators":
        def describe(table):
            ok = (table["of_ten"] == table["published_of_ten"]).dropna()
            return [f"{len(table)} indicators; 'N av 10' reproduced for {int(ok.sum())} of {len(ok)} published"]
        return (lambda: client_survey.headline_indicators(frame, codebook, figures)), describe
    if name == "indicators_by_municipality":
        def describe(table):
            shown = table[~table["suppressed"]].groupby("variable").size()
            hidden = table[table["suppressed"]].groupby("variable").size().reindex(shown.index, fill_value=0)
            return [f"{len(table)} rows; per indicator {shown.min() - 1}–{shown.max() - 1} municipalities shown, "
                    f"{hidden.min()}–{hidden.max()} merged (disclosure control over {frame['kommun'].nunique()})"]
        return (lambda: client_survey.indicators_by_municipality(frame, codebook)), describe
    if name == "collapsed_by_municipality":
        def call():
            return (client_survey.collapsed_by_municipality(frame, codebook, "travel_distance",
                                                            {"Under 20 km": (1, 2), "20 km eller mer": (3, 4, 5)}),
                    client_survey.collapsed_by_municipality(frame, codebook, "preferred_meeting",
                                                            {"På plats": (1, 2), "På distans": (3, 4, 5)}))

        def describe(result):
            return [f"{label}: {t['municipality'].nunique()} rows of municipalities "
                    f"({len(t.attrs.get('merged_codes', []))} merged)"
                    for label, t in zip(("travel_distance", "preferred_meeting"), result)]
        return call, describe
    if name == "distance_form_test":
        def describe(table):
            return [f"{i}: n = {r.n}, {r.test}, V = {r.cramers_v:.3f} [{r.v_low:.3f}, {r.v_high:.3f}]"
                    for i, r in table.iterrows()]
        return (lambda: client_survey.distance_form_test(frame)), describe
    if name == "cramers_v_bootstrap":
        from analysis.core import stats

        def call():
            both, collapsed = client_survey.answered_both(frame), client_survey.collapsed_answers(frame)
            return (stats.cramers_v_interval(both[client_survey.DISTANCE], both[client_survey.FORM]),
                    stats.cramers_v_interval(collapsed["distance"], collapsed["form"]))

        def describe(result):
            return [f"{label}: V = {v:.3f} [{low:.3f}, {high:.3f}]"
                    for label, (v, low, high) in zip(("full", "collapsed"), result)]
        return call, describe
    if name == "remote_preference_model":
        def describe(result):
            s = client_survey.remote_slope(result)
            return ["separated: no model" if s is None else
                    f"n = {s['n']}, slope {s['slope']:.4f} per km [{s['ci_low']:.4f}, {s['ci_high']:.4f}]"]
        return (lambda: client_survey.remote_preference_model(frame)), describe
    raise SystemExit(f"unknown workload {name!r}; one of {', '.join(WORKLOADS)}")


def worker(name: str, work: Path, result_path: Path, trace: bool, profile: Path | None,
           subsample: int | None = None) -> None:
    """Run one workload in this process and write its measurements as JSON."""
    call, describe = prepare(name, work, subsample)
    out: dict = {"workload": name, "subsample": subsample}
    if profile is not None:
        import cProfile

        profiler = cProfile.Profile()
        started = time.perf_counter()
        result = profiler.runcall(call)
        out["seconds"] = time.perf_counter() - started
        profiler.dump_stats(str(profile))
    elif trace:
        import tracemalloc

        tracemalloc.start()
        started = time.perf_counter()
        result = call()
        out["seconds"] = time.perf_counter() - started
        current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        out["tracemalloc_peak"] = peak
    else:
        started = time.perf_counter()
        result = call()
        out["seconds"] = time.perf_counter() - started
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
