"""Pure cleaning and aggregation functions on small hand-built frames; expected values worked out by hand."""

from __future__ import annotations

import math
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point, box

from analysis.public_data.demography import municipal_demography
from analysis.core.errors import GinoError, InputError
from analysis.public_data.region_facts import compare_published, region_facts
from analysis.public_data.geography import assign_cells, mark_centres, municipal_areas, swedish_cells, tatort_summary
from analysis.public_data.regions import load_regions, membership

CRS = "EPSG:3006"


def by_kommun(df: pd.DataFrame) -> pd.DataFrame:
    return df.set_index("kommun_kod")


# --- demography ---------------------------------------------------------------------------------

def population(rows: list[tuple[str, int, str, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["kommun_kod", "age", "sex", "population"])


def test_mean_age_counts_each_age_at_its_midpoint():
    """Ages 0 and 100 (one person each) have midpoints 0.5 and 100.5, so the mean is 50.5."""
    out = by_kommun(municipal_demography(population([("2425", 0, "men", 1), ("2425", 100, "women", 1)])))
    assert out.loc["2425", "mean_age"] == pytest.approx(50.5)


def test_demography_counts_sexes_and_weights_mean_age_by_population():
    out = by_kommun(municipal_demography(population([
        ("2425", 10, "men", 3),
        ("2425", 30, "women", 1),
        ("2481", 40, "women", 2),
        ("2481", 40, "men", 2),
    ])))
    assert list(out.index) == ["2425", "2481"]
    assert out.loc["2425", ["population", "men", "women"]].tolist() == [4, 3, 1]
    assert out.loc["2481", ["population", "men", "women"]].tolist() == [4, 2, 2]
    assert out.loc["2425", "mean_age"] == pytest.approx((3 * 10.5 + 1 * 30.5) / 4)
    assert out.loc["2481", "mean_age"] == pytest.approx(40.5)


def test_age_group_shares_at_their_boundaries():
    """19 is in 0-19, 20 is not; 64 is not 65+, 65 is; 79 is not 80+, 80 is."""
    rows = [("0001", age, "men", n) for age, n in [(19, 1), (20, 2), (64, 4), (65, 8), (79, 16), (80, 32)]]
    out = by_kommun(municipal_demography(population(rows))).loc["0001"]
    total = 63
    assert out["population"] == total
    assert out["share_age_0_19"] == pytest.approx(1 / total)
    assert out["share_age_65_plus"] == pytest.approx((8 + 16 + 32) / total)
    assert out["share_age_80_plus"] == pytest.approx(32 / total)


# --- areas and tätorter -------------------------------------------------------------------------

def test_water_area_is_total_minus_land():
    areas = pd.DataFrame({"kommun_kod": ["2481", "2425"], "total_area_km2": [5943.13, 2799.71],
                          "land_area_km2": [0.0, 0.0]})
    land_use = pd.DataFrame({"kommun_kod": ["2425", "2481"], "land_area_km2": [2720.5, 5595.69]})
    out = by_kommun(municipal_areas(land_use, areas))
    assert list(out.columns) == ["total_area_km2", "land_area_km2", "water_area_km2"]
    assert out.loc["2425"].tolist() == [2799.71, 2720.5, 79.21]
    assert out.loc["2481"].tolist() == [5943.13, 5595.69, 347.44], "water is rounded to 0.01 km²"


def tatorter() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({
        "tatortskod": ["2481TB102", "2481TB101", "2481TB103", "2425TB201", "2425TB202"],
        "tatort": ["Kristineberg", "Lycksele", "Rusksele", "Dorotea", "Högland"],
        "kommun_kod": ["2481", "2481", "2481", "2425", "2425"],
        "population": [800, 800, 300, 1500, 250],
    }, geometry=[Point(1000.04, 2000.06), Point(3000.0, 4000.0), Point(5000, 6000), Point(7000.24, 8000.76),
                 Point(9000, 9000)], crs=CRS)


def test_centre_is_largest_tatort_and_ties_go_to_lowest_code():
    out = mark_centres(tatorter()).set_index("tatortskod")["is_centre"]
    assert out.to_dict() == {"2481TB102": False, "2481TB101": True, "2481TB103": False,
                             "2425TB201": True, "2425TB202": False}


def test_tatort_summary_counts_and_describes_the_centre():
    out = by_kommun(tatort_summary(mark_centres(tatorter())))
    assert out.loc["2481", ["n_tatorter", "population_in_tatorter"]].tolist() == [3, 1900]
    assert out.loc["2425", ["n_tatorter", "population_in_tatorter"]].tolist() == [2, 1750]
    assert out.loc["2481", ["centre_tatortskod", "centre_name", "centre_population"]].tolist() == [
        "2481TB101", "Lycksele", 800]
    assert out.loc["2425", ["centre_name", "centre_x", "centre_y"]].tolist() == ["Dorotea", 7000.2, 8000.8]


# --- grid cells ---------------------------------------------------------------------------------

def cell(cx: float, cy: float, half: float = 50) -> object:
    return box(cx - half, cy - half, cx + half, cy + half)


def test_swedish_cells_keeps_se_and_summarises_the_rest():
    cells = gpd.GeoDataFrame({
        "cell_id": ["c1", "c2", "c3", "c4", "c5"],
        "population": [10, 20, 300, 400, 5],
        "cntr_id": ["SE", "FI-SE", "SE", "FI-SE", "SE-NO"],
    }, geometry=[cell(i * 1000, 0) for i in range(5)], crs=CRS)
    kept, excluded = swedish_cells(cells)
    assert kept["cell_id"].tolist() == ["c1", "c3"]
    assert set(kept["cntr_id"]) == {"SE"}
    assert excluded.to_dict("records") == [
        {"cntr_id": "FI-SE", "cells": 2, "population": 420},
        {"cntr_id": "SE-NO", "cells": 1, "population": 5},
    ]


def test_assign_cells_within_nearest_and_none():
    """Kommun A is [0, 1000]², kommun B is [5000, 6000] x [0, 1000]; the nearest search reaches 1000 m."""
    kommuner = gpd.GeoDataFrame({"kommun_kod": ["2481", "2425"]},
                                geometry=[box(0, 0, 1000, 1000), box(5000, 0, 6000, 1000)], crs=CRS)
    cells = gpd.GeoDataFrame({
        "cell_id": ["inside_a", "east_of_a", "west_of_b", "far"],
        "population": [1, 2, 3, 4],
    }, geometry=[cell(500, 500), cell(1300, 500), cell(4600, 500), cell(20000, 20000)], crs=CRS)
    out = assign_cells(cells, kommuner, max_distance_m=1000).set_index("cell_id")
    assert out["kommun_kod"].tolist() == ["2481", "2481", "2425", ""]
    assert out["kommun_match"].tolist() == ["within", "nearest", "nearest", "none"]
    assert out.loc[["inside_a", "east_of_a", "west_of_b"], "dist_to_kommun_m"].tolist() == [0.0, 300.0, 400.0]
    assert math.isnan(out.loc["far", "dist_to_kommun_m"])
    assert out["population"].tolist() == [1, 2, 3, 4]


# --- region facts and the published comparison -------------------------------------------------

def municipalities() -> pd.DataFrame:
    return pd.DataFrame({
        "kommun_kod": ["2425", "2481", "2422"],
        "kommun_namn": ["Dorotea", "Lycksele", "Sorsele"],
        "population": [1000, 3000, 1000],
        "men": [520, 1480, 510],
        "women": [480, 1520, 490],
        "total_area_km2": [2000.0, 3000.0, 5000.0],
        "land_area_km2": [1500.0, 2500.0, 1000.0],
        "population_in_tatorter": [500, 2400, 100],
        "mean_age": [50.0, 40.0, 60.0],
        "share_age_0_19": [0.1, 0.3, 0.2],
        "share_age_65_plus": [0.3, 0.2, 0.4],
        "share_age_80_plus": [0.1, 0.05, 0.1],
        "population_0_19": [100, 900, 200],
        "population_65_plus": [300, 600, 400],
        "population_80_plus": [100, 150, 100],
        "age_sum_years": [50_000.0, 120_000.0, 60_000.0],
    })


def members() -> pd.DataFrame:
    return pd.DataFrame({"region_id": "gino", "region_name": "GINO", "kommun_kod": ["2425", "2481", "2422"]})


def test_region_facts_sums_weights_and_ranks():
    row = region_facts(municipalities(), members()).set_index("region_id").loc["gino"]
    assert row["region_name"] == "GINO"
    assert row[["n_kommuner", "population", "men", "women", "population_in_tatorter"]].tolist() == [
        3, 5000, 2510, 2490, 3000]
    assert row["total_area_km2"] == 10000.0
    assert row["land_area_km2"] == 5000.0
    assert row["density_total_per_km2"] == pytest.approx(0.5)
    assert row["density_land_per_km2"] == pytest.approx(1.0)
    assert row["mean_age"] == pytest.approx((1000 * 50 + 3000 * 40 + 1000 * 60) / 5000)
    assert row["share_age_0_19"] == pytest.approx((100 + 900 + 200) / 5000)
    assert row["share_age_65_plus"] == pytest.approx((300 + 600 + 400) / 5000)
    assert row["share_age_80_plus"] == pytest.approx((100 + 150 + 100) / 5000)
    assert row["share_in_tatorter"] == pytest.approx(0.6)
    assert (row["largest_kommun"], row["largest_population"]) == ("Lycksele", 3000)
    assert (row["smallest_kommun"], row["smallest_population"]) == ("Sorsele", 1000), \
        "a tie in population goes to the lowest kommun code (2422 before 2425)"


def test_region_facts_largest_tie_goes_to_lowest_code_and_regions_stay_separate():
    m = municipalities().assign(population=[3000, 3000, 1000])
    mem = pd.concat([members(), pd.DataFrame({"region_id": "pair", "region_name": "Pair",
                                              "kommun_kod": ["2481", "2422"]})])
    facts = region_facts(m, mem).set_index("region_id")
    assert facts.index.tolist() == ["gino", "pair"]
    assert facts.loc["gino", "largest_kommun"] == "Dorotea"
    assert facts.loc["pair", ["n_kommuner", "population", "smallest_kommun", "largest_kommun"]].tolist() == [
        2, 4000, "Sorsele", "Lycksele"]
    assert facts.loc["pair", "density_total_per_km2"] == pytest.approx(4000 / 8000)


PUBLISHED_COLUMNS = ["figure_id", "description", "published_value", "unit", "entity", "measure", "comparison",
                     "tolerance", "tolerance_reason", "source", "published_reference_date"]


def compare_one(entity: str, measure: str, comparison: str, published: str, tolerance: str = "") -> bool:
    """Run one published figure (as the step reads it: all text, empty tolerance '') against the toy region."""
    pub = pd.DataFrame([["f", "d", published, "", entity, measure, comparison, tolerance, "", "s", ""]],
                       columns=PUBLISHED_COLUMNS)
    m = municipalities()
    out = compare_published(pub, region_facts(m, members()), m)
    assert len(out) == 1
    return bool(out.loc[0, "passed"])


@pytest.mark.parametrize(("entity", "measure", "comparison", "published", "tolerance", "passed"), [
    ("region:gino", "population", "approx", "5200", "200", True),
    ("region:gino", "population", "approx", "4800", "200", True),
    ("region:gino", "population", "approx", "5201", "200", False),
    ("region:gino", "n_kommuner", "approx", "3", "0", True),
    ("region:gino", "n_kommuner", "approx", "4", "0", False),
    ("kommun:2481", "population", "approx", "3010", "10", True),
    ("kommun:2481", "population", "approx", "3011", "10", False),
    ("region:gino", "smallest_kommun", "equal", "Sorsele", "", True),
    ("region:gino", "smallest_kommun", "equal", "Dorotea", "", False),
    ("region:gino", "largest_kommun", "equal", "Lycksele", "", True),
    ("region:gino", "total_area_km2", "greater_than", "9999", "", True),
    ("region:gino", "total_area_km2", "greater_than", "10000", "", False),
    ("region:gino", "density_total_per_km2", "just_below", "0.55", "0.1", True),
    ("region:gino", "density_total_per_km2", "just_below", "0.5", "0.1", False),
    ("region:gino", "density_total_per_km2", "just_below", "0.7", "0.1", False),
    ("region:gino", "density_land_per_km2", "just_below", "1", "0.1", False),
])
def test_compare_published_rules(entity, measure, comparison, published, tolerance, passed):
    """Bounds are inclusive for approx; greater_than and just_below's upper bound are strict (c < v)."""
    assert compare_one(entity, measure, comparison, published, tolerance) is passed


def test_compare_published_reports_difference_and_values():
    pub = pd.DataFrame([["pop", "d", "4900", "", "region:gino", "population", "approx", "200", "why", "s", ""]],
                       columns=PUBLISHED_COLUMNS)
    m = municipalities()
    row = compare_published(pub, region_facts(m, members()), m).loc[0]
    assert row["figure_id"] == "pop"
    assert row["computed_value"] == 5000
    assert row["difference"] == pytest.approx(100.0)
    assert row["tolerance_reason"] == "why"


def test_compare_published_unknown_entity_is_an_error():
    with pytest.raises(InputError, match="row 2, column 'entity, measure': value 'kommun:9999, population'"):
        compare_one("kommun:9999", "population", "approx", "1", "0")
    with pytest.raises(InputError, match="value 'region:gino, no_such_measure'"):
        compare_one("region:gino", "no_such_measure", "approx", "1", "0")


def test_lan_without_any_kommun_is_an_error(tmp_path):
    path = tmp_path / "regions.yaml"
    path.write_text('study_region: x\nregions:\n  x:\n    name: X\n    lan: ["99"]\n', encoding="utf-8")
    with pytest.raises(InputError, match="key 'regions.x.lan': value '99'; expected a län code with at least one kommun"):
        load_regions(path, known_kommuner={"2425"})


# --- regions -------------------------------------------------------------------------------------

REGIONS_YAML = """\
study_region: gino
comparisons: [vasterbotten, sweden]
regions:
  gino:
    name: GINO
    description: Two inland municipalities.
    kommuner: ["2425", "2481"]
  vasterbotten:
    name: Västerbottens län
    lan: ["24"]
  sweden:
    name: Sverige
    all: true
"""
KNOWN = {"0114", "2425", "2481", "2482", "2505"}


def write_yaml(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "regions.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_load_regions_reads_every_kind_of_region(tmp_path):
    config = load_regions(write_yaml(tmp_path, REGIONS_YAML), known_kommuner=KNOWN)
    assert config.study_region == "gino"
    assert config.comparisons == ("vasterbotten", "sweden")
    assert list(config.regions) == ["gino", "vasterbotten", "sweden"]
    assert config.study.kommuner == ("2425", "2481")
    assert config.study.description == "Two inland municipalities."
    assert config.regions["vasterbotten"].lan == ("24",)
    assert config.regions["vasterbotten"].name == "Västerbottens län"
    assert config.regions["sweden"].all is True
    assert config.regions["gino"].all is False


def test_membership_long_table(tmp_path):
    config = load_regions(write_yaml(tmp_path, REGIONS_YAML), known_kommuner=KNOWN)
    out = membership(config, pd.Series(["2505", "2481", "0114", "2425", "2482"]))
    assert list(out.columns) == ["region_id", "region_name", "kommun_kod"]
    assert list(out.itertuples(index=False, name=None)) == [
        ("gino", "GINO", "2425"), ("gino", "GINO", "2481"),
        ("vasterbotten", "Västerbottens län", "2425"), ("vasterbotten", "Västerbottens län", "2481"),
        ("vasterbotten", "Västerbottens län", "2482"),
        ("sweden", "Sverige", "0114"), ("sweden", "Sverige", "2425"), ("sweden", "Sverige", "2481"),
        ("sweden", "Sverige", "2482"), ("sweden", "Sverige", "2505"),
    ]


@pytest.mark.parametrize(("old", "new", "known", "key", "value"), [
    ('["2425", "2481"]', '["2425", "9999"]', KNOWN, "regions.gino.kommuner", "9999"),
    ('["2425", "2481"]', '["2425", "248"]', None, "regions.gino.kommuner", "248"),
    ("study_region: gino", "study_region: gin", KNOWN, "study_region", "gin"),
    ("[vasterbotten, sweden]", "[vasterbotten, norrbotten]", KNOWN, "comparisons", "norrbotten"),
    ('lan: ["24"]', 'lan: ["245"]', KNOWN, "regions.vasterbotten.lan", "245"),
], ids=["unknown-kommun", "3-digit-kommun", "undefined-study-region", "undefined-comparison", "3-digit-lan"])
def test_load_regions_errors_name_file_key_and_value(tmp_path, old, new, known, key, value):
    assert old in REGIONS_YAML
    path = write_yaml(tmp_path, REGIONS_YAML.replace(old, new))
    with pytest.raises(GinoError) as info:
        load_regions(path, known_kommuner=known)
    message = str(info.value)
    assert "\n" not in message
    assert str(path) in message
    assert f"key '{key}" in message
    assert f"value {value!r}" in message


def test_load_regions_without_known_codes_accepts_any_four_digits(tmp_path):
    path = write_yaml(tmp_path, REGIONS_YAML.replace('["2425", "2481"]', '["2425", "9999"]'))
    assert load_regions(path).study.kommuner == ("2425", "9999")


def test_load_regions_region_without_members_is_an_error(tmp_path):
    path = write_yaml(tmp_path, REGIONS_YAML.replace("    all: true\n", ""))
    with pytest.raises(InputError, match=r"regions\.sweden.*'kommuner', 'lan' or 'all: true'") as info:
        load_regions(path, known_kommuner=KNOWN)
    assert str(path) in str(info.value)


def test_malformed_region_yaml_is_one_line(tmp_path):
    path = tmp_path / "regions.yaml"
    path.write_text("regions:\n  gino: [unclosed\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        load_regions(path)
    assert str(exc.value).startswith(f"{path}, row ") and "expected valid YAML" in str(exc.value)
    with pytest.raises(InputError, match="expected an existing region configuration file"):
        load_regions(tmp_path / "missing.yaml")
