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
import time
from collections import deque
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
import requests
import yaml
from requests.adapters import HTTPAdapter
from urllib3.exceptions import MaxRetryError
from urllib3.util.retry import Retry

from analysis.errors import GinoError
from analysis.files import sha256_file, write_text

DEFAULT_BASE_URL = "https://statistikdatabasen.scb.se/api/v2/"
POPULATION_TABLE = "TAB638"
"""Folkmängden efter region, civilstånd, ålder och kön. År 1968–2024."""
POPULATION_TABLE_FROM_2025 = "TAB5557"
"""The continuation of TAB638 from reference year 2025 (with Cell Key Method noise)."""
FIRST_YEAR_OF_SUCCESSOR = 2025

POPULATION_CONTENT_CODES = ("BE0101N1", "000007ME")  # "Folkmängd" in TAB638 and TAB5557
OLDEST_AGE_CODES = ("100+", "100+1")  # "100 år och äldre" in TAB638 and TAB5557
CIVILSTAND_TOTAL_CODES = ("SC",)
KON = {"1": "män", "2": "kvinnor"}
RETRY_STATUSES = (429, 500, 502, 503, 504)
CONNECT_RETRIES = 1
OFFLINE_HINT = "check your network connection, or use 'gino fetch --mirror DIR' with an offline copy"
COLUMNS = ("kommun_kod", "kommun_namn", "lan_kod", "alder", "kon")


