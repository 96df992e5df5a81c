"""Sparsity measures on small hand-built frames whose answers are worked out by hand.

Kommun 0001 has its centre at (0, 0) and a second tätort at (3 km, 4 km): a 3-4-5 triangle, so
5 km in a straight line and 6.5 km by road with detour 1.3. The regional centre (kommun 2480)
sits at (6 km, 8 km): 10 km from the centre of 0001 and 5 km from its second tätort.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Point, box

from analysis.sparsity import measures as sparsity
from analysis.core.settings import reference_year

NBSP = "\u00a0"
DETOUR = 1.3


def cell(x: float, y: float):
    """A 1 km² square cell centred on (x, y) metres."""
    return box(x - 500, y - 500, x + 500, y + 500)


@pytest.fixture
def tatorter() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({
        "tatortskod": ["0001TC1", "0001TB2", "2480TC1", "2480TB2"],
        "tatort": ["Centrum", "Byn", "Umeå", "Holmsund"],
        "kommun_kod": ["0001", "0001", "2480", "2480"],
        "population": [1000, 200, 90000, 5000],
        "is_centre": [True, False, True, False],
    }, geometry=[Point(0, 0), Point(3000, 4000), Point(6000, 8000), Point(9000, 8000)], crs=3006)


@pytest.fixture
def municipalities() -> pd.DataFrame:
    return pd.DataFrame({
        "kommun_kod": ["0001", "0002", "2480"],
        "kommun_namn": ["Ettby", "Tvåby", "Umeå"],
        "population": [1500, 100, 100000],
        # 0002: more tätort residents in 2020 than inhabitants in 2019, so nobody outside
        "population_in_tatorter": [1200, 120, 95000],
        "land_area_km2": [10.0, 1.5, 50.0],
    })


@pytest.fixture
def cells() -> gpd.GeoDataFrame:
    """0001: three residents in the centre's cell, one 5 km away; 0002: two cells on 1.5 km² of land."""
    return gpd.GeoDataFrame({
        "kommun_kod": ["0001", "0001", "0002", "0002", "2480"],
        "population": [3, 1, 10, 10, 500],
        "ref_year": 2018,
    }, geometry=[cell(0, 0), cell(3000, 4000), cell(20000, 0), cell(21000, 0), cell(6000, 8000)], crs=3006)


@pytest.fixture
def members() -> pd.DataFrame:
    return pd.DataFrame({
        "region_id": ["r1", "r1", "r2", "r2", "all", "all", "all", "all"],
        "region_name": ["Region ett", "Region ett", "Region två", "Region två", "Allt", "Allt", "Allt", "Allt"],
        "kommun_kod": ["0001", "0002", "0002", "2480", "0001", "0002", "2480", "9999"],
    })


def test_reference_year_from_layer_name():
    assert reference_year("pop_1km_2018") == 2018
    with pytest.raises(ValueError, match="no four-digit year"):
        reference_year("pop_1km")


def test_region_codes_single_and_union(members):
    assert sparsity.region_codes(members, "r1") == ["0001", "0002"]
    assert sparsity.region_codes(members, ["r1", "r2"]) == ["0001", "0002", "2480"]


def test_centre_points(tatorter):
    centres = sparsity.centre_points(tatorter).set_index("kommun_kod")
    assert list(centres.index) == ["0001", "2480"]
    assert centres.loc["2480", ["centre_x", "centre_y"]].tolist() == [6000, 8000]
    assert centres.loc["0001", "centre_name"] == "Centrum"


def test_tatort_distances_3_4_5_triangle(tatorter):
    d = sparsity.tatort_distances(tatorter, ["0001"], DETOUR, "2480").set_index("tatort")
    assert list(d.index) == ["Centrum", "Byn"]  # largest first
    assert d.loc["Byn", "km_to_centre"] == pytest.approx(5.0)
    assert d.loc["Byn", "road_km_to_centre"] == pytest.approx(6.5)
    assert d.loc["Byn", "km_to_regional_centre"] == pytest.approx(5.0)
    assert d.loc["Centrum", "km_to_centre"] == 0
    assert d.loc["Centrum", "km_to_regional_centre"] == pytest.approx(10.0)
    assert d.loc["Centrum", "road_km_to_regional_centre"] == pytest.approx(13.0)
    assert (d["centre_name"] == "Centrum").all()


