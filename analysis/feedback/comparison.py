"""Feedback to the municipalities: each municipality's results beside the region's, and the
waiting-room poster's "N av 10" statements.

The GINO team gave every municipality its own results "i relation till det sammantagna
resultatet". These functions compute what such a document shows, from the survey frames and
codebooks, without file I/O.

Disclosure control is the report's own (``disclosure.protect`` over all municipalities, per
indicator): a municipality's figure is shown exactly where the report's by-municipality table
shows that municipality. The shown municipalities and the merged row add up to the published
total, so neither one document (the municipality beside the region: the rest of the region is
the region minus the municipality) nor all of them together let a cell of 1–4 be recovered by
subtraction. Where a figure is not shown, ``reason`` says why: ``absent`` (the municipality did not
take part), ``none`` (nobody there gave a substantive answer), ``small`` (one of its answer cells
holds 1–4 respondents, or all its answers are in one cell, or it has no answers but is merged) or
``merged`` (its own cells pass both rules, but it had to be merged so that another municipality's
cells cannot be derived).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.client_surveys import indicators as client_survey
from analysis.core import disclosure, stats
from analysis.innovation import climate as innovation
from analysis.survey_data.codebooks import Codebook

# The poster's statements (report, "Sammanslagna resultat för de kommuner som deltog"): a short
# label for the chart and the sentence; the number is computed, never typed.
POSTER_STATEMENTS = {
    "contact_ease": ("Lätt att få kontakt",
                     "{n} av 10 tyckte att det är lätt eller ganska lätt att få kontakt med socialsekreteraren"),
    "information_ease": ("Lätt att förstå informationen",
                         "{n} av 10 tyckte att det är lätt eller ganska lätt att förstå informationen från "
                         "socialsekreteraren"),
    "shows_understanding": ("Visar förståelse", "{n} av 10 tycker att socialsekreteraren visar förståelse"),
    "asks_views": ("Frågar efter synpunkter", "{n} av 10 säger att socialsekreteraren frågar efter synpunkter"),
    "situation_improved": ("Situationen blev bättre",
                           "{n} av 10 säger att deras situation förbättras efter kontakt med socialtjänsten"),
    "overall_satisfaction": ("Nöjda med socialtjänsten",
                             "{n} av 10 är nöjda eller ganska nöjda med socialtjänsten som helhet"),
}
DISTANCE_GROUPS = {"Under 20 km": (1, 2), "20 km eller mer": (3, 4, 5)}
FORM_GROUPS = {"På plats (besök, hembesök)": (1, 2), "På distans (telefon, video, chatt)": (3, 4, 5)}
SHARE_COLUMNS = ["k", "n", "share", "ci_low", "ci_high"]


def municipality_code(value) -> str | None:
    """A municipality parameter as a four-digit code: Quarto passes ``-P kommun:2425`` as the number
    2425 (it reads the value as YAML) and ``-P kommun:0114`` as 114. Empty means the whole region."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    text = str(value).strip()
    if not text.isdigit() or len(text) > 4:
        raise ValueError(f"municipality code {value!r}: expected SCB's four-digit kommun code, such as 2425")
    return text.zfill(4)


def _hidden_reason(cells: pd.Series, hidden: bool, present: bool, answered: int) -> str:
    """Why a municipality's figure is not shown ("" where it is); ``answered``: its substantive answers."""
    if not present:
        return "absent"
    if hidden:  # "merged" says that its own cells pass both rules; only then is it said
        values = np.asarray(cells, dtype=float)
        return "small" if disclosure.fails(values[None, :])[0] or not values.sum() else "merged"
    return "" if answered else "none"


def _rows_of(frame: pd.DataFrame, codebook: Codebook, kommun: str) -> pd.DataFrame:
    return frame[frame[codebook.identifiers["municipality"]] == kommun]


# --- client surveys ------------------------------------------------------------------------

