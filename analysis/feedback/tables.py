"""The feedback documents' tables in Swedish: a municipality's figures beside the region's.

Each function takes a table from ``analysis.feedback.comparison`` and returns a frame of display strings;
a figure that is not shown carries the reason in words, never a number.
"""

from __future__ import annotations

import pandas as pd

from analysis.presentation import display
from analysis.feedback import comparison as feedback
from analysis.core.disclosure import THRESHOLD
from analysis.presentation.formatting import sv_number, sv_percent

# "none" (no substantive answer) reads the same as "small": both are too few to show, and telling
# them apart would say more about a small municipality than the rule allows.
REASONS = {"absent": "deltog inte", "none": "för få svar", "small": "för få svar", "merged": "sammanslagen*"}
MERGED_FOOTNOTE = ("\\* Sammanslagen: kommunens svar räcker i sig för att redovisas, men de redovisas tillsammans med "
                   "andra kommuners, annars skulle en annan kommuns få svar kunna räknas fram.")
FEW_FOOTNOTE = (f"För få svar: någon svarskategori (positiva, övriga eller \"vet inte\") har färre än {THRESHOLD} "
                "svarande i kommunen, eller alla har svarat likadant; kommunens siffra redovisas inte och regionens "
                "gäller i stället.")


def share_cell(share, low, high, n) -> str:
    """``'71 % (58–81), n = 14'``: share with its 95 % interval and the number of substantive answers."""
    return f"{display.share_ci(share, low, high)}, n = {display.count(n)}"


def own_cells(table: pd.DataFrame, prefix: str = "own_") -> list[str]:
    """The municipality's column: its share where shown, otherwise the reason in words."""
    return [share_cell(r[f"{prefix}share"], r[f"{prefix}ci_low"], r[f"{prefix}ci_high"], r[f"{prefix}n"])
            if reason == "" else REASONS[reason] for r, reason in zip(table.to_dict("records"), table["reason"])]


def region_cells(table: pd.DataFrame) -> list[str]:
    return [share_cell(s, lo, hi, n) for s, lo, hi, n in zip(table["share"], table["ci_low"], table["ci_high"], table["n"])]


def footnote(*tables: pd.DataFrame, reason_columns: tuple[str, ...] = ("reason",)) -> str:
    """The footnotes the tables need: why figures are missing, for the reasons that occur."""
    reasons = {r for t in tables for c in reason_columns if c in t for r in t[c]}
    notes = [FEW_FOOTNOTE] if reasons & {"small", "none"} else []
    return " ".join(notes + ([MERGED_FOOTNOTE] if "merged" in reasons else []))


def indicator_table(years: dict[int, pd.DataFrame], name: str, municipalities: dict[int, int]) -> pd.DataFrame:
    """The seven indicators, one column pair per year: the municipality's share and all participating
    municipalities' share (``years``: ``feedback.indicator_comparison`` by year; ``municipalities``:
    how many took part each year)."""
    first = next(iter(years.values()))
    out = pd.DataFrame({"Indikator": first["label"].to_numpy()})
    for year, table in years.items():
        out[f"{name} {year}"] = own_cells(table)
        out[f"Alla {municipalities[year]} kommuner {year}"] = region_cells(table)
    return out


