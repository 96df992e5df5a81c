"""The innovation-climate survey: the overall rating, importance against current state, preconditions, roles.

All functions take the processed survey frame (answers as codes) and its codebook and return
tables; shares are of the substantive answers (missing and "vet inte" excluded), as in the
report, with 95 % Wilson intervals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core import disclosure, stats
from analysis.survey_data.codebooks import Codebook
from analysis.survey_data.published import share

GOOD, IMPORTANT = 3, 3          # "Bra" on the state scale, "Viktigt" on the importance scale
AGREE = [1, 2]                  # "i mycket hög" or "i ganska hög utsträckning"
CAPABILITY_GROUPS = {"God eller mycket god": [4, 5], "Varken eller": [3], "Bristfällig eller mycket bristfällig": [1, 2]}
# Politicians and managers are merged (both lead; nine politicians cannot show any answer split
# without a cell under five). Respondents without a role (code 0 here) go with the staff: left
# out, they could be recovered by subtracting both groups from table 1's totals.
NO_ROLE = 0
ROLE_GROUPS = {"Politiker och chefer": [1, 2], "Medarbetare och ej angiven roll": [3, NO_ROLE]}


def aspects(codebook: Codebook) -> pd.DataFrame:
    """The 11 aspects of table 1 in the report's order: number, label, state and importance variables."""
    state = codebook.block("state")
    return pd.DataFrame({
        "number": range(1, len(state) + 1),
        "aspect": [v.name.removeprefix("state_") for v in state],
        "label": [v.label for v in state],
        "state_variable": [v.name for v in state],
        "importance_variable": [v.name.replace("state_", "importance_", 1) for v in state],
    })


def _share_row(frame: pd.DataFrame, codebook: Codebook, variable: str, codes: list[int]) -> dict:
    s = share(frame, codebook, variable, codes)
    low, high = stats.wilson(s.k, s.n)
    return {"k": s.k, "n": s.n, "share": s.k / s.n if s.n else np.nan, "ci_low": float(low), "ci_high": float(high)}