def indicator_comparison(frame: pd.DataFrame, codebook: Codebook, kommun: str) -> pd.DataFrame:
    """The seven indicators for municipality ``kommun`` beside the whole survey ("the region").

    Columns: variable, label; the region's ``k``, ``n``, ``share``, ``ci_low``, ``ci_high``,
    ``of_ten``; the municipality's ``own_`` versions of them, blank where not shown; ``shown``
    and ``reason`` (see the module docstring). The municipality is shown for an indicator exactly
    where ``client_survey.indicators_by_municipality`` shows it.
    """
    part = _rows_of(frame, codebook, kommun)
    region, own = client_survey.headline_indicators(frame, codebook), client_survey.headline_indicators(part, codebook)
    name = codebook.municipalities.get(kommun, kommun)
    by_municipality = client_survey.indicators_by_municipality(frame, codebook)
    shown_variables = set(by_municipality.loc[(by_municipality["municipality"] == name)
                                              & ~by_municipality["suppressed"], "variable"])
    columns = [*SHARE_COLUMNS, "of_ten"]
    table = region[["variable", "label", *columns]].copy()
    table["reason"] = [_hidden_reason(client_survey.answer_cells(part, codebook, v), v not in shown_variables,
                                      bool(len(part)), answered) for v, answered in zip(table["variable"], own["n"])]
    table["shown"] = table["reason"] == ""
    for column in columns:
        table[f"own_{column}"] = own[column].astype("Float64").where(table["shown"].to_numpy())
    return table


def differences_from_rest(years: dict[int, pd.DataFrame]) -> pd.DataFrame:
    """The municipality against the other municipalities of the survey, for each indicator where its
    figure is shown (``years``: ``indicator_comparison`` by year): year, variable, label, the
    municipality's and the others' k, n and share, the difference (municipality − others) with
    Newcombe's 95 % interval, Fisher's exact p, and Holm's adjustment over the family fixed in advance:
    every indicator of every year, shown or not (a figure that is not shown counts as p = 1).

    The others are the whole survey minus the municipality; where the municipality is shown, they pass
    the disclosure rule too (they are the other shown municipalities plus the merged row). The tests
    treat respondents as independent and compare with the other municipalities, not with the
    region, which would include the municipality itself.
    """
    rows = []
    for year, table in years.items():
        for r in table[table["shown"]].itertuples(index=False):
            own_k, own_n = int(r.own_k), int(r.own_n)
            rest_k, rest_n = int(r.k) - own_k, int(r.n) - own_n
            if rest_n == 0:
                continue  # the municipality is the whole survey: nothing to compare with
            test = stats.two_proportions(rest_k, rest_n, own_k, own_n)
            rows.append({"year": year, "variable": r.variable, "label": r.label, "own_k": own_k, "own_n": own_n,
                         "own_share": own_k / own_n, "rest_k": rest_k, "rest_n": rest_n,
                         "rest_share": rest_k / rest_n, "difference": test["difference"],
                         "diff_low": test["ci_low"], "diff_high": test["ci_high"], "p": test["p"]})
    columns = ["year", "variable", "label", "own_k", "own_n", "own_share", "rest_k", "rest_n", "rest_share",
               "difference", "diff_low", "diff_high", "p"]
    out = pd.DataFrame(rows, columns=columns)
    # The family is fixed before looking at which figures are shown: every indicator of every year.
    family = len(client_survey.INDICATORS) * len(years)
    out["p_holm"] = stats.holm(out["p"], family=family) if len(out) else pd.Series(dtype=float)
    return out


def poster_statements(frame: pd.DataFrame, codebook: Codebook, kommun: str | None = None) -> pd.DataFrame:
    """One statement per poster indicator, for the whole survey or for municipality ``kommun``:
    variable, short ``label``, ``of_ten``, ``text`` and ``source`` ("kommunen" where the
    municipality's own figure is shown, else "regionen": the statement then gives the whole
    survey's figure)."""
    if kommun is None:
        table = client_survey.headline_indicators(frame, codebook).assign(shown=False, own_of_ten=pd.NA)
    else:
        table = indicator_comparison(frame, codebook, kommun)
    table = table.set_index("variable")
    rows = []
    for variable, (label, template) in POSTER_STATEMENTS.items():
        row = table.loc[variable]
        n = int(row["own_of_ten"] if row["shown"] else row["of_ten"])
        rows.append({"variable": variable, "label": label, "of_ten": n, "text": template.format(n=n),
                     "source": "kommunen" if row["shown"] else "regionen"})
    return pd.DataFrame(rows)


