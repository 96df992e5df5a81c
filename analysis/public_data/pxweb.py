"""Population by kommun, single year of age and sex from SCB's PxWebApi 2.0 (json-stat2).

The request follows the PxWebApi 2.0 contract:

1. ``GET {base}/tables/{table}/metadata?lang=sv&outputFormat=json-stat2`` lists the table's
   variables and value codes (a json-stat2 dataset without values).
2. ``POST {base}/tables/{table}/data?lang=sv&outputFormat=json-stat2`` with the body
   ``{"selection": [{"variableCode": "Region", "valueCodes": [...]}, ...]}`` returns the
   selected cells as a json-stat2 dataset, values in row-major order (last dimension fastest).

Tables: TAB638 "Folkmängden efter region, civilstånd, ålder och kön. År 1968–2024" (variables
Region, Civilstand, Alder, Kon, ContentsCode, Tid; content code BE0101N1 = Folkmängd; ages
"0".."99", "100+" and a total "tot"; Civilstand OG/G/SK/ÄNKL without a total, so it is summed
here). SCB froze TAB638 at 2024 and continues the series from 2025 in TAB5557, where the
content code is 000007ME, the oldest age class is "100+1" and Civilstand has the total "SC",
which is selected instead of summing because TAB5557 adds Cell Key Method noise to every cell.
A year-Y figure uses the regional division of 1 January Y+1 (a TAB638 table note).

SCB's limits (``GET {base}/config``: maxCallsPerTimeWindow 30, timeWindow 10,
maxDataCells 150 000) are enforced by a sliding-window limiter and by splitting the
kommun list into batches. 429 and 5xx answers are retried by urllib3 with exponential
backoff, honouring ``Retry-After``.

Documentation relied on:

- PxWebApi 2.0 OpenAPI specification: https://github.com/PxTools/PxApiSpecs/blob/master/PxAPI-2.yml
  (tag v2.0.0: https://raw.githubusercontent.com/PxTools/PxApiSpecs/refs/tags/v2.0.0/PxAPI-2.yml)
- PxWebApi 2 user guide: https://www.pxtools.net/PxWebApi/documentation/user-guide
- PxWebApi server, metadata formats json-px/json-stat2 via ``outputFormat``:
  https://github.com/PxTools/PxWebApi (PxWeb/Mappers/LinkCreator.cs)
- SCB base URL, limits and table succession (TAB638 → TAB5557):
  https://github.com/janbrus/pxwebapi-skills (scb-pxwebapi-v2-skill/SKILL.md,
  pxwebapi-v2-generic-skill/references/api-details.md)
- SCB open data terms (CC0): https://www.scb.se/en/services/open-data-api/
- json-stat 2.0 format: https://json-stat.org/format/
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import pandas as pd

from analysis.core.errors import GinoError
from analysis.public_data.catalog import write_new_snapshot
from analysis.public_data.jsonstat import _categories, _dimension_ids, parse_jsonstat2
from analysis.public_data.pxweb_transport import DEFAULT_BASE_URL, PxWebClient, _one_line

POPULATION_TABLE = "TAB638"
"""Folkmängden efter region, civilstånd, ålder och kön. År 1968–2024."""
POPULATION_TABLE_FROM_2025 = "TAB5557"
"""The continuation of TAB638 from reference year 2025 (with Cell Key Method noise)."""
FIRST_YEAR_OF_SUCCESSOR = 2025

POPULATION_CONTENT_CODES = ("BE0101N1", "000007ME")  # "Folkmängd" in TAB638 and TAB5557
OLDEST_AGE_CODES = ("100+", "100+1")  # "100 år och äldre" in TAB638 and TAB5557
CIVILSTAND_TOTAL_CODES = ("SC",)
KON = {"1": "män", "2": "kvinnor"}
COLUMNS = ("kommun_kod", "kommun_namn", "lan_kod", "alder", "kon")


def population_table(year: int) -> str:
    """The SCB table holding the population on 31 December ``year``."""
    return POPULATION_TABLE_FROM_2025 if year >= FIRST_YEAR_OF_SUCCESSOR else POPULATION_TABLE


def population_data_url(year: int, base_url: str = DEFAULT_BASE_URL, lang: str = "sv") -> str:
    """The data endpoint ``fetch_population`` posts to, for the snapshot's ``url`` field."""
    return f"{base_url.rstrip('/')}/tables/{population_table(year)}/data?lang={lang}&outputFormat=json-stat2"


