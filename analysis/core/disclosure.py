"""Disclosure control: no sub-group cell with fewer than five respondents is published.

The rules (stated in the report's methods section and in the README):

* **Threshold.** A sub-group (a municipality, a role group, the merged row, the rest of the region
  beside one municipality) is shown only if each of its cells (answer counts) is 0 or at least
  ``THRESHOLD``. Zero cells are no risk (nobody can be identified in an empty cell).
* **Unanimity.** A sub-group whose answers all fall in one cell (every member answered alike, for
  example 0 of 6 "Bra") is not shown either: it tells every member's answer. This is the frequency
  table form of the dominance rule; a cell that holds all but 1–4 of a group's answers is already
  caught by the threshold, since the remaining cells are then small. Regional totals are no
  sub-group and are exempt from both rules.
* **Merging.** Groups that fail are not shown one by one but merged into one row ("Övriga …
  (sammanslagna)"), and more groups are merged until the merged row passes the same rules.
  Because the merged row plus the shown rows add up to the published totals, no small cell can
  then be recovered by subtraction. A group merged in a survey's table of respondents per
  municipality is merged in every other table of that survey too (``forced``), so its size
  cannot be bounded from its answer counts elsewhere.
* **Non-response.** A blank (an item left unanswered) is not a protected cell: the number who
  skipped a question can be derived from the published group sizes, but it reveals nobody's
  answer, and the group size itself is protected. "Vet inte" is an answer and is protected.
* **Derived numbers.** Minima, maxima and other figures computed from sub-group counts are
  published only where they cannot reveal a protected count (``analysis.report.attacker`` checks all
  published numbers together).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core import paths


def configured_threshold() -> int:
    """The smallest publishable cell size from ``config/disclosure.yaml``."""
    from analysis.core.config_schema import DisclosureFile, validated

    return validated(paths.config_dir() / "disclosure.yaml", DisclosureFile, "disclosure settings file").threshold


THRESHOLD = configured_threshold()
SUPPRESSED = "–"
FOOTNOTE = (f"– = värdet redovisas inte: färre än {THRESHOLD} svarande i någon svarskategori, samma svar från alla "
            "i gruppen, eller sammanslagen för att en annan grupps få svar inte ska kunna räknas fram.")
MERGED = "Övriga kommuner (sammanslagna)"
ALL = "Samtliga kommuner"  # when every group had to be merged: the regional total, not a sub-group
MERGED_NOTE = (f"{MERGED}: de kommuner som visas med – i kolumnen, sammanslagna så att ingen cell har färre än "
               f"{THRESHOLD} svarande och ingen liten cell kan räknas fram ur summorna.")


def small(n: pd.Series, threshold: int = THRESHOLD) -> pd.Series:
    return (n > 0) & (n < threshold)


def unanimous(values: np.ndarray) -> np.ndarray:
    """Per row of a count matrix with at least two cells: all of the row's answers in one cell."""
    values = np.atleast_2d(values)
    if values.shape[1] < 2:
        return np.zeros(len(values), dtype=bool)
    return (values > 0).sum(axis=1) == 1


def fails(values: np.ndarray, threshold: int = THRESHOLD) -> np.ndarray:
    """Per row of a count matrix: a cell 0 < n < threshold, or (two cells or more) unanimity."""
    values = np.atleast_2d(values)
    return ((values > 0) & (values < threshold)).any(axis=1) | unanimous(values)


def protect(counts: pd.DataFrame, threshold: int = THRESHOLD, forced=None) -> pd.Series:
    """Which groups (rows of ``counts``, one column per cell) must be merged rather than shown.

    Primary: groups with a cell 0 < n < threshold, unanimous groups (all answers in one cell,
    where there are two cells or more), and the groups in ``forced`` (labels of ``counts``'
    index, such as the municipalities merged in the survey's table of respondents). Secondary:
    while the merged groups' summed cells (or their summed total) are themselves small or
    unanimous, the smallest remaining group is merged too; if every group ends up merged, the
    merged row is the published total.
    """
    values = counts.fillna(0).to_numpy(dtype=float)  # numpy: this runs for every item of every table
    totals = values.sum(axis=1)
    hidden = fails(values, threshold)
    if forced is not None:
        hidden |= counts.index.isin(list(forced))
    while True:
        merged = values[hidden].sum(axis=0)
        if not hidden.any() or not (fails(merged, threshold)[0] or 0 < merged.sum() < threshold):
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
    return (f"{merged}: {', '.join(groups)} (var för sig färre än {THRESHOLD} i någon svarskategori eller samma svar "
            "från alla, eller sammanslagna för att skydda en annan kommun)." if groups else "")


def unsuppressed_small_cells(table: pd.DataFrame, count_columns: list[str], threshold: int = THRESHOLD) -> pd.DataFrame:
    """Rows of a table about to be published that still show a count with 0 < n < threshold."""
    counts = table[count_columns].apply(pd.to_numeric, errors="coerce")
    return table[((counts > 0) & (counts < threshold)).any(axis=1)]