class RateLimiter:
    """Sliding window: at most ``max_calls`` calls start within any ``per_seconds`` interval."""

    def __init__(
        self,
        max_calls: int,
        per_seconds: float,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if max_calls < 1 or per_seconds <= 0:
            raise ValueError("max_calls must be >= 1 and per_seconds > 0")
        self.max_calls, self.per_seconds = max_calls, per_seconds
        self._clock, self._sleep = clock, sleep
        self._starts: deque[float] = deque()

    def _forget_before(self, now: float) -> None:
        while self._starts and now - self._starts[0] >= self.per_seconds:
            self._starts.popleft()

    def acquire(self) -> None:
        """Block until one more call fits in the window, then record it."""
        now = self._clock()
        self._forget_before(now)
        if len(self._starts) >= self.max_calls:
            free_at = self._starts[0] + self.per_seconds
            self._sleep(free_at - now)
            # A clock that has not quite reached free_at (coarse timers) must not let the call
            # count twice, so the call is recorded no earlier than the moment the slot frees up.
            now = max(self._clock(), free_at)
            self._forget_before(now)
        self._starts.append(now)


class PxWebClient:
    """A rate-limited, retrying JSON client for one PxWebApi 2.0 installation."""

    def __init__(
        self,
        base_url: str = DEFAULT_BASE_URL,
        *,
        lang: str = "sv",
        max_calls: int = 30,
        per_seconds: float = 10.0,
        max_cells: int = 150_000,
        retries: int = 5,
        backoff_factor: float = 1.0,
        timeout: float = 60.0,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.lang = lang
        self.max_cells = max_cells
        self.retries = retries
        self.timeout = timeout
        self.limiter = RateLimiter(max_calls, per_seconds, clock=clock, sleep=sleep)
        retry = Retry(
            total=retries,
            # A refused or unresolvable connection almost always means "offline": fail within seconds.
            connect=min(retries, CONNECT_RETRIES),
            read=retries,
            status=retries,
            backoff_factor=backoff_factor,
            status_forcelist=RETRY_STATUSES,
            # Data queries are reads, so repeating a POST is safe.
            allowed_methods=frozenset({"GET", "POST"}),
            respect_retry_after_header=True,
            raise_on_status=False,
        )
        self.session = session or requests.Session()
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)

    def url(self, path: str) -> str:
        return self.base_url + path.lstrip("/")

    def get_json(self, path: str, params: dict | None = None) -> dict:
        """GET ``path`` below the base URL (``lang`` added) and return the JSON object."""
        return self._request("GET", path, params, None)

    def post_json(self, path: str, body: dict, params: dict | None = None) -> dict:
        """POST ``body`` as JSON to ``path`` below the base URL and return the JSON object."""
        return self._request("POST", path, params, body)

    def _request(self, method: str, path: str, params: dict | None, body: dict | None) -> dict:
        url = self.url(path)
        self.limiter.acquire()
        try:
            response = self.session.request(
                method,
                url,
                params={"lang": self.lang, **(params or {})},
                json=body,
                headers={"Accept": "application/json"},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise GinoError(f"could not reach SCB PxWeb API at {url}: {self._reason(exc)}; {OFFLINE_HINT}") from None
        if response.status_code in RETRY_STATUSES:
            raise GinoError(
                f"could not reach SCB PxWeb API at {url}: HTTP {response.status_code}{_problem(response)} "
                f"after {self.retries} retries; {OFFLINE_HINT}"
            )
        if response.status_code >= 400:
            # PxWebApi answers 403 when a query asks for more cells than the installation allows.
            hint = "; the query exceeds the cell limit, lower max_cells" if response.status_code == 403 else ""
            raise GinoError(
                f"SCB PxWeb API at {url} refused the request: HTTP {response.status_code}{_problem(response)}{hint}"
            )
        try:
            doc = response.json()
        except ValueError:
            kind = response.headers.get("Content-Type", "no content type")
            raise GinoError(f"{url}: expected a JSON object from SCB PxWeb API, got {kind}") from None
        if not isinstance(doc, dict):
            raise GinoError(f"{url}: expected a JSON object from SCB PxWeb API, got a JSON {type(doc).__name__}")
        return doc

    def _reason(self, exc: requests.RequestException) -> str:
        if isinstance(exc, requests.Timeout):
            return f"no answer within {self.timeout:g} s"
        cause: BaseException = exc
        if exc.args and isinstance(exc.args[0], MaxRetryError) and exc.args[0].reason is not None:
            cause = exc.args[0].reason
        text = str(cause)
        errno = re.search(r"\[Errno -?\d+\] [^'\")\]]+", text)
        return _one_line(errno.group(0) if errno else text or type(cause).__name__)


def _one_line(text: str, limit: int = 200) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _problem(response: requests.Response) -> str:
    """The API's own short explanation (RFC 7807 ``title``/``detail``), if it sent one."""
    try:
        doc = response.json()
    except ValueError:
        return ""
    if not isinstance(doc, dict):
        return ""
    parts = [str(doc[key]) for key in ("title", "detail") if doc.get(key)]
    return f" ({_one_line('; '.join(parts))})" if parts else ""


def _categories(doc: dict, dim: str, source: str) -> list[tuple[str, str]]:
    """``(code, label)`` pairs of one json-stat2 dimension, in category index order."""
    dimension = doc.get("dimension")
    if not isinstance(dimension, dict) or not isinstance(dimension.get(dim), dict):
        raise GinoError(f"{source}: malformed json-stat2; expected dimension[{dim!r}] as an object")
    category = dimension[dim].get("category")
    if not isinstance(category, dict):
        raise GinoError(f"{source}: malformed json-stat2; expected dimension[{dim!r}].category as an object")
    labels = category.get("label") or {}
    index = category.get("index")
    if index is None and isinstance(labels, dict) and len(labels) == 1:
        index = list(labels)  # json-stat allows omitting index for a single category
    if isinstance(index, dict):
        positions = sorted(index.values())
        if positions != list(range(len(index))):
            raise GinoError(
                f"{source}: malformed json-stat2; expected dimension[{dim!r}].category.index "
                f"positions 0..{len(index) - 1}"
            )
        codes = sorted(index, key=index.__getitem__)
    elif isinstance(index, list):
        codes = index
    else:
        raise GinoError(
            f"{source}: malformed json-stat2; expected dimension[{dim!r}].category.index as a list or object"
        )
    if not isinstance(labels, dict):
        raise GinoError(f"{source}: malformed json-stat2; expected dimension[{dim!r}].category.label as an object")
    return [(str(code), str(labels.get(code, code))) for code in codes]


def _dimension_ids(doc: dict, source: str) -> list[str]:
    ids = doc.get("id")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise GinoError(f"{source}: malformed json-stat2; expected 'id' as a list of dimension names")
    return ids


def parse_jsonstat2(doc: dict, *, source: str = "json-stat2 document") -> pd.DataFrame:
    """A json-stat2 dataset as a long frame: one code column per dimension, then one
    ``<dim>_label`` column per dimension, then ``value`` (float only when a value is missing).

    ``source`` (for example the request URL) names the document in error messages.
    """
    if not isinstance(doc, dict):
        raise GinoError(f"{source}: malformed json-stat2; expected a JSON object")
    ids = _dimension_ids(doc, source)
    size = doc.get("size")
    if not isinstance(size, list) or len(size) != len(ids) or not all(isinstance(s, int) for s in size):
        raise GinoError(f"{source}: malformed json-stat2; expected 'size' as {len(ids)} integers, one per id")
    categories = [_categories(doc, dim, source) for dim in ids]
    for dim, n, cats in zip(ids, size, categories):
        if len(cats) != n:
            raise GinoError(
                f"{source}: malformed json-stat2; expected {n} categories in dimension {dim!r} (its size), "
                f"got {len(cats)}"
            )
    cells = math.prod(size)
    values = doc.get("value")
    if isinstance(values, dict):  # sparse form: {"flat index": value}
        dense: list[Any] = [None] * cells
        for key, v in values.items():
            if not str(key).isdigit() or int(key) >= cells:
                raise GinoError(f"{source}: malformed json-stat2; expected 'value' keys 0..{cells - 1}, got {key!r}")
            dense[int(key)] = v
        values = dense
    if not isinstance(values, list) or len(values) != cells:
        if isinstance(values, list):
            got = f"{len(values)} values"
        else:
            got = "no 'value'" if values is None else f"a JSON {type(values).__name__}"
        raise GinoError(
            f"{source}: malformed json-stat2; expected 'value' as a list of {cells} numbers (the product of size), "
            f"got {got}"
        )
    if any(not (v is None or (isinstance(v, int | float) and not isinstance(v, bool))) for v in values):
        raise GinoError(f"{source}: malformed json-stat2; expected 'value' to hold only numbers or null")

    # MultiIndex.from_product varies the last level fastest: json-stat2's row-major order.
    frame = pd.MultiIndex.from_product([[c for c, _ in cats] for cats in categories], names=ids).to_frame(index=False)
    for dim, cats in zip(ids, categories):
        frame[f"{dim}_label"] = frame[dim].map(dict(cats))
    integral = None not in values and all(float(v).is_integer() for v in values)
    frame["value"] = pd.Series(
        [math.nan if v is None else v for v in values], dtype="int64" if integral else "float64"
    )
    return frame


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
    raw_dir = Path(raw_dir)
    relative = Path("scb") / f"folkmangd_kommun_alder_kon_{year}-12-31.csv"
    csv_path = raw_dir / relative
    meta_path = csv_path.with_name(csv_path.name.removesuffix(".csv") + ".meta.yaml")
    for existing in (csv_path, meta_path):
        if existing.exists():
            raise GinoError(f"{existing}: already exists; raw snapshots and their catalog entries are immutable, "
                            "remove both to replace them")
    write_text(csv_path, df.to_csv(index=False, lineterminator="\n"))
    meta = {
        "id": f"population_{year}",
        "publisher": "Statistiska centralbyrån (SCB)",
        "title": f"Folkmängd efter kommun, ålder och kön, 31 december {year}",
        "table_id": table_id or population_table(year),
        "url": source_url,
        "reference_date": f"{year}-12-31",
        "access_date": date.today().isoformat(),
        "licence": "CC0 1.0 (SCB open data)",
        "file": relative.as_posix(),
        "size": csv_path.stat().st_size,
        "sha256": sha256_file(csv_path),
        "via": "SCB PxWebApi 2.0, json-stat2, fetched by analysis.pxweb",
    }
    write_text(meta_path, yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100))
    return csv_path
