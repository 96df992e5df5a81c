"""Client survey 2018: GINO's two added questions, travel distance and preferred meeting form:
their cross-table, the test of independence with Cramér's V, and the binary logit of preferring a
remote meeting on distance. Pure functions: survey frames in, tables and fitted models out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.core import stats

DISTANCE, FORM = "travel_distance", "preferred_meeting"
DISTANCE_BANDS = (1, 2, 3, 4, 5)
FORMS = (1, 2, 3, 4, 5, 6)
# Band midpoints in km (under 5, 5–19, 20–49, 50–99, 100 or more). The top band is open:
# 125 km is an assumption (a quarter above its lower limit), not a midpoint.
DISTANCE_KM = {1: 2.5, 2: 12.5, 3: 35.0, 4: 75.0, 5: 125.0}
NEAR = (1, 2)          # under 20 km
ON_SITE = (1, 2)       # office visit, home visit
REMOTE = (3, 4, 5)     # telephone, video, chat / e-mail / SMS
OTHER = 6              # "annat": neither on site nor remote
COLLAPSED_ROWS = ("Under 20 km", "20 km eller mer")
COLLAPSED_COLUMNS = ("På plats (besök, hembesök)", "På distans (telefon, video, chatt)")


# --- travel distance × preferred meeting form (2018) -----------------------------------------

def answered_both(frame: pd.DataFrame) -> pd.DataFrame:
    """Respondents who answered both added questions, the two answers as plain ints."""
    both = frame.dropna(subset=[DISTANCE, FORM])
    return pd.DataFrame({DISTANCE: both[DISTANCE].astype(int).to_numpy(), FORM: both[FORM].astype(int).to_numpy()})


def distance_by_form(frame: pd.DataFrame) -> pd.DataFrame:
    """Counts: distance band (rows, codes 1–5) × preferred form (columns, codes 1–6), on those who answered both."""
    both = answered_both(frame)
    table = pd.crosstab(both[DISTANCE], both[FORM]).reindex(index=DISTANCE_BANDS, columns=FORMS, fill_value=0)
    return table.rename_axis(index=DISTANCE, columns=FORM)


def collapsed_answers(frame: pd.DataFrame) -> pd.DataFrame:
    """Respondents who answered both and preferred an on-site or remote form ("annat" dropped),
    as two labels: distance under 20 km / 20 km or more, form on site / remote."""
    both = answered_both(frame)
    both = both[both[FORM] != OTHER]
    return pd.DataFrame({
        "distance": np.where(both[DISTANCE].isin(NEAR), COLLAPSED_ROWS[0], COLLAPSED_ROWS[1]),
        "form": np.where(both[FORM].isin(ON_SITE), COLLAPSED_COLUMNS[0], COLLAPSED_COLUMNS[1]),
    })


def collapsed_distance_by_form(frame: pd.DataFrame) -> pd.DataFrame:
    """The 2 × 2 table of ``collapsed_answers`` (counts, empty rows and columns kept)."""
    answers = collapsed_answers(frame)
    table = pd.crosstab(answers["distance"], answers["form"])
    return table.reindex(index=COLLAPSED_ROWS, columns=COLLAPSED_COLUMNS, fill_value=0)


def association(table: pd.DataFrame, rows, columns, resamples: int = 1999) -> dict:
    """``stats.independence_test`` on ``table`` with Cramér's V and its bootstrap interval from the paired answers."""
    v, low, high = stats.cramers_v_interval(np.asarray(rows), np.asarray(columns), resamples=resamples)
    return {"n": int(table.to_numpy().sum()), **stats.independence_test(table.to_numpy()),
            "cramers_v": v, "v_low": low, "v_high": high}


def distance_form_test(frame: pd.DataFrame, resamples: int = 1999) -> pd.DataFrame:
    """Is the preferred meeting form independent of travel distance? Two rows, ``full`` and ``collapsed``.

    ``full``: the 5 × 6 table (empty rows and columns dropped). With about 110 answers over
    30 cells most expected counts are far below 5, so ``independence_test`` picks the
    Fisher–Freeman–Halton permutation test; the chi-square statistic is shown but its p is not used.

    ``collapsed``: under 20 km / 20 km or more (bands 1–2 vs 3–5) × on site (office, home
    visit) / remote (telephone, video, chat). The 2 × 2 table asks the substantive question
    (do those who travel far prefer to meet at a distance?) with one degree of freedom,
    so it has more power against that alternative, and its cells are usually large enough
    for the chi-square test (``independence_test`` falls back to Fisher's exact test when an
    expected count is under 5) and for Cramér's V to be stable (V is Bergsma's bias-corrected
    version, ``stats.cramers_v``, not the plain |phi|). "Annat" (code 6) is excluded: it is
    neither on site nor remote, we do not know what it stands for, and it is rare.
    The cut at 20 km is fixed in advance (the codebook's band limit nearest to a short
    trip in these municipalities), not chosen after looking at the data.

    Each row: ``n``, ``test``, ``statistic`` (Pearson chi-square), ``p``, ``min_expected``,
    ``cramers_v`` with its 95 % percentile bootstrap interval ``v_low``–``v_high`` (``resamples``
    bootstrap samples, fixed seed).
    """
    both, collapsed = answered_both(frame), collapsed_answers(frame)
    rows = {
        "full": association(distance_by_form(frame), both[DISTANCE], both[FORM], resamples),
        "collapsed": association(collapsed_distance_by_form(frame), collapsed["distance"], collapsed["form"], resamples),
    }
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("table")


