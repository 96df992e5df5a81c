"""Areas, tätorter and population-grid cells per municipality (pure functions, no I/O)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd


def municipal_areas(land_use: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Total, land and water area (km²) per kommun.

    Land area comes from SCB's land-use statistics (class "total landareal"); total area
    (land and all inland water, excluding sea) from the area table. Water is the difference.
    """
    df = areas[["kommun_kod", "total_area_km2"]].merge(land_use, on="kommun_kod", how="inner", validate="1:1")
    df["water_area_km2"] = (df["total_area_km2"] - df["land_area_km2"]).round(2)
    return df[["kommun_kod", "total_area_km2", "land_area_km2", "water_area_km2"]]


def mark_centres(tatorter: pd.DataFrame) -> pd.DataFrame:
    """Flag each kommun's most populous tätort as its municipal centre (ties: lowest tätort code)."""
    ranked = tatorter.sort_values(["kommun_kod", "population", "tatortskod"], ascending=[True, False, True])
    centre_codes = set(ranked.groupby("kommun_kod", sort=False)["tatortskod"].first())
    return tatorter.assign(is_centre=tatorter["tatortskod"].isin(centre_codes))


def tatort_summary(tatorter: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per kommun: number of tätorter, their total population, and the centre's name, code, population and position."""
    counts = tatorter.groupby("kommun_kod").agg(
        n_tatorter=("tatortskod", "size"), population_in_tatorter=("population", "sum")
    )
    centres = tatorter[tatorter["is_centre"]].set_index("kommun_kod")
    centre = pd.DataFrame({
        "centre_tatortskod": centres["tatortskod"],
        "centre_name": centres["tatort"],
        "centre_population": centres["population"],
        "centre_x": centres.geometry.x.round(1),
        "centre_y": centres.geometry.y.round(1),
    })
    return counts.join(centre).reset_index()


def swedish_cells(cells: gpd.GeoDataFrame) -> tuple[gpd.GeoDataFrame, pd.DataFrame]:
    """Keep cells coded ``SE`` only; the rest (``FI-SE``, ``SE-NO``) mix two countries' residents.

    Returns the Swedish cells and a summary of what was excluded per country code.
    """
    is_se = cells["cntr_id"] == "SE"
    excluded = (
        cells.loc[~is_se].groupby("cntr_id").agg(cells=("cell_id", "size"), population=("population", "sum"))
        .reset_index()
    )
    return cells.loc[is_se].copy(), excluded


def assign_cells(cells: gpd.GeoDataFrame, kommuner: gpd.GeoDataFrame, max_distance_m: float) -> gpd.GeoDataFrame:
    """Give each grid cell the kommun containing its centre, else the nearest within ``max_distance_m``.

    Cells near the generalised coastline fall outside every polygon; those farther than the
    limit from any kommun get no code (``kommun_kod`` empty) so they can be reported.
    """
    centres = gpd.GeoDataFrame(cells[["cell_id"]], geometry=cells.geometry.centroid, crs=cells.crs)
    polys = kommuner[["kommun_kod", "geometry"]]
    within = gpd.sjoin(centres, polys, how="left", predicate="within").drop(columns="index_right")
    within = within[~within.index.duplicated(keep="first")]
    out = cells.assign(kommun_kod=within["kommun_kod"], kommun_match="within", dist_to_kommun_m=0.0)
    outside = out["kommun_kod"].isna()
    if outside.any():
        near = gpd.sjoin_nearest(centres.loc[outside], polys, how="left", max_distance=max_distance_m,
                                 distance_col="dist")
        near = near[~near.index.duplicated(keep="first")]
        out.loc[outside, "kommun_kod"] = near["kommun_kod"]
        out.loc[outside, "kommun_match"] = "nearest"
        out.loc[outside, "dist_to_kommun_m"] = near["dist"].round(0)
    unassigned = out["kommun_kod"].isna()
    out.loc[unassigned, "kommun_match"] = "none"
    out.loc[unassigned, "dist_to_kommun_m"] = float("nan")
    out["kommun_kod"] = out["kommun_kod"].fillna("")
    return out
