"""How sparsely the region is settled: distances, people outside tätorter, land without inhabitants.

Pure functions over the build's tables (municipalities, tätorter, the 1 km population grid,
region members); no file I/O. Coordinates are SWEREF 99 TM (EPSG:3006) metres. Road distance
is straight-line distance times a detour factor, the assumption of ``analysis.public_data.residence``.
"""

from __future__ import annotations


import numpy as np
import pandas as pd

from analysis.presentation.formatting import sv_number, sv_percent
from analysis.public_data.residence import weighted_distance_to_centre

GRID_COLUMNS = ("share_empty_land", "mean_road_km_to_centre")  # measures that need the population grid


def region_codes(members: pd.DataFrame, region_ids: list[str] | str) -> list[str]:
    """Sorted kommun codes of one region or the union of several (``members``: region_members.csv)."""
    ids = [region_ids] if isinstance(region_ids, str) else list(region_ids)
    return sorted(members.loc[members["region_id"].isin(ids), "kommun_kod"].unique())


def centre_points(tatorter: pd.DataFrame) -> pd.DataFrame:
    """Position of each kommun's centre (its ``is_centre`` tätort): kommun_kod, centre_name, centre_x, centre_y."""
    centres = tatorter[tatorter["is_centre"]]
    return pd.DataFrame({
        "kommun_kod": centres["kommun_kod"].to_numpy(),
        "centre_name": centres["tatort"].to_numpy(),
        "centre_x": centres.geometry.x.to_numpy(),
        "centre_y": centres.geometry.y.to_numpy(),
    })


def tatort_distances(tatorter: pd.DataFrame, kommun_codes: list[str], detour: float,
                     regional_centre: str) -> pd.DataFrame:
    """Distance from each tätort of ``kommun_codes`` to its municipal centre and to the regional centre.

    One row per tätort (sorted by kommun, then population descending) with straight-line
    ``km_to_centre``, ``km_to_regional_centre`` and the road distances ``road_km_…`` (straight
    line times ``detour``). ``regional_centre`` is a kommun code (the configured reference town,
    ``analysis.public_data.regions.reference_kommun``); its centre tätort is used.
    """
    centres = centre_points(tatorter).set_index("kommun_kod")
    hub = centres.loc[regional_centre]
    towns = tatorter[tatorter["kommun_kod"].isin(kommun_codes)]
    own = centres.loc[towns["kommun_kod"]]
    x, y = towns.geometry.x.to_numpy(), towns.geometry.y.to_numpy()
    out = pd.DataFrame({
        "kommun_kod": towns["kommun_kod"].to_numpy(),
        "tatortskod": towns["tatortskod"].to_numpy(),
        "tatort": towns["tatort"].to_numpy(),
        "population": towns["population"].to_numpy(),
        "is_centre": towns["is_centre"].to_numpy(),
        "centre_name": own["centre_name"].to_numpy(),
        "km_to_centre": np.hypot(x - own["centre_x"].to_numpy(), y - own["centre_y"].to_numpy()) / 1000,
        "km_to_regional_centre": np.hypot(x - hub["centre_x"], y - hub["centre_y"]) / 1000,
    })
    out["road_km_to_centre"] = out["km_to_centre"] * detour
    out["road_km_to_regional_centre"] = out["km_to_regional_centre"] * detour
    return out.sort_values(["kommun_kod", "population"], ascending=[True, False]).reset_index(drop=True)


def mean_distance_to_centre(cells: pd.DataFrame, tatorter: pd.DataFrame, kommun_codes: list[str],
                            detour: float) -> pd.DataFrame:
    """Population-weighted mean road distance (km) from where people live to their municipal centre.

    ``cells``: the populated 1 km grid cells of one reference year (kommun_kod, population,
    geometry). Uses the residence model's ``weighted_distance_to_centre`` (cell centres, road =
    straight line times ``detour``). Returns kommun_kod, population (in the grid) and
    mean_road_km_to_centre.
    """
    cells = cells[cells["kommun_kod"].isin(kommun_codes)]
    return weighted_distance_to_centre(cells, centre_points(tatorter), detour)


