"""Issue 23, point 4: the public snapshots are checked as a whole when the build reads them (total area =
land + water, positive areas and populations, the land areas of two files, the national population
against SCB's published total), each failed check one line naming the file and its columns; a swapped
areas file stops ``gino build`` instead of building wrong densities. The cases are also in
docs/bad-inputs.md (tools/bad_inputs)."""

from __future__ import annotations

import hashlib
import re
import shutil

import pandas as pd
import pytest

from analysis.core.errors import ManyInputErrors
from analysis.public_data.consistency import AREA_TOLERANCE_KM2
from analysis.public_data.snapshot_checks import check_consistency
from analysis.public_data.sources import read_areas, read_land_use, read_population
from conftest import gino
from test_bad_inputs import KNOWN, LAND_USE_HEADER, complete_rows, write_csv

AREAS_HEADER = ("kommun_kod,total_areal_km2_2015,landareal_km2_2015,inlandsvatten_exkl_4_storsta_km2_2015,"
                "havsvatten_km2_2015")
AREAS = ["2425,2799.75,2720.5,79.25,0", "2481,5943.19,5595.69,347.5,0"]
LAND_USE = ["2425,Dorotea,total landareal,272050", "2481,Lycksele,total landareal,559569"]


@pytest.mark.parametrize("rows, expected", [
    pytest.param(["2425,2720.5,2799.75,79.25,0", "2481,5595.69,5943.19,347.5,0"],
                 "column 'total_areal_km2_2015, landareal_km2_2015': expected a total area at least as large as the "
                 "land area (total = land + water), but the land area is larger in 2 of 2 kommuner (are the two "
                 "columns swapped?): 2425 total 2720.5, land 2799.75; 2481 total 5595.69, land 5943.19",
                 id="total and land swapped"),
    pytest.param(["2425,2799.75,2720.5,79.25,0", "2481,5943.19,5595.69,3475,0"],
                 "column 'total_areal_km2_2015, landareal_km2_2015, inlandsvatten_exkl_4_storsta_km2_2015, "
                 f"havsvatten_km2_2015': expected land plus the listed water at most the total area (within "
                 f"{AREA_TOLERANCE_KM2:g} km²), but it is more in 1 kommuner: 2481 total 5943.19, land 5595.69, "
                 "water 3475", id="water beyond total minus land"),
    pytest.param(["2425,0,0,0,0", "2481,5943.19,5595.69,347.5,0"],
                 "row 2, column 'total_areal_km2_2015': value '0'; expected a number > 0", id="area of zero"),
])
def test_areas_file_is_consistent(tmp_path, rows, expected):
    path = write_csv(tmp_path, rows, AREAS_HEADER, name="areas.csv")
    with pytest.raises(ManyInputErrors) as info:
        read_areas(path, KNOWN)
    assert info.value.problems[0] == f"{path}, {expected}"


def test_the_mirrors_areas_pass_within_the_stated_tolerance(mirror):
    """The tolerance is stated for the data: the largest gap in the mirror (Höganäs, listed water 7.35 km² more
    than total minus land) is within it, and the file passes."""
    path = mirror / "scb" / "kommuner_folkmangd2016_areal2015_wikipedia.csv"
    raw = pd.read_csv(path, dtype={"kommun_kod": str})
    gap = raw["inlandsvatten_exkl_4_storsta_km2_2015"] + raw["havsvatten_km2_2015"] - (
        raw["total_areal_km2_2015"] - raw["landareal_km2_2015"])
    assert 7 < gap.max() <= AREA_TOLERANCE_KM2
    assert len(read_areas(path, set(raw["kommun_kod"]))) == 290


def national(total: int = 808) -> pd.DataFrame:
    return pd.DataFrame({"reference_date": ["2019-12-31"], "population": [total], "tolerance": [0],
                         "source": ["SCB (test)"]})


