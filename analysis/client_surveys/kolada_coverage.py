"""What else Kolada publishes about the client survey in the study municipalities: response rates, the split
by gender and the sub-areas of IFO. Pure functions over the long Kolada frame (``kolada.read_kpi_values``).

Kolada's own publication rules, from its KPI definitions (``kpi_definitioner_ifo.csv``): a share is
published "dock minst fem" (at least five answered the question; for a gender, at least five of that
gender), the respondents (U30901) are persons who answered at least one question, and a response rate
(U30900) is computed only where at least ten answered. These are Kolada's values as published; nothing
here derives a count from them.
"""

from __future__ import annotations

import pandas as pd

from analysis.public_data.kolada import AREAS, ITEM_KPIS, RESPONDENTS_KPI, RESPONSE_RATE_KPI

GENDER_NAMES = {"K": "kvinnor", "M": "män"}


def _names(values: pd.DataFrame) -> pd.Series:
    return values.drop_duplicates("kommun_kod").set_index("kommun_kod")["municipality"]


def response_rates(values: pd.DataFrame, members: list[str]) -> pd.DataFrame:
    """Per member municipality and year with respondents or a response rate (IFO total, gender T): the
    respondents (U30901) and the response rate (U30900, %), each NaN where Kolada publishes none; and per
    year the national median response rate and respondents over the municipalities that have one
    (``kommun_kod`` "0000")."""
    t = values[(values["gender"] == "T") & values["kpi_id"].isin([RESPONDENTS_KPI, RESPONSE_RATE_KPI])]
    wide = t.pivot_table(index=["kommun_kod", "year"], columns="kpi_id", values="value").reset_index()
    wide = wide.reindex(columns=["kommun_kod", "year", RESPONDENTS_KPI, RESPONSE_RATE_KPI])
    wide.columns = ["kommun_kod", "year", "respondents", "response_rate"]
    own = wide[wide["kommun_kod"].isin(members)].copy()
    own.insert(1, "municipality", own["kommun_kod"].map(_names(values)))
    national = wide.groupby("year").agg(respondents=("respondents", "median"),
                                        response_rate=("response_rate", "median"),
                                        municipalities_with_rate=("response_rate", "count"),
                                        municipalities=("respondents", "count")).reset_index()
    national.insert(0, "kommun_kod", "0000")
    national.insert(1, "municipality", "Riket (median)")
    own["municipalities_with_rate"], own["municipalities"] = 1, 1
    out = pd.concat([own, national], ignore_index=True)
    return out.sort_values(["year", "kommun_kod"]).reset_index(drop=True)


def gender_values(values: pd.DataFrame, members: list[str]) -> pd.DataFrame:
    """The seven IFO items for women (K) and men (M) as Kolada publishes them: one row per member
    municipality, year and item with the total (T) and whichever of K and M Kolada publishes, and per year
    and item the national median of each over the municipalities with a value (``kommun_kod`` "0000")."""
    kpi_to_variable = {kpi: v for v, kpi in ITEM_KPIS.items()}
    items = values[values["kpi_id"].isin(kpi_to_variable)].assign(variable=lambda f: f["kpi_id"].map(kpi_to_variable))
    wide = items.pivot_table(index=["kommun_kod", "year", "variable", "kpi_id"], columns="gender",
                             values="value").reset_index().reindex(
        columns=["kommun_kod", "year", "variable", "kpi_id", "T", "K", "M"])
    own = wide[wide["kommun_kod"].isin(members) & (wide["K"].notna() | wide["M"].notna())].copy()
    own.insert(1, "municipality", own["kommun_kod"].map(_names(values)))
    national = wide.groupby(["year", "variable", "kpi_id"]).agg(
        T=("T", "median"), K=("K", "median"), M=("M", "median"), with_K=("K", "count"), with_M=("M", "count"),
        with_T=("T", "count")).reset_index()
    national.insert(0, "kommun_kod", "0000")
    national.insert(1, "municipality", "Riket (median)")
    national = national[national["year"].isin(own["year"])]
    out = pd.concat([own, national], ignore_index=True)
    return out.sort_values(["year", "variable", "kommun_kod"]).reset_index(drop=True)


def area_values(values: pd.DataFrame, members: list[str]) -> pd.DataFrame:
    """Kolada's sub-areas of IFO (ekonomiskt bistånd, barn och unga, vårdnadshavare, missbruk): one row per
    member municipality, year and area with any value (gender T), with its respondents, response rate and
    the seven items; and for each such area and year the national median of each (``kommun_kod`` "0000")."""
    t = values[values["gender"] == "T"]
    rows = []
    for area, (title, items, respondents_kpi, rate_kpi) in AREAS.items():
        if area == "ifo":
            continue
        kpis = {**{kpi: v for v, kpi in items.items()}, respondents_kpi: "respondents", rate_kpi: "response_rate"}
        part = t[t["kpi_id"].isin(kpis)].assign(column=lambda f: f["kpi_id"].map(kpis))
        wide = part.pivot_table(index=["kommun_kod", "year"], columns="column", values="value").reset_index()
        wide = wide.reindex(columns=["kommun_kod", "year", "respondents", "response_rate", *items])
        own = wide[wide["kommun_kod"].isin(members)].copy()
        if own.empty:
            continue
        own.insert(1, "municipality", own["kommun_kod"].map(_names(values)))
        national = wide[wide["year"].isin(own["year"])].groupby("year").median(numeric_only=True).reset_index()
        national.insert(0, "kommun_kod", "0000")
        national.insert(1, "municipality", "Riket (median)")
        counts = wide[wide["year"].isin(own["year"])].groupby("year")[list(items)].count().max(axis=1)
        national["municipalities"] = national["year"].map(counts)
        for frame in (own, national):
            frame.insert(2, "area", area)
            frame.insert(3, "area_title", title)
        rows += [own, national]
    columns = ["kommun_kod", "municipality", "area", "area_title", "year", "respondents", "response_rate",
               *ITEM_KPIS, "municipalities"]
    if not rows:
        return pd.DataFrame(columns=columns)
    out = pd.concat(rows, ignore_index=True).reindex(columns=columns)
    return out.sort_values(["area", "year", "kommun_kod"]).reset_index(drop=True)
