"""Small-sample statistics used throughout the analyses: intervals, exact and permutation tests.

Conventions: 95 % intervals; Wilson intervals for single shares (good coverage for small n
and shares near 0 or 1, where the Wald interval fails); exact or permutation tests where
cells are small; Holm's step-down correction within a family of tests. Permutation tests
use a fixed seed so that results are reproducible to the last digit.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# scipy.stats and statsmodels are imported inside the functions that test: importing them takes
# over a second, and the build's disclosure audit needs only counts and intervals.

ALPHA = 0.05
SEED = 20200401
RESAMPLES = 9999  # Monte Carlo permutation tests: smallest possible p = 1 / 10 000


def wilson(k, n, alpha: float = ALPHA) -> tuple:
    """Wilson score interval for ``k`` of ``n`` (arrays allowed); (nan, nan) where n = 0.

    (p + z²/2n ± z·sqrt(p(1−p)/n + z²/4n²)) / (1 + z²/n), z the normal quantile for ``alpha``.
    """
    from statistics import NormalDist

    k, n = np.asarray(k, dtype=float), np.asarray(n, dtype=float)
    z = NormalDist().inv_cdf(1 - alpha / 2)
    with np.errstate(invalid="ignore", divide="ignore"):
        n = np.where(n > 0, n, np.nan)
        p = k / n
        centre = p + z**2 / (2 * n)
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2))
        low, high = (centre - half) / (1 + z**2 / n), (centre + half) / (1 + z**2 / n)
        low, high = np.where((k == 0) & (n > 0), 0.0, low), np.where(k == n, 1.0, high)  # exact at the ends
    return low, high


def with_wilson(table: pd.DataFrame, k: str = "k", n: str = "n") -> pd.DataFrame:
    """``table`` with ``share``, ``ci_low`` and ``ci_high`` added from its count columns."""
    out = table.copy()
    k_, n_ = (pd.to_numeric(out[c], errors="coerce").astype(float) for c in (k, n))  # NA (suppressed) -> nan
    out["share"] = k_ / n_.where(n_ > 0)
    out["ci_low"], out["ci_high"] = wilson(k_, n_)
    return out


def holm(pvalues, family: int | None = None) -> np.ndarray:
    """Holm-adjusted p-values (NaN stays NaN).

    ``family``: the size of the family fixed in advance (for example all 11 aspects of a table),
    when some of its tests are not shown (NaN, hidden by disclosure control). The hidden tests
    enter as p = 1: Holm's procedure is monotone in every p-value, so this controls the familywise
    error over the whole family, and the adjusted p of a shown test reveals nothing of the hidden ones.
    """
    from statsmodels.stats.multitest import multipletests

    p = np.asarray(pvalues, dtype=float)
    out = np.full_like(p, np.nan)
    ok = ~np.isnan(p)
    if family is not None and family < ok.sum():
        raise ValueError(f"a family of {family} tests cannot hold {ok.sum()} shown tests")
    if ok.any():
        padded = np.concatenate([p[ok], np.ones((family or 0) - ok.sum() if family else 0)])
        out[ok] = multipletests(padded, method="holm")[1][: ok.sum()]
    return out


def paired_difference(both: int, first_only: int, second_only: int, neither: int, alpha: float = ALPHA) -> dict:
    """Difference of two paired shares, p1 − p2 = (first_only − second_only) / n, with Newcombe's (1998,
    Stat Med 17:2635, method 10) interval: the two Wilson intervals combined with the correlation phi of
    the paired 2 × 2 table (continuity-corrected as Newcombe does: ad − bc shrunk by n/2 when positive).
    (nan, nan, nan) without pairs."""
    n = both + first_only + second_only + neither
    if n == 0:
        return {"difference": np.nan, "ci_low": np.nan, "ci_high": np.nan, "n": 0}
    p1, p2 = (both + first_only) / n, (both + second_only) / n
    l1, u1 = (float(x) for x in wilson(both + first_only, n, alpha))
    l2, u2 = (float(x) for x in wilson(both + second_only, n, alpha))
    margins = (both + first_only) * (second_only + neither) * (both + second_only) * (first_only + neither)
    cross = both * neither - first_only * second_only
    corrected = cross - n / 2 if cross > n / 2 else (cross if cross < 0 else 0.0)
    phi = corrected / np.sqrt(margins) if margins > 0 else 0.0
    d = p1 - p2
    low = d - np.sqrt(max(0.0, (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2))
    high = d + np.sqrt(max(0.0, (p2 - l2) ** 2 - 2 * phi * (p2 - l2) * (u1 - p1) + (u1 - p1) ** 2))
    return {"difference": d, "ci_low": max(-1.0, low), "ci_high": min(1.0, high), "n": n}


def design_effect(values, clusters) -> dict:
    """Design effect of a share under clustering: the one-way ANOVA intraclass correlation of the 0/1
    ``values`` within ``clusters`` (NaN values left out), and deff = 1 + (m − 1)·ICC with m the
    size-weighted mean cluster size Σ nᵢ² / N (Kish). A negative ICC estimate is reported as it is,
    but deff is not taken below 1. With few clusters the ICC is itself very uncertain."""
    frame = pd.DataFrame({"y": np.asarray(values, dtype=float), "g": np.asarray(clusters)}).dropna()
    sizes = frame.groupby("g")["y"].size()
    n, k = len(frame), len(sizes)
    if k < 2 or n <= k:
        return {"icc": np.nan, "cluster_size": np.nan, "deff": np.nan, "clusters": k, "n": n}
    means = frame.groupby("g")["y"].transform("mean")
    between = ((frame.groupby("g")["y"].mean() - frame["y"].mean()) ** 2 * sizes).sum() / (k - 1)
    within = ((frame["y"] - means) ** 2).sum() / (n - k)
    n0 = (n - (sizes**2).sum() / n) / (k - 1)
    icc = (between - within) / (between + (n0 - 1) * within) if between + (n0 - 1) * within > 0 else 0.0
    m = (sizes**2).sum() / n
    return {"icc": float(icc), "cluster_size": float(m), "deff": float(max(1.0, 1 + (m - 1) * icc)),
            "clusters": k, "n": n}


def mcnemar_exact(improved: int, worsened: int) -> float:
    """Exact McNemar test (two-sided binomial test on the discordant pairs); 1.0 when there are none."""
    import scipy.stats as st

    discordant = improved + worsened
    return 1.0 if discordant == 0 else float(st.binomtest(improved, discordant, 0.5).pvalue)


def signed_rank_test(differences) -> tuple[int, float]:
    """Wilcoxon signed-rank test of paired differences (zeros dropped). Returns (non-zero pairs, two-sided p).

    Exact for any n, ties included: with many ties (a three-step scale) neither the tabled
    distribution nor the normal approximation is reliable, so the null distribution of the
    statistic given the observed mid-ranks is computed exactly: each pair's sign is + or −
    with probability ½, and the distribution of the sum of positive ranks is built by
    convolution. Two-sided p = P(|T − E T| ≥ |t − E T|).
    """
    import scipy.stats as st

    d = np.asarray(differences, dtype=float)
    d = d[~np.isnan(d) & (d != 0)]
    if len(d) == 0:
        return 0, 1.0
    doubled = np.rint(2 * st.rankdata(np.abs(d))).astype(int)  # mid-ranks are multiples of ½
    distribution = np.zeros(doubled.sum() + 1)
    distribution[0] = 1.0
    for r in doubled:  # the rank enters the positive sum or not, each with probability ½
        distribution = 0.5 * (distribution + np.concatenate([np.zeros(r), distribution[:-r]]))
    observed = doubled[d > 0].sum()
    centre = doubled.sum() / 2
    values = np.arange(len(distribution))
    p = distribution[np.abs(values - centre) >= abs(observed - centre) - 1e-9].sum()
    return len(d), float(min(1.0, p))


def expected_counts(table: np.ndarray) -> np.ndarray:
    table = np.asarray(table, dtype=float)
    return np.outer(table.sum(axis=1), table.sum(axis=0)) / table.sum()


def independence_test(table) -> dict:
    """Test of independence in a contingency table, chosen by the cell sizes.

    Chi-square when every expected count is at least 5 (Cochran's rule); otherwise Fisher's
    exact test (2 × 2) or its Monte Carlo version for r × c (Freeman–Halton: 9 999 random tables
    with the observed margins, fixed seed). Empty rows and columns are dropped first.
    """
    import scipy.stats as st

    t = np.asarray(table, dtype=float)
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    if min(t.shape) < 2:
        return {"test": "not testable (one row or column)", "statistic": np.nan, "p": np.nan, "min_expected": np.nan}
    expected = expected_counts(t)
    chi2 = st.chi2_contingency(t, correction=False)
    if expected.min() >= 5:
        return {"test": "chi-square", "statistic": float(chi2.statistic), "p": float(chi2.pvalue),
                "min_expected": float(expected.min())}
    if t.shape == (2, 2):
        return {"test": "Fisher exact", "statistic": float(chi2.statistic),
                "p": float(st.fisher_exact(t).pvalue), "min_expected": float(expected.min())}
    # Random tables with the observed margins (the exact test's null distribution), drawn directly:
    # memory and time do not grow with n, unlike permuting the respondents.
    method = st.MonteCarloMethod(n_resamples=RESAMPLES, rng=np.random.default_rng(SEED))
    return {"test": "Fisher–Freeman–Halton (permutation)", "statistic": float(chi2.statistic),
            "p": float(np.ravel(st.fisher_exact(t.astype(int), method=method).pvalue)[0]),  # scipy may give shape (1,)
            "min_expected": float(expected.min())}


def cramers_v(table, corrected: bool = True) -> float:
    """Cramér's V; by default with Bergsma's (2013) small-sample bias correction.

    Uncorrected V is biased upwards in small samples (it is clearly above 0 even under
    independence when n is about 100 and the table has many cells); the corrected version
    subtracts the expected chi-square under independence and shrinks the dimensions.
    """
    t = np.asarray(table, dtype=float)
    t = t[t.sum(axis=1) > 0][:, t.sum(axis=0) > 0]
    if min(t.shape) < 2:
        return np.nan
    n = t.sum()
    expected = expected_counts(t)
    phi2 = ((t - expected) ** 2 / expected).sum() / n  # Pearson's chi-square without continuity correction
    r, k = t.shape
    if not corrected:
        return float(np.sqrt(phi2 / (min(r, k) - 1)))
    phi2 = max(0.0, phi2 - (r - 1) * (k - 1) / (n - 1))
    r, k = r - (r - 1) ** 2 / (n - 1), k - (k - 1) ** 2 / (n - 1)
    return float(np.sqrt(phi2 / min(r - 1, k - 1)))


def cramers_v_interval(rows, cols, alpha: float = ALPHA, resamples: int = 1999) -> tuple[float, float, float]:
    """Bias-corrected Cramér's V of two paired categorical arrays with a percentile bootstrap interval
    (fixed seed). A description of strength, not a test; the interval is wide at small n."""
    r, n_rows = pd.factorize(np.asarray(rows))[0], len(set(rows))
    c, n_cols = pd.factorize(np.asarray(cols))[0], len(set(cols))
    cells = r * n_cols + c  # one integer per (row, column) pair: a resample's table is a bincount

    def table(idx):
        return np.bincount(cells[idx], minlength=n_rows * n_cols).reshape(n_rows, n_cols)

    v = cramers_v(table(np.arange(len(cells))))
    rng = np.random.default_rng(SEED)
    boot = np.empty(resamples)
    for i in range(resamples):
        boot[i] = cramers_v(table(rng.integers(0, len(cells), len(cells))))
    low, high = np.nanquantile(boot, [alpha / 2, 1 - alpha / 2])
    return v, float(low), float(high)


def fisher_2x2(table) -> float:
    """Fisher's exact two-sided p for a 2 × 2 table (rows may be empty: p = 1)."""
    import scipy.stats as st

    t = np.asarray(table, dtype=int)
    return 1.0 if (t.sum(axis=1) == 0).any() or (t.sum(axis=0) == 0).any() else float(st.fisher_exact(t).pvalue)


def newcombe(k1, n1, k2, n2, alpha: float = ALPHA) -> tuple:
    """Newcombe's (1998) hybrid score interval for the difference of two independent shares (2 − 1), in
    closed form from the two Wilson intervals (arrays allowed): the interval ``two_proportions`` gets from
    statsmodels, without importing it."""
    k1, n1, k2, n2 = (np.asarray(x, dtype=float) for x in (k1, n1, k2, n2))
    l1, u1 = wilson(k1, n1, alpha)
    l2, u2 = wilson(k2, n2, alpha)
    p1, p2 = k1 / n1, k2 / n2
    d = p2 - p1
    return d - np.sqrt((p2 - l2) ** 2 + (u1 - p1) ** 2), d + np.sqrt((u2 - p2) ** 2 + (p1 - l1) ** 2)


def two_proportions(k1: int, n1: int, k2: int, n2: int, alpha: float = ALPHA) -> dict:
    """Difference of two independent shares (2 − 1) with Newcombe's hybrid score interval and Fisher's exact p."""
    import scipy.stats as st
    from statsmodels.stats.proportion import confint_proportions_2indep

    low, high = confint_proportions_2indep(k2, n2, k1, n1, method="newcomb", alpha=alpha)
    p = st.fisher_exact([[k1, n1 - k1], [k2, n2 - k2]]).pvalue
    return {"difference": k2 / n2 - k1 / n1, "ci_low": float(low), "ci_high": float(high), "p": float(p)}
