"""Client surveys 2018 and 2019: answer distributions, the poster's headline indicators, the
comparison of the two years, and GINO's two added questions (travel distance and preferred
meeting form, 2018 only).

Pure functions: survey frames (one row per respondent, answers as codes) and codebooks in,
tables out; nothing is read from or written to disk. Shares follow the report: they are
shares of the *substantive* answers, that is without missing answers and without "vet inte"
(code 9), and every share carries a 95 % Wilson interval (``analysis.stats``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import disclosure, stats, survey_figures
from analysis.codebooks import Codebook

INDICATORS = ("contact_ease", "information_ease", "shows_understanding", "asks_views",
              "can_influence", "situation_improved", "overall_satisfaction")
POSITIVE = (1, 2)  # the two most positive steps of every indicator's four-step scale

DISTANCE, FORM = "travel_distance", "preferred_meeting"
DISTANCE_BANDS = (1, 2, 3, 4, 5)
FORMS = (1, 2, 3, 4, 5, 6)
# Band midpoints in km (under 5, 5–19, 20–49, 50–99, 100 or more). The top band is open:
# 125 km is an assumption (a quarter above its lower limit), not a midpoint.
DISTANCE_KM = {1: 2.5, 2: 12.5, 3: 35.0, 4: 75.0, 5: 125.0}
NEAR = (1, 2)          # under 20 km
ON_SITE = (1, 2)       # office visit, home visit
REMOTE = (3, 4, 5)     # telephone, video, chat / e-mail / SMS
OTHER = 6              # "annat": neither on site nor remote
COLLAPSED_ROWS = ("Under 20 km", "20 km eller mer")
ANSWER_CELLS = ("positive", "other", "dont_know")
COLLAPSED_COLUMNS = ("På plats (besök, hembesök)", "På distans (telefon, video, chatt)")


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
                              categories: dict[str, tuple[int, ...]]) -> pd.DataFrame:
    """Shares of a few merged answer groups (``categories``: label -> codes) per municipality,
    of the answers in any of the groups, with Wilson intervals; small municipalities merged."""
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


# --- travel distance × preferred meeting form (2018) -----------------------------------------

def answered_both(frame: pd.DataFrame) -> pd.DataFrame:
    """Respondents who answered both added questions, the two answers as plain ints."""
    both = frame.dropna(subset=[DISTANCE, FORM])
    return pd.DataFrame({DISTANCE: both[DISTANCE].astype(int).to_numpy(), FORM: both[FORM].astype(int).to_numpy()})


def distance_by_form(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts: distance band (rows, codes 1–5) × preferred form (columns, codes 1–6), on those who answered both."""
    both = answered_both(frame)
    table = pd.crosstab(both[DISTANCE], both[FORM]).reindex(index=DISTANCE_BANDS, columns=FORMS, fill_value=0)
    return table.rename_axis(index=DISTANCE, columns=FORM)


def collapsed_answers(frame: pd.DataFrame) -> pd.DataFrame:
    """Respondents who answered both and preferred an on-site or remote form ("annat" dropped),
    as two labels: distance under 20 km / 20 km or more, form on site / remote."""
    both = answered_both(frame)
    both = both[both[FORM] != OTHER]
    return pd.DataFrame({
        "distance": np.where(both[DISTANCE].isin(NEAR), COLLAPSED_ROWS[0], COLLAPSED_ROWS[1]),
        "form": np.where(both[FORM].isin(ON_SITE), COLLAPSED_COLUMNS[0], COLLAPSED_COLUMNS[1]),
    })


def collapsed_distance_by_form(frame: pd.DataFrame) -> pd.DataFrame:
    """The 2 × 2 table of ``collapsed_answers`` (counts, empty rows and columns kept)."""
    answers = collapsed_answers(frame)
    table = pd.crosstab(answers["distance"], answers["form"])
    return table.reindex(index=COLLAPSED_ROWS, columns=COLLAPSED_COLUMNS, fill_value=0)


def association(table: pd.DataFrame, rows, columns, resamples: int = 1999) -> dict:
    """``stats.independence_test`` on ``table`` with Cramér's V and its bootstrap interval from the paired answers."""
    v, low, high = stats.cramers_v_interval(np.asarray(rows), np.asarray(columns), resamples=resamples)
    return {"n": int(table.to_numpy().sum()), **stats.independence_test(table.to_numpy()),
            "cramers_v": v, "v_low": low, "v_high": high}