def aspect_shares(frame: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Table 1: share "Bra" (state) and share "Viktigt" (importance) per aspect, each of its own
    substantive answers, and the gap between them on the respondents who answered both
    (``gap``, ``gap_low``, ``gap_high``, ``n_pairs``; see ``paired_gap``)."""
    rows = []
    for a in aspects(codebook).itertuples(index=False):
        state = _share_row(frame, codebook, a.state_variable, [GOOD])
        importance = _share_row(frame, codebook, a.importance_variable, [IMPORTANT])
        gap = paired_gap(frame, codebook, a.state_variable, a.importance_variable)
        rows.append({"number": a.number, "aspect": a.aspect, "label": a.label,
                     **{f"state_{k}": v for k, v in state.items()},
                     **{f"importance_{k}": v for k, v in importance.items()},
                     "n_pairs": gap["n"], "gap": gap["difference"], "gap_low": gap["ci_low"], "gap_high": gap["ci_high"]})
    return pd.DataFrame(rows)


def _pairs(frame: pd.DataFrame, codebook: Codebook, state_variable: str, importance_variable: str) -> pd.DataFrame:
    """Respondents who gave a substantive answer ("vet inte" excluded) to both the state and the importance."""
    both = frame[[state_variable, importance_variable]].dropna().astype(int)
    for variable in both:
        both = both[~both[variable].isin(list(codebook.variable(variable).scale.dont_know))]
    return both


def paired_gap(frame: pd.DataFrame, codebook: Codebook, state_variable: str, importance_variable: str) -> dict:
    """The gap, share "Viktigt" − share "Bra", on the respondents who answered both questions, with
    Newcombe's interval for paired shares (``stats.paired_difference``): the two shares have the same
    denominator and the pairing (most who find an aspect important also rate it) narrows the interval."""
    both = _pairs(frame, codebook, state_variable, importance_variable)
    important, good = both[importance_variable] == IMPORTANT, both[state_variable] == GOOD
    return stats.paired_difference(int((important & good).sum()), int((important & ~good).sum()),
                                   int((~important & good).sum()), int((~important & ~good).sum()))


def paired_gaps(frame: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Per aspect, on respondents who rated both its state and its importance.

    ``mean_gap``: mean of importance code − state code (both three-step scales, higher = better
    or more important), so +2 means "viktigt" but "bristfällig". ``important_not_good`` and
    ``good_not_important`` are the discordant pairs of the dichotomised answers; the exact
    McNemar test asks whether they differ. The Wilcoxon signed-rank test uses all three steps.
    Both families are Holm-adjusted across the 11 aspects.
    """
    rows = []
    for a in aspects(codebook).itertuples(index=False):
        both = _pairs(frame, codebook, a.state_variable, a.importance_variable)
        diff = both[a.importance_variable] - both[a.state_variable]
        important = both[a.importance_variable] == IMPORTANT
        good = both[a.state_variable] == GOOD
        b, c = int((important & ~good).sum()), int((~important & good).sum())
        n_nonzero, p_wilcoxon = stats.signed_rank_test(diff)
        rows.append({"number": a.number, "label": a.label, "n_pairs": len(both), "mean_gap": diff.mean(),
                     "important_not_good": b, "good_not_important": c, "p_mcnemar": stats.mcnemar_exact(b, c),
                     "n_nonzero": n_nonzero, "p_wilcoxon": p_wilcoxon})
    out = pd.DataFrame(rows)
    out["p_mcnemar_holm"] = stats.holm(out["p_mcnemar"])
    out["p_wilcoxon_holm"] = stats.holm(out["p_wilcoxon"])
    return out


QUADRANTS = {  # Martilla & James (1977), in Swedish
    (True, False): "Koncentrera insatserna här",
    (True, True): "Fortsätt det goda arbetet",
    (False, False): "Låg prioritet",
    (False, True): "Möjligen överinsats",
}


def importance_performance(shares: pd.DataFrame) -> pd.DataFrame:
    """Importance–performance analysis: each aspect's observed quadrant relative to the means of both
    axes (not a finding by itself: see ``quadrant_probabilities``).

    Importance is the share "Viktigt", performance the share "Bra". The crosshairs are the means
    over the 11 aspects (the data-centred variant); with direct importance ratings bunched near
    100 %, "high importance" means only "above the aspects' average importance".
    """
    out = shares[["number", "label", "importance_share", "state_share", "gap"]].copy()
    mean_importance, mean_state = out["importance_share"].mean(), out["state_share"].mean()
    out["quadrant"] = [QUADRANTS[(i >= mean_importance, s >= mean_state)]
                       for i, s in zip(out["importance_share"], out["state_share"])]
    out.attrs.update(mean_importance=mean_importance, mean_state=mean_state)
    return out


def quadrant_probabilities(frame: pd.DataFrame, codebook: Codebook, resamples: int = 2000) -> pd.DataFrame:
    """How stable each aspect's quadrant is: the share of ``resamples`` respondent bootstrap samples
    (fixed seed) in which the aspect falls in each quadrant of ``importance_performance``, the
    crosshairs recomputed in every sample. One row per aspect: number, label, the observed
    ``quadrant`` and one column per quadrant of ``QUADRANTS`` (probabilities summing to 1).

    A quadrant is a finding only where its probability is high; with importance bunched near the top,
    an aspect a fraction of a percentage point from the mean importance changes quadrant with a
    single answer. Respondents are resampled independently (clustering by workplace is ignored here).
    """
    table = aspects(codebook)
    state = np.column_stack([_indicator(frame, codebook, v, GOOD) for v in table["state_variable"]])
    importance = np.column_stack([_indicator(frame, codebook, v, IMPORTANT) for v in table["importance_variable"]])
    rng = np.random.default_rng(stats.SEED)
    names = list(QUADRANTS.values())
    counts = np.zeros((len(table), len(names)))
    with np.errstate(invalid="ignore"):
        for _ in range(resamples):
            rows = rng.integers(0, len(frame), len(frame))
            s, i = np.nanmean(state[rows], axis=0), np.nanmean(importance[rows], axis=0)
            high_i, high_s = i >= np.nanmean(i), s >= np.nanmean(s)
            for q, key in enumerate(QUADRANTS):
                counts[:, q] += (high_i == key[0]) & (high_s == key[1])
    observed = importance_performance(aspect_shares(frame, codebook))
    out = pd.DataFrame(counts / resamples, columns=names)
    out.insert(0, "quadrant", observed["quadrant"].to_numpy())
    out.insert(0, "label", table["label"].to_numpy())
    out.insert(0, "number", table["number"].to_numpy())
    out.attrs["resamples"] = resamples
    return out


def _indicator(frame: pd.DataFrame, codebook: Codebook, variable: str, code: int) -> np.ndarray:
    """1 for ``code``, 0 for another substantive answer, NaN for missing and "vet inte"."""
    answers = frame[variable].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    dont_know = np.isin(answers, list(codebook.variable(variable).scale.dont_know))
    return np.where(np.isnan(answers) | dont_know, np.nan, (answers == code).astype(float))


def design_effects(frame: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Per item of table 1 (share "Bra", share "Viktigt"): the design effect of clustering by
    municipality (``stats.design_effect``) and the Wilson interval widened to the effective sample
    size n / deff (``ci_low_adjusted``, ``ci_high_adjusted``). Respondents in one municipality rate the
    same workplace, so their answers are not independent; the plain intervals assume they are."""
    key = codebook.identifiers["municipality"]
    rows = []
    for a in aspects(codebook).itertuples(index=False):
        for measure, variable, code in (("Bra", a.state_variable, GOOD), ("Viktigt", a.importance_variable, IMPORTANT)):
            y = _indicator(frame, codebook, variable, code)
            effect = stats.design_effect(y, frame[key])
            k, n = int(np.nansum(y)), int((~np.isnan(y)).sum())
            deff = effect["deff"] if not np.isnan(effect["deff"]) else 1.0
            low, high = stats.wilson(k, n)
            adj_low, adj_high = stats.wilson(k / deff, n / deff)
            rows.append({"number": a.number, "label": a.label, "measure": measure, "k": k, "n": n,
                         "share": k / n if n else np.nan, "ci_low": float(low), "ci_high": float(high),
                         "icc": effect["icc"], "cluster_size": effect["cluster_size"], "deff": effect["deff"],
                         "ci_low_adjusted": float(adj_low), "ci_high_adjusted": float(adj_high)})
    return pd.DataFrame(rows)


def capability(frame: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """The overall rating of the workplace's innovation capability, grouped as the report does."""
    rows = [{"group": name, **_share_row(frame, codebook, "capability_overall", codes)}
            for name, codes in CAPABILITY_GROUPS.items()]
    out = pd.DataFrame(rows)
    answers = frame["capability_overall"]
    dont_know = list(codebook.variable("capability_overall").scale.dont_know)
    out.attrs.update(answered=int(answers.notna().sum()), dont_know=int(answers.isin(dont_know).sum()),
                     respondents=len(frame))
    return out


def statement_shares(frame: pd.DataFrame, codebook: Codebook, block: str) -> pd.DataFrame:
    """Tables 2 and 3: share agreeing to a high or fairly high extent, in descending order as published."""
    rows = [{"variable": v.name, "label": v.label, **_share_row(frame, codebook, v.name, AGREE)}
            for v in codebook.block(block)]
    return pd.DataFrame(rows).sort_values("share", ascending=False, kind="stable").reset_index(drop=True)


def by_role(frame: pd.DataFrame, codebook: Codebook, items: list[tuple[str, list[int]]],
            groups: dict[str, list[int]] = ROLE_GROUPS, plan=None) -> pd.DataFrame:
    """Share of positive answers per role group for each ``(variable, positive codes)``, with Fisher's exact test.

    The groups must together hold every respondent (a missing role is code ``NO_ROLE``), so that
    the groups add up to table 1's totals. Disclosure control per item (``disclosure.protect``
    on ``role_cells``): with two groups and a published total, one
    group cannot be hidden alone, so both are hidden, and the test with them, because with
    published margins the p-value would reveal the table. Holm's correction runs over the family fixed
    in advance, all of ``items``; a hidden test enters as p = 1 (``stats.holm``). With a publication
    ``plan`` (``analysis.core.publication_plan``) the groups it shows are shown.
    """
    roles = frame["role"].astype("Int64").fillna(NO_ROLE)
    rows = []
    for variable, codes in items:
        counts = {name: share(frame[roles.isin(members)], codebook, variable, codes) for name, members in groups.items()}
        cells = role_cells(frame, codebook, variable, codes, groups)
        hidden = hidden_role_groups(cells)
        if plan is not None:  # the disclosure audit's plan decides (it starts from this rule)
            hidden = pd.Series([name not in plan.roles.get(variable, []) for name in cells.index], index=cells.index)
        table = cells[["positive", "other"]].to_numpy()
        p = stats.fisher_2x2(table) if len(cells) == 2 else stats.independence_test(table)["p"]
        for name, s in counts.items():
            low, high = stats.wilson(s.k, s.n)
            shown = not hidden[name]
            rows.append({"variable": variable, "label": codebook.variable(variable).label, "group": name,
                         "n": s.n if shown else pd.NA, "k": s.k if shown else pd.NA,
                         "share": s.k / s.n if shown and s.n else np.nan,
                         "ci_low": float(low) if shown else np.nan, "ci_high": float(high) if shown else np.nan,
                         "suppressed": not shown, "p": p if not hidden.any() else np.nan})
    out = pd.DataFrame(rows).astype({"n": "Int64", "k": "Int64"})
    tested = out.drop_duplicates("variable").set_index("variable")["p"]
    # The family is fixed in advance: every item asked for, shown or not (hidden tests count as p = 1).
    out["p_holm"] = out["variable"].map(pd.Series(stats.holm(tested, family=len(tested)), index=tested.index))
    return out


def role_cells(frame: pd.DataFrame, codebook: Codebook, variable: str, codes: list[int],
               groups: dict[str, list[int]] = ROLE_GROUPS) -> pd.DataFrame:
    """Per role group: positive and other substantive answers, and "vet inte" answers (a blank is
    not an answer and is not protected, see ``client_survey.answer_cells``)."""
    roles = frame["role"].astype("Int64").fillna(NO_ROLE)
    rows = {name: answer_cells(frame[roles.isin(members)], codebook, variable, codes) for name, members in groups.items()}
    return pd.DataFrame.from_dict(rows, orient="index")


def municipality_cells(frame: pd.DataFrame, codebook: Codebook, variable: str, codes: list[int]) -> pd.DataFrame:
    """``role_cells`` per municipality (one row per municipality code present in ``frame``)."""
    answers = frame[variable].astype("Int64")
    dont_know = answers.isin(list(codebook.variable(variable).scale.dont_know)).fillna(False).to_numpy(bool)
    positive = answers.isin(codes).fillna(False).to_numpy(bool) & ~dont_know
    other = answers.notna().to_numpy(bool) & ~dont_know & ~positive
    groups, municipalities = pd.factorize(frame[codebook.identifiers["municipality"]], sort=True)
    known = groups >= 0
    return pd.DataFrame({kind: np.bincount(groups[mask & known], minlength=len(municipalities))
                         for kind, mask in (("positive", positive), ("other", other), ("dont_know", dont_know))},
                        index=municipalities)


def answer_cells(frame: pd.DataFrame, codebook: Codebook, variable: str, codes: list[int]) -> dict[str, int]:
    """Positive (``codes``) and other substantive answers, and "vet inte" answers, of one item."""
    s = share(frame, codebook, variable, codes)
    dont_know = int(frame[variable].isin(list(codebook.variable(variable).scale.dont_know)).sum())
    return {"positive": s.k, "other": s.n - s.k, "dont_know": dont_know}


def hidden_role_groups(cells: pd.DataFrame) -> pd.Series:
    """Which role groups ``by_role`` hides for one item, given its ``role_cells``."""
    return disclosure.protect(cells)
