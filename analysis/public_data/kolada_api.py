"""Kolada's API v3: the IFO client-survey key figures for a later year, written as a raw snapshot.

``GET {base}/data/kpi/{kpi,kpi,…}/year/{year}?page=1&per_page=5000`` answers
``{"count": N, "values": [{"kpi", "municipality", "period", "values": [{"gender", "count",
"status", "value", "isdeleted"}, …]}, …], "next_url": URL or absent}``; the client follows ``next_url``
(or ``next_page``) until it is absent. A value Kolada marks ``isdeleted`` (on the value or on its item)
has been withdrawn and is not written; a value without a gender is one line naming its KPI,
municipality and year. ``GET {base}/kpi/{ids}`` and ``GET {base}/municipality``
give titles and names. Kolada publishes no rate limit; the client keeps to a few calls per
second, retries 429 (honouring ``Retry-After``) and 5xx with exponential backoff, and every
failure is one line. The snapshot has the columns of the mirror's Kolada files, so the same
reader validates it.

The PyPI package ``koladapy`` (1.0.1) was considered: it wraps each HTTP error in its own
exception before its backoff decorator sees it, so 5xx and connection errors are never retried,
and it sleeps a default 60 s on a 429 without ``Retry-After``; hence this small client, built
like ``analysis.public_data.pxweb``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from analysis.core.errors import GinoError
from analysis.public_data.catalog import write_new_snapshot
from analysis.public_data.kolada import CLIENT_SURVEY_KPIS, GENDERS
from analysis.public_data.kolada_snapshots import CLIENT_SURVEY_KIND
from analysis.public_data.pxweb_transport import CONNECT_RETRIES, RETRY_STATUSES, RateLimiter, _one_line

DEFAULT_BASE_URL = "https://api.kolada.se/v3/"
PER_PAGE = 5000
KPIS_PER_CALL = 25
MAX_PAGES = 1000
OFFLINE_HINT = "check your network connection, or use 'gino fetch --mirror DIR' with an offline copy"
COLUMNS = ["kpi_id", "kpi_title", "municipality_id", "municipality", "year", "gender", "value"]


class KoladaClient:
    """A rate-limited, retrying JSON client for Kolada's API v3 that follows its pages."""

    def __init__(self, base_url: str = DEFAULT_BASE_URL, *, max_calls: int = 5, per_seconds: float = 1.0,
                 retries: int = 5, backoff_factor: float = 1.0, timeout: float = 60.0) -> None:
        self.base_url = base_url.rstrip("/") + "/"
        self.retries, self.timeout = retries, timeout
        self.limiter = RateLimiter(max_calls, per_seconds)
        retry = Retry(total=retries, connect=min(retries, CONNECT_RETRIES), read=retries, status=retries,
                      backoff_factor=backoff_factor, status_forcelist=RETRY_STATUSES,
                      allowed_methods=frozenset({"GET"}), respect_retry_after_header=True, raise_on_status=False)
        self.session = requests.Session()
        adapter = HTTPAdapter(max_retries=retry)
        self.session.mount("https://", adapter)
        self.session.mount("http://", adapter)

    def get_json(self, url: str, params: dict | None = None) -> dict:
        self.limiter.acquire()
        try:
            response = self.session.get(url, params=params, headers={"Accept": "application/json"},
                                        timeout=self.timeout)
        except requests.RequestException as exc:
            reason = f"no answer within {self.timeout:g} s" if isinstance(exc, requests.Timeout) else \
                _one_line(str(exc) or type(exc).__name__)
            raise GinoError(f"could not reach the Kolada API at {url}: {reason}; {OFFLINE_HINT}") from None
        if response.status_code in RETRY_STATUSES:
            raise GinoError(f"could not reach the Kolada API at {url}: HTTP {response.status_code} after "
                            f"{self.retries} retries; {OFFLINE_HINT}")
        if response.status_code >= 400:
            raise GinoError(f"the Kolada API at {url} refused the request: HTTP {response.status_code} "
                            f"({_one_line(response.text, 120) or 'no explanation'})")
        try:
            doc = response.json()
        except ValueError:
            raise GinoError(f"{url}: expected a JSON object from the Kolada API, got "
                            f"{response.headers.get('Content-Type', 'no content type')}") from None
        if not isinstance(doc, dict) or not isinstance(doc.get("values"), list):
            raise GinoError(f"{url}: expected a JSON object with a 'values' list from the Kolada API")
        return doc

    def get_all(self, path: str) -> list[dict]:
        """Every item of a paged answer, following ``next_page`` links."""
        url, params, items = self.base_url + path.lstrip("/"), {"page": 1, "per_page": PER_PAGE}, []
        for _ in range(MAX_PAGES):
            doc = self.get_json(url, params)
            items += doc["values"]
            following = doc.get("next_url") or doc.get("next_page")
            if not following:
                return items
            url, params = following, None
        raise GinoError(f"{self.base_url}{path}: more than {MAX_PAGES} pages; the API's paging does not end")


