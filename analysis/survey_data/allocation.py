"""Whole-respondent allocations and answer assignment for the synthetic twin: counts split in
proportion (Hamilton's method), respondents per municipality within a published range, and answers
placed so that published counts hold exactly while answers follow a latent score."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core.errors import GinoError
from analysis.survey_data.published import round_half_up


# ---------------------------------------------------------------- counts

def largest_remainder(total: int, weights) -> np.ndarray:
    """Whole numbers summing to ``total`` in proportion to ``weights`` (Hamilton's method, ties by position)."""
    w = np.asarray(weights, dtype=float)
    exact = total * w / w.sum()
    counts = np.floor(exact).astype(int)
    order = np.argsort(-(exact - counts), kind="stable")
    counts[order[: total - counts.sum()]] += 1
    return counts


def allocate(total: int, population: pd.Series, fewest: int, most: int | None = None) -> pd.Series:
    """Respondents per municipality: at least ``fewest``, otherwise in proportion to population.

    With ``most`` given (the innovation survey's published range), the smallest municipality
    gets exactly ``fewest`` and the largest exactly ``most``.
    """
    population = population.sort_index()
    counts = pd.Series(fewest, index=population.index)
    if most is not None:
        smallest, largest = population.idxmin(), population.idxmax()
        counts[largest] = most
        rest = population.drop([smallest, largest])
        counts[rest.index] = largest_remainder(total - fewest - most, rest.to_numpy())
    else:
        counts += largest_remainder(total - fewest * len(population), population.to_numpy())
    if counts.sum() != total or (counts < fewest).any() or (most is not None and counts.max() > most):
        raise GinoError(f"cannot allocate {total} respondents with {fewest}–{most} per municipality")
    return counts


def split(total: int, share: float) -> tuple[int, int]:
    """``total`` split into round(share × total) and the rest."""
    first = min(total, round_half_up(share * total))
    return first, total - first


# ---------------------------------------------------------------- answers

def choose_missing(n_rows: int, n_missing: int, propensity: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Boolean mask of the rows that leave a question unanswered, weighted by a respondent's propensity."""
    mask = np.zeros(n_rows, dtype=bool)
    if n_missing:
        mask[rng.choice(n_rows, size=n_missing, replace=False, p=propensity / propensity.sum())] = True
    return mask


def assign_answers(latent: np.ndarray, loading: float, counts: list[tuple[int, int]],
                   answering: np.ndarray, dont_know: tuple[int, int] | None, rng: np.random.Generator) -> pd.Series:
    """Codes for one question with exact ``counts`` [(code, how many), best first] among ``answering`` rows.

    "Vet inte" (``dont_know`` = (code, how many)) goes to random answering respondents; the rest
    are ranked by ``loading × latent + noise`` and the highest scores get the best answers.
    """
    codes = pd.Series(pd.NA, index=range(len(latent)), dtype="Int16")
    rows = np.flatnonzero(answering)
    if dont_know and dont_know[1]:
        dk_rows = rng.choice(rows, size=dont_know[1], replace=False)
        codes[dk_rows] = dont_know[0]
        rows = np.setdiff1d(rows, dk_rows)
    if sum(n for _, n in counts) != len(rows):
        raise GinoError(f"answer counts {counts} do not add up to the {len(rows)} substantive answers")
    score = loading * latent[rows] + np.sqrt(1 - loading**2) * rng.standard_normal(len(rows))
    ranked = rows[np.argsort(-score, kind="stable")]
    start = 0
    for code, n in counts:
        codes[ranked[start:start + n]] = code
        start += n
    return codes