def _age(code: str) -> int | None:
    if code in OLDEST_AGE_CODES:
        return 100
    return int(code) if re.fullmatch(r"\d{1,2}", code) else None


def _population_selection(meta: dict, year: int, table: str, source: str) -> dict[str, list[str]]:
    """Value codes to request per variable, in the table's own variable order."""
    ids = _dimension_ids(meta, source)
    needed = {"Region", "Alder", "Kon", "ContentsCode", "Tid"}
    if missing := needed - set(ids):
        raise GinoError(
            f"{source}: table {table} lacks variable(s) {', '.join(sorted(missing))}; "
            f"expected {', '.join(sorted(needed))}"
        )
    if unexpected := set(ids) - needed - {"Civilstand"}:
        raise GinoError(f"{source}: table {table} has unexpected variable(s) {', '.join(sorted(unexpected))}")
    codes = {dim: [c for c, _ in _categories(meta, dim, source)] for dim in ids}

    selection: dict[str, list[str]] = {}
    for dim in ids:
        have = codes[dim]
        if dim == "Region":
            chosen = [c for c in have if re.fullmatch(r"\d{4}", c)]
            what = "4-digit kommun codes"
        elif dim == "Civilstand":
            chosen = [c for c in have if c in CIVILSTAND_TOTAL_CODES][:1] or have
            what = "civilstånd codes"
        elif dim == "Alder":
            chosen = [c for c in have if _age(c) is not None]
            what = "single-year age codes"
            if len({_age(c) for c in chosen}) != len(chosen):
                raise GinoError(f"{source}: table {table} has more than one code for an age among {', '.join(chosen)}")
        elif dim == "Kon":
            chosen = list(KON) if set(KON) <= set(have) else []
            what = "codes 1 and 2 for both sexes"
        elif dim == "ContentsCode":
            chosen = [c for c in POPULATION_CONTENT_CODES if c in have][:1]
            what = f"a population content code ({' or '.join(POPULATION_CONTENT_CODES)})"
        else:  # Tid
            chosen = [str(year)] if str(year) in have else []
            what = f"year {year} (the table covers {have[0]}–{have[-1]})" if have else f"year {year}"
        if not chosen:
            raise GinoError(f"{source}: table {table} has no {what}")
        selection[dim] = chosen
    return selection


def _batches(items: Sequence[str], size: int) -> list[list[str]]:
    """``items`` in consecutive, nearly equal batches of at most ``size``."""
    count = math.ceil(len(items) / size)
    even = math.ceil(len(items) / count)
    return [list(items[i : i + even]) for i in range(0, len(items), even)]


