"""Client surveys 2018 and 2019: answer distributions, the poster's headline indicators, the
comparison of the two years, and the tables by municipality with their disclosure control. GINO's
two added questions (travel distance and preferred meeting form, 2018 only) are analysed in
``analysis.client_surveys.distance``; their names are importable from here too.

Pure functions: survey frames (one row per respondent, answers as codes) and codebooks in,
tables out; nothing is read from or written to disk. Shares follow the report: they are
shares of the *substantive* answers, that is without missing answers and without "vet inte"
(code 9), and every share carries a 95 % Wilson interval (``analysis.core.stats``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core import disclosure, stats
from analysis.survey_data import published as survey_figures
from analysis.survey_data.codebooks import Codebook
from analysis.client_surveys import planned
# The travel-distance analyses live in client_distance; their names stay available here.
from analysis.client_surveys.distance import (  # noqa: F401
    DISTANCE, FORM, DISTANCE_BANDS, FORMS, DISTANCE_KM,
    NEAR, ON_SITE, REMOTE, OTHER, COLLAPSED_ROWS,
    COLLAPSED_COLUMNS, answered_both, distance_by_form, collapsed_answers, collapsed_distance_by_form,
    association, distance_form_test, remote_preference_data, separated, remote_preference_model,
    remote_slope, predicted_remote, remote_share_by_band,
)

INDICATORS = ("contact_ease", "information_ease", "shows_understanding", "asks_views",
              "can_influence", "situation_improved", "overall_satisfaction")
POSITIVE = (1, 2)  # the two most positive steps of every indicator's four-step scale

ANSWER_CELLS = ("positive", "other", "dont_know")


# --- distributions ---------------------------------------------------------------------------

def distribution(frame: pd.DataFrame, codebook: Codebook, variable: str) -> pd.DataFrame:
    """One row per answer code of ``variable``: ``code``, Swedish ``label``, count ``n``, and the
    share of the substantive answers (``total`` of them) with its Wilson interval.

    "Vet inte" codes get their count but no share (they are not in the denominator).
    """
    scale = codebook.variable(variable).scale
    codes = list(scale.all_labels)
    counts = frame[variable].dropna().astype(int).value_counts().reindex(codes, fill_value=0)
    table = pd.DataFrame({"code": codes, "label": [scale.all_labels[c] for c in codes],
                          "n": counts.to_numpy(dtype=int)})
    table["substantive"] = ~table["code"].isin(list(scale.dont_know))
    table["total"] = int(table.loc[table["substantive"], "n"].sum())
    table = stats.with_wilson(table, k="n", n="total")
    table.loc[~table["substantive"], ["share", "ci_low", "ci_high"]] = np.nan
    return table


def respondents_hidden(frame: pd.DataFrame, codebook: Codebook) -> list:
    """The municipalities merged in the survey's table of respondents per municipality: every other
    by-municipality table of the survey merges them too, so that their sizes cannot be bounded from
    their answer counts (a municipality shown with n = 5 beside a merged row of 6 would reveal 1)."""
    counts = frame[codebook.identifiers["municipality"]].value_counts().sort_index().to_frame("n")  # ties by code
    hidden = disclosure.protect(counts)
    return sorted(hidden[hidden].index)


def by_municipality(frame: pd.DataFrame, codebook: Codebook, counts: pd.DataFrame, table_of,
                    forced=None) -> pd.DataFrame:
    """``table_of(group)`` per municipality as published: groups that ``disclosure.protect`` flags
    on ``counts`` (one row per municipality code), or ``forced``, are pooled into one merged row, placed last."""
    key, names = codebook.identifiers["municipality"], codebook.municipalities
    hidden = disclosure.protect(counts, forced=forced)
    merged = disclosure.merged_label(counts, hidden)
    labels = disclosure.group_labels(frame[key], hidden, names, merged)
    order = sorted(set(labels) - {merged}) + ([merged] if hidden.any() else [])
    parts = [table_of(frame[labels == label]).assign(municipality=label) for label in order]
    out = pd.concat(parts, ignore_index=True)
    out.attrs["merged_note"] = disclosure.merged_note(hidden, names)
    out.attrs["merged_codes"] = sorted(hidden[hidden].index)
    return out


def answer_counts(frame: pd.DataFrame, codebook: Codebook, variable: str) -> pd.DataFrame:
    """Respondents per municipality × answer code of ``variable`` (the cells disclosure control checks)."""
    return pd.crosstab(frame[codebook.identifiers["municipality"]], frame[variable].astype("Int64"))


def distribution_by_municipality(frame: pd.DataFrame, codebook: Codebook, variable: str) -> pd.DataFrame:
    """``distribution`` per municipality; municipalities with a cell of 1–4 respondents are merged (see
    ``by_municipality``), so with many answer codes most small municipalities end up in the merged row."""
    return by_municipality(frame, codebook, answer_counts(frame, codebook, variable),
                           lambda group: distribution(group, codebook, variable), respondents_hidden(frame, codebook))


def collapsed_by_municipality(frame: pd.DataFrame, codebook: Codebook, variable: str,
                              categories: dict[str, tuple[int, ...]], plan=None) -> pd.DataFrame:
    """Shares of a few merged answer groups (``categories``: label -> codes) per municipality,
    of the answers in any of the groups, with Wilson intervals; small municipalities merged (with a
    publication ``plan``: the municipalities it shows, no merged row)."""
    if plan is not None:
        return planned.collapsed_by_municipality(frame, codebook, variable, categories, plan)
    answers = frame[variable].astype("Int64")
    grouped = pd.Series(pd.NA, index=frame.index, dtype="string")
    for label, codes in categories.items():
        grouped[answers.isin(codes).fillna(False)] = label
    # Answers in none of the groups (such as "annat") are a cell too; a blank answer is not (see answer_cells).
    grouped[answers.notna() & grouped.isna()] = "other answers"
    counts = pd.crosstab(frame[codebook.identifiers["municipality"]], grouped)
    return by_municipality(frame, codebook, counts, lambda group: category_shares(group, variable, categories),
                           respondents_hidden(frame, codebook))


def category_shares(frame: pd.DataFrame, variable: str, categories: dict[str, tuple[int, ...]]) -> pd.DataFrame:
    """Share of each answer group (``categories``: label -> codes) of the answers in any of the groups
    (``k`` of ``n``), with Wilson intervals; answers in none of them (such as "annat") are left out."""
    answers = frame[variable].astype("Int64")
    k = [int(answers.isin(codes).fillna(False).sum()) for codes in categories.values()]
    return stats.with_wilson(pd.DataFrame({"category": list(categories), "k": k, "n": sum(k)}))


# --- headline indicators --------------------------------------------------------------------

def poster_values(published: pd.DataFrame | None, dataset: str) -> dict[str, int]:
    """Published "N av 10" values by variable (rows of the published survey figures with rule
    ``of_ten`` on a share of codes 1 and 2 in ``dataset``)."""
    if published is None:
        return {}
    rows = published[(published["dataset"] == dataset) & (published["rule"] == "of_ten")
                     & (published["measure"] == "share") & (published["codes"] == "1;2")]
    return {row.variable: int(row.published_value) for row in rows.itertuples(index=False)}


def headline_indicators(frame: pd.DataFrame, codebook: Codebook, published: pd.DataFrame | None = None,
                        plan=None) -> pd.DataFrame:
    """The seven indicators: ``k`` answers in the two positive steps of ``n`` substantive
    answers, ``share`` with Wilson interval, the poster's ``of_ten`` ("N av 10": 10 × share
    rounded half up, computed exactly), and ``published_of_ten`` from ``published`` (the
    published survey figures table, as ``survey_figures.read_published_survey_figures``
    returns it) where the poster gave one. With a publication ``plan``, each indicator is over the
    plan's regional municipalities (``in_region``); ``municipalities``: how many the indicator is over."""
    rows = []
    for variable in INDICATORS:
        part = frame if plan is None else planned.in_region(frame, codebook, plan, variable)
        share = survey_figures.share(part, codebook, variable, list(POSITIVE))
        rows.append({"variable": variable, "label": codebook.variable(variable).label, "k": share.k, "n": share.n,
                     "of_ten": survey_figures.round_half_up(10 * share.value) if share.n else pd.NA,
                     "municipalities": part[codebook.identifiers["municipality"]].nunique()})
    table = stats.with_wilson(pd.DataFrame(rows))
    table["of_ten"] = table["of_ten"].astype("Int64")
    table["published_of_ten"] = table["variable"].map(poster_values(published, codebook.dataset)).astype("Int64")
    return table


