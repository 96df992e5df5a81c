"""Counts for the synthetic client surveys anchored to Kolada: respondents per municipality and,
per municipality and item, one (positive, answered) pair that Kolada's published value allows.

Choice among Kolada-consistent pairs (``kolada_pairs``), per item over all municipalities at once:
1. the regional share reproduces the report's published figure for the item under its stated rule,
   wherever Kolada allows that (otherwise the figure conflicts with Kolada and the check says so);
2. then as many substantive answers as possible (the fewest blanks and "vet inte");
3. then the regional share as close as possible to the published interval and its middle (with no
   published figure: to Kolada's respondent-weighted share over the published municipalities);
remaining ties go to the first pair in a fixed order, so the choice is deterministic.
Municipalities Kolada does not publish get the respondents set in ``config/synthetic.yaml``
(1–4, a documented choice).
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from analysis.core.errors import GinoError
from analysis.public_data.kolada import ITEM_KPIS, PUBLICATION_THRESHOLD
from analysis.public_data.kolada_pairs import Pair, pairs_for_value, pairs_unpublished
from analysis.survey_data.published import Share, passes


def respondents_per_municipality(published: pd.DataFrame, study: list[str], unpublished: dict[str, int],
                                 threshold: int = PUBLICATION_THRESHOLD) -> pd.Series:
    """Kolada's respondent count (U30901) per study municipality; the configured 1–4 where none is published."""
    counts = {}
    for code in study:
        if code in published.index and pd.notna(published.loc[code, "respondents"]):
            counts[code] = int(published.loc[code, "respondents"])
            continue
        if code not in unpublished:
            raise GinoError(f"config/synthetic.yaml: no respondent count for {code}, which Kolada does not publish; "
                            f"add it under kolada_unpublished_respondents (1–{threshold - 1})")
        n = int(unpublished[code])
        if not 1 <= n < threshold:
            raise GinoError(f"config/synthetic.yaml: kolada_unpublished_respondents {code} = {n}; expected 1–"
                            f"{threshold - 1} (Kolada publishes every municipality with {threshold} or more)")
        counts[code] = n
    return pd.Series(counts).sort_index()


def item_pairs(published: pd.DataFrame, respondents: pd.Series, variable: str,
               threshold: int = PUBLICATION_THRESHOLD) -> dict[str, list[Pair]]:
    """Kolada-consistent pairs per municipality for one item, given the twin's respondents."""
    out = {}
    for code, r in respondents.items():
        value = published.loc[code, variable] if code in published.index else float("nan")
        out[code] = pairs_for_value(float(value), int(r), threshold) if pd.notna(value) \
            else pairs_unpublished(int(r), threshold)
        if not out[code]:
            raise GinoError(f"Kolada {ITEM_KPIS[variable]}: no whole share gives {value} for {code} with "
                            f"{threshold}–{r} answers")
    return out


def choose_pairs(pairs: dict[str, list[Pair]], figures: list | None = None,
                 target: Fraction | None = None) -> dict[str, Pair]:
    """One pair per municipality, by the order in the module docstring.

    ``figures``: published figures on this item (objects with ``rule`` and ``published_value``,
    shares of substantive answers); empty when the report publishes nothing, and then the
    regional share closest to ``target`` (if given) breaks ties instead of the published interval.
    """
    figures = figures or []
    # Reachable regional (K, N) with one witness each (first found in a fixed order).
    states: dict[tuple[int, int], tuple] = {(0, 0): ()}
    for code in sorted(pairs):
        options = sorted(pairs[code], key=lambda p: (-p.answered, -p.positive))
        nxt: dict[tuple[int, int], tuple] = {}
        for (k, n), chosen in states.items():
            for p in options:
                nxt.setdefault((k + p.positive, n + p.answered), chosen + ((code, p),))
        states = nxt

    def cost(state):
        k, n = state
        if n == 0:
            return (len(figures) + 1, 0, 0, 0)
        share = Fraction(k, n)
        misses = sum(not passes(f.rule, str(f.published_value), Share(k, n)) for f in figures)
        gap = sum(_gap(f, share) for f in figures)
        centre = sum(abs(share - _centre(f)) for f in figures) if figures else \
            abs(share - target) if target is not None else 0
        return (misses, -n, gap, centre, -k)

    best = min(sorted(states), key=cost)
    return dict(states[best])


def _interval(f) -> tuple[Fraction, Fraction]:
    p = Fraction(str(f.published_value).split(";")[0])
    if f.rule == "of_ten":
        return (2 * p - 1) / 20, (2 * p + 1) / 20
    if f.rule == "percent":
        return (2 * p - 1) / 200, (2 * p + 1) / 200
    return p, p


def _gap(f, share: Fraction) -> Fraction:
    low, high = _interval(f)
    return max(low - share, share - high, Fraction(0))


def _centre(f) -> Fraction:
    low, high = _interval(f)
    return (low + high) / 2
