"""Kolada's real values for one municipality beside the region and the country, for the feedback documents.

Kolada publishes these values (RKA, source SKR), so they are shown as published, each with its KPI id;
only numbers derived here (the region's mean, the national median) are added, and neither can reveal a
count: no k/n and no interval of the municipality is shown.
"""

from __future__ import annotations

import pandas as pd

from analysis.presentation.formatting import sv_number
from analysis.public_data.kolada import PUBLICATION_THRESHOLD
from analysis.client_surveys.kolada_region import LABELS

SOURCE = "Källa: Kolada (RKA), SKR:s brukarundersökning inom IFO; nyckeltalets id inom parentes."


def percent(value) -> str:
    return "–" if pd.isna(value) else f"{sv_number(float(value), 0)}\u00a0%"


def municipality_values(indicators: pd.DataFrame, groups: pd.DataFrame, kommun: str | None, year: int,
                        group: str | None = None, threshold: int = PUBLICATION_THRESHOLD) -> pd.DataFrame:
    """Per indicator in ``year``: the municipality's Kolada value (or why there is none), the group's unweighted
    mean over its municipalities with a value, and the national median over all municipalities with a value.
    ``kommun`` None: the region only; ``group`` None: the first group (the study region)."""
    group = group or groups["group"].iloc[0]
    own = indicators[(indicators["kommun_kod"] == kommun) & (indicators["year"] == year)].set_index("variable") \
        if kommun else None
    part = groups[(groups["group"] == group) & (groups["year"] == year)].set_index("variable")
    rows = []
    for variable, label in LABELS.items():
        row = {"Fråga (Kolada-id)": label}
        if own is not None:
            row["Kommunen"] = percent(own.loc[variable, "value"]) if variable in own.index \
                else f"publiceras inte (färre än {threshold} svar)"
        if variable in part.index:
            g = part.loc[variable]
            row[f"{group}: medel"] = f"{percent(g['unweighted_mean'])} (medel av {g['municipalities']} kommuner)"
            row["Riket (median)"] = f"{percent(g['median'])} ({g['municipalities_national']} kommuner)"
        else:
            row[f"{group}: medel"] = "–"
            row["Riket (median)"] = "–"
        rows.append(row)
    return pd.DataFrame(rows)


def respondents_sentence(indicators: pd.DataFrame, kommun: str, name: str, year: int,
                         threshold: int = PUBLICATION_THRESHOLD) -> str:
    """What Kolada publishes about the municipality's respondents in ``year``."""
    rows = indicators[(indicators["kommun_kod"] == kommun) & (indicators["year"] == year)]
    if rows.empty:
        return (f"Kolada publicerar inga brukarresultat för {name} {year}: färre än {threshold} svarade "
                "(eller kommunen deltog inte).")
    respondents = rows["respondents"].dropna()
    counted = f"{sv_number(int(respondents.iloc[0]))} svarande (U30901)" if len(respondents) else "antal svarande saknas"
    return (f"Kolada publicerar {name}s resultat {year}: {counted}, {len(rows)} av {len(LABELS)} frågor "
            f"(en fråga visas bara där minst {threshold} svarat).")


def slide_values(indicators: pd.DataFrame, groups: pd.DataFrame, kommun: str | None, years: tuple[int, ...],
                 group: str | None = None) -> pd.DataFrame:
    """One row per question and year for a slide (``slides.kolada_slide``): the municipality's value (NaN where
    Kolada publishes none), the group's unweighted mean and the national median. ``kommun`` None: the group's
    unweighted mean as the value and its respondent-weighted mean beside it."""
    group = group or groups["group"].iloc[0]
    rows = []
    for year in years:
        own = indicators[(indicators["kommun_kod"] == kommun) & (indicators["year"] == year)].set_index("variable")
        part = groups[(groups["group"] == group) & (groups["year"] == year)].set_index("variable")
        for variable, label in LABELS.items():
            if variable not in part.index:
                continue
            g = part.loc[variable]
            value = (g["unweighted_mean"] if kommun is None else
                     own.loc[variable, "value"] if variable in own.index else float("nan"))
            rows.append({"variable": variable, "label": label.split(" (")[0], "year": year, "value": value,
                         "group_mean": g["weighted_mean"] if kommun is None else g["unweighted_mean"],
                         "national_median": g["median"]})
    return pd.DataFrame(rows)


def years_table(indicators: pd.DataFrame, distribution: pd.DataFrame, kommun: str) -> pd.DataFrame:
    """Every year the municipality has values in Kolada, per question: its value and, in brackets, the national
    median that year (Kolada's values as published; a new snapshot's year appears here on the next build)."""
    own = indicators[indicators["kommun_kod"] == kommun]
    median = distribution.set_index(["variable", "year"])["median"]
    years = sorted(own["year"].unique())
    rows = []
    for variable, label in LABELS.items():
        cells = own[own["variable"] == variable].set_index("year")["value"]
        row = {"Fråga (Kolada-id)": label}
        for year in years:
            row[str(year)] = (f"{percent(cells[year])} ({percent(median.get((variable, year)))})" if year in cells.index
                              else "–")
        rows.append(row)
    return pd.DataFrame(rows)


def latest_years(indicators: pd.DataFrame, kommun: str | None, survey_years: tuple[int, ...] = (2018, 2019)) -> tuple:
    """The survey years and, when later, the last year the municipality (or any municipality) has values."""
    part = indicators if kommun is None else indicators[indicators["kommun_kod"] == kommun]
    last = int(part["year"].max()) if len(part) else survey_years[-1]
    return (*survey_years, last) if last > survey_years[-1] else survey_years