def year_comparison(frame_2018: pd.DataFrame, frame_2019: pd.DataFrame, codebook: Codebook,
                    plans: tuple = (None, None)) -> pd.DataFrame:
    """Per indicator: k, n, share and Wilson interval both years, the difference 2019 − 2018
    with Newcombe's interval and Fisher's exact p, and Holm's adjustment over the seven. ``plans``: a
    publication plan per year whose regions each indicator is over (None: every respondent)."""
    first, second = (headline_indicators(f, codebook, plan=p) for f, p in zip((frame_2018, frame_2019), plans))
    columns = ["k", "n", "share", "ci_low", "ci_high"]
    table = first[["variable", "label"]].copy()
    for year, part in ((2018, first), (2019, second)):
        table[[f"{c}_{year}" for c in columns]] = part[columns].to_numpy()
    tests = [stats.two_proportions(int(a.k), int(a.n), int(b.k), int(b.n))
             for a, b in zip(first.itertuples(), second.itertuples())]
    table[["difference", "diff_low", "diff_high", "p"]] = pd.DataFrame(tests)[["difference", "ci_low", "ci_high", "p"]].to_numpy()
    table["p_holm"] = stats.holm(table["p"])
    key = codebook.identifiers["municipality"]
    table["municipalities_2018"], table["municipalities_2019"] = frame_2018[key].nunique(), frame_2019[key].nunique()
    return table.astype({f"{c}_{y}": int for c in ("k", "n") for y in (2018, 2019)})


