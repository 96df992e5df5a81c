"""Density classes: mapclassify's quantile rule without importing mapclassify, and Swedish labels."""

from __future__ import annotations

import subprocess
import sys

import mapclassify
import numpy as np
import pandas as pd
import pytest

from analysis.sparsity.classes import density_classes, quantile_bins


def test_density_classes_quantiles_with_swedish_labels():
    classes, labels = density_classes(pd.Series([0.5, 0.6, 1.25, 3.0, 3.5, 4.0, 5.0]), k=3)
    assert classes.tolist() == [0, 0, 0, 1, 1, 2, 2]
    assert labels == ["0,50–1,25", "3,00–3,50", "4,00–5,00"]


def test_density_classes_with_ties_keep_only_filled_classes():
    classes, labels = density_classes(pd.Series([0.5, 0.6, 1.25, 3.0, 3.0]), k=5)
    assert classes.tolist() == [0, 0, 1, 2, 2]
    assert labels == ["0,50–0,60", "1,25", "3,00"]  # a class holding one value shows it alone


@pytest.mark.filterwarnings("ignore:Not enough unique values")
@pytest.mark.parametrize("seed", range(40))
def test_the_same_breaks_and_classes_as_mapclassify(seed):
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(3, 300)), int(rng.integers(2, 9))
    values = rng.lognormal(0, 1.5, n)
    if seed % 3 == 0:  # ties, as rounded densities have
        values = np.round(values, 1)
    reference = mapclassify.Quantiles(values, k=k)
    assert quantile_bins(values, k).tolist() == reference.bins.tolist()
    classes, _ = density_classes(pd.Series(values), k=k)
    expected = np.unique(mapclassify.Quantiles(values, k=min(k, len(np.unique(values)))).yb, return_inverse=True)[1]
    assert classes.tolist() == expected.tolist()


def test_the_maps_load_neither_mapclassify_nor_scikit_learn():
    code = ("import sys, analysis.sparsity.maps; "
            "print(sorted(m for m in ('mapclassify', 'sklearn') if m in sys.modules))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
