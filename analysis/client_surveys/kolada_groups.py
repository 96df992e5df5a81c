"""A group of municipalities (the GINO eight, Region 10) against a reference (the country, Kolada's rural
municipalities G92791) on Kolada's client-survey results, in a way that holds up with 6–68 respondents.

Per group, reference, indicator and year (``cell_comparison``):

* the group's **unweighted** mean (Kolada's definition of a group value, as for G122469 "Region 10 (ovägt
  medel)") and its **respondent-weighted** mean (weights U30901, the persons who answered at least one
  question: the item's own count is known only where Kolada's value pins it down), each with a 95 %
  **two-stage bootstrap** interval: the member municipalities resampled with replacement, then each one's
  answers drawn binomially from its own value and number of answers (the exact count where Kolada's value
  pins it down, else the smallest count it allows, else Kolada's minimum of five);
* the reference's median over its municipalities with a value, and
* the group's place among **random groups of the same size** drawn from the reference's municipalities with
  a value (a permutation test, two-sided, of "the group is like any group of as many municipalities"), for
  each mean: a percentile among single municipalities says nothing about a mean of six or eight.

Over all indicators of several years (``joint_comparison``) the number of indicator-years above the median
is compared with the same count for random groups of the same size, drawn per year with the same
municipalities for all seven questions, so the dependence between the questions (the same respondents
answer all of them) is kept: a sign test over the cells would treat them as independent.

Nothing here is a count of a municipality: every number is a function of Kolada's published values and
respondents, which are public.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core.stats import holm
from analysis.public_data.kolada import PUBLICATION_THRESHOLD

RESAMPLES = 2000   # per indicator-year: intervals and permutation p to about ±0,01
JOINT_RESAMPLES = 4000
SEED = 20181012  # the last day of the 2018 survey round


def _answers(part: pd.DataFrame) -> np.ndarray:
    """Each municipality's number of answers for the bootstrap: the item count Kolada pins down (or the
    smallest it allows), else the respondents, else Kolada's minimum for publishing a value."""
    n = part["n"].astype("Float64").fillna(part["respondents"].astype("Float64"))
    return n.fillna(PUBLICATION_THRESHOLD).astype(float).to_numpy().round().astype(int)


def _weighted(values: np.ndarray, weights: np.ndarray, axis: int = -1) -> np.ndarray:
    weights = np.where(np.isnan(values), 0.0, np.nan_to_num(weights))
    total = weights.sum(axis=axis)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, (np.nan_to_num(values) * weights).sum(axis=axis) / total, np.nan)


def bootstrap_means(part: pd.DataFrame, rng: np.random.Generator, resamples: int = RESAMPLES) -> dict:
    """95 % two-stage bootstrap intervals of the unweighted and respondent-weighted mean of ``part`` (one
    row per member municipality with a value: ``value`` in %, ``n``, ``respondents``)."""
    m = len(part)
    p = part["value"].to_numpy(float) / 100
    n = _answers(part)
    r = part["respondents"].astype("Float64").fillna(np.nan).astype(float).to_numpy()
    idx = rng.integers(0, m, size=(resamples, m))
    share = 100 * rng.binomial(n[idx], p[idx]) / n[idx]
    unweighted = share.mean(axis=1)
    weighted = _weighted(share, r[idx], axis=1)
    out = {"u_low": np.percentile(unweighted, 2.5), "u_high": np.percentile(unweighted, 97.5)}
    finite = weighted[np.isfinite(weighted)]
    out["w_low"], out["w_high"] = (np.percentile(finite, [2.5, 97.5]) if len(finite) else (np.nan, np.nan))
    return out


def _permutation(observed: float, null: np.ndarray) -> tuple[float, float]:
    """Two-sided permutation p (distance from the null's mean) and the observed value's mid-rank percentile."""
    null = null[np.isfinite(null)]
    if not np.isfinite(observed) or not len(null):
        return np.nan, np.nan
    centre = null.mean()
    extreme = int((np.abs(null - centre) >= abs(observed - centre) - 1e-9).sum())
    percentile = 100 * ((null < observed).sum() + 0.5 * (null == observed).sum()) / len(null)
    return (1 + extreme) / (1 + len(null)), percentile


def random_groups(pool_size: int, size: int, rng: np.random.Generator, resamples: int = RESAMPLES) -> np.ndarray:
    """``resamples`` random groups of ``size`` distinct positions out of ``pool_size`` (one per row)."""
    return np.argsort(rng.random((resamples, pool_size)), axis=1)[:, :size]


