"""Kolada (RKA) snapshots: readers and the facts about SKR's IFO client survey that the pipeline relies on.

Kolada publishes the client-survey key figures ("Brukarbedömning individ- och familjeomsorg")
per municipality where at least five answered, with "Vet inte/ingen åsikt" left out of the
denominator, and no national value. The readers validate every cell and return typed frames;
the constants map the surveys' codebook variables to Kolada's KPI ids (from the KPI
definitions' question wording, ``kpi_definitioner_ifo.csv``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.public_data.schemas import integer, matches, number, one_of, text_column, validate

# Codebook variable -> Kolada KPI (IFO total). The KPI descriptions quote the questions:
# U30450 "inflytande" is "Frågar socialsekreteraren efter dina synpunkter …", U30451 "påverka hjälp"
# is "Hur mycket har du kunnat påverka vilken typ av hjälp du får …".
ITEM_KPIS = {
    "contact_ease": "U30447",
    "information_ease": "U30448",
    "shows_understanding": "U30449",
    "asks_views": "U30450",
    "can_influence": "U30451",
    "overall_satisfaction": "U30452",
    "situation_improved": "U30453",
}
RESPONDENTS_KPI = "U30901"    # persons who answered at least one question
RESPONSE_RATE_KPI = "U30900"  # respondents / persons offered the survey (Kolada: only with at least ten respondents)
RESPONSE_RATE_MINIMUM = 10


def _items(first: int) -> dict[str, str]:
    """The seven questions' KPIs of a sub-area, numbered in the order of ``ITEM_KPIS``."""
    return {variable: f"U{first + i}" for i, variable in enumerate(ITEM_KPIS)}


# The same seven questions asked within each part of IFO (Kolada's sub-areas), with the part's respondents
# and response rate. Titles after Kolada's KPI titles.
AREAS = {
    "ifo": ("IFO totalt", ITEM_KPIS, RESPONDENTS_KPI, RESPONSE_RATE_KPI),
    "ekonomiskt_bistand": ("Ekonomiskt bistånd", _items(31500), "U31903", "U31902"),
    "barn_unga": ("Barn- och ungdomsvård (13 år och äldre)", _items(33575), "U33904", "U33901"),
    "vardnadshavare": ("Barn- och ungdomsvård, vårdnadshavare", _items(33589), "U33903", "U33900"),
    "missbruk": ("Missbruksvård", _items(35538), "U35901", "U35900"),
}
# Every client-survey KPI the mirror's snapshot holds: the areas above and the placements' own questions
# (familjehem, stödboende, HVB: U33750–U33791), so that a fetched year has what the mirror's years have.
CLIENT_SURVEY_KPIS = (*[k for _, items, n, rate in AREAS.values() for k in (*items.values(), rate, n)],
                      *[f"U{i}" for i in range(33750, 33792)])
PUBLICATION_THRESHOLD = 5     # Kolada: a value only where at least five answered
REGION_GROUP = "G122469"      # "Region 10 (ovägt medel)"
COUNTRY = "0000"
GENDERS = ("T", "K", "M")


def _read(path: Path, columns: dict, data: bytes | None = None) -> pd.DataFrame:
    from analysis.public_data.sources import read_csv_text

    raw = read_csv_text(path, data)
    validate(raw, pa.DataFrameSchema(columns), path)
    return raw


_PARSED: dict = {}  # (path, sha256 of its bytes) -> the frame read_kpi_values returned; a few entries


def _one_line(titles) -> dict:
    """Each distinct title with its runs of white space as one space, stripped (a few titles, many rows)."""
    import re

    return {t: re.sub(r"\s+", " ", t).strip() for t in titles}


def read_kpi_values(path: Path) -> pd.DataFrame:
    """A Kolada values file (``kpi_id, kpi_title, municipality_id, municipality, year, gender, value``).

    ``municipality_id`` comes back as a 4-digit code (Riket is ``0000``), ``year`` as int,
    ``value`` as float at the stored precision. Three build steps read the same snapshot: a file whose
    bytes were read and validated before in this process is not parsed again (each caller gets a copy).
    """
    import hashlib

    from analysis.public_data.sources import read_bytes

    data = read_bytes(path)
    key = (str(path), hashlib.sha256(data).hexdigest())
    if key not in _PARSED:
        while len(_PARSED) >= 4:
            _PARSED.pop(next(iter(_PARSED)))
        _PARSED[key] = _kpi_values(path, data)
    return _PARSED[key].copy()