def test_mean_distance_to_centre_weights_by_population(cells, tatorter):
    out = sparsity.mean_distance_to_centre(cells, tatorter, ["0001"], DETOUR)
    # (3 people x 0 km + 1 person x 6.5 km) / 4 people
    assert out["kommun_kod"].tolist() == ["0001"]
    assert out["population"].tolist() == [4]
    assert out["mean_road_km_to_centre"].iloc[0] == pytest.approx(1.625)


def test_outside_tatorter_share_and_clip(municipalities):
    out = sparsity.outside_tatorter(municipalities).set_index("kommun_kod")
    assert out.loc["0001", "population_outside_tatorter"] == 300
    assert out.loc["0001", "share_outside_tatorter"] == pytest.approx(0.2)
    assert out.loc["0002", "population_outside_tatorter"] == -20  # 120 in tätorter (2020), 100 inhabitants (2019)
    assert out.loc["0002", "share_outside_tatorter"] == 0


def test_empty_land_two_cells_and_clip(municipalities, cells):
    grid = pd.concat([cells, cells.iloc[[0]].assign(population=0)], ignore_index=True)  # an empty cell counts not
    out = sparsity.empty_land(municipalities, grid, ["0001", "0002"]).set_index("kommun_kod")
    assert list(out.index) == ["0001", "0002"]
    assert out.loc["0001", "populated_km2"] == pytest.approx(2.0)
    assert out.loc["0001", "empty_land_km2"] == pytest.approx(8.0)
    assert out.loc["0001", "share_empty_land"] == pytest.approx(0.8)
    assert out.loc["0002", "empty_land_km2"] == 0  # 2 km² of cells on 1.5 km² of land
    assert out.loc["0002", "share_empty_land"] == 0


def test_empty_land_without_populated_cells_is_all_empty(municipalities, cells):
    out = sparsity.empty_land(municipalities, cells[cells["kommun_kod"] != "0002"], ["0002"])
    assert out["share_empty_land"].tolist() == [1.0]


def test_pooled_share_sums_before_dividing(members, municipalities):
    outside = sparsity.outside_tatorter(municipalities)
    shares = sparsity.pooled_share(outside, members, ["r1", "r2", "all"], "population_outside_tatorter", "population")
    assert shares["r1"] == pytest.approx((300 - 20) / 1600)  # the negative count is not clipped before pooling
    assert shares["r2"] == pytest.approx((-20 + 5000) / 100100)
    assert np.isnan(shares["all"])  # kommun 9999 has no data


def test_region_sparsity(members, municipalities, cells):
    outside = sparsity.outside_tatorter(municipalities)
    empty = sparsity.empty_land(municipalities, cells, ["0001", "0002"])
    out = sparsity.region_sparsity(outside, empty, members, ["r1", "r2"]).set_index("region_id")
    assert out.loc["r1", "region_name"] == "Region ett"
    assert out.loc["r1", "share_empty_land"] == pytest.approx(8.0 / 11.5)
    assert out.loc["r1", "share_outside_tatorter"] == pytest.approx(280 / 1600)
    assert np.isnan(out.loc["r2", "share_empty_land"])  # Umeå is not in ``empty``


def test_sparsity_table_joins_the_measures(municipalities, cells, tatorter):
    table = sparsity.sparsity_table(municipalities, cells, tatorter, ["0001"], DETOUR, "2480")
    row = table.iloc[0]
    assert len(table) == 1 and row["kommun_namn"] == "Ettby"
    assert row["density_land_per_km2"] == pytest.approx(150.0)
    assert row["share_outside_tatorter"] == pytest.approx(0.2)
    assert row["share_empty_land"] == pytest.approx(0.8)
    assert row["mean_road_km_to_centre"] == pytest.approx(1.625)
    assert row["road_km_centre_to_regional"] == pytest.approx(13.0)