@pytest.mark.parametrize("value, other, expected", [
    pytest.param("1", "0", "expected inhabitants in every kommun, but 1 kommuner have none: 2481", id="a kommun of 0"),
    pytest.param("2", "1", "expected the national total SCB published for 2019-12-31, 10 327 589 inhabitants "
                           "(within 0; ", id="national total"),
])
def test_population_is_positive_and_sums_to_scbs_total(tmp_path, value, other, expected):
    population = write_csv(tmp_path, complete_rows("2425", "Dorotea", value) + complete_rows("2481", "Lycksele", other))
    frame, date = read_population(population, KNOWN)
    land_use = read_land_use(write_csv(tmp_path, LAND_USE, LAND_USE_HEADER, name="land_use.csv"), KNOWN)
    areas = read_areas(write_csv(tmp_path, AREAS, AREAS_HEADER, name="areas.csv"), KNOWN)
    with pytest.raises(ManyInputErrors) as info:
        check_consistency(frame, date, population, land_use, areas, tmp_path / "land_use.csv", tmp_path / "areas.csv")
    line = next(line for line in info.value.problems if "folkmangd" in line)
    assert line.startswith(f"{population}, column 'folkmangd_2019_12_31': {expected}")
    assert "\n" not in line and (line.endswith("scb_national_population.csv), but the file sums to 606")
                                  or "national" not in expected)


def test_land_areas_of_the_two_files_agree(tmp_path):
    land_use = read_land_use(write_csv(tmp_path, ["2425,Dorotea,total landareal,279975", LAND_USE[1]], LAND_USE_HEADER,
                                       name="land_use.csv"), KNOWN)
    areas = read_areas(write_csv(tmp_path, AREAS, AREAS_HEADER, name="areas.csv"), KNOWN)
    from analysis.public_data.consistency import land_area_problems

    assert land_area_problems(land_use, areas, tmp_path / "land_use.csv", "areas.csv") == [
        f"{tmp_path / 'land_use.csv'}, column 'hektar_2015 (total landareal), landareal_km2_2015': expected the land "
        "area of areas.csv within 0.5 km² (the two agree for SCB's 2015 figures), but 1 of 2 kommuner differ: "
        "2425 2799.75 against 2720.5"]


def test_a_swapped_areas_snapshot_stops_the_build_with_one_line(built, tmp_path):
    """The issue's case: total and land area swapped in the areas snapshot (its catalog entry updated, as for a
    new snapshot) built with exit 0 and wrong areas; now `gino build` names the file and the columns."""
    data = tmp_path / "data"
    shutil.copytree(built, data)
    csv = data / "raw" / "scb" / "kommuner_folkmangd2016_areal2015_wikipedia.csv"
    frame = pd.read_csv(csv, dtype=str, keep_default_na=False)
    frame[["total_areal_km2_2015", "landareal_km2_2015"]] = frame[["landareal_km2_2015", "total_areal_km2_2015"]]
    frame.to_csv(csv, index=False)
    meta = csv.with_suffix(".meta.yaml")
    text = meta.read_text(encoding="utf-8")
    text = re.sub(r"(?m)^sha256: .*$", f"sha256: {hashlib.sha256(csv.read_bytes()).hexdigest()}", text)
    meta.write_text(re.sub(r"(?m)^size: .*$", f"size: {csv.stat().st_size}", text), encoding="utf-8")
    before = (data / "processed" / "municipalities.csv").read_bytes()
    proc = gino("build", data_dir=data, check=False)
    assert proc.returncode == 1, proc.stdout
    errors = [line for line in proc.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "kommuner_folkmangd2016_areal2015_wikipedia.csv" in errors[0], proc.stderr
    assert "column 'total_areal_km2_2015, landareal_km2_2015'" in errors[0] and "swapped" in errors[0]
    assert (data / "processed" / "municipalities.csv").read_bytes() == before, "nothing half-written"
    assert "Traceback" not in proc.stderr
