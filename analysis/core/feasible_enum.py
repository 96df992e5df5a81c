"""Exact range questions without a solver: every whole-number point of a small space, group by group.

The audit's client-survey blocks hold one item's cells for a few groups (municipalities). Each group's
unknowns are tied by its own facts (its size, Kolada's value, its shown figure) and the groups only
through a few sums (a regional figure, the GINO report's share, the comparison of the years, the sizes'
joint options). ``Enumerated`` lists every point each group's own facts allow (after bound propagation;
a few hundred here), then runs a dynamic programme over the groups whose states are the partial sums of
the linking expressions, forward and backward, and keeps the points of each group that extend to a
solution of every fact. A range question is then a minimum and a maximum over kept points: exact, as
the integer program (``feasible.Space``) it stands in for, with no solver. A space too large to
enumerate raises ``TooLarge`` (then use ``Space``). Pure computation.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable

import numpy as np

from analysis.core.feasible import Choice, Linear, Terms, keys_of

TOLERANCE = 1e-9    # a fact holds within this, as in ``feasible.holds``
SLACK = 1e-6        # bound propagation rounds this much outwards (it only prunes; points are checked exactly)
POINTS = 40_000     # points of all groups together
GROUP_POINTS = 6_000  # points of one group
PAIRS = 400_000     # states times a group's distinct contributions in one step of the programme


class TooLarge(Exception):
    """Too many points or states to enumerate: ask the integer program instead."""


@functools.lru_cache(maxsize=65536)
def canonical(expr: Terms) -> Terms:
    """``expr`` with repeated unknowns merged and zero coefficients dropped, in a fixed order."""
    merged: dict = {}
    for k, c in expr:
        merged[k] = merged.get(k, 0) + c
    return tuple(sorted(((k, c) for k, c in merged.items() if c != 0), key=lambda t: str(t[0])))


def propagate(upper: dict, constraints: list) -> tuple[dict, dict] | None:
    """Interval bounds of every unknown implied by the linear facts (a Choice by its options' hull);
    None when they prove the space empty. Sound: only values no solution takes are cut."""
    lo, hi = dict.fromkeys(upper, 0), {k: int(v) for k, v in upper.items()}
    rows = [(canonical(c.terms), c.low, c.high) for c in constraints if isinstance(c, Linear)]
    rows += [(canonical(e), min(o[i] for o in c.options), max(o[i] for o in c.options))
             for c in constraints if isinstance(c, Choice) for i, e in enumerate(c.exprs)]
    for _ in range(25):
        changed = False
        for terms, low, high in rows:
            mins = [a * lo[k] if a > 0 else a * hi[k] for k, a in terms]
            maxs = [a * hi[k] if a > 0 else a * lo[k] for k, a in terms]
            smin, smax = sum(mins), sum(maxs)
            if smin > high + SLACK or smax < low - SLACK:
                return None
            for (k, a), mn, mx in zip(terms, mins, maxs):
                bottom, top = (low - (smax - mx)) / a, (high - (smin - mn)) / a
                if a < 0:
                    bottom, top = top, bottom
                new_lo = max(lo[k], math.ceil(bottom - SLACK)) if math.isfinite(bottom) else lo[k]
                new_hi = min(hi[k], math.floor(top + SLACK)) if math.isfinite(top) else hi[k]
                if new_lo > new_hi:
                    return None
                if (new_lo, new_hi) != (lo[k], hi[k]):
                    lo[k], hi[k], changed = new_lo, new_hi, True
        if not changed:
            break
    return lo, hi


def codes(*arrays: np.ndarray) -> list[np.ndarray]:
    """One integer per row, equal exactly for equal rows across all ``arrays`` (2-D, same width)."""
    rows = np.concatenate(arrays)
    if rows.shape[1] == 0 or len(rows) == 0:
        code = np.zeros(len(rows), dtype=np.int64)
    else:
        low, span = rows.min(axis=0), rows.max(axis=0) - rows.min(axis=0) + 1
        if math.prod(int(s) for s in span) < 2 ** 62:
            weights = np.cumprod(np.concatenate([[1], span[:-1]])).astype(np.int64)
            code = (rows - low) @ weights
        else:
            code = np.unique(rows, axis=0, return_inverse=True)[1].reshape(-1)
    return np.split(code, np.cumsum([len(a) for a in arrays])[:-1])


def member(rows: np.ndarray, table: np.ndarray) -> np.ndarray:
    """Which ``rows`` occur in ``table``."""
    mine, theirs = codes(rows, table)
    return np.isin(mine, theirs)


def unique_rows(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows (sorted by their code) and each row's index among them."""
    code = codes(rows)[0]
    _, first, inverse = np.unique(code, return_index=True, return_inverse=True)
    return rows[first], inverse.reshape(-1)


def mask(constraint, value: Callable[[Terms], np.ndarray]) -> np.ndarray:
    """Where ``constraint`` holds, with ``value(expr)`` giving an expression's value at every point
    (``feasible.holds`` for many points at once)."""
    if isinstance(constraint, Linear):
        v = value(constraint.terms)
        return (v >= constraint.low - TOLERANCE) & (v <= constraint.high + TOLERANCE)
    if isinstance(constraint, Choice):
        v = np.stack([np.round(value(e)) for e in constraint.exprs], axis=1).astype(np.int64)
        return member(v, np.array(constraint.options, dtype=np.int64).reshape(len(constraint.options), -1))
    return np.any([np.all([mask(p, value) for p in alternative], axis=0)
                   for alternative in constraint.alternatives], axis=0)


def enumerate_group(keys: list, constraints: list, lo: dict, hi: dict) -> np.ndarray:
    """Every point of ``keys`` within ``lo``–``hi`` satisfying ``constraints``, as rows in ``keys`` order
    (remembered: the same group with the same facts recurs in many spaces). Raises ``TooLarge`` beyond
    ``GROUP_POINTS`` points."""
    points = _enumerate(tuple(keys), tuple(constraints), tuple((lo[k], hi[k]) for k in keys))
    if points is None:
        raise TooLarge(f"more than {GROUP_POINTS} points in one group")
    return points


@functools.lru_cache(maxsize=4096)
def _enumerate(keys: tuple, constraints: tuple, limits: tuple) -> np.ndarray | None:
    """Unknown by unknown (those of a choice first, then by the width of their interval), every partial point
    at once: each value's interval narrowed by the linear facts (and a choice's hull) given the values already
    chosen, and every fact checked as soon as its unknowns have values."""
    chosen = {k for c in constraints if isinstance(c, Choice) for k in keys_of(c)}
    order = sorted(range(len(keys)), key=lambda i: (keys[i] not in chosen, limits[i][1] - limits[i][0], i))
    at = {keys[i]: p for p, i in enumerate(order)}
    lo, hi = {k: limits[i][0] for i, k in enumerate(keys)}, {k: limits[i][1] for i, k in enumerate(keys)}
    rows, row_of = [], {}  # every linear fact and every expression of a choice (by its options' hull)
    for j, c in enumerate(constraints):
        if isinstance(c, Linear):
            row_of[j] = [len(rows)]
            rows.append((canonical(c.terms), c.low, c.high))
        elif isinstance(c, Choice):
            row_of[j] = list(range(len(rows), len(rows) + len(c.exprs)))
            rows += [(canonical(e), min(o[i] for o in c.options), max(o[i] for o in c.options))
                     for i, e in enumerate(c.exprs)]
    whole = all(float(a).is_integer() for terms, _, _ in rows for _, a in terms)
    n = len(order)
    of: list[list] = [[] for _ in range(n)]
    coefficient = np.zeros((n, len(rows)))
    for r, (terms, _, _) in enumerate(rows):
        for k, a in terms:
            of[at[k]].append((r, a))
            coefficient[at[k], r] += a
    # What the unknowns after each position can add to each row, at the least and at the most.
    low_value = np.array([lo[keys[i]] for i in order], dtype=float)[:, None]
    high_value = np.array([hi[keys[i]] for i in order], dtype=float)[:, None]
    least = np.where(coefficient > 0, coefficient * low_value, coefficient * high_value)
    most = np.where(coefficient > 0, coefficient * high_value, coefficient * low_value)
    after = np.tril(np.ones((n, n)), -1)  # after[p, q]: 1 where position p comes after position q
    rest_low, rest_high = least.T @ after, most.T @ after  # rows × positions
    # The facts whose last unknown is at each position, checked there: with whole coefficients a linear
    # fact or a choice by its rows' sums (exact, as ``holds``), anything else by ``holds``.
    closing: list[list] = [[] for _ in range(n)]
    for j, c in enumerate(constraints):
        where = max(at[k] for k in keys_of(c))
        if whole and isinstance(c, Linear):
            closing[where].append((0, row_of[j][0], c.low - TOLERANCE, c.high + TOLERANCE))
        elif whole and isinstance(c, Choice):
            closing[where].append((1, row_of[j], set(c.options), None))
        else:
            closing[where].append((2, c, None, None))
    bounds = [(lo[keys[i]], hi[keys[i]]) for i in order]
    low_row = np.array([r[1] for r in rows], dtype=float)
    high_row = np.array([r[2] for r in rows], dtype=float)
    # Breadth first, all partial points of one depth at once: ``done`` the values so far, ``partial`` each
    # row's sum over them (whole numbers in floats: exact).
    done, partial = np.zeros((1, 0), dtype=np.int64), np.zeros((1, len(rows)))
    for p in range(n):
        low, high = np.full(len(done), bounds[p][0], dtype=float), np.full(len(done), bounds[p][1], dtype=float)
        for r, a in of[p]:
            bottom = (low_row[r] - partial[:, r] - rest_high[r, p]) / a
            top = (high_row[r] - partial[:, r] - rest_low[r, p]) / a
            if a < 0:
                bottom, top = top, bottom
            with np.errstate(invalid="ignore"):
                low = np.where(np.isfinite(bottom), np.maximum(low, np.ceil(bottom - SLACK)), low)
                high = np.where(np.isfinite(top), np.minimum(high, np.floor(top + SLACK)), high)
        count = np.maximum(high - low + 1, 0).astype(np.int64)
        if count.sum() > 20 * GROUP_POINTS:
            return None
        parent = np.repeat(np.arange(len(done)), count)
        value = low.astype(np.int64)[parent] + np.arange(len(parent)) - np.repeat(np.cumsum(count) - count, count)
        done = np.concatenate([done[parent], value[:, None]], axis=1)
        partial = partial[parent] + value[:, None] * coefficient[p]
        keep = np.ones(len(done), dtype=bool)
        for kind, what, a, b in closing[p]:
            if kind == 0:
                keep &= (partial[:, what] >= a) & (partial[:, what] <= b)
            elif kind == 1:
                keep &= member(np.round(partial[:, what]).astype(np.int64),
                               np.array(sorted(a), dtype=np.int64).reshape(len(a), -1))
            else:
                keep &= mask(what, lambda e: sum((c * done[:, at[k]] for k, c in e), np.zeros(len(done))))
        done, partial = done[keep], partial[keep]
        if len(done) > GROUP_POINTS:
            return None
    points = np.zeros((len(done), n), dtype=np.int64)
    points[:, order] = done
    points.setflags(write=False)
    return points
