"""Readers for the raw public snapshots: read, validate against the schema, return typed frames.

Each reader takes the file path (and the set of valid kommun codes where codes occur), so
the readers are easy to test on small hand-made files.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pandera.pandas as pa
import pyogrio

from analysis.core.errors import InputError, ManyInputErrors
from analysis.public_data.consistency import area_problems
from analysis.public_data.schemas import KOMMUN_CODE, integer, matches, number, one_of, text_column, validate

CRS = "EPSG:3006"
AREA_WATER = ("inlandsvatten_exkl_4_storsta_km2_2015", "havsvatten_km2_2015")  # the areas file's water columns
POPULATION_COLUMN = re.compile(r"folkmangd_(\d{4})_(\d{2})_(\d{2})")
SEXES = ("män", "kvinnor")


def read_csv_text(path: Path, data: bytes | None = None) -> pd.DataFrame:
    """Every cell as text, empty cells as empty strings, so the schema sees what the file holds.

    Blank lines are kept as rows so that row numbers in messages match the file's lines. ``data``: the
    file's bytes when the caller has read them already.
    """
    if data is None:
        data = read_bytes(path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, "UTF-8 text (save the file again as UTF-8)", row=line,
                         value=data[exc.start : exc.start + 1]) from None
    try:
        return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False,
                           index_col=False)
    except pd.errors.EmptyDataError:
        raise InputError(path, "a CSV file with a header row, but the file is empty") from None
    except pd.errors.ParserError as exc:
        detail = str(exc).strip().splitlines()[-1]
        fields = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", detail)
        if fields:
            expected, line, found = fields.groups()
            raise InputError(path, f"{expected} comma-separated fields as in the header, found {found}",
                             row=int(line)) from None
        raise InputError(path, f"well-formed CSV ({detail})") from None


def read_bytes(path: Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(path, "an existing file (run 'gino fetch' first)") from None


def as_int(text: pd.Series) -> pd.Series:
    """Validated whole-number text ("5", "5.0", "1e3") as int64."""
    return pd.to_numeric(text.astype(str).str.strip()).round().astype("int64")


def read_layer(path: Path, layer: str, columns: list[str]) -> gpd.GeoDataFrame:
    """A GeoPackage layer in SWEREF99 TM with the required attribute columns."""
    if not path.exists():
        raise InputError(path, "an existing file (run 'gino fetch' first)")
    try:
        layers = [name for name, _ in pyogrio.list_layers(path)]
    except Exception as exc:  # pyogrio raises DataSourceError and friends for unreadable files
        raise InputError(path, f"a readable GeoPackage ({exc.__class__.__name__})") from None
    if layer not in layers:
        raise InputError(path, f"a layer named {layer!r} (layers found: {', '.join(layers)})")
    gdf = gpd.read_file(path, layer=layer, engine="pyogrio")
    if gdf.crs is None or gdf.crs.to_epsg() != 3006:
        found = "no CRS" if gdf.crs is None else f"CRS {gdf.crs.to_string()}"
        raise InputError(path, f"{CRS} (SWEREF99 TM), but the layer {layer!r} has {found}")
    missing = [c for c in columns if c not in gdf.columns]
    if missing:
        raise InputError(path, f"a column named {missing[0]!r} in layer {layer!r} "
                               f"(columns found: {', '.join(c for c in gdf.columns if c != 'geometry')})")
    empty = gdf.geometry.isna() | gdf.geometry.is_empty
    if empty.any():
        first = int(empty.to_numpy().nonzero()[0][0])
        raise InputError(path, f"a geometry in every feature of layer {layer!r}", row=first + 1, column="geometry")
    return gdf


def read_kommuner(path: Path, layer: str = "kommuner") -> gpd.GeoDataFrame:
    gdf = read_layer(path, layer, ["kommun_kod", "kommun_namn"])
    attrs = gdf[["kommun_kod", "kommun_namn"]].astype(str)
    schema = pa.DataFrameSchema({"kommun_kod": text_column(KOMMUN_CODE), "kommun_namn": text_column()},
                                unique=["kommun_kod"], report_duplicates="all")
    validate(attrs, schema, path, first_row=1)
    out = gpd.GeoDataFrame(attrs.assign(lan_kod=attrs["kommun_kod"].str[:2]), geometry=gdf.geometry.values, crs=CRS)
    return out.sort_values("kommun_kod").reset_index(drop=True)


def read_lan(path: Path, layer: str = "lan") -> gpd.GeoDataFrame:
    gdf = read_layer(path, layer, ["lan_kod", "lan_namn"])
    attrs = gdf[["lan_kod", "lan_namn"]].astype(str)
    schema = pa.DataFrameSchema({"lan_kod": text_column(matches(r"\d{2}", "a 2-digit län code")),
                                 "lan_namn": text_column()}, unique=["lan_kod"], report_duplicates="all")
    validate(attrs, schema, path, first_row=1)
    out = gpd.GeoDataFrame(attrs, geometry=gdf.geometry.values, crs=CRS)
    return out.sort_values("lan_kod").reset_index(drop=True)


def _known(codes: set[str]) -> pa.Check:
    return one_of(codes, "a kommun code present in the kommun boundary layer")


def read_population(path: Path, known: set[str]) -> tuple[pd.DataFrame, str]:
    """Population by kommun, single year of age and sex; returns the frame and its reference date."""
    raw = read_csv_text(path)
    value_cols = [c for c in raw.columns if POPULATION_COLUMN.fullmatch(c)]
    if len(value_cols) != 1:
        raise InputError(path, "exactly one population column named like 'folkmangd_YYYY_MM_DD' "
                               f"(columns found: {', '.join(raw.columns)})")
    value = value_cols[0]
    schema = pa.DataFrameSchema(
        {
            "kommun_kod": text_column(KOMMUN_CODE, _known(known)),
            "kommun_namn": text_column(),
            "alder": text_column(integer(0, 100)),
            "kon": text_column(one_of(SEXES)),
            value: text_column(integer(0)),
        },
        unique=["kommun_kod", "alder", "kon"], report_duplicates="all",
    )
    validate(raw, schema, path)
    cells = raw.groupby("kommun_kod").size()
    incomplete = sorted((known - set(cells.index)) | set(cells.index[cells != 101 * len(SEXES)]))
    if incomplete:
        raise InputError(path, f"every kommun with all ages 0–100 for both sexes ({101 * len(SEXES)} rows each); "
                               f"incomplete or missing: {', '.join(incomplete[:5])}"
                               + (f" and {len(incomplete) - 5} more" if len(incomplete) > 5 else ""),
                         column="kommun_kod")
    y, m, d = POPULATION_COLUMN.fullmatch(value).groups()
    df = pd.DataFrame({
        "kommun_kod": raw["kommun_kod"],
        "age": as_int(raw["alder"]),
        "sex": raw["kon"].map({"män": "men", "kvinnor": "women"}),
        "population": as_int(raw[value]),
    })
    return df, f"{y}-{m}-{d}"


def read_land_use(path: Path, known: set[str]) -> pd.DataFrame:
    """Land area per kommun (km²) from the 'total landareal' class of the land-use table."""
    raw = read_csv_text(path)
    schema = pa.DataFrameSchema({
        "kommun_kod": text_column(KOMMUN_CODE, _known(known)),
        "markanvandningsklass": text_column(),
        "hektar_2015": text_column(number(0)),
    })
    validate(raw, schema, path)
    total = raw[raw["markanvandningsklass"].str.strip().str.lower() == "total landareal"]
    if total["kommun_kod"].duplicated().any():
        dup = total.index[total["kommun_kod"].duplicated()][0]
        raise InputError(path, "one 'total landareal' row per kommun", row=int(dup) + 2, column="kommun_kod",
                         value=total.loc[dup, "kommun_kod"])
    missing = sorted(known - set(total["kommun_kod"]))
    if missing:
        raise InputError(path, f"a 'total landareal' row for every kommun (missing for {', '.join(missing[:5])})",
                         column="markanvandningsklass")
    return pd.DataFrame({
        "kommun_kod": total["kommun_kod"].to_numpy(),
        "land_area_km2": pd.to_numeric(total["hektar_2015"]).to_numpy() / 100,
    }).sort_values("kommun_kod").reset_index(drop=True)


def read_areas(path: Path, known: set[str]) -> pd.DataFrame:
    """Total and land area per kommun (km², 1 January 2015)."""
    raw = read_csv_text(path)
    water = [c for c in AREA_WATER if c in raw.columns]
    schema = pa.DataFrameSchema({
        "kommun_kod": text_column(KOMMUN_CODE, _known(known)),
        "total_areal_km2_2015": text_column(number(0, above=True)),
        "landareal_km2_2015": text_column(number(0, above=True)),
        **{c: text_column(number(0)) for c in water},
    }, unique=["kommun_kod"], report_duplicates="all")
    validate(raw, schema, path)
    missing = sorted(known - set(raw["kommun_kod"]))
    if missing:
        raise InputError(path, f"a row for every kommun (missing: {', '.join(missing[:5])})", column="kommun_kod")
    numbers = raw[["kommun_kod"]].join(raw[["total_areal_km2_2015", "landareal_km2_2015", *water]].apply(pd.to_numeric))
    problems = area_problems(numbers, path, "total_areal_km2_2015", "landareal_km2_2015", water)
    if problems:
        raise ManyInputErrors(problems)
    return pd.DataFrame({
        "kommun_kod": raw["kommun_kod"],
        "total_area_km2": pd.to_numeric(raw["total_areal_km2_2015"]),
        "land_area_km2": pd.to_numeric(raw["landareal_km2_2015"]),
    }).sort_values("kommun_kod").reset_index(drop=True)


def read_tatorter(path: Path, known: set[str], layer: str = "tatorter_2020") -> gpd.GeoDataFrame:
    gdf = read_layer(path, layer, ["tatortskod", "tatort", "kommun_kod", "bef"])
    attrs = gdf[["tatortskod", "tatort", "kommun_kod", "bef"]].astype(str)
    schema = pa.DataFrameSchema({
        "tatortskod": text_column(),
        "tatort": text_column(),
        "kommun_kod": text_column(KOMMUN_CODE, _known(known)),
        "bef": text_column(integer(0)),
    }, unique=["tatortskod"], report_duplicates="all")
    validate(attrs, schema, path, first_row=1)
    not_points = gdf.geometry.geom_type != "Point"
    if not_points.any():
        first = int(not_points.to_numpy().nonzero()[0][0])
        raise InputError(path, f"a Point geometry in layer {layer!r}", row=first + 1, column="geometry",
                         value=gdf.geometry.geom_type.iloc[first])
    out = gpd.GeoDataFrame({
        "tatortskod": attrs["tatortskod"], "tatort": attrs["tatort"], "kommun_kod": attrs["kommun_kod"],
        "population": as_int(attrs["bef"]),
    }, geometry=gdf.geometry.values, crs=CRS)
    return out.sort_values("tatortskod").reset_index(drop=True)


def read_grid_layer(path: Path, layer: str) -> gpd.GeoDataFrame:
    """One reference year of the 1 km population grid (every country code kept; filter later)."""
    gdf = read_layer(path, layer, ["cell_id", "population", "cntr_id"])
    attrs = gdf[["cell_id", "population", "cntr_id"]].astype(str)
    schema = pa.DataFrameSchema({
        "cell_id": text_column(matches(r"CRS3035RES1000mN\d+E\d+", "an INSPIRE 1 km cell code")),
        "population": text_column(integer(0)),
        "cntr_id": text_column(matches(r"[A-Z]{2}(-[A-Z]{2})*", "a country code such as SE or FI-SE")),
    }, unique=["cell_id"], report_duplicates="all")
    validate(attrs, schema, path, first_row=1)
    year = re.search(r"(\d{4})$", layer)
    return gpd.GeoDataFrame({
        "cell_id": attrs["cell_id"],
        "ref_year": int(year.group(1)) if year else pd.NA,
        "population": as_int(attrs["population"]),
        "cntr_id": attrs["cntr_id"],
    }, geometry=gdf.geometry.values, crs=CRS)


COMPARISONS = ("approx", "equal", "greater_than", "just_below")


def read_published_facts(path: Path) -> pd.DataFrame:
    """Published figures with their source and comparison rule, all as text (see facts.compare_published)."""
    raw = read_csv_text(path)
    optional_number = pa.Check(lambda s: (s == "") | pd.to_numeric(s, errors="coerce").notna(),
                               error="a number or nothing")
    schema = pa.DataFrameSchema({
        "figure_id": text_column(matches(r"[a-z0-9_]+", "a snake_case figure id")),
        "published_value": text_column(),
        "entity": text_column(matches(r"(region|kommun):\S+", "'region:<id>' or 'kommun:<code>'")),
        "measure": text_column(),
        "comparison": text_column(one_of(COMPARISONS)),
        "tolerance": text_column(optional_number),
        "source": text_column(),
    }, unique=["figure_id"], report_duplicates="all")
    validate(raw, schema, path)
    numeric = raw["comparison"] != "equal"
    bad = numeric & pd.to_numeric(raw["published_value"], errors="coerce").isna()
    if bad.any():
        i = int(bad.to_numpy().nonzero()[0][0])
        raise InputError(path, "a number for a numeric comparison", row=i + 2, column="published_value",
                         value=raw["published_value"].iloc[i])
    return raw


def read_national_population(path: Path) -> pd.DataFrame:
    """SCB's published national population totals (reference_date, population, tolerance, source), as data."""
    raw = read_csv_text(path)
    schema = pa.DataFrameSchema({
        "reference_date": text_column(matches(r"\d{4}-\d{2}-\d{2}", "a date such as 2019-12-31")),
        "population": text_column(integer(1)),
        "tolerance": text_column(integer(0)),
        "source": text_column(),
    }, unique=["reference_date"], report_duplicates="all")
    validate(raw, schema, path)
    return raw.assign(population=as_int(raw["population"]), tolerance=as_int(raw["tolerance"]))
