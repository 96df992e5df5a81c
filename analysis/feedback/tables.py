"""The feedback documents' tables in Swedish: a municipality's figures beside the region's.

Each function takes a table from ``analysis.feedback.comparison`` and returns a frame of display strings;
a figure that is not shown carries the reason in words, never a number.
"""

from __future__ import annotations

import pandas as pd

from analysis.presentation import display
from analysis.feedback import comparison as feedback
from analysis.core.disclosure import THRESHOLD
from analysis.core.publication_plan import REASONS as PLAN_REASONS
from analysis.presentation.formatting import sv_number, sv_percent

REASONS = {code: text for code, text in PLAN_REASONS.items()}
KOLADA_FOOTNOTE = ("För få svar (Kolada redovisar inte): Kolada publicerar inget värde för kommunen och frågan, "
                   f"eftersom färre än {THRESHOLD} svarade, och därför visas kommunens siffra inte här heller.")
HIDDEN_FOOTNOTE = ("Dold (röjandeskydd): kommunens siffra skulle, tillsammans med det som redan är publicerat här, i "
                   f"de andra rapporterna och i Kolada, visa hur enskilda svarat eller ett antal mellan 1 och {THRESHOLD - 1}. "
                   "Där Kolada publicerar kommunens värde står det i tabellen över Kolada.")
REGION_FOOTNOTE = ("Regionen: de kommuner vars egen siffra redovisas för frågan (antalet kommuner står i cellen); "
                   "kommuner vars siffra inte kan redovisas ingår inte, så att ingen dold siffra kan räknas fram "
                   "som skillnaden mellan regionen och de redovisade kommunerna.")


def share_cell(share, low, high, n) -> str:
    """``'71 % (58–81), n = 14'``: share with its 95 % interval and the number of substantive answers."""
    return f"{display.share_ci(share, low, high)}, n = {display.count(n)}"


def own_cells(table: pd.DataFrame, prefix: str = "own_") -> list[str]:
    """The municipality's column: its share where shown, otherwise the reason in words."""
    return [share_cell(r[f"{prefix}share"], r[f"{prefix}ci_low"], r[f"{prefix}ci_high"], r[f"{prefix}n"])
            if reason == "" else REASONS[reason] for r, reason in zip(table.to_dict("records"), table["reason"])]


def region_cells(table: pd.DataFrame) -> list[str]:
    """The region's column: share, interval, n and (where the table says) over how many municipalities."""
    cells = [share_cell(s, lo, hi, n) for s, lo, hi, n in zip(table["share"], table["ci_low"], table["ci_high"], table["n"])]
    if "municipalities" in table:
        cells = [f"{c}, {m} kommuner" for c, m in zip(cells, table["municipalities"])]
    return cells


def footnote(*tables: pd.DataFrame, reason_columns: tuple[str, ...] = ("reason",)) -> str:
    """The footnotes the tables need: why figures are missing, for the reasons that occur, and what the
    region holds where it is over some municipalities only."""
    reasons = {r for t in tables for c in reason_columns if c in t for r in t[c]}
    notes = [KOLADA_FOOTNOTE] if "kolada" in reasons else []
    notes += [HIDDEN_FOOTNOTE] if "hidden" in reasons else []
    notes += [REGION_FOOTNOTE] if any("municipalities" in t for t in tables) else []
    return " ".join(notes)


def indicator_table(years: dict[int, pd.DataFrame], name: str, municipalities: dict[int, int]) -> pd.DataFrame:
    """The seven indicators, one column pair per year: the municipality's share and the region's
    (``years``: ``feedback.indicator_comparison`` by year; ``municipalities``: how many took part each
    year, kept for callers; the region's own count per indicator is in its cells)."""
    first = next(iter(years.values()))
    out = pd.DataFrame({"Indikator": first["label"].to_numpy()})
    for year, table in years.items():
        out[f"{name} {year}"] = own_cells(table)
        out[f"Regionen {year}"] = region_cells(table)
    return out


