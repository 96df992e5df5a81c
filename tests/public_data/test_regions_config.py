"""The region configuration's keys beyond the regions themselves: map extent, reference town, survey
regions, and the population grid's coverage from the catalog (small hand-built inputs)."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import Point

from analysis.public_data import regions
from analysis.public_data.catalog import grid_coverage, grid_snapshots, load_catalog
from analysis.survey_data.codebooks import load_codebook, with_municipalities
from analysis.core.errors import InputError
from analysis.sparsity.study_area import grid_missing_sentence, study_area, twin_note

MUNICIPALITIES = pd.DataFrame({
    "kommun_kod": ["0101", "0102", "0201", "0202", "0301"],
    "kommun_namn": ["Alfa", "Beta", "Gamma", "Delta", "Epsilon"],
    "lan_kod": ["01", "01", "02", "02", "03"],
    "lan_namn": ["Ettans län", "Ettans län", "Tvåans län", "Tvåans län", "Treans län"],
    "population": [1000, 50000, 3000, 80000, 900000],
})
TATORTER = gpd.GeoDataFrame({"kommun_kod": ["0102", "0202", "0301"], "tatort": ["Betaby", "Deltastad", "Epsilonstad"],
                             "is_centre": [True, True, True]}, geometry=[Point(0, 0)] * 3, crs=3006)
BASE = {"study_region": "s", "comparisons": ["c"],
        "regions": {"s": {"name": "Studien", "kommuner": ["0101", "0201"]}, "c": {"name": "Ettan", "lan": ["01"]},
                    "t": {"name": "Trean", "lan": ["03"]}}}


def parse(**changes):
    return regions.parse_regions({**BASE, **changes}, Path("regions.yaml"), set(MUNICIPALITIES["kommun_kod"]))


def test_defaults_map_the_study_regions_counties_and_measure_to_their_largest_municipality():
    area = study_area(parse(), MUNICIPALITIES, TATORTER, grid_lan=["01"])
    assert area.study_codes == ["0101", "0201"]
    assert area.map_codes == ["0101", "0102", "0201", "0202"]  # counties 01 and 02, not 03
    assert area.map_county_names == ["Ettans län", "Tvåans län"]
    assert (area.reference_kommun, area.reference_town) == ("0202", "Deltastad")
    assert area.uncovered_codes == ["0201"] and not area.grid_covers_study
    assert area.grid_codes(area.map_codes) == ["0101", "0102"]
    assert area.study_grid_codes == []  # partly covered: the grid's measures are left out for the whole region


def test_configured_map_extent_and_reference_town():
    area = study_area(parse(map_extent=["c", "t", "s"], reference_town="0301"), MUNICIPALITIES, TATORTER,
                      grid_lan=["01", "02"])
    assert area.map_codes == ["0101", "0102", "0201", "0301"]  # the extent's regions, the study region among them
    assert area.reference_town == "Epsilonstad" and area.grid_covers_study
    assert area.study_grid_codes == ["0101", "0201"]


@pytest.mark.parametrize("changes, column, expected", [
    ({"map_extent": ["x"]}, "map_extent", "a region defined under 'regions'"),
    ({"map_extent": "c"}, "map_extent", "a list of region ids"),
    ({"reference_town": "9999"}, "reference_town", "a known 4-digit kommun code"),
    ({"survey_regions": {"client_survey_2018": "x"}}, "survey_regions.client_survey_2018", "a region defined"),
    ({"survey_regions": ["s"]}, "survey_regions", "a mapping of survey data set to region id"),
    pytest.param({"map_extent": ["c", "t"]}, "map_extent", "regions that contain the study region 's', but its kommun "
                 "0201 lie outside them (the maps would show other counties than the study's)", id="partly outside"),
    pytest.param({"map_extent": ["t"]}, "map_extent", "but its kommun 0101, kommun 0201 lie outside them",
                 id="wholly outside"),
])
def test_mistakes_in_the_new_keys_are_one_line(changes, column, expected):
    with pytest.raises(InputError) as info:
        parse(**changes)
    message = str(info.value)
    assert f"key {column!r}" in message and expected in message and "\n" not in message


def test_survey_regions_default_to_the_study_region():
    config = parse(survey_regions={"client_survey_2019": "c"})
    assert config.survey_region("client_survey_2019").id == "c"
    assert config.survey_region("client_survey_2018").id == "s"


def test_the_grid_less_sentence_says_why_and_how_without_naming_the_covered_counties():
    area = study_area(parse(), MUNICIPALITIES, TATORTER, grid_lan=["03"])
    text = grid_missing_sentence(area, MUNICIPALITIES)
    assert "täcker inte Ettans län och Tvåans län" in text and "Studien" in text
    assert "data/raw/grid/" in text and "coverage_lan" in text and "Treans" not in text


def test_twin_note_only_when_the_twin_does_not_hold_the_study_region():
    area = study_area(parse(), MUNICIPALITIES, TATORTER, grid_lan=["01", "02"])
    names = MUNICIPALITIES.set_index("kommun_kod")["kommun_namn"]
    assert twin_note(area, True, {"0101", "0201", "0102"}, names) is None
    assert twin_note(area, False, {"0301"}, names) is None
    note = twin_note(area, True, {"0301"}, names)
    assert "inte Studien" in note and "Epsilon" in note


def test_the_grid_snapshots_and_their_coverage_come_from_the_catalog(data_dir):
    grids = grid_snapshots()
    assert [g.id for g in grids] == ["population_grid"] and grid_coverage(grids) == ["24", "25"]
    extra = data_dir / "raw" / "grid" / "other.meta.yaml"
    extra.write_text((data_dir / "raw" / "grid" / "geostat_pop_1km_vasterbotten_norrbotten_sweref99tm.meta.yaml")
                     .read_text(encoding="utf-8").replace("id: population_grid", "id: population_grid_west")
                     .replace('coverage_lan: ["24", "25"]', 'coverage_lan: ["14"]'), encoding="utf-8")
    assert grid_coverage(grid_snapshots()) == ["14", "24", "25"]  # a catalog entry, no code
    extra.write_text(extra.read_text(encoding="utf-8").replace('coverage_lan: ["14"]', "coverage_lan: Västra"),
                     encoding="utf-8")
    with pytest.raises(InputError, match="column 'coverage_lan'.*expected a list of two-digit län codes"):
        grid_snapshots(load_catalog())


def test_a_real_exports_municipalities_replace_the_codebooks_list():
    codebook = with_municipalities(load_codebook("client_survey_2018"), {"0662": "Gislaved", "1440": "Ale"})
    assert codebook.municipalities == {"0662": "Gislaved", "1440": "Ale"}
    lookup = codebook.variable("kommun").scale.lookup()
    assert lookup["662"] == "0662" and lookup["gislaved"] == "0662"  # a leading zero lost on the way is no error


def test_the_builds_note_is_one_line_and_only_outside_the_grid(data_dir, tmp_path, monkeypatch):
    from analysis.public_data.coverage_note import grid_note

    assert grid_note() is None  # not built yet: nothing to say
    processed = data_dir / "processed"
    (processed / "region_members.csv").write_text(
        "region_id,region_name,kommun_kod\ngino,G,2425\ngino,G,2481\nforte,F,1440\nforte,F,0662\n", encoding="utf-8")
    (processed / "population_grid_coverage.csv").write_text("lan_kod,snapshot\n24,g\n25,g\n", encoding="utf-8")
    assert grid_note() is None  # the committed configuration: the GINO municipalities, inside the grid
    config = tmp_path / "config"
    config.mkdir()
    (config / "regions.yaml").write_text("study_region: forte\n", encoding="utf-8")
    monkeypatch.setenv("GINO_CONFIG_DIR", str(config))
    note = grid_note()
    assert note.startswith("note: the population grid covers län 24, 25 only; study region 'forte' has 2 of its 2")
    assert "(län 06, 14)" in note and "\n" not in note
