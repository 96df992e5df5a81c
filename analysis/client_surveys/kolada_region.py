"""The region against the country on Kolada's real client-survey results (IFO total, 2016–2022).

Pure functions over the long Kolada frame (``kolada.read_kpi_values``):

* ``indicator_values``: the seven indicators per municipality and year with the respondents
  (U30901) and the whole counts behind each value where Kolada pins them down (``kolada_pairs``):
  ``n_exact`` when one (k, n) fits; otherwise the smallest n Kolada allows, which gives the widest,
  conservative Wilson interval;
* ``national_distribution``: over every municipality with a value: number, median and deciles;
* ``group_summary``: a group's unweighted mean (Kolada's "ovägt medel", as for G122469 Region 10:
  the plain mean of the members' published values), its respondent-weighted mean (weights U30901),
  and the pooled share with a Wilson interval where every member's counts are exact;
* ``position`` and ``trends``: the group against the national median, and each municipality's change
  over the years it has values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.public_data.kolada import ITEM_KPIS, PUBLICATION_THRESHOLD, RESPONDENTS_KPI
from analysis.public_data.kolada_pairs import first_pairs
from analysis.core.disclosure import THRESHOLD
from analysis.core.stats import newcombe, wilson

LABELS = {  # Swedish, after Kolada's KPI titles and the questions
    "contact_ease": "Lätt att få kontakt (U30447)",
    "information_ease": "Tydlig information (U30448)",
    "shows_understanding": "Visar förståelse (U30449)",
    "asks_views": "Frågar efter synpunkter (U30450)",
    "can_influence": "Kan påverka hjälpen (U30451)",
    "overall_satisfaction": "Nöjd sammantaget (U30452)",
    "situation_improved": "Situationen förbättrad (U30453)",
}
DECILES = tuple(range(10, 100, 10))


def indicator_values(values: pd.DataFrame, gender: str = "T", threshold: int = PUBLICATION_THRESHOLD) -> pd.DataFrame:
    """One row per municipality, year and indicator with a value, with respondents, counts and interval."""
    kpi_to_variable = {kpi: v for v, kpi in ITEM_KPIS.items()}
    rows = values[(values["gender"] == gender) & values["kpi_id"].isin(kpi_to_variable)].copy()
    respondents = values[(values["gender"] == gender) & (values["kpi_id"] == RESPONDENTS_KPI)]
    respondents = respondents.set_index(["kommun_kod", "year"])["value"]
    rows["variable"] = rows["kpi_id"].map(kpi_to_variable)
    at = respondents.index.get_indexer(pd.MultiIndex.from_arrays([rows["kommun_kod"], rows["year"]]))
    rows["respondents"] = pd.array(np.where(at >= 0, respondents.to_numpy()[at], np.nan), dtype="Float64") \
        .astype("Int64")
    k, n, candidates = first_pairs(rows["value"].to_numpy(float), rows["respondents"].fillna(-1).to_numpy(np.int64),
                                   threshold)
    rows["k"] = pd.arrays.IntegerArray(k, mask=candidates == 0)
    rows["n"] = pd.arrays.IntegerArray(n, mask=candidates == 0)
    rows["n_exact"], rows["n_candidates"] = list(candidates == 1), [int(c) for c in candidates]
    low, high = wilson(rows["k"].astype(float), rows["n"].astype(float))
    rows["ci_low"], rows["ci_high"] = 100 * low, 100 * high
    columns = ["kommun_kod", "municipality", "year", "variable", "kpi_id", "value", "respondents", "k", "n",
               "n_exact", "n_candidates", "ci_low", "ci_high"]
    return rows[columns].sort_values(["variable", "year", "kommun_kod"]).reset_index(drop=True)


def national_distribution(indicators: pd.DataFrame) -> pd.DataFrame:
    """Per indicator and year over all municipalities with a value: count, median and deciles (linear interpolation)."""
    grouped = indicators.groupby(["variable", "year"])["value"]
    out = grouped.agg(municipalities="count", median="median").reset_index()
    for d in DECILES:
        out[f"p{d}"] = grouped.quantile(d / 100).to_numpy()
    return out


def group_summary(indicators: pd.DataFrame, groups: dict[str, list[str]]) -> pd.DataFrame:
    """Per group, indicator and year: members with a value, unweighted and respondent-weighted means,
    and the pooled share k/n with a Wilson interval when every member with a value has exact counts."""
    rows = []
    for group, members in groups.items():
        part = indicators[indicators["kommun_kod"].isin(members)]
        for (variable, year), g in part.groupby(["variable", "year"]):
            weighted = g.dropna(subset=["respondents"])
            exact = bool(g["n_exact"].all())
            k, n = (int(g["k"].sum()), int(g["n"].sum())) if exact else (pd.NA, pd.NA)
            low, high = wilson(k, n) if exact else (np.nan, np.nan)
            rows.append({
                "group": group, "variable": variable, "year": year, "members": len(members),
                "municipalities": len(g), "with_respondents": len(weighted),
                "respondents": int(weighted["respondents"].sum()),
                "unweighted_mean": g["value"].mean(),
                "weighted_mean": np.average(weighted["value"], weights=weighted["respondents"].astype(float))
                if len(weighted) else np.nan,
                "pooled_k": k, "pooled_n": n, "pooled_share": 100 * k / n if exact else np.nan,
                "ci_low": 100 * float(low), "ci_high": 100 * float(high),
                "members_with_value": ", ".join(sorted(g["municipality"])),
            })
    return pd.DataFrame(rows)


def position(groups: pd.DataFrame, indicators: pd.DataFrame, distribution: pd.DataFrame) -> pd.DataFrame:
    """Each group mean against the country: difference from the national median (percentage points) and
    the share of municipalities with a lower value (mid-rank percentile)."""
    merged = groups.merge(distribution[["variable", "year", "municipalities", "median"]],
                          on=["variable", "year"], suffixes=("", "_national"))
    ranks = []
    for r in merged.itertuples(index=False):
        values = indicators.loc[(indicators["variable"] == r.variable) & (indicators["year"] == r.year), "value"]
        below, equal = (values < r.unweighted_mean).sum(), (values == r.unweighted_mean).sum()
        ranks.append(100 * (below + equal / 2) / len(values))
    merged["difference_from_median"] = merged["unweighted_mean"] - merged["median"]
    merged["percentile"] = ranks
    return merged


def trends(indicators: pd.DataFrame, members: list[str], distribution: pd.DataFrame) -> pd.DataFrame:
    """Per member municipality and indicator with values in several years: first and last value, the change
    (percentage points) with Newcombe's interval where both years' counts are exact and large enough to
    publish, and the national
    median's change over the same years. Group means are not trended: their members differ from year to year."""
    rows = []
    part = indicators[indicators["kommun_kod"].isin(members)]
    national = distribution.set_index(["variable", "year"])["median"]
    for (code, variable), g in part.groupby(["kommun_kod", "variable"]):
        if len(g) < 2:
            continue
        g = g.sort_values("year")
        first, last = g.iloc[0], g.iloc[-1]
        # The interval is a number we derive from the counts: only where both years' counts are exact and
        # neither year has positive or other answers of 1 to THRESHOLD - 1 (or all alike).
        exact = bool(first["n_exact"] and last["n_exact"]) and all(
            min(int(r["k"]), int(r["n"]) - int(r["k"])) >= THRESHOLD for r in (first, last))
        low, high = newcombe(int(first["k"]), int(first["n"]), int(last["k"]), int(last["n"])) if exact else (0, 0)
        rows.append({"kommun_kod": code, "municipality": first["municipality"], "variable": variable,
                     "years": ", ".join(str(y) for y in g["year"]), "first_year": first["year"],
                     "last_year": last["year"], "first": first["value"], "last": last["value"],
                     "change": last["value"] - first["value"],
                     "change_low": 100 * float(low) if exact else np.nan,
                     "change_high": 100 * float(high) if exact else np.nan,
                     "national_median_change": national[(variable, last["year"])] - national[(variable, first["year"])]})
    return pd.DataFrame(rows)