# --- remote preference by distance -------------------------------------------------------------

def remote_preference_data(frame: pd.DataFrame, km: dict = DISTANCE_KM) -> pd.DataFrame:
    """The model's data: ``band``, ``km`` (the band's distance in ``km``, by default the midpoints
    ``DISTANCE_KM``) and ``remote`` (1 for telephone, video, chat; 0 for office or home visit;
    "annat" dropped)."""
    both = answered_both(frame)
    both = both[both[FORM] != OTHER]
    return pd.DataFrame({"band": both[DISTANCE].to_numpy(),
                         "km": both[DISTANCE].map(km).to_numpy(dtype=float),
                         "remote": both[FORM].isin(REMOTE).to_numpy(dtype=int)})


def separated(km, remote) -> bool:
    """True when distance (quasi-)completely separates the outcome: every remote answer at or
    beyond every on-site one, or the reverse, or only one outcome at all. The logit's maximum
    likelihood estimate then does not exist (the slope runs off to infinity)."""
    km, remote = np.asarray(km, dtype=float), np.asarray(remote)
    yes, no = km[remote == 1], km[remote == 0]
    return len(yes) == 0 or len(no) == 0 or yes.min() >= no.max() or no.min() >= yes.max()


def remote_preference_model(frame: pd.DataFrame, km: dict = DISTANCE_KM):
    """Binary logit of preferring a remote form (telephone, video, chat) over an on-site one
    (office or home visit) on travel distance; the fitted statsmodels GLM (Binomial, logit link).

    Distance enters linearly in km at the band midpoints of ``DISTANCE_KM`` (2.5, 12.5, 35,
    75 and 125 km; pass another ``km`` to test the choice). The top band (100 km or more) is
    open, so its 125 km is an assumption. With five distinct values the "continuous" distance
    is really a five-point score, and the model assumes the log-odds change linearly in km
    across them. Intervals are Wald intervals (``remote_slope``). Respondents are treated
    as independent: clustering within municipalities (which differ in both distance and
    services offered) is ignored, because eight clusters are too few for cluster-robust
    errors, so the interval is somewhat too narrow if municipalities differ.

    Why binary and not multinomial: a multinomial logit over the six forms needs one
    intercept and one slope per non-reference form (10 parameters) from about 110 answers,
    with video, chat and "annat" chosen by a handful of people each; such categories are
    (quasi-)separated and their coefficients are not identified. Collapsing to remote vs on
    site keeps one slope with a usable amount of information. "Annat" is excluded (see
    ``distance_form_test``).

    Separation: if distance separates the outcome (``separated``) there is no finite
    estimate, and None is returned rather than a diverging fit (the notebook then says so). Bands
    with only remote answers (as can happen in the two far bands with few respondents)
    do not by themselves separate the data as long as a nearer band has both outcomes.
    """
    import statsmodels.api as sm  # imported here: the build's disclosure audit needs this module, not the model
    import statsmodels.formula.api as smf

    data = remote_preference_data(frame, km)
    if separated(data["km"], data["remote"]):
        return None
    # Fitted to convergence: IRLS until the deviance changes by less than 1e-12 (statsmodels' default is
    # 1e-8), then once more from the converged estimate, because IRLS takes the covariance from the
    # weights of its last step; the SE, interval and p then agree with Newton–Raphson to machine precision.
    model = smf.glm("remote ~ km", data=data, family=sm.families.Binomial())
    first = model.fit(tol=1e-12, maxiter=200)
    return model.fit(start_params=first.params, tol=1e-12, maxiter=200)


def remote_slope(result, per_km: float = 10.0) -> dict | None:
    """The distance coefficient (log-odds per km) with its 95 % Wald interval and p, and the
    odds ratio per ``per_km`` km with its interval (None without a model)."""
    if result is None:
        return None
    low, high = result.conf_int().loc["km"]
    slope = result.params["km"]
    return {"slope": slope, "ci_low": low, "ci_high": high, "p": result.pvalues["km"], "n": int(result.nobs),
            "per_km": per_km, "odds_ratio": np.exp(per_km * slope),
            "or_low": np.exp(per_km * low), "or_high": np.exp(per_km * high)}


def predicted_remote(result, km_grid) -> pd.DataFrame:
    """Predicted probability of preferring a remote form at each distance of ``km_grid`` with a
    95 % interval: the Wald interval of the linear predictor transformed by the inverse logit
    (statsmodels' "endpoint" method), so it stays inside 0–1, unlike the delta method on the
    probability scale. None without a model."""
    if result is None:
        return None
    grid = pd.DataFrame({"km": np.asarray(km_grid, dtype=float)})
    frame = result.get_prediction(grid).summary_frame(alpha=stats.ALPHA)
    return pd.DataFrame({"km": grid["km"], "p": frame["mean"].to_numpy(),
                         "ci_low": frame["mean_ci_lower"].to_numpy(), "ci_high": frame["mean_ci_upper"].to_numpy()})


def remote_share_by_band(frame: pd.DataFrame, km: dict = DISTANCE_KM) -> pd.DataFrame:
    """Observed share preferring a remote form per distance band (``k`` of ``n``) with Wilson
    intervals, and the band's ``km``."""
    data = remote_preference_data(frame, km)
    table = (data.groupby("band")["remote"].agg(k="sum", n="size")
             .reindex(DISTANCE_BANDS, fill_value=0).rename_axis("band").reset_index())
    table["km"] = table["band"].map(km)
    return stats.with_wilson(table)
