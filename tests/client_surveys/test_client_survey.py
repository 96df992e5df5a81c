"""Client survey analyses (analysis/client_surveys/indicators.py) on small hand-built frames with answers
worked out by hand, and one check that the build's data reproduce the 2018 poster."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import scipy.stats as st
import statsmodels.api as sm
from statsmodels.stats.proportion import proportion_confint

from analysis.client_surveys import indicators as cs
from analysis.survey_data.codebooks import load_codebook

CODEBOOKS = Path(__file__).resolve().parents[2] / "data" / "raw" / "codebooks"


@pytest.fixture(scope="module")
def codebook():
    return load_codebook(CODEBOOKS / "client_survey_2018.yaml")


def frame(n: int, kommun="2417", **answers) -> pd.DataFrame:
    """``n`` respondents; every indicator answers 1 unless given; answers may be lists of codes (None = missing)."""
    columns = {"kommun": [kommun] * n if isinstance(kommun, str) else kommun}
    for variable in (*cs.INDICATORS, cs.DISTANCE, cs.FORM):
        columns[variable] = pd.array(answers.get(variable, [1] * n), dtype="Int16")
    return pd.DataFrame(columns)


def both(pairs: list[tuple[int, int, int]]) -> pd.DataFrame:
    """A frame from (distance band, preferred form, how many) triples."""
    distance = [d for d, _, count in pairs for _ in range(count)]
    form = [f for _, f, count in pairs for _ in range(count)]
    return frame(len(distance), travel_distance=distance, preferred_meeting=form)


# --- distributions and disclosure ---------------------------------------------------------

def test_distribution_counts_and_shares_of_substantive_answers(codebook):
    f = frame(6, contact_ease=[1, 1, 2, 3, 9, None])
    table = cs.distribution(f, codebook, "contact_ease").set_index("code")
    assert table["n"].to_dict() == {1: 2, 2: 1, 3: 1, 4: 0, 9: 1}
    assert (table.loc[[1, 2, 3, 4], "total"] == 4).all()
    assert table.loc[1, "share"] == 0.5 and table.loc[4, "share"] == 0
    assert np.isnan(table.loc[9, "share"])  # "vet inte" is counted but has no share
    low, high = proportion_confint(2, 4, method="wilson")
    assert table.loc[1, "ci_low"] == pytest.approx(low) and table.loc[1, "ci_high"] == pytest.approx(high)
    assert table.loc[1, "label"] == "Lätt" and table.loc[9, "label"] == "Vet inte"


def test_municipalities_with_small_cells_are_merged_so_nothing_can_be_subtracted(codebook):
    """Malå has 3 respondents: shown alone they break the rule, and merged alone they could be
    recovered from the regional total, so the smallest other municipality (Norsjö) joins them."""
    f = pd.concat([frame(3, kommun="2418", travel_distance=[1, 1, 1]),
                   frame(10, kommun="2417", travel_distance=[1] * 5 + [2] * 5),
                   frame(12, kommun="2481", travel_distance=[1] * 6 + [2] * 6)], ignore_index=True)
    table = cs.distribution_by_municipality(f, codebook, "travel_distance").set_index(["municipality", "code"])
    assert list(dict.fromkeys(table.index.get_level_values(0))) == ["Lycksele", cs.disclosure.MERGED]
    merged = table.loc[cs.disclosure.MERGED]
    assert (merged.loc[1, "n"], merged.loc[2, "n"]) == (8, 5)
    assert table.attrs["merged_note"].startswith(f"{cs.disclosure.MERGED}: Norsjö, Malå")

    respondents = cs.respondents_by_municipality(f, codebook).set_index("municipality")["n"]
    assert respondents.to_dict() == {"Lycksele": 12, cs.disclosure.MERGED: 13}

    indicators = cs.indicators_by_municipality(f, codebook)
    hidden = indicators[indicators["suppressed"]]
    assert hidden["share"].isna().all() and hidden["n"].isna().all()


def test_protect_merges_until_the_merged_row_is_safe():
    counts = pd.DataFrame({"yes": [3, 10, 20], "no": [7, 10, 20]}, index=["a", "b", "c"])
    hidden = cs.disclosure.protect(counts)
    assert hidden.to_dict() == {"a": True, "b": True, "c": False}  # a alone is recoverable; b joins it (13, 17)
    assert not cs.disclosure.protect(pd.DataFrame({"yes": [0, 10], "no": [9, 10], "dont_know": [5, 0]})).any()  # zeros are safe
    assert cs.disclosure.protect(pd.DataFrame({"yes": [0, 10], "no": [9, 10]})).all(), "0 of 9: unanimous"


# --- distance × form ----------------------------------------------------------------------

def collapsed_example() -> pd.DataFrame:
    """Collapsed table [[8, 2], [1, 5]] (near/far × on site/remote), plus one "annat" and one without distance."""
    f = both([(1, 1, 5), (2, 2, 3), (1, 3, 2), (3, 1, 1), (4, 4, 2), (5, 3, 3), (5, 6, 1)])
    extra = frame(1, travel_distance=[None], preferred_meeting=[1])
    return pd.concat([f, extra], ignore_index=True)


def test_crosstab_counts_those_who_answered_both():
    table = cs.distance_by_form(collapsed_example())
    assert table.shape == (5, 6) and table.to_numpy().sum() == 17
    assert table.loc[1, 1] == 5 and table.loc[5, 6] == 1 and table.loc[2, 5] == 0
    assert cs.collapsed_distance_by_form(collapsed_example()).to_numpy().tolist() == [[8, 2], [1, 5]]


def test_collapsed_test_is_fisher_exact_for_thin_2x2():
    result = cs.distance_form_test(collapsed_example(), resamples=199).loc["collapsed"]
    assert result["n"] == 16  # "annat" and the missing distance are left out
    assert result["test"] == "Fisher exact"
    assert result["p"] == pytest.approx(st.fisher_exact([[8, 2], [1, 5]]).pvalue)
    phi2 = (8 * 5 - 2 * 1) ** 2 / (10 * 6 * 9 * 7)  # Bergsma's bias correction with n = 16, a 2 × 2 table:
    corrected = math.sqrt(max(0, phi2 - 1 / 15) / (1 - 1 / 15))
    assert result["cramers_v"] == pytest.approx(corrected)
    assert result["v_low"] <= result["v_high"]


# --- logit ----------------------------------------------------------------------------------

def test_logit_recovers_the_saturated_slope_by_hand():
    # 2.5 km: 2 of 8 remote (log-odds ln 1/3); 125 km: 6 of 8 remote (ln 3). With two distances
    # the model is saturated, so the slope is the difference in log-odds over 122.5 km.
    f = both([(1, 1, 6), (1, 3, 2), (5, 2, 2), (5, 5, 6), (3, 6, 4)])
    result = cs.remote_preference_model(f)
    slope = 2 * math.log(3) / 122.5
    assert result.params["km"] == pytest.approx(slope, rel=1e-6)
    assert result.params["Intercept"] == pytest.approx(-math.log(3) - 2.5 * slope, rel=1e-6)
    assert result.nobs == 16  # "annat" excluded

    data = cs.remote_preference_data(f)
    direct = sm.Logit(data["remote"], sm.add_constant(data["km"])).fit(disp=0)
    assert direct.params["km"] == pytest.approx(result.params["km"], rel=1e-6)

    predicted = cs.predicted_remote(result, [2.5, 125.0])
    assert predicted["p"].to_numpy() == pytest.approx([0.25, 0.75])
    half = 1.959964 * math.sqrt(1 / (8 * 0.25 * 0.75))  # SE of a cell's log-odds: 1/sqrt(n p (1 - p))
    expit = lambda x: 1 / (1 + math.exp(-x))
    assert predicted.loc[0, "ci_low"] == pytest.approx(expit(-math.log(3) - half), rel=1e-5)
    assert predicted.loc[0, "ci_high"] == pytest.approx(expit(-math.log(3) + half), rel=1e-5)


def test_logit_refuses_separated_data_and_the_figure_says_so():
    result = cs.remote_preference_model(both([(1, 1, 5), (2, 2, 3), (4, 3, 4), (5, 4, 2)]))
    assert result is None and cs.remote_slope(result) is None and cs.predicted_remote(result, [1.0]) is None
    from analysis.client_surveys import figures as client_figures
    observed = cs.remote_share_by_band(both([(1, 1, 5), (4, 3, 4)]))
    fig = client_figures.remote_by_distance(None, observed)
    assert any("kan inte skattas" in t.get_text() for t in fig.axes[0].texts)


def test_common_sample_is_hidden_when_the_added_municipalities_would_be_revealed(codebook):
    """2019 adds one municipality with 4 answers: 'all' minus 'common' would show them, so 'common' is blank."""
    f18 = frame(10, kommun="2417", contact_ease=[1] * 5 + [3] * 5)
    f19 = pd.concat([frame(10, kommun="2417", contact_ease=[1] * 6 + [3] * 4),
                     frame(4, kommun="2481", contact_ease=[1] * 4)], ignore_index=True)
    years = cs.compare_years(f18, f19, codebook).set_index(["sample", "variable"])
    assert not years.loc[("all", "contact_ease"), "suppressed"]
    assert years.loc[("common", "contact_ease"), "suppressed"] and pd.isna(years.loc[("common", "contact_ease"), "share_2019"])


def test_observed_remote_share_per_band():
    table = cs.remote_share_by_band(both([(1, 1, 6), (1, 3, 2), (5, 5, 3)])).set_index("band")
    assert table.loc[1, ["k", "n"]].tolist() == [2, 8] and table.loc[1, "share"] == 0.25
    assert table.loc[2, "n"] == 0 and np.isnan(table.loc[2, "share"])


# --- headline indicators and years ----------------------------------------------------------

@pytest.mark.parametrize("k, n, expected", [(3, 4, 8), (749, 1000, 7), (13, 20, 7), (1, 4, 3)])
def test_of_ten_rounds_half_up_exactly(codebook, k, n, expected):
    f = frame(n, contact_ease=[1] * k + [3] * (n - k))
    row = cs.headline_indicators(f, codebook).set_index("variable").loc["contact_ease"]
    assert (row["k"], row["n"], row["of_ten"]) == (k, n, expected)


def test_published_poster_value_beside_the_computed_one(codebook):
    published = pd.DataFrame({"figure_id": ["cs2018_contact", "inn_x"], "dataset": ["client_survey_2018", "innovation_climate_2017"],
                              "rule": ["of_ten", "of_ten"], "measure": ["share", "share"], "codes": ["1;2", "1;2"],
                              "variable": ["contact_ease", "asks_views"], "published_value": ["8", "3"]})
    table = cs.headline_indicators(frame(4), codebook, published).set_index("variable")
    assert table.loc["contact_ease", "published_of_ten"] == 8
    assert table["published_of_ten"].isna().sum() == 6


def test_compare_years_fisher_and_common_municipalities(codebook):
    first = frame(5, contact_ease=[1, 2, 1, 3, 4])
    second = frame(20, kommun=["2417"] * 10 + ["2505"] * 10, contact_ease=[1] * 9 + [4] + [1] * 5 + [3] * 5)
    table = cs.compare_years(first, second, codebook).set_index(["sample", "variable"])
    everyone, common = table.loc[("all", "contact_ease")], table.loc[("common", "contact_ease")]
    assert everyone["p"] == pytest.approx(st.fisher_exact([[3, 2], [14, 6]]).pvalue)
    assert everyone["difference"] == pytest.approx(14 / 20 - 3 / 5)
    assert common["p"] == pytest.approx(st.fisher_exact([[3, 2], [9, 1]]).pvalue)
    assert common["difference"] == pytest.approx(0.9 - 0.6) and common["municipalities_2019"] == 1
    assert everyone["diff_low"] < everyone["difference"] < everyone["diff_high"]
    # Holm over the seven: the other six are identical (p = 1), so contact_ease's p is multiplied by 7 (capped at 1).
    assert everyone["p_holm"] == pytest.approx(min(1.0, 7 * everyone["p"]))
    # the added municipality all alike (5 of 5 'other'): the common row would tell each one's answer
    unanimous = frame(15, kommun=["2417"] * 10 + ["2505"] * 5, contact_ease=[1] * 9 + [4] + [3] * 5)
    hidden = cs.compare_years(first, unanimous, codebook).set_index(["sample", "variable"])
    assert hidden.loc[("common", "contact_ease"), "suppressed"] and np.isnan(hidden.loc[("common", "contact_ease"), "p"])


# --- the build's data reproduce the poster ----------------------------------------------------

def test_built_data_reproduce_every_2018_poster_figure(built, monkeypatch):
    monkeypatch.setenv("GINO_DATA_DIR", str(built))
    from analysis.core import paths
    from analysis.report import processed
    from analysis.survey_data.published import read_published_survey_figures

    survey, codebook = processed.survey("client_survey_2018"), processed.codebook("client_survey_2018")
    published = read_published_survey_figures(paths.published_dir() / "survey_figures.csv")
    poster = published[published["figure_id"].str.startswith("cs2018_")].set_index("figure_id")

    table = cs.headline_indicators(survey, codebook, published)
    shown = table.dropna(subset=["published_of_ten"])
    assert len(shown) == (poster["rule"] == "of_ten").sum() == 6
    # The statements that Kolada's real results rule out under the stated rule differ; all others hold.
    from analysis.survey_data.kolada_reconcile import stored_rule_conflicts

    conflicts = stored_rule_conflicts(pd.read_csv(paths.processed("kolada_poster_rules.csv")))
    variables = {poster.loc[f, "variable"] for f in conflicts}
    assert len(variables) == 3
    agree = shown["of_ten"] == shown["published_of_ten"]
    assert agree[~shown["variable"].isin(variables)].all()
    assert not agree[shown["variable"].isin(variables)].any()

    forms = cs.distribution(survey, codebook, "preferred_meeting").set_index("code")
    top_two = forms["n"].sort_values(ascending=False, kind="stable").index[:2]
    assert ";".join(str(c) for c in sorted(top_two)) == poster.loc["cs2018_prefer_office_or_phone_top", "published_value"]
    assert forms.loc[[1, 3], "share"].sum() > float(poster.loc["cs2018_prefer_office_or_phone_share", "published_value"])
    assert survey[codebook.identifiers["municipality"]].nunique() == int(poster.loc["cs2018_municipalities", "published_value"])


def test_logit_is_fitted_to_convergence():
    """The GLM's SE and p agree with Newton–Raphson on the logit likelihood far beyond statsmodels' default 1e-8."""
    f = both([(1, 1, 9), (1, 3, 3), (2, 1, 6), (2, 4, 4), (3, 2, 3), (3, 3, 5), (4, 5, 4), (4, 1, 2), (5, 3, 5), (5, 2, 1)])
    result = cs.remote_preference_model(f)
    data = cs.remote_preference_data(f)
    newton = sm.Logit(data["remote"], sm.add_constant(data["km"])).fit(method="newton", tol=1e-14, disp=0)
    assert result.converged
    assert np.allclose(result.params.to_numpy(), newton.params.to_numpy(), rtol=0, atol=1e-12)
    assert np.allclose(result.bse.to_numpy(), newton.bse.to_numpy(), rtol=1e-12, atol=0)
    assert np.allclose(result.pvalues.to_numpy(), newton.pvalues.to_numpy(), rtol=1e-10, atol=0)
