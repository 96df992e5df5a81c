"""Disclosure control: no sub-group cell with fewer than five respondents is published.

A sub-group (a municipality, a role group) is shown only if each of its cells (answer
counts) is 0 or at least ``THRESHOLD``. Groups that fail are not shown one by one but
merged into one row ("Övriga … (sammanslagna)"), and more groups are merged until the
merged row passes the same rule. Because the merged row plus the shown rows add up to the
published totals, no small cell can then be recovered by subtraction either. Zero cells are
not a risk (nobody can be identified in an empty cell). A blank answer is not a cell: the number
who skipped a question can be derived from the published group sizes, but reveals no answer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis import paths


def configured_threshold() -> int:
    """The smallest publishable cell size from ``config/disclosure.yaml``."""
    from analysis.config_schema import DisclosureFile, validated

    return validated(paths.config_dir() / "disclosure.yaml", DisclosureFile, "disclosure settings file").threshold


THRESHOLD = configured_threshold()
SUPPRESSED = "–"
FOOTNOTE = f"– = färre än {THRESHOLD} svarande; värdet redovisas inte."
MERGED = "Övriga kommuner (sammanslagna)"
ALL = "Samtliga kommuner"  # when every group had to be merged: the regional total, not a sub-group
MERGED_NOTE = (f"{MERGED}: de kommuner som visas med – i kolumnen, sammanslagna så att ingen cell har färre än "
               f"{THRESHOLD} svarande och ingen liten cell kan räknas fram ur summorna.")


def small(n: pd.Series, threshold: int = THRESHOLD) -> pd.Series:
    return (n > 0) & (n < threshold)


def protect(counts: pd.DataFrame, threshold: int = THRESHOLD) -> pd.Series:
    """Which groups (rows of ``counts``, one column per cell) must be merged rather than shown.

    Primary: groups with a cell 0 < n < threshold. Secondary: while the merged groups' summed
    cells (or their summed total) are themselves 0 < n < threshold, the smallest remaining
    group is merged too; if every group ends up merged, the merged row is the published total.
    """
    values = counts.fillna(0).to_numpy(dtype=float)  # numpy: this runs for every item of every table
    totals = values.sum(axis=1)
    hidden = ((values > 0) & (values < threshold)).any(axis=1)
    while True:
        merged = values[hidden].sum(axis=0)
        if not (((merged > 0) & (merged < threshold)).any() or 0 < merged.sum() < threshold):
            break
        candidates = np.flatnonzero(~hidden & (totals > 0))  # merging an empty group adds nothing
        if not len(candidates):
            break
        hidden[candidates[np.argsort(totals[candidates], kind="stable")[0]]] = True
    return pd.Series(hidden, index=counts.index)


def merged_label(counts: pd.DataFrame, hidden: pd.Series) -> str:
    """The merged row's name: ``ALL`` when it holds every group with any count (then it is the
    published total, not a sub-group), else ``MERGED``."""
    return ALL if hidden[counts.fillna(0).sum(axis=1) > 0].all() else MERGED


def group_labels(keys: pd.Series, hidden: pd.Series, names: dict | None = None, merged: str = MERGED) -> pd.Series:
    """Each respondent's group as published: its own name, or ``merged`` for a protected group."""
    names = names or {}
    label_of = {k: merged if hidden.get(k, False) else names.get(k, k) for k in keys.unique()}
    return keys.map(label_of)


def merged_note(hidden: pd.Series, names: dict | None = None, merged: str = MERGED) -> str:
    """A footnote saying which groups the merged row holds (empty when none)."""
    groups = [names.get(k, k) if names else k for k in hidden[hidden].index]
    return f"{merged}: {', '.join(groups)} (var för sig färre än {THRESHOLD} i någon cell)." if groups else ""


def unsuppressed_small_cells(table: pd.DataFrame, count_columns: list[str], threshold: int = THRESHOLD) -> pd.DataFrame:
    """Rows of a table about to be published that still show a count with 0 < n < threshold."""
    counts = table[count_columns].apply(pd.to_numeric, errors="coerce")
    return table[((counts > 0) & (counts < threshold)).any(axis=1)]
