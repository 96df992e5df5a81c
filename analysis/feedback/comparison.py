"""Feedback to the municipalities: each municipality's results beside the region's, and the
waiting-room poster's "N av 10" statements.

The GINO team gave every municipality its own results "i relation till det sammantagna
resultatet". These functions compute what such a document shows, from the survey frames and
codebooks, without file I/O.

Disclosure control follows the publication plan the build's audit chose (``analysis.core.publication_plan``,
``docs/disclosure/threat-model.md``): a municipality's figure is shown where the plan shows it, and the
region's figure is over the municipalities the plan puts in it (for the client surveys' indicators those
whose figure is shown, so that the rest of the region beside a municipality is itself shown figures; no
municipality Kolada withholds is in any sum). Where a figure is not shown, ``reason`` is the plan's code:
``absent`` (did not take part), ``kolada`` (Kolada publishes no value: fewer than five answered) or
``hidden`` (it would, with what is published and public, reveal a count of 1–4 or answers all alike).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.client_surveys import indicators as client_survey, planned
from analysis.core import stats
from analysis.core.publication_plan import Plan
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


def _in_region(frame: pd.DataFrame, codebook: Codebook, plan: Plan, variable: str) -> pd.DataFrame:
    return planned.in_region(frame, codebook, plan, variable)


def regional_indicators(frame: pd.DataFrame, codebook: Codebook, plan: Plan) -> pd.DataFrame:
    """The seven indicators, each over its regional municipalities (``client_survey.headline_indicators``
    under the plan), with ``municipalities``: how many municipalities each is over."""
    key = codebook.identifiers["municipality"]
    table = client_survey.headline_indicators(frame, codebook, plan=plan)
    table["municipalities"] = [_in_region(frame, codebook, plan, v)[key].nunique() for v in table["variable"]]
    return table


def _rows_of(frame: pd.DataFrame, codebook: Codebook, kommun: str) -> pd.DataFrame:
    return frame[frame[codebook.identifiers["municipality"]] == kommun]


# --- client surveys ------------------------------------------------------------------------

def indicator_comparison(frame: pd.DataFrame, codebook: Codebook, kommun: str, plan: Plan) -> pd.DataFrame:
    """The seven indicators for municipality ``kommun`` beside the region.

    Columns: variable, label; the region's ``k``, ``n``, ``share``, ``ci_low``, ``ci_high``, ``of_ten`` and
    ``municipalities`` (over the municipalities the plan's regional figure holds); the municipality's
    ``own_`` versions of them, blank where not shown; ``shown`` and ``reason`` (the plan's reason code).
    """
    part = _rows_of(frame, codebook, kommun)
    own = client_survey.headline_indicators(part, codebook)
    table = regional_indicators(frame, codebook, plan)[["variable", "label", *SHARE_COLUMNS, "of_ten", "municipalities"]]
    table["reason"] = [plan.reason(codebook.dataset, v, kommun) for v in table["variable"]]
    table["shown"] = table["reason"] == ""
    for column in [*SHARE_COLUMNS, "of_ten"]:
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


def poster_statements(frame: pd.DataFrame, codebook: Codebook, plan: Plan, kommun: str | None = None) -> pd.DataFrame:
    """One statement per poster indicator, for the region or for municipality ``kommun``:
    variable, short ``label``, ``of_ten``, ``text`` and ``source`` ("kommunen" where the
    municipality's own figure is shown, else "regionen": the statement then gives the region's figure).
    A statement whose regional figure is over no municipality (the plan shows none) is left out."""
    if kommun is None:
        table = regional_indicators(frame, codebook, plan).assign(shown=False, own_of_ten=pd.NA)
    else:
        table = indicator_comparison(frame, codebook, kommun, plan)
    table = table.set_index("variable")
    rows = []
    for variable, (label, template) in POSTER_STATEMENTS.items():
        row = table.loc[variable]
        value = row["own_of_ten"] if row["shown"] else row["of_ten"]
        if pd.isna(value):
            continue
        n = int(value)
        rows.append({"variable": variable, "label": label, "of_ten": n, "text": template.format(n=n),
                     "source": "kommunen" if row["shown"] else "regionen"})
    return pd.DataFrame(rows, columns=["variable", "label", "of_ten", "text", "source"])


def category_comparison(frame: pd.DataFrame, codebook: Codebook, kommun: str, variable: str,
                        categories: dict[str, tuple[int, ...]], plan: Plan) -> pd.DataFrame:
    """Shares of a few answer groups of ``variable`` for ``kommun`` beside the region: category, the
    region's k, n, share and interval (over the plan's regional municipalities), the municipality's
    ``own_`` versions (blank where not shown), ``shown`` and ``reason``."""
    part = _rows_of(frame, codebook, kommun)
    table = client_survey.category_shares(_in_region(frame, codebook, plan, variable), variable, categories)
    own = client_survey.category_shares(part, variable, categories)
    table["reason"] = plan.reason(codebook.dataset, variable, kommun) if kommun else "absent"
    table["shown"] = table["reason"] == ""
    for column in SHARE_COLUMNS:
        table[f"own_{column}"] = own[column].astype("Float64").where(table["shown"].to_numpy())
    return table


def respondents(frame: pd.DataFrame, codebook: Codebook, kommun: str, plan: Plan) -> int | None:
    """The municipality's number of respondents, or None where the plan does not show it (Kolada withholds
    it, or it would help derive another municipality's); 0 for a municipality that did not take part."""
    rows = len(_rows_of(frame, codebook, kommun))
    if rows == 0:
        return 0
    return rows if kommun in plan.respondents.get(codebook.dataset, []) else None


def respondents_total(frame: pd.DataFrame, codebook: Codebook, plan: Plan) -> tuple[int, int, list]:
    """The respondents the documents count (over the plan's regional municipalities: those Kolada
    publishes), how many municipalities that is, and the participants left out (names)."""
    key = frame[codebook.identifiers["municipality"]].astype(str)
    present = sorted(set(key))
    region = plan.region_of(codebook.dataset, "respondents", present)
    left_out = [codebook.municipalities.get(m, m) for m in present if m not in region]
    return int(key.isin(region).sum()), len(region), left_out


# --- innovation climate --------------------------------------------------------------------

def climate_profile(frame: pd.DataFrame, codebook: Codebook, kommun: str, plan: Plan) -> pd.DataFrame:
    """Table 1 of the report (share "Bra" today and share "Viktigt" per aspect) for all respondents,
    with the municipality's ``own_state_*`` and ``own_importance_*`` shares beside them, shown where the
    plan shows them; ``own_state_reason`` and ``own_importance_reason`` say why not."""
    table = innovation.aspect_shares(frame, codebook)
    part = _rows_of(frame, codebook, kommun)
    own = innovation.aspect_shares(part, codebook) if len(part) else None
    for measure in ("state", "importance"):
        reasons = [plan.reason(codebook.dataset, v, kommun) for v in innovation.aspects(codebook)[f"{measure}_variable"]]
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