def category_comparison(frame: pd.DataFrame, codebook: Codebook, kommun: str, variable: str,
                        categories: dict[str, tuple[int, ...]]) -> pd.DataFrame:
    """Shares of a few answer groups of ``variable`` for ``kommun`` beside the whole survey: category,
    the region's k, n, share and interval, the municipality's ``own_`` versions (blank where not
    shown), ``shown`` and ``reason``. Shown exactly where ``client_survey.collapsed_by_municipality``
    shows the municipality (all answer groups, "annat" included, are the cells checked)."""
    name = codebook.municipalities.get(kommun, kommun)
    by_municipality = client_survey.collapsed_by_municipality(frame, codebook, variable, categories)
    shown = name in set(by_municipality["municipality"])
    part = _rows_of(frame, codebook, kommun)
    answers = part[variable].astype("Int64")
    cells = pd.Series([int(answers.isin(codes).fillna(False).sum()) for codes in categories.values()]
                      + [int(answers.notna().sum()) - int(answers.isin(sum(categories.values(), ())).fillna(False).sum())])
    table = client_survey.category_shares(frame, variable, categories)
    own = client_survey.category_shares(part, variable, categories)
    table["reason"] = _hidden_reason(cells, not shown, bool(len(part)), int(own["n"].iloc[0]))
    table["shown"] = table["reason"] == ""
    for column in SHARE_COLUMNS:
        table[f"own_{column}"] = own[column].astype("Float64").where(table["shown"].to_numpy())
    return table


def respondents(frame: pd.DataFrame, codebook: Codebook, kommun: str) -> int | None:
    """The municipality's number of respondents, or None where the report's table of respondents
    per municipality merges it (1–4 respondents, or merged to protect another municipality); 0 for a
    municipality that did not take part (none of its rows; zero is never a disclosure problem)."""
    rows = len(_rows_of(frame, codebook, kommun))
    if rows == 0:
        return 0
    shown = client_survey.respondents_by_municipality(frame, codebook)
    name = codebook.municipalities.get(kommun, kommun)
    return rows if name in set(shown["municipality"]) else None


# --- innovation climate --------------------------------------------------------------------

def climate_hidden(frame: pd.DataFrame, codebook: Codebook) -> dict[str, pd.Series]:
    """Per item of table 1 (every state and importance variable): which municipalities
    ``disclosure.protect`` hides, from their cells (positive, other substantive, "vet inte"); the
    municipalities merged in the table of respondents per municipality are hidden in every item."""
    out = {}
    forced = client_survey.respondents_hidden(frame, codebook)
    for measure, code in (("state", innovation.GOOD), ("importance", innovation.IMPORTANT)):
        for variable in innovation.aspects(codebook)[f"{measure}_variable"]:
            cells = innovation.municipality_cells(frame, codebook, variable, [code])
            out[variable] = disclosure.protect(cells, forced=forced)
    return out


def climate_profile(frame: pd.DataFrame, codebook: Codebook, kommun: str) -> pd.DataFrame:
    """Table 1 of the report (share "Bra" today and share "Viktigt" per aspect) for all respondents,
    with the municipality's ``own_state_*`` and ``own_importance_*`` shares beside them.

    Each of the municipality's 22 shares is checked on its own: it is shown where ``climate_hidden``
    does not hide the municipality; ``own_state_reason`` and ``own_importance_reason`` say why not.
    """
    table = innovation.aspect_shares(frame, codebook)
    part = _rows_of(frame, codebook, kommun)
    own = innovation.aspect_shares(part, codebook) if len(part) else None
    hidden = climate_hidden(frame, codebook)
    for measure, code in (("state", innovation.GOOD), ("importance", innovation.IMPORTANT)):
        reasons = []
        for variable in innovation.aspects(codebook)[f"{measure}_variable"]:
            present = kommun in hidden[variable].index
            own_cells = pd.Series(innovation.answer_cells(part, codebook, variable, [code]))
            reasons.append(_hidden_reason(own_cells, present and hidden[variable][kommun], present,
                                          int(own_cells["positive"] + own_cells["other"])))
        mask = np.array([reason == "" for reason in reasons])
        for column in SHARE_COLUMNS:
            values = own[f"{measure}_{column}"] if own is not None else pd.Series(np.nan, index=table.index)
            table[f"own_{measure}_{column}"] = values.astype("Float64").where(mask)
        table[f"own_{measure}_shown"], table[f"own_{measure}_reason"] = mask, reasons
    return table