def test_distance_table_sv(tatorter, municipalities):
    table = sparsity.distance_table_sv(sparsity.tatort_distances(tatorter, ["0001"], DETOUR, "2480"), municipalities, "Umeå")
    assert table["Tätort"].tolist() == ["Centrum (centralort)", "Byn"]
    assert table["Kommun"].tolist() == ["Ettby", "Ettby"]
    assert table["Invånare (2020)"].tolist() == [f"1{NBSP}000", "200"]
    assert table["Till centralorten, fågelvägen (km)"].tolist() == ["0", "5"]
    assert table["Till Umeå, väg (km)"].iloc[0] == "13"


def test_sparsity_table_sv(municipalities, cells, tatorter):
    table = sparsity.sparsity_table_sv(sparsity.sparsity_table(municipalities, cells, tatorter, ["0001"], DETOUR, "2480"),
                                       "Umeå")
    row = table.iloc[0]
    assert row["Folkmängd"] == f"1{NBSP}500"
    assert row["Invånare per km² land"] == "150,00"
    assert row["Andel utanför tätort"] == f"20{NBSP}%"
    assert row["Andel av landet utan invånare"] == f"80{NBSP}%"
    assert row["Medelavstånd till centralorten, väg (km)"] == "1,6"


def test_region_sparsity_sv_shows_dash_for_missing():
    regions = pd.DataFrame({"region_id": ["a", "b"], "region_name": ["A", "B"], "share_outside_tatorter": [0.388, 0.1],
                            "share_empty_land": [np.nan, 0.5]})
    table = sparsity.region_sparsity_sv(regions)
    assert table.iloc[0].tolist() == ["A", f"39{NBSP}%", "–"]


def test_region_sparsity_sv_leaves_out_empty_land_when_no_region_has_it():
    regions = pd.DataFrame({"region_id": ["a"], "region_name": ["A"], "share_outside_tatorter": [0.388],
                            "share_empty_land": [np.nan]})
    assert sparsity.region_sparsity_sv(regions).columns.tolist() == ["Region", "Andel utanför tätort"]


def test_outside_the_grid_no_grid_measure_is_invented(municipalities, cells, tatorter):
    """A kommun outside the grid's coverage gets no empty land (not 'all empty') and no weighted distance."""
    empty = sparsity.empty_land(municipalities, cells, ["0001", "0002"], grid_codes=["0001"]).set_index("kommun_kod")
    assert empty.loc["0001", "share_empty_land"] == pytest.approx(0.8)
    assert np.isnan(empty.loc["0002", "share_empty_land"]) and np.isnan(empty.loc["0002", "populated_km2"])
    table = sparsity.sparsity_table(municipalities, cells, tatorter, ["0001"], DETOUR, "2480", grid_codes=[])
    assert table["share_empty_land"].isna().all() and table["mean_road_km_to_centre"].isna().all()
    assert table["road_km_centre_to_regional"].iloc[0] == pytest.approx(13.0)  # not a grid measure
    shown = sparsity.sparsity_table_sv(table, "Storstad")
    assert "Andel av landet utan invånare" not in shown and "Medelavstånd till centralorten, väg (km)" not in shown
    assert shown["Centralorten till Storstad, väg (km)"].tolist() == ["13"]
    assert not any("Umeå" in c for c in shown.columns)


def test_the_reference_town_is_a_parameter(tatorter, municipalities):
    distances = sparsity.tatort_distances(tatorter, ["0001"], DETOUR, "0001")
    assert distances["km_to_regional_centre"].tolist() == pytest.approx([0.0, 5.0])
    table = sparsity.distance_table_sv(distances, municipalities, "Centrum")
    assert "Till Centrum, väg (km)" in table and not any("Umeå" in c for c in table.columns)
