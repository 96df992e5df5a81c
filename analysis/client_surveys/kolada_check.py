"""Survey data (twin or real) against Kolada's published results for the same survey rounds.

The GINO client surveys are SKR's survey, so the real exports must give Kolada's numbers exactly:
per municipality the respondents (persons who answered at least one question, U30901) and, per
item, the share of substantive answers in the two most positive steps (U30447–U30453); where Kolada
publishes nothing the data must have fewer than five (answers or respondents).
"""

from __future__ import annotations

import pandas as pd

from analysis.survey_data.codebooks import Codebook
from analysis.public_data.kolada import ITEM_KPIS, PUBLICATION_THRESHOLD, RESPONDENTS_KPI
from analysis.public_data.kolada_pairs import TOLERANCE_PERCENT

POSITIVE_CODES = (1, 2)


def compare_with_kolada(frame: pd.DataFrame, codebook: Codebook, kolada: pd.DataFrame, names: dict[str, str],
                        threshold: int = PUBLICATION_THRESHOLD) -> pd.DataFrame:
    """One row per municipality × (respondents, seven items): survey value, Kolada's, and whether they agree.

    ``kolada``: ``kolada.client_survey_values`` for the survey's year.
    """
    municipality = codebook.identifiers["municipality"]
    items = [v.name for v in codebook.variables if v.name in ITEM_KPIS]
    year = codebook.years[0]
    rows = []
    for code in sorted(codebook.municipalities):
        part = frame[frame[municipality].astype(str) == code]
        answered_any = int(part[items].notna().any(axis=1).sum())
        published = code in kolada.index and pd.notna(kolada.loc[code, "respondents"])
        rows.append(_row(year, code, names, "respondents", RESPONDENTS_KPI,
                         int(kolada.loc[code, "respondents"]) if published else None, str(answered_any), answered_any,
                         answered_any == int(kolada.loc[code, "respondents"]) if published else answered_any < threshold,
                         threshold))
        for variable in items:
            scale = codebook.variable(variable).scale
            answers = part[variable].dropna()
            answers = answers[~answers.isin(list(scale.dont_know))]
            k, n = int(answers.isin(POSITIVE_CODES).sum()), int(len(answers))
            value = kolada.loc[code, variable] if code in kolada.index else float("nan")
            share = 100 * k / n if n else float("nan")
            ok = (n >= threshold and abs(share - float(value)) <= TOLERANCE_PERCENT) if pd.notna(value) \
                else n < threshold
            rows.append(_row(year, code, names, variable, ITEM_KPIS[variable],
                             float(value) if pd.notna(value) else None, f"{k}/{n}", share, ok, threshold))
    return pd.DataFrame(rows)


def _row(year, code, names, measure, kpi, kolada_value, survey, survey_value, ok, threshold) -> dict:
    return {
        "year": year, "kommun_kod": code, "kommun": names.get(code, code), "measure": measure, "kpi_id": kpi,
        "kolada_value": kolada_value if kolada_value is not None else "",
        "kolada_status": "publicerat" if kolada_value is not None else f"ej publicerat (färre än {threshold})",
        "survey": survey, "survey_value": round(float(survey_value), 6) if survey_value == survey_value else "",
        "passed": bool(ok),
    }


def kolada_failures(comparison: pd.DataFrame) -> list[str]:
    """One line per disagreement between the survey data and Kolada."""
    failed = comparison[~comparison["passed"].astype(str).str.lower().eq("true")]
    return [f"{r.kommun} {r.year} {r.measure} ({r.kpi_id}): survey {r.survey}, Kolada "
            f"{r.kolada_value if r.kolada_value != '' else r.kolada_status}" for r in failed.itertuples(index=False)]
