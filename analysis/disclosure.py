"""Disclosure control: no sub-group cell with fewer than five respondents is published.

A cell of a sub-group (a municipality, a role, a municipality × answer) whose count n
satisfies 0 < n < threshold is suppressed: its count and every figure computed from it
are blanked and shown as "–" with a footnote. Zero cells are not suppressed (nobody can be
identified in an empty cell).
"""

from __future__ import annotations

import pandas as pd

THRESHOLD = 5
SUPPRESSED = "–"
FOOTNOTE = f"– = färre än {THRESHOLD} svarande; värdet redovisas inte."


def small(n: pd.Series, threshold: int = THRESHOLD) -> pd.Series:
    return (n > 0) & (n < threshold)


def suppress(table: pd.DataFrame, n: str, columns: list[str], threshold: int = THRESHOLD) -> pd.DataFrame:
    """``table`` with ``n`` and ``columns`` set to NA where 0 < n < threshold, and a ``suppressed`` flag."""
    out = table.copy()
    mask = small(out[n], threshold)
    for column in [n, *columns]:
        out[column] = out[column].astype("Float64" if out[column].dtype.kind == "f" else "Int64").mask(mask)
    out["suppressed"] = mask
    return out


def unsuppressed_small_cells(table: pd.DataFrame, count_columns: list[str], threshold: int = THRESHOLD) -> pd.DataFrame:
    """Rows of a table about to be published that still show a count with 0 < n < threshold."""
    counts = table[count_columns].apply(pd.to_numeric, errors="coerce")
    return table[((counts > 0) & (counts < threshold)).any(axis=1)]
