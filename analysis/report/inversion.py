"""Printed statistics turned back into the counts they allow: what an attacker learns from a share with its
interval, a rounded n, a difference with its interval and a p-value.

Every function enumerates candidate counts and keeps those that print exactly the same text with the
project's own formatting (``display.share_ci``, ``display.p_value``, the difference as "−3 (−10 till 4)"),
so the inversion is exact whatever the rounding. Pure functions.
"""

from __future__ import annotations

import functools

import numpy as np

from analysis.core.stats import wilson
from analysis.presentation.display import p_value, share_ci
from analysis.presentation.formatting import sv_number


@functools.lru_cache(maxsize=8192)
def share_texts(n: int) -> tuple[str, ...]:
    """How k of n prints as a share with its 95 % Wilson interval, for every k."""
    ks = np.arange(n + 1)
    low, high = wilson(ks, np.full(n + 1, n))
    return tuple(share_ci(a / n, lo, hi) for a, lo, hi in zip(ks, low, high))


def share_text(k: int, n: int) -> str:
    return share_texts(n)[k]


def printed_counts(k: int, n: int) -> tuple[int, ...]:
    """Every k' of n that prints the same share and interval as k of n."""
    texts = share_texts(n)
    return tuple(a for a, text in enumerate(texts) if text == texts[k])


def rounded(value: int, base: int) -> int:
    """``value`` rounded half up to ``base`` (1: unchanged)."""
    return value if base <= 1 else base * ((value + base // 2) // base)


def rounded_range(value: int, base: int) -> range:
    """Every count that prints as ``rounded(value, base)``."""
    if base <= 1:
        return range(value, value + 1)
    low = rounded(value, base) - base // 2
    return range(max(0, low), low + base)


def printed_pairs(k: int, n: int, base: int) -> list[tuple[int, int]]:
    """Every (k', n') that prints like k of n when n is printed rounded to ``base``."""
    text = share_text(k, n)
    return [(a, m) for m in rounded_range(n, base) if m > 0 for a, t in enumerate(share_texts(m)) if t == text]


def difference_text(k1, n1, k2, n2) -> np.ndarray:
    """The difference 2 − 1 in percentage points with Newcombe's 95 % interval, as printed (arrays)."""
    k1, n1, k2, n2 = (np.asarray(x, dtype=float) for x in (k1, n1, k2, n2))
    l1, u1 = wilson(k1, n1)
    l2, u2 = wilson(k2, n2)
    p1, p2 = k1 / n1, k2 / n2
    d = p2 - p1
    low = d - np.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2)
    high = d + np.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)
    return np.array([f"{sv_number(a * 100)} ({sv_number(b * 100)} till {sv_number(c * 100)})"
                     for a, b, c in zip(np.atleast_1d(d), np.atleast_1d(low), np.atleast_1d(high))])


def fisher_text(k1: int, n1: int, k2: int, n2: int) -> str:
    import scipy.stats as st

    return p_value(float(st.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue))


def compared(first: list[tuple[int, int]], second: list[tuple[int, int]], truth: tuple[int, int, int, int],
             with_p: bool = True) -> list[tuple[int, int, int, int]]:
    """Every (k1, n1, k2, n2) from the candidate pairs of two shares that prints the same difference,
    interval and (``with_p``) Fisher p as ``truth``."""
    if not first or not second:
        return []
    a = np.array([(*x, *y) for x in first for y in second])
    target = difference_text(*([v] for v in truth))[0]
    keep = a[difference_text(a[:, 0], a[:, 1], a[:, 2], a[:, 3]) == target]
    if with_p:
        p = fisher_text(*truth)
        keep = [row for row in keep if fisher_text(*map(int, row)) == p]
    return [tuple(int(x) for x in row) for row in keep]
