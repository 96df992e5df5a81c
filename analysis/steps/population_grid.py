"""Step: Swedish 1 km population-grid cells with their municipality, for every configured year.

Reads every grid snapshot of the catalog (``kind: population_grid``) and records which counties they
cover together (``population_grid_coverage.csv``): grid-based measures are only meaningful there.
"""

from __future__ import annotations

from pathlib import Path

from analysis.core import paths
from analysis.public_data.catalog import grid_snapshots
from analysis.core.settings import load_settings, settings_path

COVERAGE = "population_grid_coverage.csv"


def inputs() -> list[Path]:
    grids = grid_snapshots()
    return [*(s.path for s in grids), *(s.meta_path for s in grids), paths.processed("municipalities.parquet"),
            settings_path()]


def outputs() -> list[Path]:
    return [paths.processed(n) for n in ("population_grid.parquet", "population_grid_summary.csv",
                                         "population_grid_excluded.csv", COVERAGE)]


def _layer_cells(grids, layer: str, kommuner, max_m: float):
    """One reference year's Swedish cells from every grid snapshot (a cell in two snapshots counted once),
    with their kommun, and what was left out."""
    import pandas as pd

    from analysis.public_data.geography import assign_cells, swedish_cells
    from analysis.public_data.sources import read_grid_layer

    layer_cells = pd.concat([read_grid_layer(s.path, layer) for s in grids], ignore_index=True)
    layer_cells = layer_cells.drop_duplicates("cell_id").reset_index(drop=True)
    year = layer_cells["ref_year"].iloc[0]
    swedish, mixed = swedish_cells(layer_cells)
    assigned = assign_cells(swedish, kommuner, max_m)
    unassigned = assigned[assigned["kommun_match"] == "none"]
    excluded = [mixed.assign(ref_year=year, reason="cell shared with a neighbouring country")]
    if len(unassigned):
        excluded.append(pd.DataFrame({
            "cntr_id": ["SE"], "cells": [len(unassigned)], "population": [unassigned["population"].sum()],
            "ref_year": [year], "reason": [f"more than {max_m:.0f} m from every kommun"],
        }))
    return assigned[assigned["kommun_match"] != "none"], excluded


def run() -> None:
    import geopandas as gpd
    import pandas as pd

    from analysis.core.files import write_csv, write_geoparquet

    grids = grid_snapshots()
    for s in grids:
        s.verify()
    settings = load_settings()
    kommuner = gpd.read_parquet(paths.processed("municipalities.parquet"))
    cells, excluded = [], []
    for layer in settings.grid_layers:
        layer_cells, layer_excluded = _layer_cells(grids, layer, kommuner, settings.grid_nearest_max_m)
        cells.append(layer_cells)
        excluded += layer_excluded
    all_cells = pd.concat(cells, ignore_index=True).sort_values(["ref_year", "cell_id"]).reset_index(drop=True)
    all_cells = gpd.GeoDataFrame(all_cells, geometry="geometry", crs=kommuner.crs)
    summary = (
        all_cells.groupby(["kommun_kod", "ref_year"])
        .agg(populated_cells=("cell_id", "size"), population=("population", "sum"))
        .reset_index()
    )
    coverage = pd.DataFrame([(lan, s.id) for s in grids for lan in sorted(map(str, s.meta["coverage_lan"]))],
                            columns=["lan_kod", "snapshot"]).drop_duplicates("lan_kod").sort_values("lan_kod")
    write_geoparquet(paths.processed("population_grid.parquet"), all_cells)
    write_csv(paths.processed("population_grid_summary.csv"), summary)
    write_csv(paths.processed("population_grid_excluded.csv"),
              pd.concat(excluded, ignore_index=True)[["ref_year", "cntr_id", "reason", "cells", "population"]])
    write_csv(paths.processed(COVERAGE), coverage)
