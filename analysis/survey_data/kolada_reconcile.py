"""The GINO report's 2018 poster against Kolada: which reading of "N av 10" fits the real counts.

For each poster statement and each candidate rule, the regional share can be any value
reachable by summing one Kolada-consistent (positive, answered) pair per municipality
(``kolada_pairs``). A rule is consistent with a statement when some reachable share gives the
published "N av 10" under it. Candidate rules:

* ``avrundning``: share of substantive answers (Kolada's denominator), rounded half up to tenths
  (the rule the twin and ``survey_figures.csv`` use);
* ``trunkering``: the same share cut down to tenths;
* ``vet_inte_i_namnaren`` / ``vet_inte_trunkering``: "vet inte" (and blanks) kept in the denominator,
  K/(N+D) with 0 <= D <= the respondents who gave no substantive answer, rounded or cut;
* each of them with the alternative question behind "frågar efter synpunkter": Kolada's
  U30451 "påverka hjälp" instead of U30450 "inflytande" (``fraga_paverka``).

Where no rule fits, the gap says by how many percentage points the nearest reachable share
misses the interval the statement allows.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd

from analysis.public_data.kolada import ITEM_KPIS
from analysis.public_data.kolada_pairs import regional_totals

RULES = {
    "avrundning": ("andel av substantiella svar, avrundad till närmaste tiondel", False, "round"),
    "trunkering": ("andel av substantiella svar, nedtrunkerad till tiondel", False, "floor"),
    "vet_inte_i_namnaren": ("'vet inte' och blanka i nämnaren, avrundad", True, "round"),
    "vet_inte_trunkering": ("'vet inte' och blanka i nämnaren, nedtrunkerad", True, "floor"),
}
# The poster's "frågar efter synpunkter" read as another Kolada item.
ALTERNATIVE_MAPPING = {"asks_views": "can_influence"}
TWIN_RULE = "avrundning"


def allowed_interval(of_ten: int, rounding: str) -> tuple[Fraction, Fraction]:
    """Half-open interval [low, high) of shares that give ``of_ten`` of 10 under ``rounding``."""
    if rounding == "round":
        return Fraction(2 * of_ten - 1, 20), Fraction(2 * of_ten + 1, 20)
    return Fraction(of_ten, 10), Fraction(of_ten + 1, 10)


def _shares(states, with_dont_know: bool, low: Fraction, high: Fraction):
    """(min share, max share, consistent, gap, fewest non-substantive answers needed) over reachable states;
    gap in share units (0 if consistent). Exact: whole-number arithmetic over all states at once (fractions
    compared by cross-multiplying), each extreme taken as a ``Fraction`` at the state that attains it."""
    rows = np.array([x for x in states if x[1] != 0], dtype=np.int64).reshape(-1, 3)
    if not len(rows):
        return None, None, False, None, None
    k, n, s = rows.T
    below = k * low.denominator < low.numerator * n  # top = k/n < low
    bottom_n = n + s if with_dont_know else n  # bottom = k / bottom_n
    smin, smax = _extreme(k, bottom_n, min), _extreme(k, n, max)
    if with_dont_know:
        # some D in 0..s with low <= k/(n+D) < high
        if high:
            grown = k * high.denominator - n * high.numerator
            d_low = np.where(grown < 0, 0, grown // max(high.numerator, 1) + 1)
        else:
            d_low = s + 1
        if low == 0:
            d_high = s
        else:
            x = k * low.denominator - n * low.numerator  # int() of x / low.numerator: towards zero
            d_high = np.minimum(s, np.where(x >= 0, x // low.numerator, -((-x) // low.numerator)))
        hit = d_low <= d_high
        fewest = int(d_low[hit].min()) if hit.any() else None
        misses = [(_at(low, 1, k, n, i, -1) if below[i] else _at(high, -1, k, bottom_n, i, 1)) for i in _near_min(
            np.where(below, float(low) - k / n, k / bottom_n - float(high)), ~hit)]
    else:
        hit = ~below & (k * high.denominator < high.numerator * n)
        fewest = None
        misses = [(_at(low, 1, k, n, i, -1) if below[i] else _at(high, -1, k, n, i, 1)) for i in _near_min(
            np.where(below, float(low) - k / n, k / n - float(high)), ~hit)]
    gap = min(misses + [0] * bool(hit.any()))  # a state that fits gives 0; a miss can lie below it
    return smin, smax, bool(hit.any()), gap, fewest


def _extreme(k, n, pick) -> Fraction:
    """The smallest or largest k/n, exactly (distinct fractions of these sizes are far apart in floats)."""
    values = k / n
    best = values.min() if pick is min else values.max()
    return pick(Fraction(int(k[i]), int(n[i])) for i in np.flatnonzero(np.abs(values - best) <= 1e-9))


def _near_min(values, where) -> list[int]:
    """The states (among ``where``) whose value is within float error of the smallest."""
    if not where.any():
        return []
    best = values[where].min()
    return list(np.flatnonzero(where & (values <= best + 1e-9)))


def _at(bound: Fraction, sign: int, k, n, i: int, share_sign: int) -> Fraction:
    """``sign`` · bound + ``share_sign`` · k/n at state ``i``, exactly."""
    return sign * bound + share_sign * Fraction(int(k[i]), int(n[i]))


def poster_consistency(pairs: pd.DataFrame, poster: pd.DataFrame) -> pd.DataFrame:
    """One row per poster statement × rule × question mapping.

    ``pairs``: ``kolada_pairs.candidate_pairs`` for the poster's year; ``poster``: the published
    figures (``figure_id, description, published_value, variable``; rule "of_ten").
    """
    rows = []
    for fig in poster.itertuples(index=False):
        for mapping in ("standard", "fraga_paverka"):
            variable = ALTERNATIVE_MAPPING.get(fig.variable, fig.variable) if mapping != "standard" else fig.variable
            if mapping != "standard" and variable == fig.variable:
                continue
            item = pairs[pairs["variable"] == variable]
            states = regional_totals(list(item["_pairs"]))
            for rule, (text, with_dk, rounding) in RULES.items():
                low, high = allowed_interval(int(fig.published_value), rounding)
                smin, smax, ok, gap, fewest = _shares(states, with_dk, low, high)
                rows.append({
                    "figure_id": fig.figure_id, "statement": fig.description,
                    "published": f"{fig.published_value} av 10", "rule": rule if mapping == "standard"
                    else f"{rule}+fraga_paverka", "rule_text": text + ("" if mapping == "standard" else
                                                                       "; frågan 'påverka hjälp' (U30451)"),
                    "variable": variable, "kpi_id": ITEM_KPIS[variable],
                    "allowed_low_pct": float(low * 100), "allowed_high_pct": float(high * 100),
                    "reachable_min_pct": round(float(smin * 100), 2), "reachable_max_pct": round(float(smax * 100), 2),
                    "consistent": ok, "gap_pp": round(float(gap * 100), 2),
                    # "vet inte"/blank answers the statement needs in the denominator, at the least
                    "min_non_substantive": fewest if fewest is not None else pd.NA,
                })
    return pd.DataFrame(rows)


def rule_summary(consistency: pd.DataFrame) -> pd.DataFrame:
    """Per rule: how many poster statements it fits, and which it does not (with the gap)."""
    out = []
    for rule, group in consistency.groupby("rule", sort=False):
        misses = group[~group["consistent"]]
        out.append({
            "rule": rule, "rule_text": group["rule_text"].iloc[0],
            "statements": len(group), "consistent": int(group["consistent"].sum()),
            "all_consistent": bool(group["consistent"].all()),
            "conflicts": "; ".join(f"{r.figure_id} ({r.published}: Kolada ger {r.reachable_min_pct:.1f}–"
                                   f"{r.reachable_max_pct:.1f} %, {r.gap_pp:.1f} procentenheter utanför)"
                                   for r in misses.itertuples(index=False)),
        })
    # Statements the alternative mapping does not touch count under their standard reading too.
    summary = pd.DataFrame(out)
    base = {r.rule: r for r in summary.itertuples(index=False) if "+" not in r.rule}
    for i, r in summary.iterrows():
        if "+" in r["rule"]:
            b = base[r["rule"].split("+")[0]]
            others = consistency[(consistency["rule"] == b.rule)
                                 & ~consistency["figure_id"].isin(consistency.loc[consistency["rule"] == r["rule"],
                                                                                  "figure_id"])]
            summary.loc[i, "statements"] = r["statements"] + len(others)
            summary.loc[i, "consistent"] = r["consistent"] + int(others["consistent"].sum())
            summary.loc[i, "all_consistent"] = bool(r["all_consistent"] and others["consistent"].all())
            extra = "; ".join(f"{o.figure_id} ({o.published}: Kolada ger {o.reachable_min_pct:.1f}–"
                              f"{o.reachable_max_pct:.1f} %, {o.gap_pp:.1f} procentenheter utanför)"
                              for o in others[~others["consistent"]].itertuples(index=False))
            summary.loc[i, "conflicts"] = "; ".join(x for x in (extra, r["conflicts"]) if x)
    return summary


def poster_figures(figures: pd.DataFrame, dataset: str = "client_survey_2018") -> pd.DataFrame:
    """The poster's "N av 10" statements among the published survey figures."""
    return figures[(figures["dataset"] == dataset) & (figures["rule"] == "of_ten") & (figures["measure"] == "share")]