def compare_years(frame_2018: pd.DataFrame, frame_2019: pd.DataFrame, codebook_2018: Codebook, plan=None,
                  codebook_2019: Codebook | None = None) -> pd.DataFrame:
    """``year_comparison`` twice, stacked with a ``sample`` column: ``all`` (every respondent of
    each year; 2019 includes Arvidsjaur and Arjeplog, which did not take part in 2018) and
    ``common`` (only the municipalities present both years, so that a change cannot come from
    the added municipalities). Holm's adjustment is made within each sample's seven tests (the
    family fixed in advance; a row hidden by disclosure control enters as p = 1).

    The two years are treated as independent samples. Clients answer anonymously, so someone
    who answered both years cannot be linked; such overlap makes the answers positively
    correlated and the independent-samples test conservative.
    """
    key = codebook_2018.identifiers["municipality"]
    if plan is not None:
        return planned.compare_years(frame_2018, frame_2019, codebook_2018, codebook_2019 or codebook_2018, plan)
    common = set(frame_2018[key]) & set(frame_2019[key])
    samples = {"all": (frame_2018, frame_2019),
               "common": (frame_2018[frame_2018[key].isin(common)], frame_2019[frame_2019[key].isin(common)])}
    table = pd.concat([year_comparison(a, b, codebook_2018).assign(sample=name) for name, (a, b) in samples.items()],
                      ignore_index=True)
    # "all" minus "common" is the added municipalities' answers: the common row is shown only
    # if that difference passes the disclosure rule (positive, other and non-substantive answers).
    blank = (table["sample"] == "common") & table["variable"].isin(common_sample_hidden(frame_2018, frame_2019,
                                                                                         codebook_2018))
    return _finish_years(table, blank)


def _finish_years(table: pd.DataFrame, blank: pd.Series) -> pd.DataFrame:
    value_columns = [c for c in table.columns if c not in ("variable", "label", "sample") and not c.startswith("municipalities")]
    table[value_columns] = table[value_columns].astype(float).mask(blank)
    table["suppressed"] = blank
    # Holm within each sample over its seven indicators, fixed in advance; a hidden row counts as p = 1.
    for sample in ("all", "common"):
        rows = table["sample"] == sample
        table.loc[rows, "p_holm"] = stats.holm(table.loc[rows, "p"], family=len(INDICATORS))
    return table