def fetch_population(
    year: int,
    client: PxWebClient | None = None,
    *,
    table: str | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> pd.DataFrame:
    """Population on 31 December ``year`` by kommun, single year of age (0..100, 100 = 100+)
    and sex, summed over civilstånd.

    Columns: ``kommun_kod, kommun_namn, lan_kod, alder, kon, folkmangd_<year>_12_31``,
    sorted by kommun, age and sex (män before kvinnor). ``progress(done, total)`` is called
    after each batch of kommuner. Everything is fetched before anything is returned.
    """
    client = client or PxWebClient()
    table = table or population_table(year)
    meta_path = f"tables/{table}/metadata"
    meta = client.get_json(meta_path, {"outputFormat": "json-stat2"})
    selection = _population_selection(meta, year, table, client.url(meta_path))

    cells_per_region = math.prod(len(v) for dim, v in selection.items() if dim != "Region")
    per_batch = client.max_cells // cells_per_region
    if per_batch < 1:
        raise GinoError(
            f"one kommun needs {cells_per_region} cells but the client allows {client.max_cells} per call; "
            "raise max_cells"
        )
    batches = _batches(selection["Region"], per_batch)
    data_path = f"tables/{table}/data"
    source = client.url(data_path)
    frames = []
    for done, regions in enumerate(batches, start=1):
        wanted = {**selection, "Region": regions}
        body = {"selection": [{"variableCode": dim, "valueCodes": codes} for dim, codes in wanted.items()]}
        frame = parse_jsonstat2(client.post_json(data_path, body, {"outputFormat": "json-stat2"}), source=source)
        _check_batch(frame, wanted, source)
        frames.append(frame)
        if progress:
            progress(done, len(batches))
    return _tidy(pd.concat(frames, ignore_index=True), year)


def _check_batch(frame: pd.DataFrame, wanted: dict[str, list[str]], source: str) -> None:
    """The answer must hold exactly the requested cells, each with a value."""
    for dim, codes in wanted.items():
        if dim not in frame.columns:
            raise GinoError(f"{source}: malformed answer; expected dimension {dim!r} in the json-stat2 'id'")
        if sorted(frame[dim].unique()) != sorted(codes):
            raise GinoError(f"{source}: malformed answer; expected {dim} codes {_one_line(', '.join(codes), 80)}")
    cells = math.prod(len(c) for c in wanted.values())
    if len(frame) != cells:
        raise GinoError(f"{source}: malformed answer; expected {cells} cells, got {len(frame)}")
    missing = frame[frame["value"].isna()]
    if len(missing):
        first = missing.iloc[0]
        raise GinoError(
            f"{source}: SCB gave no value for {len(missing)} cell(s), e.g. Region {first['Region']}, "
            f"Alder {first['Alder']}, Kon {first['Kon']}; expected a count in every cell"
        )
    if frame["value"].dtype != "int64":
        raise GinoError(f"{source}: malformed answer; expected whole-number population counts")


def _tidy(raw: pd.DataFrame, year: int) -> pd.DataFrame:
    names = raw.drop_duplicates("Region").set_index("Region")["Region_label"]
    summed = raw.groupby(["Region", "Alder", "Kon"], as_index=False, sort=False)["value"].sum()
    kommun = summed["Region"].astype(str)
    out = pd.DataFrame(
        {
            "kommun_kod": kommun,
            "kommun_namn": kommun.map(names).str.replace(r"\s+kommun$", "", regex=True),
            "lan_kod": kommun.str[:2],
            "alder": summed["Alder"].map(_age).astype("int64"),
            "kon": summed["Kon"].map(KON),
            f"folkmangd_{year}_12_31": summed["value"].astype("int64"),
        }
    )
    order = out["kon"].map({label: rank for rank, label in enumerate(KON.values())})
    out = out.assign(_kon_order=order).sort_values(["kommun_kod", "alder", "_kon_order"], kind="mergesort")
    return out.drop(columns="_kon_order").reset_index(drop=True)


def write_population_snapshot(
    df: pd.DataFrame,
    year: int,
    raw_dir: Path,
    *,
    source_url: str,
    table_id: str | None = None,
) -> Path:
    """Write ``df`` (from ``fetch_population``) and its catalog entry under ``raw_dir/scb``.

    Both files are written atomically; the CSV is deterministic for identical frames.
    Returns the CSV path.
    """
    expected = [*COLUMNS, f"folkmangd_{year}_12_31"]
    if list(df.columns) != expected:
        raise GinoError(f"population frame for {year}: columns {list(df.columns)}; expected {expected}")
    meta = {
        "id": f"population_{year}",
        "publisher": "Statistiska centralbyrån (SCB)",
        "title": f"Folkmängd efter kommun, ålder och kön, 31 december {year}",
        "table_id": table_id or population_table(year),
        "url": source_url,
        "reference_date": f"{year}-12-31",
        "access_date": date.today().isoformat(),
        "licence": "CC0 1.0 (SCB open data)",
        "via": "SCB PxWebApi 2.0, json-stat2, fetched by analysis.public_data.pxweb",
    }
    relative = Path("scb") / f"folkmangd_kommun_alder_kon_{year}-12-31.csv"
    return write_new_snapshot(raw_dir, relative, df.to_csv(index=False, lineterminator="\n"), meta)
