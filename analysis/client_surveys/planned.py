"""The client surveys' published tables under a publication plan (``analysis.core.publication_plan``).

The plan, chosen by the build's disclosure audit, says which municipalities each table shows and which
municipalities each regional figure is over; these functions make the tables accordingly. Pure functions.
"""

from __future__ import annotations

import pandas as pd

from analysis.core import stats
from analysis.survey_data import published as survey_figures
from analysis.survey_data.codebooks import Codebook


def in_region(frame: pd.DataFrame, codebook: Codebook, plan, variable: str) -> pd.DataFrame:
    """The respondents a regional figure of ``variable`` is over under the publication ``plan``
    (``analysis.core.publication_plan``): every participant unless the plan leaves some out."""
    key = frame[codebook.identifiers["municipality"]].astype(str)
    return frame[key.isin(plan.region_of(codebook.dataset, variable, sorted(set(key))))]


def by_municipality(frame: pd.DataFrame, codebook: Codebook, plan) -> pd.DataFrame:
    """``indicators_by_municipality`` under a publication plan: the plan's shown municipalities, no merged
    row (a merged row minus the public parts would give the withheld ones), ``reason`` for the rest."""
    from analysis.client_surveys import indicators

    key, names = codebook.identifiers["municipality"], codebook.municipalities
    rows = []
    for variable in indicators.INDICATORS:
        for code in sorted(set(frame[key].astype(str))):
            reason = plan.reason(codebook.dataset, variable, code)
            part = survey_figures.share(frame[frame[key].astype(str) == code], codebook, variable, list(indicators.POSITIVE))
            rows.append({"variable": variable, "municipality": names.get(code, code), "k": part.k if not reason else pd.NA,
                         "n": part.n if not reason else pd.NA, "suppressed": bool(reason), "reason": reason})
    return stats.with_wilson(pd.DataFrame(rows).astype({"k": "Int64", "n": "Int64"}))


def collapsed_by_municipality(frame: pd.DataFrame, codebook: Codebook, variable: str,
                              categories: dict[str, tuple[int, ...]], plan) -> pd.DataFrame:
    """Shares of a few answer groups per municipality the plan shows (no merged row), with ``reason``."""
    from analysis.client_surveys import indicators

    key, names = codebook.identifiers["municipality"], codebook.municipalities
    parts = []
    for code in sorted(set(frame[key].astype(str))):
        reason = plan.reason(codebook.dataset, variable, code)
        if not reason:
            parts.append(indicators.category_shares(frame[frame[key].astype(str) == code], variable, categories)
                         .assign(municipality=names.get(code, code)))
    out = pd.concat(parts, ignore_index=True) if parts else \
        pd.DataFrame(columns=["category", "k", "n", "share", "ci_low", "ci_high", "municipality"])
    out.attrs["merged_note"], out.attrs["merged_codes"] = "", []
    return out


def compare_years(frame_2018, frame_2019, codebook_2018, codebook_2019, plan) -> pd.DataFrame:
    """``compare_years`` under a publication plan: each indicator over its regional municipalities each
    year ("all"), and over those in both years' regions ("common", shown where the plan says)."""
    from analysis.client_surveys import indicators

    key = codebook_2018.identifiers["municipality"]
    parts = []
    for variable in indicators.INDICATORS:
        a = in_region(frame_2018, codebook_2018, plan, variable)
        b = in_region(frame_2019, codebook_2019, plan, variable)
        common = set(a[key].astype(str)) & set(b[key].astype(str))
        for name, (x, y) in {"all": (a, b), "common": (a[a[key].astype(str).isin(common)],
                                                       b[b[key].astype(str).isin(common)])}.items():
            row = indicators.year_comparison(x, y, codebook_2018)
            parts.append(row[row["variable"] == variable].assign(sample=name))
    table = pd.concat(parts, ignore_index=True)
    order = {v: i for i, v in enumerate(indicators.INDICATORS)}
    table = table.sort_values(["sample", "variable"], key=lambda c: c.map(order) if c.name == "variable" else c,
                              kind="stable").reset_index(drop=True)
    blank = (table["sample"] == "common") & ~table["variable"].isin(plan.common)
    return indicators._finish_years(table, blank)
