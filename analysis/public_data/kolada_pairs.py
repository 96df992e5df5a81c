"""Whole counts behind Kolada's client-survey percentages: every (positive, answered) pair they allow.

Kolada stores each share at full precision (94.117647 % is 16/17 and nothing else below 34
answers), publishes it only where at least five answered, and publishes the number of
respondents (persons who answered at least one question). So for each survey year,
municipality and item the candidates are:

* item published: every (k, n) with threshold <= n <= respondents and 100·k/n equal to the value;
* item not published, municipality published: every (k, n) with 0 <= n < threshold (and n <= respondents);
* municipality in the survey but nothing published: fewer than ``threshold`` respondents, so
  every (k, n) with 0 <= n <= respondents <= threshold - 1, respondents >= 1.

Each candidate also carries ``slack`` ranges: how many of the municipality's respondents did
not give a substantive answer (missing or "vet inte"), which bounds a denominator that keeps "vet inte".
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.public_data.kolada import ITEM_KPIS, PUBLICATION_THRESHOLD

# Distinct fractions k/n with n <= 3000 differ by more than 1e-5 percentage points.
TOLERANCE_PERCENT = 1e-5


@dataclass(frozen=True)
class Pair:
    """``positive`` of ``answered`` substantive answers; ``slack`` = respondents - answered (range)."""

    positive: int
    answered: int
    slack_max: int

    def __str__(self) -> str:
        return f"{self.positive}/{self.answered}"


def pairs_for_value(value: float, respondents: int, threshold: int = PUBLICATION_THRESHOLD) -> list[Pair]:
    """Every (k, n) with threshold <= n <= respondents whose 100·k/n is ``value`` at Kolada's precision."""
    n = np.arange(threshold, respondents + 1)
    k = np.round(value * n / 100)  # as Python's round: half to even; the same float operations throughout
    with np.errstate(invalid="ignore", divide="ignore"):
        fits = (k >= 0) & (k <= n) & (np.abs(100 * k / n - value) <= TOLERANCE_PERCENT)
    return [Pair(int(a), int(b), respondents - int(b)) for a, b in zip(k[fits], n[fits])]


def first_pairs(values, respondents, threshold: int = PUBLICATION_THRESHOLD) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``pairs_for_value`` for many values at once (``respondents`` < 0 where unknown): for each, the number
    of pairs and the first pair's positive and answered (-1 where there is none); the same arithmetic."""
    values, respondents = np.asarray(values, dtype=float), np.asarray(respondents, dtype=np.int64)
    lengths = np.maximum(respondents - threshold + 1, 0)
    row = np.repeat(np.arange(len(values)), lengths)
    n = threshold + np.arange(len(row)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    k = np.round(values[row] * n / 100)
    with np.errstate(invalid="ignore", divide="ignore"):
        fits = (k >= 0) & (k <= n) & (np.abs(100 * k / n - values[row]) <= TOLERANCE_PERCENT)
    count = np.bincount(row[fits], minlength=len(values))
    first_k, first_n = np.full(len(values), -1, dtype=np.int64), np.full(len(values), -1, dtype=np.int64)
    hit_rows, first = np.unique(row[fits], return_index=True)  # n grows within a row: the first is the smallest
    first_k[hit_rows], first_n[hit_rows] = k[fits][first].astype(np.int64), n[fits][first]
    return first_k, first_n, count


def pairs_unpublished(respondents_max: int, threshold: int = PUBLICATION_THRESHOLD) -> list[Pair]:
    """Every (k, n) with fewer than ``threshold`` answers among at most ``respondents_max`` respondents."""
    top = min(threshold - 1, respondents_max)
    return [Pair(k, n, respondents_max - n) for n in range(top + 1) for k in range(n + 1)]


def candidate_pairs(published: pd.DataFrame, study: list[str], names: dict[str, str], year: int,
                    threshold: int = PUBLICATION_THRESHOLD) -> pd.DataFrame:
    """One row per study municipality and item: Kolada's value, respondents and the consistent pairs.

    ``published`` is ``kolada.client_survey_values`` for ``year`` (index kommun code); ``study``
    the municipalities that took part that year.
    """
    rows = []
    for code in study:
        known = code in published.index and pd.notna(published.loc[code, "respondents"])
        respondents = int(published.loc[code, "respondents"]) if known else None
        for variable, kpi in ITEM_KPIS.items():
            value = published.loc[code, variable] if code in published.index else float("nan")
            if known and pd.notna(value):
                pairs, status = pairs_for_value(float(value), respondents, threshold), "publicerat"
            elif known:
                pairs, status = pairs_unpublished(respondents, threshold), f"ej publicerat (färre än {threshold} svar)"
            else:
                pairs, status = pairs_unpublished(threshold - 1, threshold), \
                    f"kommunen ej publicerad (1–{threshold - 1} svarande)"
            rows.append({
                "year": year, "kommun_kod": code, "kommun": names.get(code, code), "variable": variable,
                "kpi_id": kpi, "kolada_value": float(value) if pd.notna(value) else math.nan,
                "respondents": str(respondents) if known else f"1–{threshold - 1}",
                "status": status, "n_pairs": len(pairs),
                "pairs": ";".join(str(p) for p in pairs) if status == "publicerat" else
                f"k <= n <= {min(threshold - 1, respondents or threshold - 1)}",
                "unique": len(pairs) == 1, "_pairs": pairs,
            })
    out = pd.DataFrame(rows)
    empty = out[(out["status"] == "publicerat") & (out["n_pairs"] == 0)]
    if len(empty):
        from analysis.core.errors import GinoError

        r = empty.iloc[0]
        raise GinoError(f"Kolada {r.kpi_id} {r.year} for {r.kommun}: value {r.kolada_value} is no whole share k/n "
                        f"with {threshold}–{r.respondents} answers; the snapshot is not what the pipeline expects")
    return out


def regional_totals(pairs_per_municipality: list[list[Pair]]) -> set[tuple[int, int, int]]:
    """Every achievable (K, N, S): summed positives, summed answers and summed slack over municipalities."""
    states = {(0, 0, 0)}
    for pairs in pairs_per_municipality:
        options = {(p.positive, p.answered, p.slack_max) for p in pairs}
        states = {(k + a, n + b, s + c) for k, n, s in states for a, b, c in options}
    return states