def common_sample_hidden(frame_2018: pd.DataFrame, frame_2019: pd.DataFrame, codebook: Codebook) -> set[str]:
    """Indicators whose comparison restricted to the common municipalities ``compare_years`` hides:
    those where the municipalities in only one year (the difference between the samples) have a
    cell of 1–4 respondents or answered unanimously."""
    key = codebook.identifiers["municipality"]
    common = set(frame_2018[key]) & set(frame_2019[key])
    added = [f[~f[key].isin(common)] for f in (frame_2018, frame_2019)]
    return {v for v in INDICATORS for part in added if len(part)
            and disclosure.fails(answer_cells(part, codebook, v).to_numpy()[None, :])[0]}


def answer_kinds(frame: pd.DataFrame, codebook: Codebook, variable: str) -> pd.Series:
    """Each respondent's answer to an indicator as "positive", "other", "dont_know" or "blank"."""
    answers = frame[variable].astype("Int64")
    dont_know = answers.isin(list(codebook.variable(variable).scale.dont_know)).fillna(False).to_numpy(bool)
    positive = answers.isin(POSITIVE).fillna(False).to_numpy(bool)
    answered = answers.notna().to_numpy(bool)
    kinds = np.select([dont_know, positive, answered], ["dont_know", "positive", "other"], default="blank")
    return pd.Series(kinds, index=frame.index)


def answer_cells(frame: pd.DataFrame, codebook: Codebook, variable: str) -> pd.Series:
    """The cells of an indicator that disclosure control checks: positive, other substantive and
    "vet inte" answers. Leaving a question blank is not an answer and is not protected: group sizes
    are published (and protected), so the number who skipped can be derived, but it reveals nobody's
    answer (the decision is stated in ``analysis.core.disclosure`` and the report's methods section)."""
    counts = answer_kinds(frame, codebook, variable).value_counts()
    return pd.Series({cell: int(counts.get(cell, 0)) for cell in ANSWER_CELLS})


def indicators_by_municipality(frame: pd.DataFrame, codebook: Codebook, plan=None) -> pd.DataFrame:
    """Share positive per municipality and indicator (``k``, ``n``, ``share``, Wilson interval).

    Disclosure control per indicator: where any of a municipality's ``answer_cells`` holds 1–4
    respondents (``disclosure.protect``), its row is blank (``suppressed``) and its answers are
    pooled in the indicator's merged row, so shown rows plus the merged row add up to the
    regional total and nothing can be recovered by subtraction.
    """
    key, names = codebook.identifiers["municipality"], codebook.municipalities
    if plan is not None:
        return planned.by_municipality(frame, codebook, plan)
    forced = respondents_hidden(frame, codebook)
    rows = []
    for variable in INDICATORS:
        cells = pd.crosstab(frame[key], answer_kinds(frame, codebook, variable)) \
            .reindex(columns=list(ANSWER_CELLS), fill_value=0)
        hidden = disclosure.protect(cells, forced=forced)
        shown = [(names.get(code, code), cells.loc[code]) for code in cells.index if not hidden[code]]
        if hidden.any():
            shown.append((disclosure.merged_label(cells, hidden), cells[hidden].sum()))
        rows += [{"variable": variable, "municipality": label, "k": int(c["positive"]),
                  "n": int(c["positive"] + c["other"]), "suppressed": False} for label, c in shown]
        rows += [{"variable": variable, "municipality": names.get(code, code), "k": pd.NA, "n": pd.NA,
                  "suppressed": True} for code in hidden[hidden].index]
    return stats.with_wilson(pd.DataFrame(rows).astype({"k": "Int64", "n": "Int64"}))


def respondents_by_municipality(frame: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Respondents per municipality (``n``); municipalities with 1–4 respondents merged."""
    counts = frame[codebook.identifiers["municipality"]].value_counts().sort_index().to_frame("n")
    return by_municipality(frame, codebook, counts, lambda group: pd.DataFrame({"n": [len(group)]}))