def outside_tatorter(municipalities: pd.DataFrame) -> pd.DataFrame:
    """People living outside tätorter per kommun: population, population_outside_tatorter, share_outside_tatorter.

    Caveats: ``population_in_tatorter`` counts tätort residents on 31 December 2020 while
    ``population`` is the municipal population at the end of 2019, so the share mixes two dates
    (a municipality that shrank during 2020 comes out slightly too low). A tätort is counted in
    the kommun of its code even where it extends into neighbours (Stockholm, Göteborg), so
    ``population_outside_tatorter`` can be negative; it is kept as is, so that sums over a region
    balance out, and only ``share_outside_tatorter`` is clipped at 0.
    """
    m = municipalities
    outside = m["population"] - m["population_in_tatorter"]
    return pd.DataFrame({
        "kommun_kod": m["kommun_kod"].to_numpy(),
        "population": m["population"].to_numpy(),
        "population_outside_tatorter": outside.to_numpy(),
        "share_outside_tatorter": (outside / m["population"]).clip(lower=0).to_numpy(),
    })


def empty_land(municipalities: pd.DataFrame, cells: pd.DataFrame, kommun_codes: list[str],
               grid_codes: list[str] | None = None) -> pd.DataFrame:
    """Land without inhabitants per kommun: land_area_km2, populated_km2, empty_land_km2, share_empty_land.

    ``cells``: grid cells of one reference year, each ~1 km² (their area is taken from the
    geometry). Populated area is the area of the cells with population > 0 assigned to the kommun;
    empty land is land area minus populated area, clipped at 0, over land area. An approximation:
    a cell is assigned whole to the kommun holding its centre though it may cross a border, it may
    be partly lake or sea (so populated land is overstated and empty land understated), and cells
    shared with Norway or Finland are not in the grid (the opposite bias, at the national border).
    Only meaningful for kommuner the grid covers: those not in ``grid_codes`` (when given) get NaN
    for populated, empty land and its share, never "all empty".
    """
    populated = cells[(cells["population"] > 0) & cells["kommun_kod"].isin(kommun_codes)]
    populated_km2 = (populated.geometry.area / 1e6).groupby(populated["kommun_kod"].to_numpy()).sum()
    m = municipalities[municipalities["kommun_kod"].isin(kommun_codes)]
    land = m["land_area_km2"].to_numpy(dtype=float)
    populated_in_kommun = populated_km2.reindex(m["kommun_kod"]).fillna(0).to_numpy()
    empty = np.clip(land - populated_in_kommun, 0, None)
    out = pd.DataFrame({
        "kommun_kod": m["kommun_kod"].to_numpy(),
        "land_area_km2": land,
        "populated_km2": populated_in_kommun,
        "empty_land_km2": empty,
        "share_empty_land": empty / land,
    })
    if grid_codes is not None:
        outside = ~out["kommun_kod"].isin(grid_codes)
        out.loc[outside, ["populated_km2", "empty_land_km2", "share_empty_land"]] = np.nan
    return out


def pooled_share(per_kommun: pd.DataFrame, members: pd.DataFrame, region_ids: list[str],
                 numerator: str, denominator: str) -> pd.Series:
    """Share for each region: sum of ``numerator`` over sum of ``denominator`` across its kommuner.

    A region with a member missing from ``per_kommun`` or without a value (e.g. outside the grid's
    coverage) gets NaN.
    """
    values = per_kommun.set_index("kommun_kod")
    shares = {}
    for region_id in region_ids:
        codes = region_codes(members, region_id)
        if not set(codes) <= set(values.index) or values.loc[codes, numerator].isna().any():
            shares[region_id] = np.nan
            continue
        shares[region_id] = values.loc[codes, numerator].sum() / values.loc[codes, denominator].sum()
    return pd.Series(shares, name=numerator)


def region_sparsity(outside: pd.DataFrame, empty: pd.DataFrame, members: pd.DataFrame,
                    region_ids: list[str]) -> pd.DataFrame:
    """Per region: share of the population outside tätorter and share of land without inhabitants.

    ``outside`` from :func:`outside_tatorter`, ``empty`` from :func:`empty_land`; shares are pooled
    over the region's kommuner (NaN where the grid does not cover every member).
    """
    names = members.drop_duplicates("region_id").set_index("region_id")["region_name"]
    return pd.DataFrame({
        "region_id": region_ids,
        "region_name": names.loc[region_ids].to_numpy(),
        "share_outside_tatorter": pooled_share(outside, members, region_ids, "population_outside_tatorter",
                                               "population").to_numpy(),
        "share_empty_land": pooled_share(empty, members, region_ids, "empty_land_km2", "land_area_km2").to_numpy(),
    })