# --- public facts ----------------------------------------------------------------------------

FACTS = {  # measure -> (Swedish label, decimals, percent)
    "population": ("Folkmängd", 0, False),
    "land_area_km2": ("Landareal (km²)", 0, False),
    "density_land_per_km2": ("Invånare per km² land", 2, False),
    "mean_age": ("Medelålder (år)", 1, False),
    "share_age_65_plus": ("Andel 65 år och äldre", 1, True),
    "share_outside_tatorter": ("Andel som bor utanför tätort", 0, True),
    "share_empty_land": ("Andel av landarealen utan bofasta", 0, True),
    "mean_road_km_to_centre": ("Medelavstånd till centralorten, väg (km)", 1, False),
    "road_km_centre_to_regional": ("Från centralorten till {town}, väg (km)", 0, False),  # the reference town
}
GRID_FACTS = ("share_empty_land", "mean_road_km_to_centre")  # need the population grid


def facts_comparison(sparsity_table: pd.DataFrame, municipalities: pd.DataFrame, kommun: str) -> pd.DataFrame:
    """The municipality's public facts beside the region's, one row per measure of ``FACTS``.

    ``sparsity_table``: ``sparsity.sparsity_table`` over the region's municipalities (one row each);
    ``municipalities``: the processed municipality table. Columns: measure, kommun, region and rank
    (1 = the highest value among the region's municipalities, of ``of``). The region's values are
    pooled (sums of people and land, the mean age from the summed ages); its mean distance to the
    centre is the municipalities' means weighted by population; for the distance from the centre to
    the reference town the region has no single value (blank). The grid's measures (``GRID_FACTS``) are
    left out when the grid covers none of the region's municipalities (all NaN).
    """
    t = sparsity_table.merge(municipalities[["kommun_kod", "age_sum_years", "population_65_plus"]], on="kommun_kod")
    if kommun not in set(t["kommun_kod"]):
        raise ValueError(f"municipality {kommun} is not among the region's municipalities {sorted(t['kommun_kod'])}")
    age = municipalities.set_index("kommun_kod").loc[t["kommun_kod"]]
    t["mean_age"] = age["mean_age"].to_numpy()
    t["share_age_65_plus"] = t["population_65_plus"] / t["population"]
    pop, land = t["population"].sum(), t["land_area_km2"].sum()
    weights = t["population"] / pop
    region = {
        "population": pop, "land_area_km2": land, "density_land_per_km2": pop / land,
        "mean_age": t["age_sum_years"].sum() / pop,
        "share_age_65_plus": t["population_65_plus"].sum() / pop,
        "share_outside_tatorter": (t["share_outside_tatorter"] * t["population"]).sum() / pop,
        "share_empty_land": (t["share_empty_land"] * t["land_area_km2"]).sum() / land,
        "mean_road_km_to_centre": (t["mean_road_km_to_centre"] * weights).sum(),
        "road_km_centre_to_regional": np.nan,
    }
    for m in GRID_FACTS:  # a region only partly covered by the grid has no pooled value
        if t[m].isna().any():
            region[m] = np.nan
    own = t.set_index("kommun_kod").loc[kommun]
    measures = [m for m in FACTS if not (m in GRID_FACTS and t[m].isna().all())]
    ranks = {m: t[m].rank(ascending=False, method="min")[t["kommun_kod"] == kommun].iloc[0] for m in measures}
    return pd.DataFrame([{"measure": m, "kommun": float(own[m]), "region": float(region[m]),
                          "rank": None if pd.isna(ranks[m]) else int(ranks[m]),
                          "of": len(t)} for m in measures])