def stored_rule_conflicts(consistency: pd.DataFrame) -> dict[str, str]:
    """figure_id -> why Kolada rules it out under the rule the figures file states (the twin's rule)."""
    rows = consistency[(consistency["rule"] == TWIN_RULE) & ~consistency["consistent"]]
    others = consistency[consistency["consistent"] & (consistency["rule"] != TWIN_RULE)]
    out = {}
    for r in rows.itertuples(index=False):
        fits = sorted(others.loc[others["figure_id"] == r.figure_id, "rule"])
        out[r.figure_id] = (f"strider mot Kolada {r.kpi_id}: alla med Kolada förenliga antal ger "
                            f"{r.reachable_min_pct:.1f}–{r.reachable_max_pct:.1f} %, {r.published} kräver "
                            f"{r.allowed_low_pct:g}–{r.allowed_high_pct:g} % ({r.gap_pp:.1f} procentenheter ifrån); "
                            f"förenligt under: {', '.join(fits) if fits else 'ingen prövad regel'}")
    return out


def published_facts_against_kolada(figures: pd.DataFrame, kolada_by_year: dict[int, pd.DataFrame],
                                   study: dict[str, list[str]], threshold: int = 5) -> pd.DataFrame:
    """The report's other client-survey facts (municipalities taking part, more respondents in 2019)
    against what Kolada's publication allows (a municipality without values had 1 to threshold-1)."""
    def respondents_range(dataset: str, members: list[str] | None = None) -> tuple[int, int]:
        year = int(dataset[-4:])
        published = kolada_by_year[year]["respondents"].reindex(study[dataset] if members is None else members)
        known, unknown = int(published.dropna().sum()), int(published.isna().sum())
        return known + unknown, known + unknown * (threshold - 1)

    rows = []
    for f in figures.itertuples(index=False):
        if not f.dataset.startswith("client_survey_") or f.measure not in ("municipalities", "respondents_more_than"):
            continue
        year = int(f.dataset[-4:])
        if f.measure == "municipalities":
            with_values = int(kolada_by_year[year]["respondents"].reindex(study[f.dataset]).notna().sum())
            ok = with_values <= int(f.published_value) <= len(study[f.dataset])
            kolada = f"{with_values} med värden i Kolada, {len(study[f.dataset]) - with_values} utan (färre än {threshold})"
        else:
            low, high = respondents_range(f.dataset)
            low0, high0 = respondents_range(f.variable)
            ok = high - low0 > int(f.published_value)
            kolada = f"{year}: {low}–{high} svarande, {f.variable[-4:]}: {low0}–{high0} (U30901)"
            # The same statement for the municipalities of both rounds only: the added ones may carry it.
            common = sorted(set(study[f.dataset]) & set(study[f.variable]))
            c_low, c_high = respondents_range(f.dataset, common)
            c_low0, c_high0 = respondents_range(f.variable, common)
            rows.append({"figure_id": f.figure_id, "statement": f.description, "published": f.published_value,
                         "kolada": kolada, "consistent": bool(ok)})
            rows.append({"figure_id": f"{f.figure_id}_same_municipalities",
                         "statement": f"{f.description}, i de {len(common)} kommuner som deltog båda åren",
                         "published": f.published_value,
                         "kolada": f"{year}: {c_low}–{c_high} svarande, {f.variable[-4:]}: {c_low0}–{c_high0} (U30901)",
                         "consistent": bool(c_high - c_low0 > int(f.published_value))})
            continue
        rows.append({"figure_id": f.figure_id, "statement": f.description, "published": f.published_value,
                     "kolada": kolada, "consistent": bool(ok)})
    return pd.DataFrame(rows, columns=["figure_id", "statement", "published", "kolada", "consistent"])