def category_table(tables: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """Answer groups of one or more questions (``tables``: question -> ``feedback.category_comparison``)."""
    rows = [pd.DataFrame({"Fråga": question, "Svar": t["category"], name: own_cells(t), "Regionen": region_cells(t)})
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


def respondents_text(n, reason: str = "") -> str:
    """'19 personer', 'ingen (kommunen deltog inte)', or why the number is not given (``reason``: the plan's
    code): Kolada's own withholding, or protection of what else is published."""
    if n == 0:
        return "ingen (kommunen deltog inte)"
    if n is None:
        return (f"färre än {THRESHOLD} (Kolada redovisar inte antalet)" if reason == "kolada"
                else "ett antal som inte redovisas (röjandeskydd)")
    return f"{sv_number(n)} personer"


def thanks_sentence(total: int, municipalities: int, left_out: list[str], year: int) -> str:
    """The poster's thanks: the respondents counted (those of the municipalities Kolada publishes) and,
    where some are left out, that they were fewer than the threshold."""
    text = f"Tack till alla som svarade! {sv_number(total)} personer i {municipalities} kommuner besvarade enkäten {year}"
    if left_out:
        text += (f", och i {' och '.join(left_out)} färre än {THRESHOLD} (de räknas inte här, så att "
                 "deras antal inte kan räknas fram)")
    return text + "."


def disclosure_sentence() -> str:
    """What the reports say about when a municipality's own figure is shown."""
    return (f"Kommunens egna siffror visas där de inte, tillsammans med allt annat som projektet publicerar och "
            f"Koladas värden, kan visa hur enskilda svarat eller ett antal mellan 1 och {THRESHOLD - 1}; annars står "
            "det i tabellen varför, och jämförelsen får göras mot regionens resultat.")


def about_sentence() -> str:
    """The reports' closing note on how the figures are protected."""
    return ("Alla siffror räknas fram av projektets pipeline ur samma data som forskningsrapporten. Innan något "
            "publiceras prövar en granskning allt som publiceras tillsammans, också Koladas egna värden och antal "
            f"svarande: inget antal mellan 1 och {THRESHOLD - 1} och inga likadana svar från alla i en kommun får kunna "
            "räknas fram ur det som inte redan framgår av Kolada. Regionens siffror gäller de kommuner som redovisas, "
            "så att ingen dold kommun kan räknas fram som skillnad. Resultaten gäller dem som svarade; svarsfrekvensen, "
            "där Kolada publicerar den, står i avsnittet om Kolada.")


def poster_region_note(name: str, sources: list[str], reasons: list[str]) -> str:
    """Why a municipality's poster gives the region's figure for some statements (``sources``: "kommunen"
    or "regionen" per statement; ``reasons``: the plan's code per statement); "för få" only where Kolada
    says so."""
    if "regionen" not in sources:
        return ""
    why = {r for s, r in zip(sources, reasons) if s == "regionen"}
    cause = (f"var svaren från {name} för få för att visas för sig (Kolada redovisar dem inte)" if why == {"kolada"}
             else f"döljs siffrorna för {name} av röjandeskyddet" if why == {"hidden"}
             else f"var svaren från {name} för få (Kolada redovisar dem inte) eller döljs av röjandeskyddet")
    if all(s == "regionen" for s in sources):
        return f" Affischen visar regionens siffror, eftersom det för varje påstående {cause.split(' ', 1)[0]} {cause.split(' ', 1)[1]}."
    return f" Där det står \"regionen\" {cause}."


def region_heading(municipalities, taking_part: int) -> str:
    """The poster's subheading: the region's figures are over the municipalities whose figures can be shown
    (``municipalities``: how many, per statement), of those that took part."""
    low, high = int(min(municipalities)), int(max(municipalities))
    span = f"{low}" if low == high else f"{low}–{high}"
    return (f"Sammanslagna resultat för de kommuner vars siffror kan redovisas: {span} av de {taking_part} "
            "kommuner som deltog")
