"""Statistics helpers against textbook values and hand calculations."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.core import disclosure, stats


def test_wilson_matches_newcombe_1998():
    """Newcombe (1998), Stat Med 17:857, example 81/263: 0.2553–0.3662; and 0/10: upper z²/(n+z²) = 0.2775."""
    low, high = stats.wilson(81, 263)
    assert (round(float(low), 4), round(float(high), 4)) == (0.2553, 0.3662)
    low, high = stats.wilson(0, 10)
    assert float(low) == 0 and float(high) == pytest.approx(1.96**2 / (10 + 1.96**2), abs=1e-4)


def test_wilson_table_and_empty_groups():
    out = stats.with_wilson(pd.DataFrame({"k": [0, 5], "n": [0, 10]}))
    assert np.isnan(out.loc[0, "share"]) and np.isnan(out.loc[0, "ci_low"])
    assert out.loc[1, "share"] == 0.5 and out.loc[1, "ci_low"] < 0.5 < out.loc[1, "ci_high"]


def test_newcombe_difference_matches_the_published_example():
    """Newcombe (1998), Stat Med 17:873, method 10: 56/70 − 48/80 = 0.2000, 95 % CI 0.0524 to 0.3339."""
    out = stats.two_proportions(48, 80, 56, 70)
    assert out["difference"] == pytest.approx(0.2)
    assert (round(out["ci_low"], 4), round(out["ci_high"], 4)) == (0.0524, 0.3339)


def test_exact_mcnemar_is_the_binomial_test_on_discordant_pairs():
    """b = 1, c = 6: p = 2 · P(X ≤ 1 | 7, ½) = 2 · 8/128 = 0.125."""
    assert stats.mcnemar_exact(1, 6) == pytest.approx(0.125)
    assert stats.mcnemar_exact(0, 0) == 1.0


def test_holm_by_hand():
    """0.01·3 = 0.03; 0.03·2 = 0.06; 0.04·1 = 0.04 → raised to 0.06 to keep the order."""
    assert np.allclose(stats.holm([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06])
    assert np.isnan(stats.holm([np.nan, 0.5])[0])


def test_signed_rank_is_exact_with_ties_for_any_n():
    """Five positive differences: only the all-positive and all-negative sign patterns are as extreme: 2/32."""
    assert stats.signed_rank_test([1, 2, 1, 1, 2, 0, np.nan]) == (5, pytest.approx(0.0625))
    assert stats.signed_rank_test([0, 0]) == (0, 1.0)
    n, p = stats.signed_rank_test([1] * 30 + [2] * 10)
    assert n == 40 and p == pytest.approx(2 / 2**40), "only the two all-same-sign patterns are as extreme"
    assert stats.signed_rank_test([1, -1, 2, -2, 1]) == (5, pytest.approx(1.0))


def test_independence_test_is_chosen_by_cell_size():
    tea = stats.independence_test([[3, 1], [1, 3]])  # Fisher's lady tasting tea: two-sided p = 34/70
    assert tea["test"] == "Fisher exact" and tea["p"] == pytest.approx(34 / 70)
    big = stats.independence_test([[50, 30], [30, 50]])
    assert big["test"] == "chi-square" and big["min_expected"] == 40
    rxc = stats.independence_test([[5, 1, 0], [0, 2, 6]])
    assert rxc["test"].startswith("Fisher–Freeman–Halton") and 0 < rxc["p"] < 0.05
    assert stats.independence_test([[3, 0], [4, 0]])["test"].startswith("not testable")


def test_cramers_v_and_its_bias_correction():
    assert stats.cramers_v([[10, 0], [0, 10]], corrected=False) == pytest.approx(1.0)
    assert stats.cramers_v([[5, 5], [5, 5]]) == pytest.approx(0.0)
    # Bergsma (2013) by hand for [[8, 2], [3, 7]]: chi2 = 5.0505, n = 20, phi2 = 0.2525;
    # corrected phi2 = 0.2525 - 1/19 = 0.1999; r~ = k~ = 2 - 1/19; V = sqrt(0.1999 / (1 - 1/19)) = 0.4594
    assert stats.cramers_v([[8, 2], [3, 7]]) == pytest.approx(0.4594, abs=1e-4)
    assert stats.cramers_v([[8, 2], [3, 7]], corrected=False) == pytest.approx(0.5025, abs=1e-4)
    v, low, high = stats.cramers_v_interval(np.repeat([1, 2], 20), np.tile([1, 2], 20))
    assert v == pytest.approx(0.0) and low == pytest.approx(0.0) and 0 < high < 0.5


def test_protection_merges_small_groups_and_checks_the_merged_row():
    counts = pd.DataFrame({"n": [1, 5, 7, 0]}, index=["a", "b", "c", "d"])
    hidden = disclosure.protect(counts)
    assert hidden.to_dict() == {"a": True, "b": True, "c": False, "d": False}  # b joins a; the empty d stays
    assert counts[hidden]["n"].sum() >= disclosure.THRESHOLD
    table = pd.DataFrame({"group": ["a", "b"], "n": [3, 12]})
    assert list(disclosure.unsuppressed_small_cells(table, ["n"])["group"]) == ["a"]


def test_paired_difference_matches_fagerland_et_al():
    """Cavo et al. (2012) in Fagerland, Lydersen & Laake, chapter 8: [[59, 6], [16, 80]], Newcombe's
    square-and-add interval −0.0621 (−0.1186 to −0.0046)."""
    out = stats.paired_difference(59, 6, 16, 80)
    assert round(out["difference"], 4) == -0.0621 and out["n"] == 161
    assert (round(out["ci_low"], 4), round(out["ci_high"], 4)) == (-0.1186, -0.0046)
    assert np.isnan(stats.paired_difference(0, 0, 0, 0)["difference"])
    everyone = stats.paired_difference(10, 0, 0, 0)  # no discordant pairs: the interval still has width
    assert everyone["difference"] == 0 and everyone["ci_low"] < 0 < everyone["ci_high"]


def test_holm_over_a_family_fixed_in_advance():
    """Two shown tests of a family of four: the hidden two count as p = 1, so 0.01 · 4 and 0.02 · 3."""
    assert np.allclose(stats.holm([0.01, np.nan, 0.02, np.nan], family=4)[[0, 2]], [0.04, 0.06])
    assert np.isnan(stats.holm([0.01, np.nan], family=2)[1])
    with pytest.raises(ValueError):
        stats.holm([0.01, 0.02], family=1)


def test_design_effect_by_hand():
    """Two clusters of 4: [1,1,1,1] and [0,0,0,0]: ICC = 1, deff = 1 + (4 − 1) · 1 = 4.
    Identical clusters [1,1,0,0] twice: the ANOVA ICC is negative (−1/3); deff is not taken below 1."""
    out = stats.design_effect([1, 1, 1, 1, 0, 0, 0, 0], list("aaaabbbb"))
    assert out["icc"] == pytest.approx(1.0) and out["deff"] == pytest.approx(4.0) and out["cluster_size"] == 4
    out = stats.design_effect([1, 1, 0, 0, 1, 1, 0, 0], list("aaaabbbb"))
    assert out["icc"] == pytest.approx(-1 / 3) and out["deff"] == 1.0
    assert np.isnan(stats.design_effect([1, 0], ["a", "a"])["deff"])


def test_newcombe_in_closed_form_is_statsmodels_interval():
    for k1, n1, k2, n2 in [(5, 12, 7, 20), (30, 48, 12, 22), (6, 8, 19, 22), (57, 66, 37, 48), (10, 30, 25, 30)]:
        low, high = stats.newcombe(k1, n1, k2, n2)
        expected = stats.two_proportions(k1, n1, k2, n2)
        assert float(low) == pytest.approx(expected["ci_low"], abs=1e-12)
        assert float(high) == pytest.approx(expected["ci_high"], abs=1e-12)