def distance_form_test(frame: pd.DataFrame, resamples: int = 1999) -> pd.DataFrame:
    """Is the preferred meeting form independent of travel distance? Two rows, ``full`` and ``collapsed``.

    ``full``: the 5 × 6 table (empty rows and columns dropped). With about 110 answers over
    30 cells most expected counts are far below 5, so ``independence_test`` picks the
    Fisher–Freeman–Halton permutation test; the chi-square statistic is shown but its p is not used.

    ``collapsed``: under 20 km / 20 km or more (bands 1–2 vs 3–5) × on site (office, home
    visit) / remote (telephone, video, chat). The 2 × 2 table asks the substantive question
    (do those who travel far prefer to meet at a distance?) with one degree of freedom,
    so it has more power against that alternative, and its cells are usually large enough
    for the chi-square test (``independence_test`` falls back to Fisher's exact test when an
    expected count is under 5) and for Cramér's V to be stable (V is Bergsma's bias-corrected
    version, ``stats.cramers_v``, not the plain |phi|). "Annat" (code 6) is excluded: it is
    neither on site nor remote, we do not know what it stands for, and it is rare.
    The cut at 20 km is fixed in advance (the codebook's band limit nearest to a short
    trip in these municipalities), not chosen after looking at the data.

    Each row: ``n``, ``test``, ``statistic`` (Pearson chi-square), ``p``, ``min_expected``,
    ``cramers_v`` with its 95 % percentile bootstrap interval ``v_low``–``v_high`` (``resamples``
    bootstrap samples, fixed seed).
    """
    both, collapsed = answered_both(frame), collapsed_answers(frame)
    rows = {
        "full": association(distance_by_form(frame), both[DISTANCE], both[FORM], resamples),
        "collapsed": association(collapsed_distance_by_form(frame), collapsed["distance"], collapsed["form"], resamples),
    }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("table")


# --- remote preference by distance -------------------------------------------------------------

def remote_preference_data(frame: pd.DataFrame, km: dict = DISTANCE_KM) -> pd.DataFrame:
    """The model's data: ``band``, ``km`` (the band's distance in ``km``, by default the midpoints
    ``DISTANCE_KM``) and ``remote`` (1 for telephone, video, chat; 0 for office or home visit;
    "annat" dropped)."""
    both = answered_both(frame)
    both = both[both[FORM] != OTHER]
    return pd.DataFrame({"band": both[DISTANCE].to_numpy(),
                         "km": both[DISTANCE].map(km).to_numpy(dtype=float),
                         "remote": both[FORM].isin(REMOTE).to_numpy(dtype=int)})


def separated(km, remote) -> bool:
    """True when distance (quasi-)completely separates the outcome: every remote answer at or
    beyond every on-site one, or the reverse, or only one outcome at all. The logit's maximum
    likelihood estimate then does not exist (the slope runs off to infinity)."""
    km, remote = np.asarray(km, dtype=float), np.asarray(remote)
    yes, no = km[remote == 1], km[remote == 0]
    return len(yes) == 0 or len(no) == 0 or yes.min() >= no.max() or no.min() >= yes.max()


def remote_preference_model(frame: pd.DataFrame, km: dict = DISTANCE_KM):
    """Binary logit of preferring a remote form (telephone, video, chat) over an on-site one
    (office or home visit) on travel distance; the fitted statsmodels GLM (Binomial, logit link).

    Distance enters linearly in km at the band midpoints of ``DISTANCE_KM`` (2.5, 12.5, 35,
    75 and 125 km; pass another ``km`` to test the choice). The top band (100 km or more) is
    open, so its 125 km is an assumption. With five distinct values the "continuous" distance
    is really a five-point score, and the model assumes the log-odds change linearly in km
    across them. Intervals are Wald intervals (``remote_slope``). Respondents are treated
    as independent: clustering within municipalities (which differ in both distance and
    services offered) is ignored, because eight clusters are too few for cluster-robust
    errors, so the interval is somewhat too narrow if municipalities differ.

    Why binary and not multinomial: a multinomial logit over the six forms needs one
    intercept and one slope per non-reference form (10 parameters) from about 110 answers,
    with video, chat and "annat" chosen by a handful of people each; such categories are
    (quasi-)separated and their coefficients are not identified. Collapsing to remote vs on
    site keeps one slope with a usable amount of information. "Annat" is excluded (see
    ``distance_form_test``).

    Separation: if distance separates the outcome (``separated``) there is no finite
    estimate, and None is returned rather than a diverging fit (the notebook then says so). Bands
    with only remote answers (as can happen in the two far bands with few respondents)
    do not by themselves separate the data as long as a nearer band has both outcomes.
    """
    import statsmodels.api as sm  # imported here: the build's disclosure audit needs this module, not the model
    import statsmodels.formula.api as smf

    data = remote_preference_data(frame, km)
    if separated(data["km"], data["remote"]):
        return None
    # Fitted to convergence (IRLS until the deviance changes by less than 1e-12, not statsmodels' 1e-8),
    # so that the SE, interval and p agree with other implementations to many more digits.
    return smf.glm("remote ~ km", data=data, family=sm.families.Binomial()).fit(tol=1e-12, maxiter=200)


def remote_slope(result, per_km: float = 10.0) -> dict | None:
    """The distance coefficient (log-odds per km) with its 95 % Wald interval and p, and the
    odds ratio per ``per_km`` km with its interval (None without a model)."""
    if result is None:
        return None
    low, high = result.conf_int().loc["km"]
    slope = result.params["km"]
    return {"slope": slope, "ci_low": low, "ci_high": high, "p": result.pvalues["km"], "n": int(result.nobs),
            "per_km": per_km, "odds_ratio": np.exp(per_km * slope),
            "or_low": np.exp(per_km * low), "or_high": np.exp(per_km * high)}


