"""Every malformed raw input is a GinoError whose lines each name the file and, where it applies, the row
(as seen in an editor: CSV header = line 1, first GeoPackage feature = row 1), the column and the value."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import Point, Polygon, box

from analysis.core.errors import GinoError, InputError, ManyInputErrors
from analysis.public_data.sources import read_areas, read_grid_layer, read_kommuner, read_land_use, read_population, read_tatorter

KNOWN = {"2425", "2481"}
POPULATION_HEADER = "kommun_kod,kommun_namn,alder,kon,folkmangd_2019_12_31"
POPULATION_ROWS = [
    "2425,Dorotea,0,män,5",
    "2425,Dorotea,0,kvinnor,6",
    "2481,Lycksele,100,män,1",
]
VALUE = "folkmangd_2019_12_31"


def write_csv(tmp_path: Path, rows: list[str], header: str = POPULATION_HEADER, name: str = "population.csv",
              encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return path


def lines_of(error: GinoError) -> list[str]:
    return error.problems if isinstance(error, ManyInputErrors) else [str(error)]


def check_lines(error: GinoError, path: Path) -> list[str]:
    """Every line names the file and is a single line; returns the lines."""
    lines = lines_of(error)
    assert lines
    assert str(error) == "\n".join(lines)
    for line in lines:
        assert path.name in line
        assert "\n" not in line
    return lines


def has_line(lines: list[str], *parts: str) -> bool:
    return any(all(p in line for p in parts) for line in lines)


def raises_on(kind: type[GinoError], read, path: Path, *args) -> list[str]:
    with pytest.raises(kind) as info:
        read(path, *args)
    assert isinstance(info.value, GinoError)
    return check_lines(info.value, path)


def complete_rows(code: str = "2425", name: str = "Dorotea", value: str = "1") -> list[str]:
    return [f"{code},{name},{age},{sex},{value}" for age in range(101) for sex in ("män", "kvinnor")]


def test_valid_population_file_reads(tmp_path):
    rows = complete_rows()
    rows[0], rows[1], rows[-1] = "2425,Dorotea,0,män,5", "2425,Dorotea,0,kvinnor,6", "2425,Dorotea,100,kvinnor,1"
    df, date = read_population(write_csv(tmp_path, rows), {"2425"})
    assert date == "2019-12-31"
    assert len(df) == 202
    assert df.iloc[[0, 1, -1]].to_dict("list") == {"kommun_kod": ["2425"] * 3, "age": [0, 0, 100],
                                                    "sex": ["men", "women", "women"], "population": [5, 6, 1]}


# --- population CSV: one bad cell each ----------------------------------------------------------

@pytest.mark.parametrize(("bad_row", "column", "value", "expected"), [
    ("2481,Lycksele,7,män,abc", VALUE, "abc", "an integer >= 0"),
    ("2481,Lycksele,7,män,-3", VALUE, "-3", "an integer >= 0"),
    ("2481,Lycksele,7,män,1.5", VALUE, "1.5", "an integer >= 0"),
    ("2481,Lycksele,7,män,", VALUE, "", "an integer >= 0"),
    ("2481,Lycksele,101,män,3", "alder", "101", "an integer >= 0 and <= 100"),
    ("2481,Lycksele,-1,män,3", "alder", "-1", "an integer >= 0 and <= 100"),
    ("2481,Lycksele,7,okänd,3", "kon", "okänd", "one of 'kvinnor', 'män'"),
    ("9999,Okänd,7,män,3", "kommun_kod", "9999", "a kommun code present in the kommun boundary layer"),
    ("24,Lycksele,7,män,3", "kommun_kod", "24", "a 4-digit kommun code"),
], ids=["non-numeric", "negative", "fraction", "empty", "age-101", "age-negative", "sex", "unknown-kommun",
        "2-digit-kommun"])
def test_population_bad_cell(tmp_path, bad_row, column, value, expected):
    """The bad row is the fourth data row, i.e. line 5 of the file."""
    path = write_csv(tmp_path, [*POPULATION_ROWS, bad_row])
    lines = raises_on(ManyInputErrors, read_population, path, KNOWN)
    assert has_line(lines, "row 5", f"column {column!r}", f"value {value!r}", f"expected {expected}")
    assert all("row 5" in line for line in lines)


def test_population_first_data_row_is_row_2(tmp_path):
    path = write_csv(tmp_path, ["2425,Dorotea,0,män,abc", *POPULATION_ROWS[1:]])
    lines = raises_on(ManyInputErrors, read_population, path, KNOWN)
    assert lines == [f"{path}, row 2, column {VALUE!r}: value 'abc'; expected an integer >= 0"]


def test_population_duplicated_key(tmp_path):
    path = write_csv(tmp_path, [*POPULATION_ROWS, "2425,Dorotea,0,män,7"])
    lines = raises_on(ManyInputErrors, read_population, path, KNOWN)
    assert lines == [
        f"{path}, row {row}, column 'kommun_kod, alder, kon': value '2425, 0, män'; "
        f"expected no other row with the same kommun_kod, alder, kon (the same value is on row {other})"
        for row, other in ((2, 5), (5, 2))
    ]


def test_population_duplicated_key_says_what_was_expected(tmp_path):
    path = write_csv(tmp_path, [*POPULATION_ROWS, "2425,Dorotea,0,män,7"])
    lines = raises_on(ManyInputErrors, read_population, path, KNOWN)
    assert not any("multiple_fields_uniqueness" in line for line in lines)


def test_population_missing_column(tmp_path):
    path = write_csv(tmp_path, ["2425,Dorotea,0,5"], header="kommun_kod,kommun_namn,alder,folkmangd_2019_12_31")
    lines = raises_on(ManyInputErrors, read_population, path, KNOWN)
    assert lines == [f"{path}: expected a column named 'kon' "
                     "(columns found: kommun_kod, kommun_namn, alder, folkmangd_2019_12_31)"]


@pytest.mark.parametrize("header", [
    "kommun_kod,kommun_namn,alder,kon,folkmangd",
    "kommun_kod,kommun_namn,alder,kon,folkmangd_2019_12_31,folkmangd_2020_12_31",
], ids=["none", "two"])
def test_population_needs_exactly_one_value_column(tmp_path, header):
    path = write_csv(tmp_path, [], header=header)
    lines = raises_on(InputError, read_population, path, KNOWN)
    assert "'folkmangd_YYYY_MM_DD'" in lines[0]
    assert f"(columns found: {header.replace(',', ', ')})" in lines[0]


def test_population_empty_file(tmp_path):
    path = tmp_path / "population.csv"
    path.write_bytes(b"")
    lines = raises_on(InputError, read_population, path, KNOWN)
    assert lines == [f"{path}: expected a CSV file with a header row, but the file is empty"]


def test_population_missing_file(tmp_path):
    path = tmp_path / "population.csv"
    lines = raises_on(InputError, read_population, path, KNOWN)
    assert "an existing file" in lines[0]


def test_population_windows_1252_says_utf8_expected(tmp_path):
    path = write_csv(tmp_path, POPULATION_ROWS, encoding="cp1252")
    assert b"m\xe4n" in path.read_bytes()
    lines = raises_on(InputError, read_population, path, KNOWN)
    assert len(lines) == 1
    assert "expected UTF-8 text" in lines[0]


def test_population_windows_1252_points_at_the_bad_byte(tmp_path):
    path = write_csv(tmp_path, POPULATION_ROWS, encoding="cp1252")
    offset = path.read_bytes().index(b"\xe4")
    lines = raises_on(InputError, read_population, path, KNOWN)
    assert f"offset {offset}" in lines[0] or "row 2" in lines[0]


def test_population_reports_all_problems_at_once(tmp_path):
    path = write_csv(tmp_path, [
        "2425,Dorotea,0,män,abc",
        "2425,Dorotea,1,män,5",
        "2481,Lycksele,101,okänd,-1",
    ])
    lines = raises_on(ManyInputErrors, read_population, path, KNOWN)
    assert len(lines) == 4
    assert set(lines) == {
        f"{path}, row 2, column {VALUE!r}: value 'abc'; expected an integer >= 0",
        f"{path}, row 4, column 'alder': value '101'; expected an integer >= 0 and <= 100",
        f"{path}, row 4, column 'kon': value 'okänd'; expected one of 'kvinnor', 'män'",
        f"{path}, row 4, column {VALUE!r}: value '-1'; expected an integer >= 0",
    }


@pytest.mark.parametrize("value", ["5.0", "1e3"])
def test_population_integral_non_integer_text_is_not_a_crash(tmp_path, value):
    rows = complete_rows()
    rows[-1] = f"2425,Dorotea,100,kvinnor,{value}"
    df, _ = read_population(write_csv(tmp_path, rows), {"2425"})
    assert df["population"].iloc[-1] == int(float(value))


def test_population_row_number_counts_blank_lines(tmp_path):
    path = write_csv(tmp_path, [POPULATION_ROWS[0], "", "2425,Dorotea,0,kvinnor,abc"])
    lines = raises_on(ManyInputErrors, read_population, path, KNOWN)
    assert has_line(lines, "row 4", "value 'abc'")


# --- land use and areas -------------------------------------------------------------------------

LAND_USE_HEADER = "kommun_kod,kommun_namn,markanvandningsklass,hektar_2015"
AREAS_HEADER = "kommun_kod,total_areal_km2_2015,landareal_km2_2015"


def test_valid_land_use_and_areas_read(tmp_path):
    land = read_land_use(write_csv(tmp_path, ["2425,Dorotea,vatten,1", "2425,Dorotea,total landareal,272050",
                                              "2481,Lycksele,Total landareal,559569"], LAND_USE_HEADER), KNOWN)
    assert land.to_dict("list") == {"kommun_kod": ["2425", "2481"], "land_area_km2": [2720.5, 5595.69]}
    areas = read_areas(write_csv(tmp_path, ["2481,5943.19,5595.69", "2425,2799.75,2720.5"], AREAS_HEADER), KNOWN)
    assert areas.to_dict("list") == {"kommun_kod": ["2425", "2481"], "total_area_km2": [2799.75, 5943.19],
                                     "land_area_km2": [2720.5, 5595.69]}


def test_land_use_kommun_without_total_landareal(tmp_path):
    path = write_csv(tmp_path, ["2425,Dorotea,total landareal,100", "2481,Lycksele,vatten,50"],
                     LAND_USE_HEADER, name="land_use.csv")
    lines = raises_on(InputError, read_land_use, path, KNOWN)
    assert lines == [f"{path}, column 'markanvandningsklass': "
                     "expected a 'total landareal' row for every kommun (missing for 2481)"]


def test_land_use_non_numeric_hektar(tmp_path):
    path = write_csv(tmp_path, ["2425,Dorotea,total landareal,100", "2481,Lycksele,total landareal,12 3"],
                     LAND_USE_HEADER, name="land_use.csv")
    lines = raises_on(ManyInputErrors, read_land_use, path, KNOWN)
    assert lines == [f"{path}, row 3, column 'hektar_2015': value '12 3'; expected a number >= 0"]


def test_land_use_two_total_rows_for_one_kommun(tmp_path):
    path = write_csv(tmp_path, ["2425,Dorotea,total landareal,100", "2481,Lycksele,total landareal,50",
                                "2481,Lycksele,total landareal,60"], LAND_USE_HEADER, name="land_use.csv")
    lines = raises_on(InputError, read_land_use, path, KNOWN)
    assert has_line(lines, "row 4", "column 'kommun_kod'", "value '2481'", "one 'total landareal' row per kommun")


def test_areas_missing_kommun(tmp_path):
    path = write_csv(tmp_path, ["2425,2799.75,2720.5"], AREAS_HEADER, name="areas.csv")
    lines = raises_on(InputError, read_areas, path, KNOWN)
    assert lines == [f"{path}, column 'kommun_kod': expected a row for every kommun (missing: 2481)"]


def test_areas_duplicated_kommun(tmp_path):
    path = write_csv(tmp_path, ["2425,2799.75,2720.5", "2481,5943.19,5595.69", "2425,2799.75,2720.5"],
                     AREAS_HEADER, name="areas.csv")
    lines = raises_on(ManyInputErrors, read_areas, path, KNOWN)
    assert has_line(lines, "row 2", "column 'kommun_kod'", "value '2425'")
    assert has_line(lines, "row 4", "column 'kommun_kod'", "value '2425'")
    assert not has_line(lines, "row 3")


def test_areas_negative_land_area(tmp_path):
    path = write_csv(tmp_path, ["2425,2799.75,-1", "2481,5943.19,5595.69"], AREAS_HEADER, name="areas.csv")
    lines = raises_on(ManyInputErrors, read_areas, path, KNOWN)
    assert lines == [f"{path}, row 2, column 'landareal_km2_2015': value '-1'; expected a number > 0"]


# --- GeoPackages ---------------------------------------------------------------------------------

SQUARES = [box(0, 0, 1000, 1000), box(1000, 0, 2000, 1000), box(2000, 0, 3000, 1000)]
KOMMUNER = {"kommun_kod": ["2481", "2425", "2422"], "kommun_namn": ["Lycksele", "Dorotea", "Sorsele"]}


def write_gpkg(tmp_path: Path, data: dict, geometry: list, layer: str, crs: str | None = "EPSG:3006",
               name: str = "layer.gpkg") -> Path:
    path = tmp_path / name
    gpd.GeoDataFrame(data, geometry=geometry, crs=crs).to_file(path, layer=layer, driver="GPKG")
    return path


def test_valid_kommuner_read(tmp_path):
    out = read_kommuner(write_gpkg(tmp_path, KOMMUNER, SQUARES, "kommuner"))
    assert out[["kommun_kod", "kommun_namn", "lan_kod"]].to_dict("list") == {
        "kommun_kod": ["2422", "2425", "2481"], "kommun_namn": ["Sorsele", "Dorotea", "Lycksele"],
        "lan_kod": ["24", "24", "24"]}
    assert out.crs.to_epsg() == 3006


def test_kommuner_wrong_crs(tmp_path):
    lonlat = [box(15, 64, 16, 65), box(16, 64, 17, 65), box(17, 64, 18, 65)]
    path = write_gpkg(tmp_path, KOMMUNER, lonlat, "kommuner", crs="EPSG:4326")
    lines = raises_on(InputError, read_kommuner, path)
    assert lines == [f"{path}: expected EPSG:3006 (SWEREF99 TM), but the layer 'kommuner' has CRS EPSG:4326"]


def test_kommuner_missing_layer(tmp_path):
    path = write_gpkg(tmp_path, KOMMUNER, SQUARES, "kommun")
    lines = raises_on(InputError, read_kommuner, path)
    assert lines == [f"{path}: expected a layer named 'kommuner' (layers found: kommun)"]


def test_kommuner_missing_column(tmp_path):
    path = write_gpkg(tmp_path, {"kommun_kod": KOMMUNER["kommun_kod"], "namn": KOMMUNER["kommun_namn"]},
                      SQUARES, "kommuner")
    lines = raises_on(InputError, read_kommuner, path)
    assert lines == [f"{path}: expected a column named 'kommun_namn' in layer 'kommuner' "
                     "(columns found: kommun_kod, namn)"]


def test_kommuner_duplicated_code(tmp_path):
    path = write_gpkg(tmp_path, {**KOMMUNER, "kommun_kod": ["2481", "2425", "2481"]}, SQUARES, "kommuner")
    lines = raises_on(ManyInputErrors, read_kommuner, path)
    assert has_line(lines, "row 1", "column 'kommun_kod'", "value '2481'")
    assert has_line(lines, "row 3", "column 'kommun_kod'", "value '2481'")
    assert not has_line(lines, "row 2")


def test_kommuner_code_stored_as_number_loses_leading_zero(tmp_path):
    path = write_gpkg(tmp_path, {**KOMMUNER, "kommun_kod": [2481, 114, 2422]}, SQUARES, "kommuner")
    lines = raises_on(ManyInputErrors, read_kommuner, path)
    assert lines == [f"{path}, row 2, column 'kommun_kod': value '114'; expected a 4-digit kommun code"]


@pytest.mark.parametrize("empty", [Polygon(), None], ids=["empty-polygon", "null"])
def test_kommuner_empty_geometry(tmp_path, empty):
    path = write_gpkg(tmp_path, KOMMUNER, [SQUARES[0], SQUARES[1], empty], "kommuner")
    lines = raises_on(InputError, read_kommuner, path)
    assert lines == [f"{path}, row 3, column 'geometry': expected a geometry in every feature of layer 'kommuner'"]


@pytest.mark.parametrize("content", [bytes(range(256)) * 8, b"kommun_kod,kommun_namn\n2425,Dorotea\n"],
                         ids=["random-bytes", "csv-text"])
def test_kommuner_not_a_geopackage(tmp_path, content):
    path = tmp_path / "kommuner.gpkg"
    path.write_bytes(content)
    lines = raises_on(InputError, read_kommuner, path)
    assert len(lines) == 1
    assert "expected a readable GeoPackage" in lines[0]


TATORTER = {"tatortskod": ["2481TB101", "2425TB201", "2422TB301"], "tatort": ["Lycksele", "Dorotea", "Sorsele"],
            "kommun_kod": ["2481", "2425", "2481"], "bef": [8000, 1500, 1200]}
POINTS = [Point(500, 500), Point(1500, 500), Point(2500, 500)]


def test_valid_tatorter_read(tmp_path):
    out = read_tatorter(write_gpkg(tmp_path, TATORTER, POINTS, "tatorter_2020"), KNOWN)
    assert out[["tatortskod", "population"]].to_dict("list") == {
        "tatortskod": ["2422TB301", "2425TB201", "2481TB101"], "population": [1200, 1500, 8000]}


def test_tatorter_non_point_geometry(tmp_path):
    path = write_gpkg(tmp_path, TATORTER, [POINTS[0], SQUARES[1], POINTS[2]], "tatorter_2020")
    lines = raises_on(InputError, read_tatorter, path, KNOWN)
    assert lines == [f"{path}, row 2, column 'geometry': value 'Polygon'; expected a Point geometry in layer 'tatorter_2020'"]


def test_tatorter_negative_population(tmp_path):
    path = write_gpkg(tmp_path, {**TATORTER, "bef": [8000, -5, 1200]}, POINTS, "tatorter_2020")
    lines = raises_on(ManyInputErrors, read_tatorter, path, KNOWN)
    assert lines == [f"{path}, row 2, column 'bef': value '-5'; expected an integer >= 0"]


def test_tatorter_unknown_kommun(tmp_path):
    path = write_gpkg(tmp_path, {**TATORTER, "kommun_kod": ["2481", "2425", "2422"]}, POINTS, "tatorter_2020")
    lines = raises_on(ManyInputErrors, read_tatorter, path, KNOWN)
    assert lines == [f"{path}, row 3, column 'kommun_kod': value '2422'; "
                     "expected a kommun code present in the kommun boundary layer"]


def test_tatorter_float_population_column_is_not_a_crash(tmp_path):
    path = write_gpkg(tmp_path, {**TATORTER, "bef": [8000.0, 1500.0, 1200.0]}, POINTS, "tatorter_2020")
    try:
        out = read_tatorter(path, KNOWN)
    except GinoError as exc:
        check_lines(exc, path)
    else:
        assert out["population"].tolist() == [1200, 1500, 8000]


GRID = {"cell_id": ["CRS3035RES1000mN4900000E4700000", "CRS3035RES1000mN4900000E4701000",
                    "CRS3035RES1000mN4901000E4700000"],
        "population": [5, 7, 2], "cntr_id": ["SE", "FI-SE", "SE-NO"]}


def test_grid_layer_with_border_cells_is_valid(tmp_path):
    out = read_grid_layer(write_gpkg(tmp_path, GRID, SQUARES, "pop_1km_2021"), "pop_1km_2021")
    assert out["cntr_id"].tolist() == ["SE", "FI-SE", "SE-NO"]
    assert out["population"].tolist() == [5, 7, 2]
    assert out["ref_year"].tolist() == [2021, 2021, 2021]


@pytest.mark.parametrize(("column", "value", "expected"), [
    ("cell_id", "N4900000E4701000", "an INSPIRE 1 km cell code"),
    ("cell_id", "CRS3035RES100mN4900000E4701000", "an INSPIRE 1 km cell code"),
    ("cntr_id", "se", "a country code such as SE or FI-SE"),
    ("cntr_id", "FI-", "a country code such as SE or FI-SE"),
    ("population", -2, "an integer >= 0"),
], ids=["cell-no-prefix", "cell-100m", "country-lowercase", "country-dangling", "negative-population"])
def test_grid_layer_bad_value(tmp_path, column, value, expected):
    data = {k: list(v) for k, v in GRID.items()}
    data[column][1] = value
    path = write_gpkg(tmp_path, data, SQUARES, "pop_1km_2021")
    lines = raises_on(ManyInputErrors, read_grid_layer, path, "pop_1km_2021")
    assert lines == [f"{path}, row 2, column {column!r}: value {str(value)!r}; expected {expected}"]


def test_grid_layer_duplicated_cell(tmp_path):
    data = {**GRID, "cell_id": [GRID["cell_id"][0], GRID["cell_id"][1], GRID["cell_id"][0]]}
    path = write_gpkg(tmp_path, data, SQUARES, "pop_1km_2021")
    lines = raises_on(ManyInputErrors, read_grid_layer, path, "pop_1km_2021")
    assert has_line(lines, "row 1", "column 'cell_id'", f"value {GRID['cell_id'][0]!r}")
    assert has_line(lines, "row 3", "column 'cell_id'", f"value {GRID['cell_id'][0]!r}")



def test_population_missing_a_kommun_or_an_age(tmp_path):
    """A partial download must not build silently with a kommun missing from the region totals."""
    rows = [f"2425,Dorotea,{age},{sex},1" for age in range(101) for sex in ("män", "kvinnor")]
    path = write_csv(tmp_path, rows[:-1])
    lines = raises_on(InputError, read_population, path, {"2425", "2481"})
    assert lines == [f"{path}, column 'kommun_kod': expected every kommun with all ages 0–100 for both sexes "
                     "(202 rows each); incomplete or missing: 2425, 2481"]


PUBLISHED_HEADER = "figure_id,description,published_value,unit,entity,measure,comparison,tolerance,tolerance_reason,source"


@pytest.mark.parametrize(("row", "expected"), [
    ("area,Yta,41955,km²,region:gino,total_area_km2,aprox,1,r,s",
     "row 2, column 'comparison': value 'aprox'; expected one of 'approx', 'equal', 'greater_than', 'just_below'"),
    ("area,Yta,41955,km²,gino,total_area_km2,approx,1,r,s",
     "row 2, column 'entity': value 'gino'; expected 'region:<id>' or 'kommun:<code>'"),
    ("area,Yta,41955,km²,region:gino,total_area_km2,approx,ett,r,s",
     "row 2, column 'tolerance': value 'ett'; expected a number or nothing"),
    ("area,Yta,många,km²,region:gino,total_area_km2,approx,1,r,s",
     "row 2, column 'published_value': value 'många'; expected a number for a numeric comparison"),
], ids=["comparison", "entity", "tolerance", "value"])
def test_published_figures_file_errors(tmp_path, row, expected):
    from analysis.public_data.sources import read_published_facts

    path = write_csv(tmp_path, [row], header=PUBLISHED_HEADER)
    with pytest.raises(GinoError) as exc:
        read_published_facts(path)
    assert str(exc.value) == f"{path}, {expected}"
