"""The national-scale workloads. Each runs inside its own child process (``national.py``):
``prepare(name, work)`` loads what it needs (not timed) and returns ``call``, the timed work, and
``describe``, which turns the result into a few lines for the benchmark's output.

Workloads (``WORKLOADS``):

``sparsity``
    ``analysis.sparsity.measures`` on the full processed tables: density and the share living outside
    tätorter for all 290 municipalities, the distance of every tätort in Sweden to its municipal
    centre and to Umeå, and the population-weighted distance to the centre where the 1 km grid
    exists. The mirror's grid covers Västerbotten (24) and Norrbotten (25) only, so that last
    figure exists for 29 of the 290 municipalities.
``generate``
    A synthetic NATIONAL client survey of ``RESPONDENTS`` respondents made by the project's own
    generator (``analysis.survey_data.synthetic_travel.generate_client``); its inputs and the
    residence model outside the grid are in ``national_survey.py``. Written to
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
"""

from __future__ import annotations

import time
from pathlib import Path

from national_survey import NATIONAL, SEED, base_config, national_inputs, read_municipalities, survey_frame


def prepare(name: str, work: Path, subsample: int | None = None):
    """Load what workload ``name`` needs (not timed); returns (call, describe): ``call()`` is the timed
    work, ``describe(result)`` a few lines about its result. ``subsample``: the analyses only, on a
    random subsample of that many respondents."""
    if name == "sparsity":
        return _sparsity()
    if name == "generate":
        return _generate(work)
    if name not in ON_SURVEY:
        raise SystemExit(f"unknown workload {name!r}; one of {', '.join(WORKLOADS)}")
    frame, codebook, figures = survey_frame(work)
    if subsample:
        frame = frame.sample(subsample, random_state=SEED).reset_index(drop=True)
    return ON_SURVEY[name](frame, codebook, figures)


def _sparsity():
    import geopandas as gpd

    from analysis.core import paths
    from analysis.core.settings import load_settings, reference_year
    from analysis.public_data.regions import load_regions, reference_kommun
    from analysis.sparsity import measures as sparsity

    t = time.perf_counter()
    municipalities = read_municipalities()
    tatorter = gpd.read_parquet(paths.processed("tatorter.parquet"))
    grid = gpd.read_parquet(paths.processed("population_grid.parquet"))
    load = time.perf_counter() - t
    ref_year = reference_year(load_settings().grid_reference_layer)
    detour = float(base_config()["detour_factor"])
    codes = sorted(municipalities["kommun_kod"])
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


def _generate(work: Path):
    import numpy as np

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


# ---------------------------------------------------------------- the analyses, on the national survey

def _headline_indicators(frame, codebook, figures):
    from analysis.client_surveys import indicators as client_survey

    def describe(table):
        ok = (table["of_ten"] == table["published_of_ten"]).dropna()
        return [f"{len(table)} indicators; 'N av 10' reproduced for {int(ok.sum())} of {len(ok)} published"]
    return (lambda: client_survey.headline_indicators(frame, codebook, figures)), describe


def _indicators_by_municipality(frame, codebook, figures):
    from analysis.client_surveys import indicators as client_survey

    def describe(table):
        shown = table[~table["suppressed"]].groupby("variable").size()
        hidden = table[table["suppressed"]].groupby("variable").size().reindex(shown.index, fill_value=0)
        return [f"{len(table)} rows; per indicator {shown.min() - 1}–{shown.max() - 1} municipalities shown, "
                f"{hidden.min()}–{hidden.max()} merged (disclosure control over {frame['kommun'].nunique()})"]
    return (lambda: client_survey.indicators_by_municipality(frame, codebook)), describe


def _collapsed_by_municipality(frame, codebook, figures):
    from analysis.client_surveys import indicators as client_survey

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


def _distance_form_test(frame, codebook, figures):
    from analysis.client_surveys import indicators as client_survey

    def describe(table):
        return [f"{i}: n = {r.n}, {r.test}, V = {r.cramers_v:.3f} [{r.v_low:.3f}, {r.v_high:.3f}]"
                for i, r in table.iterrows()]
    return (lambda: client_survey.distance_form_test(frame)), describe


def _cramers_v_bootstrap(frame, codebook, figures):
    from analysis.client_surveys import indicators as client_survey
    from analysis.core import stats

    def call():
        both, collapsed = client_survey.answered_both(frame), client_survey.collapsed_answers(frame)
        return (stats.cramers_v_interval(both[client_survey.DISTANCE], both[client_survey.FORM]),
                stats.cramers_v_interval(collapsed["distance"], collapsed["form"]))

    def describe(result):
        return [f"{label}: V = {v:.3f} [{low:.3f}, {high:.3f}]"
                for label, (v, low, high) in zip(("full", "collapsed"), result)]
    return call, describe


def _remote_preference_model(frame, codebook, figures):
    from analysis.client_surveys import indicators as client_survey

    def describe(result):
        s = client_survey.remote_slope(result)
        return ["separated: no model" if s is None else
                f"n = {s['n']}, slope {s['slope']:.4f} per km [{s['ci_low']:.4f}, {s['ci_high']:.4f}]"]
    return (lambda: client_survey.remote_preference_model(frame)), describe


# The workloads on the national survey, in order. The first five are the analyses timed against the
# national target; cramers_v_bootstrap, a component of distance_form_test, is measured but not counted.
ON_SURVEY = {
    "headline_indicators": _headline_indicators,
    "indicators_by_municipality": _indicators_by_municipality,
    "collapsed_by_municipality": _collapsed_by_municipality,
    "distance_form_test": _distance_form_test,
    "remote_preference_model": _remote_preference_model,
    "cramers_v_bootstrap": _cramers_v_bootstrap,
}
ANALYSES = tuple(name for name in ON_SURVEY if name != "cramers_v_bootstrap")
WORKLOADS = ("sparsity", "generate", *ON_SURVEY)