def sparsity_table(municipalities: pd.DataFrame, cells: pd.DataFrame, tatorter: pd.DataFrame,
                   kommun_codes: list[str], detour: float, regional_centre: str,
                   grid_codes: list[str] | None = None) -> pd.DataFrame:
    """One row per kommun of ``kommun_codes``: density, people outside tätorter, empty land and distances.

    Columns: kommun_kod, kommun_namn, population, land_area_km2, density_land_per_km2,
    share_outside_tatorter, share_empty_land, mean_road_km_to_centre (population-weighted, from the
    grid) and road_km_centre_to_regional (the centre tätort to that of ``regional_centre``, a kommun
    code). ``cells``: grid cells of the reference year; ``grid_codes``: the kommuner the grid covers
    (others get NaN for the grid's measures; None: all of ``kommun_codes``).
    """
    m = municipalities[municipalities["kommun_kod"].isin(kommun_codes)]
    base = m[["kommun_kod", "kommun_namn", "population", "land_area_km2"]].assign(
        density_land_per_km2=m["population"] / m["land_area_km2"])
    centres = tatort_distances(tatorter, kommun_codes, detour, regional_centre).query("is_centre")
    return (base
            .merge(outside_tatorter(m)[["kommun_kod", "share_outside_tatorter"]], on="kommun_kod")
            .merge(empty_land(m, cells, kommun_codes, grid_codes)[["kommun_kod", "share_empty_land"]], on="kommun_kod")
            .merge(mean_distance_to_centre(cells, tatorter, [c for c in kommun_codes
                                                             if grid_codes is None or c in grid_codes], detour)
                   [["kommun_kod", "mean_road_km_to_centre"]], on="kommun_kod", how="left")
            .merge(centres[["kommun_kod", "road_km_to_regional_centre"]]
                   .rename(columns={"road_km_to_regional_centre": "road_km_centre_to_regional"}),
                   on="kommun_kod", how="left")
            .sort_values("kommun_kod").reset_index(drop=True))


# ---------------------------------------------------------------- Swedish presentation tables

def _sv(values: pd.Series, decimals: int = 0) -> pd.Series:
    return values.map(lambda x: sv_number(x, decimals))


def _sv_percent(values: pd.Series) -> pd.Series:
    """Whole percentages; a share the data cannot give is shown as '–'."""
    return values.map(lambda x: "–" if pd.isna(x) else sv_percent(x))


def distance_table_sv(distances: pd.DataFrame, municipalities: pd.DataFrame, town: str) -> pd.DataFrame:
    """:func:`tatort_distances` for the report: Swedish headers naming the reference ``town``, km with no
    decimals, centres marked."""
    names = municipalities.set_index("kommun_kod")["kommun_namn"]
    return pd.DataFrame({
        "Kommun": distances["kommun_kod"].map(names),
        "Tätort": distances["tatort"] + np.where(distances["is_centre"], " (centralort)", ""),
        "Invånare (2020)": distances["population"].map(sv_number),
        "Till centralorten, fågelvägen (km)": _sv(distances["km_to_centre"]),
        "Till centralorten, väg (km)": _sv(distances["road_km_to_centre"]),
        f"Till {town}, fågelvägen (km)": _sv(distances["km_to_regional_centre"]),
        f"Till {town}, väg (km)": _sv(distances["road_km_to_regional_centre"]),
    })


def sparsity_table_sv(table: pd.DataFrame, town: str) -> pd.DataFrame:
    """:func:`sparsity_table` for the report, with Swedish headers (naming the reference ``town``) and
    numbers; a grid-based measure no municipality has a value for (outside the grid) is left out."""
    out = pd.DataFrame({
        "Kommun": table["kommun_namn"],
        "Folkmängd": table["population"].map(sv_number),
        "Invånare per km² land": _sv(table["density_land_per_km2"], 2),
        "Andel utanför tätort": _sv_percent(table["share_outside_tatorter"]),
        "Andel av landet utan invånare": _sv_percent(table["share_empty_land"]),
        "Medelavstånd till centralorten, väg (km)": _sv(table["mean_road_km_to_centre"], 1),
        f"Centralorten till {town}, väg (km)": _sv(table["road_km_centre_to_regional"]),
    })
    empty = {"share_empty_land": "Andel av landet utan invånare",
             "mean_road_km_to_centre": "Medelavstånd till centralorten, väg (km)"}
    return out.drop(columns=[header for column, header in empty.items() if table[column].isna().all()])


def region_sparsity_sv(regions: pd.DataFrame) -> pd.DataFrame:
    """:func:`region_sparsity` for the report; a share the data cannot give is shown as '–', and the
    share of empty land is left out when the grid covers none of the regions."""
    out = pd.DataFrame({
        "Region": regions["region_name"],
        "Andel utanför tätort": _sv_percent(regions["share_outside_tatorter"]),
        "Andel av landet utan invånare": _sv_percent(regions["share_empty_land"]),
    })
    return out.drop(columns="Andel av landet utan invånare") if regions["share_empty_land"].isna().all() else out