def cell_comparison(indicators: pd.DataFrame, groups: dict[str, list[str]], references: dict[str, list[str] | None],
                    years: tuple[int, ...], resamples: int = RESAMPLES, seed: int = SEED) -> pd.DataFrame:
    """One row per group, reference, indicator and year (see the module's docstring). ``references`` maps a
    name to its member codes, or to None for every municipality with a value (the country)."""
    rng = np.random.default_rng(seed)
    rows = []
    for reference, reference_members in references.items():
        for group, members in groups.items():
            for (variable, year), cell in indicators[indicators["year"].isin(years)].groupby(["variable", "year"]):
                pool = cell if reference_members is None else cell[cell["kommun_kod"].isin(reference_members)]
                own = cell[cell["kommun_kod"].isin(members)]
                if own.empty or len(pool) < 2:
                    continue
                weights = own["respondents"].astype("Float64").fillna(np.nan).astype(float).to_numpy()
                u, w = own["value"].mean(), float(_weighted(own["value"].to_numpy(float), weights))
                picks = random_groups(len(pool), min(len(own), len(pool)), rng, resamples)
                values = pool["value"].to_numpy(float)[picks]
                pool_weights = pool["respondents"].astype("Float64").fillna(np.nan).astype(float).to_numpy()[picks]
                p_u, pct_u = _permutation(u, values.mean(axis=1))
                p_w, pct_w = _permutation(w, _weighted(values, pool_weights, axis=1))
                median = float(pool["value"].median())
                rows.append({"group": group, "reference": reference, "variable": variable, "year": int(year),
                             "members": len(members), "municipalities": len(own),
                             "respondents": int(np.nansum(weights)), "unweighted_mean": u, "weighted_mean": w,
                             **bootstrap_means(own, rng, resamples), "reference_municipalities": len(pool),
                             "reference_median": median, "reference_mean": float(pool["value"].mean()),
                             "difference_unweighted": u - median, "difference_weighted": w - median,
                             "p_unweighted": p_u, "p_weighted": p_w, "percentile_unweighted": pct_u,
                             "percentile_weighted": pct_w, "resamples": resamples})
    return pd.DataFrame(rows)


def _year_matrix(indicators: pd.DataFrame, year: int, pool: list[str] | None, variables: list[str]):
    """Values (municipalities × indicators, NaN where none), respondents and codes of a year's pool."""
    part = indicators[indicators["year"] == year]
    if pool is not None:
        part = part[part["kommun_kod"].isin(pool)]
    values = part.pivot_table(index="kommun_kod", columns="variable", values="value").reindex(columns=variables)
    respondents = part.groupby("kommun_kod")["respondents"].first().reindex(values.index)
    return values.to_numpy(float), respondents.astype("Float64").fillna(np.nan).astype(float).to_numpy(), \
        list(values.index)


def joint_comparison(indicators: pd.DataFrame, groups: dict[str, list[str]], references: dict[str, list[str] | None],
                     years: tuple[int, ...], resamples: int = JOINT_RESAMPLES, seed: int = SEED) -> pd.DataFrame:
    """Per group and reference over all indicators of ``years``: indicator-years above the reference median
    (unweighted and weighted), the same count among random groups of the same size (median and 95 % range)
    with a two-sided permutation p, and the mean difference from the median with its permutation p."""
    rng = np.random.default_rng(seed + 1)
    variables = sorted(indicators["variable"].unique())
    rows = []
    for reference, reference_members in references.items():
        for group, members in groups.items():
            observed = {"unweighted": [], "weighted": []}
            null = {"unweighted": [], "weighted": []}
            for year in years:
                values, weights, codes = _year_matrix(indicators, year, reference_members, variables)
                median = np.nanmedian(values, axis=0)
                own = [i for i, c in enumerate(codes) if c in set(members)]
                if not own or len(codes) < 2:
                    continue
                present = ~np.isnan(median) & ~np.isnan(values[own]).all(axis=0)
                picks = random_groups(len(codes), len(own), rng, resamples)
                for kind, stat in (("unweighted", lambda v, w: np.nanmean(v, axis=-2)),
                                   ("weighted", lambda v, w: _weighted(v, w[..., None], axis=-2))):
                    with np.errstate(all="ignore"):
                        observed[kind].append((stat(values[own], weights[own]) - median)[present])
                        null[kind].append((stat(values[picks], weights[picks]) - median)[:, present])
            if not observed["unweighted"]:
                continue
            row = {"group": group, "reference": reference, "years": ", ".join(map(str, years)), "resamples": resamples}
            for kind in ("unweighted", "weighted"):
                obs, sim = np.concatenate(observed[kind]), np.concatenate(null[kind], axis=1)
                above, sim_above = int((obs > 0).sum()), (sim > 0).sum(axis=1)
                row |= {"cells": len(obs), f"above_{kind}": above, f"below_{kind}": int((obs < 0).sum()),
                        f"null_above_median_{kind}": float(np.median(sim_above)),
                        f"null_above_low_{kind}": float(np.percentile(sim_above, 2.5)),
                        f"null_above_high_{kind}": float(np.percentile(sim_above, 97.5)),
                        f"p_above_{kind}": _permutation(float(above), sim_above.astype(float))[0],
                        f"mean_difference_{kind}": float(np.nanmean(obs)),
                        f"p_mean_{kind}": _permutation(float(np.nanmean(obs)), np.nanmean(sim, axis=1))[0]}
            rows.append(row)
    return pd.DataFrame(rows)


def with_holm(joint: pd.DataFrame) -> pd.DataFrame:
    """Holm-adjusted p of the mean differences within each reference: the family, fixed in advance, is every
    group with both weightings (four tests for two groups). Applied where the table is shown (the build does
    not import statsmodels)."""
    joint = joint.copy()
    for kind in ("unweighted", "weighted"):
        joint[f"p_mean_{kind}_holm"] = np.nan
    for _, part in joint.groupby("reference"):
        p = np.concatenate([part["p_mean_unweighted"].to_numpy(), part["p_mean_weighted"].to_numpy()])
        adjusted = holm(p)
        joint.loc[part.index, "p_mean_unweighted_holm"] = adjusted[:len(part)]
        joint.loc[part.index, "p_mean_weighted_holm"] = adjusted[len(part):]
    return joint
