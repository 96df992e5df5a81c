"""Step: Swedish 1 km population-grid cells with their municipality, for every configured year."""

from __future__ import annotations

from pathlib import Path


from analysis import paths
from analysis.catalog import snapshot
from analysis.settings import load_settings, settings_path


def inputs() -> list[Path]:
    return [snapshot("population_grid").path, paths.processed("municipalities.parquet"), settings_path()]


def outputs() -> list[Path]:
    return [paths.processed(n) for n in ("population_grid.parquet", "population_grid_summary.csv",
                                         "population_grid_excluded.csv")]


def run() -> None:
    import geopandas as gpd
    import pandas as pd

    from analysis.files import write_csv, write_geoparquet
    from analysis.geography import assign_cells, swedish_cells
    from analysis.sources import read_grid_layer

    grid = snapshot("population_grid")
    grid.verify()
    settings = load_settings()
    kommuner = gpd.read_parquet(paths.processed("municipalities.parquet"))
    cells, excluded = [], []
    for layer in settings.grid_layers:
        layer_cells = read_grid_layer(grid.path, layer)
        swedish, mixed = swedish_cells(layer_cells)
        assigned = assign_cells(swedish, kommuner, settings.grid_nearest_max_m)
        unassigned = assigned[assigned["kommun_match"] == "none"]
        excluded.append(mixed.assign(ref_year=layer_cells["ref_year"].iloc[0], reason="cell shared with a neighbouring country"))
        if len(unassigned):
            excluded.append(pd.DataFrame({
                "cntr_id": ["SE"], "cells": [len(unassigned)], "population": [unassigned["population"].sum()],
                "ref_year": [layer_cells["ref_year"].iloc[0]],
                "reason": [f"more than {settings.grid_nearest_max_m:.0f} m from every kommun"],
            }))
        cells.append(assigned[assigned["kommun_match"] != "none"])
    all_cells = pd.concat(cells, ignore_index=True).sort_values(["ref_year", "cell_id"]).reset_index(drop=True)
    all_cells = gpd.GeoDataFrame(all_cells, geometry="geometry", crs=kommuner.crs)
    summary = (
        all_cells.groupby(["kommun_kod", "ref_year"])
        .agg(populated_cells=("cell_id", "size"), population=("population", "sum"))
        .reset_index()
    )
    write_geoparquet(paths.processed("population_grid.parquet"), all_cells)
    write_csv(paths.processed("population_grid_summary.csv"), summary)
    write_csv(paths.processed("population_grid_excluded.csv"),
              pd.concat(excluded, ignore_index=True)[["ref_year", "cntr_id", "reason", "cells", "population"]])
