"""Swedish tables of what else Kolada publishes about the client survey in the region: response rates, the
split by gender, the sub-areas and the items' definitions against the codebook. Tables in, tables out."""

from __future__ import annotations

import pandas as pd

from analysis.client_surveys.kolada_region import LABELS
from analysis.presentation.formatting import sv_number

SHORT = {"contact_ease": "Kontakt", "information_ease": "Information", "shows_understanding": "Förståelse",
         "asks_views": "Synpunkter", "can_influence": "Påverka", "overall_satisfaction": "Nöjd",
         "situation_improved": "Förbättrad"}
VERDICTS = {"same": "samma svar", "same_steps": "lika många steg, andra ord", "different": "annan definition"}


def _pct(value, decimals: int = 0) -> str:
    return "–" if pd.isna(value) else f"{sv_number(float(value), decimals)}\u00a0%"


def response_rate_table(rates: pd.DataFrame) -> pd.DataFrame:
    """Municipalities (and the country's median) × years: response rate (U30900) and respondents (U30901)."""
    cell = {(r.municipality, r.year): (f"{_pct(r.response_rate)} ({sv_number(r.respondents)})"
                                       if pd.notna(r.respondents) else _pct(r.response_rate))
            for r in rates.itertuples(index=False)}
    years = sorted(rates["year"].unique())
    names = sorted(rates.loc[rates["kommun_kod"] != "0000", "municipality"].unique()) + ["Riket (median)"]
    table = pd.DataFrame({"Kommun": names})
    for year in years:
        table[str(year)] = [cell.get((name, year), "–") for name in names]
    return table


def gender_table(gender: pd.DataFrame) -> pd.DataFrame:
    """Per municipality and year with a value for women or men: each item as 'K 85 · M 72' (Kolada's values;
    – where Kolada publishes none), and the country's medians the same years."""
    rows = []
    for (code, name, year), g in gender.groupby(["kommun_kod", "municipality", "year"], sort=False):
        by = g.set_index("variable")
        row = {"Kommun": name, "År": str(year)}
        for variable, short in SHORT.items():
            row[short] = (f"K\u00a0{_pct(by.loc[variable, 'K'])} · M\u00a0{_pct(by.loc[variable, 'M'])}"
                          if variable in by.index else "–")
        rows.append((year, code == "0000", name, row))
    return pd.DataFrame([r for *_, r in sorted(rows, key=lambda t: t[:3])])


def area_table(areas: pd.DataFrame) -> pd.DataFrame:
    """Per sub-area, year and municipality with values (and the country's median): respondents, response rate
    and the seven items (%)."""
    rows = []
    for r in areas.itertuples(index=False):
        row = {"Delområde": r.area_title, "År": str(r.year), "Kommun": r.municipality,
               "Svarande": sv_number(r.respondents, 0 if r.kommun_kod != "0000" else 1)
               if pd.notna(r.respondents) else "–",
               "Svarsfrekvens": _pct(r.response_rate)}
        row |= {short: _pct(getattr(r, variable)) for variable, short in SHORT.items()}
        rows.append(row)
    return pd.DataFrame(rows)


def definition_table(definitions: pd.DataFrame) -> pd.DataFrame:
    """Per item: the answers Kolada counts as positive and the question it quotes, beside what the codebook
    counts and asks."""
    return pd.DataFrame({
        "Fråga (Kolada-id)": [LABELS[v] for v in definitions["variable"]],
        "Kolada räknar som positivt": definitions["kolada_positive"].str.replace("; ", " eller "),
        "Koladas fråga": definitions["kolada_question"],
        "Kodboken räknar som positivt": [f"{p.replace('; ', ' eller ')} (de två översta av {s} steg)"
                                         for p, s in zip(definitions["codebook_positive"],
                                                         definitions["codebook_steps"])],
        "Jämförelse": definitions["verdict"].map(VERDICTS),
    })