def category_table(tables: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """Answer groups of one or more questions (``tables``: question -> ``feedback.category_comparison``)."""
    rows = [pd.DataFrame({"Fråga": question, "Svar": t["category"], name: own_cells(t), "Alla kommuner": region_cells(t)})
            for question, t in tables.items()]
    return pd.concat(rows, ignore_index=True)


def climate_table(profile: pd.DataFrame, name: str) -> pd.DataFrame:
    """Per aspect: share "Bra" today and share "Viktigt", the municipality beside all respondents
    (``profile``: ``feedback.climate_profile``)."""
    def own(measure: str) -> list[str]:
        part = profile.rename(columns={f"own_{measure}_reason": "reason"})
        return own_cells(part, prefix=f"own_{measure}_")

    def everyone(measure: str) -> list[str]:
        return [share_cell(s, lo, hi, n) for s, lo, hi, n in zip(profile[f"{measure}_share"], profile[f"{measure}_ci_low"],
                                                                 profile[f"{measure}_ci_high"], profile[f"{measure}_n"])]

    return pd.DataFrame({"Aspekt": profile["label"], f"Bra i dag: {name}": own("state"), "Bra i dag: alla": everyone("state"),
                         f"Viktigt: {name}": own("importance"), "Viktigt: alla": everyone("importance")})


def facts_table(facts: pd.DataFrame, name: str, region_name: str, town: str) -> pd.DataFrame:
    """Public facts (``feedback.facts_comparison``): the municipality, the region, and its rank; ``town`` is
    the configured reference town the distances are measured to."""
    def text(measure: str, value: float) -> str:
        _, decimals, percent = feedback.FACTS[measure]
        if pd.isna(value):
            return "–"
        return sv_percent(value, decimals) if percent else sv_number(value, decimals)

    return pd.DataFrame({
        "Mått": [feedback.FACTS[m][0].format(town=town) for m in facts["measure"]],
        name: [text(m, v) for m, v in zip(facts["measure"], facts["kommun"])],
        region_name: [text(m, v) for m, v in zip(facts["measure"], facts["region"])],
        f"Plats bland de {facts['of'].iloc[0]} kommunerna (1 = högst)": ["–" if pd.isna(r) else f"{int(r)}" for r in facts["rank"]],
    })


def shown_count(table: pd.DataFrame, column: str = "shown") -> tuple[int, int]:
    """How many of a table's figures the municipality gets its own value for, of how many."""
    return int(table[column].sum()), len(table)


def difference_table(differences: pd.DataFrame) -> pd.DataFrame:
    """``feedback.differences_from_rest`` in Swedish: the municipality, the others, the difference and p."""
    def points(d, low, high) -> str:
        return f"{sv_number(d * 100)} ({sv_number(low * 100)} till {sv_number(high * 100)})"

    return pd.DataFrame({
        "Indikator": differences["label"],
        "År": differences["year"].astype(str),
        "Kommunen": [f"{sv_percent(s)} ({k} av {n})" for s, k, n in
                     zip(differences["own_share"], differences["own_k"], differences["own_n"])],
        "Övriga kommuner": [f"{sv_percent(s)} ({k} av {n})" for s, k, n in
                            zip(differences["rest_share"], differences["rest_k"], differences["rest_n"])],
        "Skillnad, procentenheter (95 % KI)": [points(*r) for r in
                                               differences[["difference", "diff_low", "diff_high"]].itertuples(index=False)],
        "p": differences["p"].map(display.p_value),
        "p (Holm)": differences["p_holm"].map(display.p_value),
    })


def difference_text(differences: pd.DataFrame, name: str) -> str:
    """One paragraph on what the comparison with the other municipalities shows, and what it cannot."""
    if differences.empty:
        return (f"Ingen av {name}s andelar kan redovisas, så ingen jämförelse med de övriga kommunerna görs; "
                "det sammantagna resultatet får tala för kommunen.")
    clear = differences[differences["p_holm"] < 0.05]
    text = (f"{len(differences)} {'andel' if len(differences) == 1 else 'andelar'} för {name} kan jämföras med de "
            "övriga kommunerna. Eftersom flera jämförelser görs är p justerat med Holms metod över alla "
            "jämförelser som planerades i förväg (varje indikator båda åren), också dem som inte kan redovisas. ")
    if clear.empty:
        return text + ("Ingen skillnad är tydlig (alla justerade p ≥ 0,05): skillnaderna ryms inom vad slumpen "
                       "kan ge med så få svarande.")
    items = ", ".join(f"{r.label.lower()} {r.year}" for r in clear.itertuples())
    return text + f"Tydliga skillnader (justerat p < 0,05): {items}."
