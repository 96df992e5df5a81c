"""Checks behind ``gino check``: raw snapshots verified and validated, published figures compared."""

from __future__ import annotations

import json

import pandas as pd

from analysis.core import files, paths
from analysis.public_data.catalog import grid_snapshots, load_catalog, snapshot
from analysis.core.settings import load_settings


def validate_raw() -> list[str]:
    """Verify every catalogued snapshot's checksum and validate its content; one line per snapshot.

    The checksums are verified on every run. Validating the content (reading every snapshot, about two
    seconds) is a function of the snapshots' bytes, the code and the configuration: when all are those of
    the last validation that passed, its lines are returned again (``data/.state/raw-validation.json``)."""
    from analysis.report.executed_notebooks import shared_fingerprint

    entries = load_catalog().values()
    for entry in entries:
        entry.verify()
    key = "\n".join([shared_fingerprint(), *sorted(f"{e.id} {e.sha256}" for e in entries)])
    stamp = paths.state_dir() / "raw-validation.json"
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
        if recorded["key"] == key and all(isinstance(line, str) for line in recorded["lines"]):
            return list(recorded["lines"])
    except (OSError, ValueError, KeyError, TypeError):
        pass  # no record, or a damaged one: validate
    lines = _validate_content()
    files.write_json(stamp, {"key": key, "lines": lines})
    return lines


def _validate_content() -> list[str]:
    from analysis.public_data.snapshot_checks import check_consistency  # geopandas and the readers: only
    from analysis.public_data.sources import (  # when something is validated
        read_areas, read_grid_layer, read_kommuner, read_lan, read_land_use, read_population, read_tatorter,
    )

    settings = load_settings()
    catalog = {i: snapshot(i) for i in ("kommuner_boundaries", "lan_boundaries", "land_use_2015", "areas_2015",
                                        "tatorter_2020", settings.population_snapshot)}
    kommuner = read_kommuner(catalog["kommuner_boundaries"].path, catalog["kommuner_boundaries"].meta["layer"])
    known = set(kommuner["kommun_kod"])
    lines = [f"kommuner_boundaries: {len(kommuner)} kommuner"]
    lan = read_lan(catalog["lan_boundaries"].path, catalog["lan_boundaries"].meta["layer"])
    lines.append(f"lan_boundaries: {len(lan)} län")
    pop, date = read_population(catalog[settings.population_snapshot].path, known)
    land_use, areas = read_land_use(catalog["land_use_2015"].path, known), read_areas(catalog["areas_2015"].path, known)
    check_consistency(pop, date, catalog[settings.population_snapshot].path, land_use, areas,
                      catalog["land_use_2015"].path, catalog["areas_2015"].path)
    lines.append(f"{settings.population_snapshot}: {pop['population'].sum():,} inhabitants on {date}, as SCB "
                 "published".replace(",", " "))
    lines.append(f"land_use_2015: {len(land_use)} kommuner, land area as in areas_2015")
    lines.append(f"areas_2015: {len(areas)} kommuner, total = land + water")
    lines.append(f"tatorter_2020: {len(read_tatorter(catalog['tatorter_2020'].path, known))} tätorter")
    for grid in grid_snapshots():
        for layer in settings.grid_layers:
            cells = read_grid_layer(grid.path, layer)
            lines.append(f"{grid.id}/{layer}: {len(cells)} cells (län {', '.join(map(str, grid.meta['coverage_lan']))})")
    return lines + validate_kolada()


def validate_kolada() -> list[str]:
    """Validate the content of the Kolada snapshots (values, definitions, groups); one line each."""
    from analysis.public_data.kolada import read_groups, read_kpi_definitions, read_kpi_values

    lines = []
    for snapshot_id in ("kolada_client_survey", "kolada_ifo_region10"):
        values = read_kpi_values(snapshot(snapshot_id).path)
        lines.append(f"{snapshot_id}: {len(values)} values, {values['kpi_id'].nunique()} KPIs, "
                     f"{values['kommun_kod'].nunique()} municipalities, {values['year'].min()}–{values['year'].max()}")
    lines.append(f"kolada_kpi_definitions: {len(read_kpi_definitions(snapshot('kolada_kpi_definitions').path))} KPIs")
    groups = read_groups(snapshot("kolada_municipality_groups").path)
    lines.append(f"kolada_municipality_groups: {groups['group_id'].nunique()} groups")
    return lines


def load_comparison() -> pd.DataFrame:
    return pd.read_csv(paths.processed("published_region_facts_comparison.csv"), dtype={"published_value": str},
                       keep_default_na=False)


def comparison_failures(comparison: pd.DataFrame) -> list[str]:
    failed = comparison[~comparison["passed"].astype(str).str.lower().eq("true")]
    return [f"{r.figure_id}: published {r.published_value}, computed {r.computed_value} ({r.comparison}, "
            f"tolerance {r.tolerance or 0})" for r in failed.itertuples(index=False)]


def load_survey_comparison() -> pd.DataFrame:
    return pd.read_csv(paths.processed("published_survey_figures_comparison.csv"), dtype=str, keep_default_na=False)


def survey_comparison_failures(comparison: pd.DataFrame) -> list[str]:
    """Figures not reproduced, except those the Kolada reconciliation shows no real data could reproduce."""
    conflict = comparison["kolada_conflict"].ne("") if "kolada_conflict" in comparison else False
    failed = comparison[~comparison["passed"].str.lower().eq("true") & ~conflict]
    return [f"{r.figure_id}: published {r.published_value} ({r.rule}), computed {r.computed} on {r.data_source} data"
            for r in failed.itertuples(index=False)]


def load_kolada_comparison() -> pd.DataFrame:
    return pd.read_csv(paths.processed("kolada_survey_comparison.csv"), dtype=str, keep_default_na=False)