def _kpi_values(path: Path, data: bytes) -> pd.DataFrame:
    raw = _read(path, {
        "kpi_id": text_column(matches(r"[A-Z]\d{5}", "a Kolada KPI id such as U30447")),
        "kpi_title": text_column(),
        "municipality_id": text_column(matches(r"\d{1,4}", "a kommun code (Riket is 0 or 0000)")),
        "municipality": text_column(),
        "year": text_column(integer(1990, 2100)),
        "gender": text_column(one_of(GENDERS)),
        "value": text_column(number()),
    }, data)
    unique = raw.duplicated(["kpi_id", "municipality_id", "year", "gender"], keep=False)
    if unique.any():
        from analysis.core.errors import InputError

        i = int(unique.to_numpy().nonzero()[0][1])
        raise InputError(path, "one value per KPI, municipality, year and gender (a duplicate row)", row=i + 2,
                         column="kpi_id", value=raw["kpi_id"].iloc[i])
    return pd.DataFrame({
        "kpi_id": raw["kpi_id"],
        "kpi_title": raw["kpi_title"].map(_one_line(raw["kpi_title"].unique())),
        "kommun_kod": raw["municipality_id"].str.zfill(4),
        "municipality": raw["municipality"],
        "year": pd.to_numeric(raw["year"]).astype("int64"),
        "gender": raw["gender"],
        "value": pd.to_numeric(raw["value"]).astype(float),
    })


def municipality_names(values: pd.DataFrame) -> dict[str, str]:
    """Kommun code -> name in a values frame (the last row's name for each code)."""
    last = values.drop_duplicates("kommun_kod", keep="last")
    return dict(zip(last["kommun_kod"], last["municipality"]))


def read_kpi_definitions(path: Path) -> pd.DataFrame:
    """KPI id, title and description (question wording, which answers count as positive), and whether Kolada
    divides the KPI by gender (``is_divided_by_gender``, text "True"/"False") where the file says."""
    raw = _read(path, {
        "id": text_column(matches(r"[A-Z]\d{5}", "a Kolada KPI id such as U30447")),
        "title": text_column(),
        "description": pa.Column(None, nullable=False),
    })
    columns = ["id", "title", "description", *(["is_divided_by_gender"] if "is_divided_by_gender" in raw else [])]
    return raw[columns].rename(columns={"id": "kpi_id"}).reset_index(drop=True)


def read_groups(path: Path) -> pd.DataFrame:
    """Kolada municipality groups, one row per member."""
    raw = _read(path, {
        "group_id": text_column(matches(r"G\d+", "a Kolada group id such as G122469")),
        "group_title": text_column(),
        "member_id": text_column(matches(r"\d{4}", "a 4-digit kommun code")),
        "member_title": text_column(),
    })
    return raw.rename(columns={"member_id": "kommun_kod", "member_title": "municipality"}).reset_index(drop=True)


def client_survey_values(values: pd.DataFrame, year: int, gender: str = "T") -> pd.DataFrame:
    """One row per municipality with a value in ``year``: respondents and the seven items (NaN = not published)."""
    rows = values[(values["year"] == year) & (values["gender"] == gender)
                  & values["kpi_id"].isin([RESPONDENTS_KPI, *ITEM_KPIS.values()])]
    wide = rows.pivot_table(index="kommun_kod", columns="kpi_id", values="value", aggfunc="first")
    out = pd.DataFrame(index=wide.index)
    out["respondents"] = wide.get(RESPONDENTS_KPI, pd.Series(dtype=float)).astype("Int64")
    for variable, kpi in ITEM_KPIS.items():
        out[variable] = wide[kpi] if kpi in wide else float("nan")
    return out.sort_index()
