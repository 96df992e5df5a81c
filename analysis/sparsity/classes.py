"""Quantile classes for the density choropleth, with Swedish labels.

The rule is mapclassify's ``Quantiles`` (scipy's ``scoreatpercentile`` at k equal steps, repeated breaks
dropped, a value in the first class whose upper break is at least the value), written out here because
importing mapclassify loads scipy.stats and scikit-learn: 2 s in every notebook kernel and feedback document
that draws a map. ``tests/sparsity/test_classes.py`` holds the two rules to the same classes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.presentation.formatting import sv_number


def _score_at_percentile(sorted_values: np.ndarray, percent: float) -> float:
    """The ``percent`` percentile of sorted values, interpolated as scipy's ``scoreatpercentile`` does."""
    index = percent / 100.0 * (len(sorted_values) - 1)
    low = int(index)
    if low == index:
        return float(sorted_values[low])
    high = low + 1
    weights = (high - index, index - low)
    return float((sorted_values[low] * weights[0] + sorted_values[high] * weights[1]) / (weights[0] + weights[1]))


def quantile_bins(values: np.ndarray, k: int) -> np.ndarray:
    """Upper class breaks: the 100/k, 2·100/k, … 100 percentiles, ties collapsed (fewer than ``k`` classes)."""
    step = 100.0 / k
    percents = np.arange(step, 100 + step, step)
    if percents[-1] > 100.0:
        percents[-1] = 100.0
    sorted_values = np.sort(np.asarray(values, dtype=float))
    return np.unique([_score_at_percentile(sorted_values, p) for p in percents])


def density_classes(values: pd.Series, k: int = 5, decimals: int = 2) -> tuple[np.ndarray, list[str]]:
    """Quantile classes of ``values``: class index per value and a Swedish label per class.

    Quantiles rather than natural breaks: one regional centre alone would otherwise take a class and
    leave a tenfold spread among sparse municipalities in one. A label gives the smallest and largest
    value in the class ('0,22–0,80'), or the value alone.
    """
    numbers = values.to_numpy(dtype=float)
    bins = np.searchsorted(quantile_bins(numbers, min(k, values.nunique())), numbers, side="left")
    present, classes = np.unique(bins, return_inverse=True)  # drop classes that tied values left empty
    labels = []
    for c in range(len(present)):
        low, high = values[classes == c].min(), values[classes == c].max()
        labels.append(sv_number(low, decimals) if low == high else
                      f"{sv_number(low, decimals)}–{sv_number(high, decimals)}")
    return classes, labels