def predicted_remote(result, km_grid) -> pd.DataFrame:
    """Predicted probability of preferring a remote form at each distance of ``km_grid`` with a
    95 % interval: the Wald interval of the linear predictor transformed by the inverse logit
    (statsmodels' "endpoint" method), so it stays inside 0–1, unlike the delta method on the
    probability scale. None without a model."""
    if result is None:
        return None
    grid = pd.DataFrame({"km": np.asarray(km_grid, dtype=float)})
    frame = result.get_prediction(grid).summary_frame(alpha=stats.ALPHA)
    return pd.DataFrame({"km": grid["km"], "p": frame["mean"].to_numpy(),
                         "ci_low": frame["mean_ci_lower"].to_numpy(), "ci_high": frame["mean_ci_upper"].to_numpy()})


def remote_share_by_band(frame: pd.DataFrame, km: dict = DISTANCE_KM) -> pd.DataFrame:
    """Observed share preferring a remote form per distance band (``k`` of ``n``) with Wilson
    intervals, and the band's ``km``."""
    data = remote_preference_data(frame, km)
    table = (data.groupby("band")["remote"].agg(k="sum", n="size")
             .reindex(DISTANCE_BANDS, fill_value=0).rename_axis("band").reset_index())
    table["km"] = table["band"].map(km)
    return stats.with_wilson(table)


# --- headline indicators --------------------------------------------------------------------

def poster_values(published: pd.DataFrame | None, dataset: str) -> dict[str, int]:
    """Published "N av 10" values by variable (rows of the published survey figures with rule
    ``of_ten`` on a share of codes 1 and 2 in ``dataset``)."""
    if published is None:
        return {}
    rows = published[(published["dataset"] == dataset) & (published["rule"] == "of_ten")
                     & (published["measure"] == "share") & (published["codes"] == "1;2")]
    return {row.variable: int(row.published_value) for row in rows.itertuples(index=False)}


def headline_indicators(frame: pd.DataFrame, codebook: Codebook, published: pd.DataFrame | None = None) -> pd.DataFrame:
    """The seven indicators: ``k`` answers in the two positive steps of ``n`` substantive
    answers, ``share`` with Wilson interval, the poster's ``of_ten`` ("N av 10": 10 × share
    rounded half up, computed exactly), and ``published_of_ten`` from ``published`` (the
    published survey figures table, as ``survey_figures.read_published_survey_figures``
    returns it) where the poster gave one."""
    rows = []
    for variable in INDICATORS:
        share = survey_figures.share(frame, codebook, variable, list(POSITIVE))
        rows.append({"variable": variable, "label": codebook.variable(variable).label, "k": share.k, "n": share.n,
                     "of_ten": survey_figures.round_half_up(10 * share.value) if share.n else pd.NA})
    table = stats.with_wilson(pd.DataFrame(rows))
    table["of_ten"] = table["of_ten"].astype("Int64")
    table["published_of_ten"] = table["variable"].map(poster_values(published, codebook.dataset)).astype("Int64")
    return table


def year_comparison(frame_2018: pd.DataFrame, frame_2019: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Per indicator: k, n, share and Wilson interval both years, the difference 2019 − 2018
    with Newcombe's interval and Fisher's exact p, and Holm's adjustment over the seven."""
    first, second = headline_indicators(frame_2018, codebook), headline_indicators(frame_2019, codebook)
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


def compare_years(frame_2018: pd.DataFrame, frame_2019: pd.DataFrame, codebook_2018: Codebook) -> pd.DataFrame:
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
    common = set(frame_2018[key]) & set(frame_2019[key])
    samples = {"all": (frame_2018, frame_2019),
               "common": (frame_2018[frame_2018[key].isin(common)], frame_2019[frame_2019[key].isin(common)])}
    table = pd.concat([year_comparison(a, b, codebook_2018).assign(sample=name) for name, (a, b) in samples.items()],
                      ignore_index=True)
    # "all" minus "common" is the added municipalities' answers: the common row is shown only
    # if that difference passes the disclosure rule (positive, other and non-substantive answers).
    blank = (table["sample"] == "common") & table["variable"].isin(common_sample_hidden(frame_2018, frame_2019,
                                                                                         codebook_2018))
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
    answer (the decision is stated in ``analysis.disclosure`` and the report's methods section)."""
    counts = answer_kinds(frame, codebook, variable).value_counts()
    return pd.Series({cell: int(counts.get(cell, 0)) for cell in ANSWER_CELLS})


def indicators_by_municipality(frame: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Share positive per municipality and indicator (``k``, ``n``, ``share``, Wilson interval).

    Disclosure control per indicator: where any of a municipality's ``answer_cells`` holds 1–4
    respondents (``disclosure.protect``), its row is blank (``suppressed``) and its answers are
    pooled in the indicator's merged row, so shown rows plus the merged row add up to the
    regional total and nothing can be recovered by subtraction.
    """
    key, names = codebook.identifiers["municipality"], codebook.municipalities
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
