"""The region against the country: Kolada values with counts, the national distribution, group means."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.client_surveys import kolada_region as kr
from analysis.core.stats import wilson


def long(rows) -> pd.DataFrame:
    """Kolada values as ``read_kpi_values`` returns them: (kpi, kommun, year, value)."""
    return pd.DataFrame([{"kpi_id": k, "kpi_title": "t", "kommun_kod": c, "municipality": f"K{c}", "year": y,
                          "gender": "T", "value": v} for k, c, y, v in rows])


VALUES = long([
    ("U30901", "0001", 2018, 18), ("U30448", "0001", 2018, 94.117647),    # 16/17, exact
    ("U30901", "0002", 2018, 10), ("U30448", "0002", 2018, 100.0),        # 5/5 … 10/10, not exact
    ("U30448", "0003", 2018, 50.0),                                       # no respondent count
    ("U30901", "0001", 2019, 20), ("U30448", "0001", 2019, 90.0),         # 18/20 (9/10 too): not exact
    ("U30448", "0001", 2016, 80.0), ("U30448", "0002", 2019, 60.0),
])


def test_counts_are_given_where_kolada_pins_them_down():
    ind = kr.indicator_values(VALUES).set_index(["kommun_kod", "year"])
    exact = ind.loc[("0001", 2018)]
    assert (exact["k"], exact["n"], bool(exact["n_exact"])) == (16, 17, True)
    low, high = wilson(16, 17)
    assert exact["ci_low"] == pytest.approx(100 * low) and exact["ci_high"] == pytest.approx(100 * high)
    wide = ind.loc[("0002", 2018)]
    assert not wide["n_exact"] and wide["n"] == 5 and wide["n_candidates"] == 6   # the widest interval
    assert pd.isna(ind.loc[("0003", 2018), "n"]) and np.isnan(ind.loc[("0003", 2018), "ci_low"])


def test_national_distribution_counts_municipalities_and_takes_deciles():
    ind = kr.indicator_values(VALUES)
    d = kr.national_distribution(ind).set_index(["variable", "year"]).loc[("information_ease", 2018)]
    assert d["municipalities"] == 3 and d["median"] == pytest.approx(94.117647)
    assert d["p10"] == pytest.approx(np.percentile([50.0, 94.117647, 100.0], 10))


def test_group_means_follow_koladas_unweighted_definition_and_weight_by_respondents():
    ind = kr.indicator_values(VALUES)
    g = kr.group_summary(ind, {"G": ["0001", "0002", "0003", "0009"]}).set_index("year").loc[2018]
    assert g["unweighted_mean"] == pytest.approx((94.117647 + 100.0 + 50.0) / 3)   # members with a value only
    assert g["weighted_mean"] == pytest.approx((94.117647 * 18 + 100.0 * 10) / 28)
    assert (g["members"], g["municipalities"], g["respondents"]) == (4, 3, 28)
    assert np.isnan(g["pooled_share"])                       # 0002 has no exact count
    only_exact = kr.group_summary(ind, {"G": ["0001"]}).set_index("year").loc[2018]
    assert only_exact["pooled_share"] == pytest.approx(100 * 16 / 17)


def test_position_is_against_the_median_of_all_municipalities():
    ind = kr.indicator_values(VALUES)
    dist = kr.national_distribution(ind)
    pos = kr.position(kr.group_summary(ind, {"G": ["0003"]}), ind, dist).set_index("year").loc[2018]
    assert pos["difference_from_median"] == pytest.approx(50.0 - 94.117647)
    assert pos["percentile"] == pytest.approx(100 * 0.5 / 3)


def test_trends_compare_each_municipality_with_itself():
    ind = kr.indicator_values(VALUES)
    t = kr.trends(ind, ["0001", "0002"], kr.national_distribution(ind)).set_index("kommun_kod")
    assert t.loc["0001", "years"] == "2016, 2018, 2019" and t.loc["0001", "change"] == pytest.approx(10.0)
    assert np.isnan(t.loc["0001", "change_low"])              # 2016 has no respondent count
    assert t.loc["0002", "change"] == pytest.approx(-40.0)


def test_real_groups_against_the_country(built):
    groups = pd.read_csv(built / "processed" / "kolada_groups.csv")
    national = groups[(groups["year"] == 2018)]["municipalities_national"]
    assert national.between(130, 135).all()                  # 132–133 municipalities had values in 2018
    joint = pd.read_csv(built / "processed" / "kolada_group_joint.csv").set_index(["group", "reference"])
    gino = joint.loc[("GINO-kommunerna (Region 8)", "Riket")]
    # the figures: 9 of 14 indicator-years above the median unweighted, 2 of 14 weighted by respondents
    assert (gino["cells"], gino["above_unweighted"], gino["above_weighted"]) == (14, 9, 2)


def test_feedback_shows_koladas_own_value_beside_region_and_country_without_counts():
    from analysis.client_surveys import kolada_feedback as kf
    from analysis.report.feedback_documents import _is_figure

    ind = kr.indicator_values(VALUES)
    dist = kr.national_distribution(ind)
    groups = kr.position(kr.group_summary(ind, {"GINO-kommunerna": ["0001", "0002", "0004"]}), ind, dist)
    table = kf.municipality_values(ind, groups, "0001", 2018).set_index("Fråga (Kolada-id)")
    row = table.loc["Tydlig information (U30448)"]
    assert row["Kommunen"] == "94\u00a0%"
    assert row["GINO-kommunerna: medel"] == "97\u00a0% (medel av 2 kommuner)"
    assert row["Riket (median)"] == "94\u00a0% (3 kommuner)"
    assert table.loc["Lätt att få kontakt (U30447)", "Kommunen"] == "publiceras inte (färre än 5 svar)"
    assert not any(_is_figure(c) for c in table.to_numpy().ravel())      # nothing reads as a survey figure
    assert "Kommunen" not in kf.municipality_values(ind, groups, None, 2018)
    assert "18 svarande (U30901)" in kf.respondents_sentence(ind, "0001", "A", 2018)
    assert "inga brukarresultat" in kf.respondents_sentence(ind, "0004", "D", 2018)


def test_ifo_cost_ratio_and_swing_against_the_country():
    from analysis.client_surveys import kolada_context as kc

    rows = [("N30005", "0000", y, c) for y, c in ((2018, 4000.0), (2019, 4000.0), (2020, 5000.0))]
    rows += [("N30005", "0001", y, c) for y, c in ((2018, 2000.0), (2019, 6000.0), (2020, 5000.0))]
    rows += [("N01951", "0001", 2020, 2500.0), ("N01951", "0000", 2020, 10_000_000.0)]
    table = kc.cost_against_country(long(rows), ["0001"]).set_index("kommun_kod")
    small = table.loc["0001"]
    assert small["ratio_to_country"] == pytest.approx((0.5 + 1.5 + 1.0) / 3)
    assert (small["lowest_ratio"], small["highest_ratio"]) == (0.5, 1.5)
    assert small["mean_yearly_change"] == pytest.approx((1.0 + 0.5) / 2)
    assert table.loc["0000", "mean_yearly_change"] == pytest.approx((0 + 1000 / (13000 / 3)) / 2)
    assert small["population"] == 2500.0


def test_swing_test_is_exact_enough_and_seeded():
    from analysis.client_surveys import kolada_context as kc

    table = pd.DataFrame({"kommun_kod": [f"{i:04d}" for i in range(1, 8)] + ["0000"],
                          "population": [1, 2, 3, 4, 5, 6, 7, 100], "mean_yearly_change": [7, 6, 5, 4, 3, 2, 1, 0]})
    result = kc.swing_test(table, resamples=999)
    assert result["rho"] == pytest.approx(-1.0) and result["municipalities"] == 7
    assert result["p"] < 0.01 and result == kc.swing_test(table, resamples=999)


def test_derived_counts_follow_the_disclosure_rule():
    """Kolada's value is shown as published; k/n and the interval only where no answer category has 1-4."""
    from analysis.client_surveys.kolada_figures import MASKED, value_text

    assert value_text(94.117647, 16, 17, True, 73.0, 99.0) == "94,1\u00a0%" + MASKED  # one non-positive
    assert value_text(100.0, 6, 6, True, 61.0, 100.0) == "100,0\u00a0%" + MASKED  # all alike
    assert value_text(80.645161, 25, 31, True, 63.7, 90.8) == "80,6\u00a0% (25/31; 63,7–90,8)"
    assert value_text(float("nan"), None, None, False, None, None) == "–"