def _deleted(flag) -> bool:
    """Kolada's ``isdeleted``: true as a JSON boolean or as text ("true", "1")."""
    return flag is True or str(flag).strip().lower() in ("true", "1")


def item_values(item: dict, where: str) -> list[dict]:
    """The rows of one answer item (one KPI, municipality and year): withdrawn values (``isdeleted``) and
    blank ones dropped; a value without a gender, or with another one than T, K or M, is one line."""
    try:
        code, kpi, period = str(item["municipality"]), str(item["kpi"]), int(item["period"])
        values = item["values"]
        iter(values)
    except (KeyError, TypeError, ValueError) as exc:
        raise GinoError(f"{where}: an item without the expected fields (kpi, municipality, period, values): "
                        f"{exc!r}") from None
    rows = []
    for v in values if not _deleted(item.get("isdeleted")) else []:
        if not isinstance(v, dict) or v.get("value") is None or _deleted(v.get("isdeleted")):
            continue
        gender = v.get("gender")
        if gender not in GENDERS:
            got = "no gender field" if "gender" not in v else f"gender {gender!r}"
            raise GinoError(f"{where}: KPI {kpi}, municipality {code}, year {period}: a value with {got}; expected "
                            f"one of {', '.join(GENDERS)} (T total, K women, M men); the API's answer format may "
                            "have changed")
        try:
            value = float(v["value"])
        except (TypeError, ValueError):
            raise GinoError(f"{where}: KPI {kpi}, municipality {code}, year {period}, gender {gender}: value "
                            f"{v['value']!r}; expected a number") from None
        rows.append({"kpi_id": kpi, "municipality_id": code, "year": period, "gender": gender, "value": value})
    return rows


def fetch_values(client: KoladaClient, year: int, kpis=CLIENT_SURVEY_KPIS) -> pd.DataFrame:
    """The ``kpis`` for every municipality (not regions or Riket) with a value in ``year``, gender T/K/M."""
    rows = []
    for start in range(0, len(kpis), KPIS_PER_CALL):
        batch = ",".join(kpis[start:start + KPIS_PER_CALL])
        where = f"{client.base_url}data/kpi/{batch}/year/{year}"
        for item in client.get_all(f"data/kpi/{batch}/year/{year}"):
            rows += item_values(item, where)
    frame = pd.DataFrame(rows, columns=["kpi_id", "municipality_id", "year", "gender", "value"])
    frame = frame[~frame["municipality_id"].str.startswith("00")]  # Riket 0000 and the regions 0001–0025
    if frame.empty:
        raise GinoError(f"Kolada has no values for {', '.join(kpis)} in {year} (not yet published?)")
    titles = {}
    for start in range(0, len(kpis), KPIS_PER_CALL):
        titles |= {str(k["id"]): str(k["title"]) for k in client.get_all(f"kpi/{','.join(kpis[start:start + KPIS_PER_CALL])}")}
    names = {str(m["id"]): str(m["title"]) for m in client.get_all("municipality")}
    frame = frame.assign(kpi_title=frame["kpi_id"].map(titles).fillna(""),
                         municipality=frame["municipality_id"].map(names).fillna(""))
    return frame[COLUMNS].sort_values(["kpi_id", "municipality_id", "gender"]).reset_index(drop=True)


def data_url(base_url: str, year: int, kpis=CLIENT_SURVEY_KPIS) -> str:
    """The data address a snapshot cites (the first of its calls; the others take the next KPIs)."""
    return f"{base_url}data/kpi/{','.join(kpis[:KPIS_PER_CALL])}/year/{year}"


def write_snapshot(frame: pd.DataFrame, year: int, raw_dir: Path, source_url: str) -> Path:
    """``raw_dir/kolada/brukarbedomning_ifo_kommun_{year}.csv`` and its catalog entry; never overwrites."""
    meta = {
        "id": f"kolada_client_survey_{year}",
        "kind": CLIENT_SURVEY_KIND,  # found by the next build through the catalog (analysis/public_data/kolada_snapshots.py)
        "years": [int(year)],
        "publisher": "Rådet för främjande av kommunala analyser (RKA), Kolada; källa SKR",
        "title": f"Brukarbedömning individ- och familjeomsorg (IFO totalt och delområden), per kommun, {year}, totalt och per kön",
        "table_id": "Kolada KPI " + ", ".join(sorted(frame["kpi_id"].unique())),
        "url": source_url,
        "reference_date": str(year),
        "access_date": date.today().isoformat(),
        "licence": "Kolada publishes its database as open data; cite 'Kolada (RKA), källa SKR' with the KPI id",
        "via": "Kolada API v3, fetched by analysis.public_data.kolada_api (gino fetch-kolada)",
    }
    relative = Path("kolada") / f"brukarbedomning_ifo_kommun_{year}.csv"
    return write_new_snapshot(raw_dir, relative, frame.to_csv(index=False, lineterminator="\n"), meta)
