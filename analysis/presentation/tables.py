"""Presentation tables for the report (Swedish labels and number formatting); no file I/O."""

from __future__ import annotations

import pandas as pd

from analysis.presentation.formatting import sv_number, sv_percent

SWITZERLAND_AREA_KM2 = 41285  # as quoted by the GINO report


def region_facts_table(facts: pd.DataFrame, region_ids: list[str]) -> pd.DataFrame:
    """The region facts side by side for ``region_ids``, one row per measure, formatted in Swedish."""
    f = facts.set_index("region_id").loc[region_ids]
    rows = {
        "Antal kommuner": f["n_kommuner"].map(sv_number),
        "Total yta (km²)": f["total_area_km2"].map(sv_number),
        "Landareal (km²)": f["land_area_km2"].map(sv_number),
        "Folkmängd 31 dec": f["population"].map(sv_number),
        "Invånare per km² total yta": f["density_total_per_km2"].map(lambda x: sv_number(x, 2)),
        "Invånare per km² land": f["density_land_per_km2"].map(lambda x: sv_number(x, 2)),
        "Minsta kommun": f["smallest_kommun"] + " (" + f["smallest_population"].map(sv_number) + ")",
        "Största kommun": f["largest_kommun"] + " (" + f["largest_population"].map(sv_number) + ")",
        "Medelålder (år)": f["mean_age"].map(lambda x: sv_number(x, 1)),
        "Andel 65 år och äldre": f["share_age_65_plus"].map(lambda x: sv_percent(x, 1)),
        "Andel 80 år och äldre": f["share_age_80_plus"].map(lambda x: sv_percent(x, 1)),
        "Andel i tätort (2020)": f["share_in_tatorter"].map(lambda x: sv_percent(x, 0)),
    }
    table = pd.DataFrame(rows).T
    table.columns = list(f["region_name"])
    table.index.name = "Mått"
    return table


PUBLISHED_RULES = {"percent": "{} %", "of_ten": "{} av 10", "equal": "{}", "greater_than": "över {}",
                   "less_than": "under {}", "between": "{}", "approx": "cirka {}", "just_below": "strax under {}"}


def published_figures_text(published: str) -> str:
    """``'percent 44;percent 24' -> '44 %; 24 %'``: the reconciliation file's published figures in Swedish."""
    parts = []
    for item in published.split(";"):
        rule, _, value = item.strip().partition(" ")
        parts.append(PUBLISHED_RULES.get(rule, "{} (" + rule + ")").format(value.replace(".", ",")))
    return "; ".join(parts)


def reconciliation_table(reconciliations: pd.DataFrame, survey_names: dict[str, str],
                         question_labels: dict[tuple[str, str], str]) -> pd.DataFrame:
    """The twin's reconciliations (``survey_reconciliations.csv``) as a Swedish table: survey, question,
    published figures, the chosen numbers and why."""
    r = reconciliations
    return pd.DataFrame({
        "Enkät": r["dataset"].map(survey_names),
        "Fråga": [question_labels.get((d, v), v) for d, v in zip(r["dataset"], r["variable"])],
        "Publicerat": r["published"].map(published_figures_text),
        "Svarade": r["answered"].map(sv_number),
        "Vet inte": r["dont_know"].map(sv_number),
        "Valda antal": r["counts"].astype(str).str.replace(";", "; "),
        "Motivering": r["reconciliation_sv"],
    })
