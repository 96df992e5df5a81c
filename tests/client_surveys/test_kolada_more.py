"""Kolada in full, on small hand-built frames: the group comparisons (both weightings, bootstrap intervals,
random same-size groups), response rates, gender, sub-areas, the items' definitions, and the snapshots combined
through the catalog."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.client_surveys import kolada_coverage as coverage, kolada_groups as kg
from test_kolada_region import long


def indicators(rows) -> pd.DataFrame:
    """``kolada_region.indicator_values``'s columns: (kommun, year, variable, value, respondents, n)."""
    return pd.DataFrame([{"kommun_kod": c, "municipality": f"K{c}", "year": y, "variable": v, "value": value,
                          "respondents": r, "n": n, "k": pd.NA, "n_exact": False}
                         for c, y, v, value, r, n in rows]).astype({"respondents": "Float64", "n": "Float64"})


def country(values: dict[str, tuple[float, int]], year=2018, variable="contact_ease") -> list:
    return [(c, year, variable, v, r, r) for c, (v, r) in values.items()]


def test_weighting_can_turn_the_direction():
    """Two small municipalities high, one large one low: the unweighted mean lies above the median, the weighted
    one below (as Lycksele and Vilhelmina do for the GINO eight)."""
    rest = {f"{i:04d}": (80.0, 20) for i in range(10, 40)}
    group = {"0001": (100.0, 10), "0002": (100.0, 10), "0003": (60.0, 80)}
    ind = indicators(country({**rest, **group}))
    cells = kg.cell_comparison(ind, {"G": list(group)}, {"Riket": None}, (2018,), resamples=500)
    row = cells.iloc[0]
    assert row["unweighted_mean"] == pytest.approx(260 / 3) and row["weighted_mean"] == pytest.approx(
        (100 * 20 + 60 * 80) / 100)
    assert row["reference_median"] == 80.0
    assert row["difference_unweighted"] > 0 > row["difference_weighted"]
    assert row["u_low"] <= row["unweighted_mean"] <= row["u_high"] and row["w_low"] <= row["weighted_mean"] <= row["w_high"]
    joint = kg.joint_comparison(ind, {"G": list(group)}, {"Riket": None}, (2018,), resamples=500).iloc[0]
    assert (joint["above_unweighted"], joint["above_weighted"], joint["cells"]) == (1, 0, 1)


def test_a_group_like_any_other_has_a_large_permutation_p_and_an_extreme_one_a_small():
    rng = np.random.default_rng(1)
    values = {f"{i:04d}": (float(v), 30) for i, v in enumerate(rng.uniform(60, 90, 60), start=10)}
    ordinary = list(values)[:6]
    values |= {f"{i:04d}": (99.0, 30) for i in range(1, 7)}
    ind = indicators(country(values))
    cells = kg.cell_comparison(ind, {"ordinary": ordinary, "extreme": [f"{i:04d}" for i in range(1, 7)]},
                               {"Riket": None}, (2018,), resamples=2000).set_index("group")
    assert cells.loc["ordinary", "p_unweighted"] > 0.05
    assert cells.loc["extreme", "p_unweighted"] < 0.01 and cells.loc["extreme", "percentile_unweighted"] > 99


def test_random_groups_keep_the_same_municipalities_for_every_question_of_a_year():
    picks = kg.random_groups(10, 4, np.random.default_rng(0), resamples=50)
    assert picks.shape == (50, 4) and all(len(set(row)) == 4 for row in picks)


def test_holm_is_within_each_reference():
    joint = pd.DataFrame({"reference": ["A", "A", "B"], "p_mean_unweighted": [0.01, 0.04, 0.01],
                          "p_mean_weighted": [0.5, 0.02, 0.03]})
    out = kg.with_holm(joint)
    assert out.loc[0, "p_mean_unweighted_holm"] == pytest.approx(0.04)       # 4 tests in A, smallest × 4
    assert out.loc[2, "p_mean_unweighted_holm"] == pytest.approx(0.02)       # 2 tests in B


def test_response_rates_gender_and_sub_areas_as_kolada_publishes_them():
    values = long([("U30901", "0001", 2019, 31), ("U30900", "0001", 2019, 86.111111), ("U30901", "0002", 2019, 42),
                   ("U30900", "0003", 2019, 50.0), ("U31500", "0001", 2020, 100.0), ("U31903", "0001", 2020, 8)])
    values = pd.concat([values, long([("U30447", "0001", 2019, 90.0)]).assign(gender="K"),
                        long([("U30447", "0001", 2019, 90.0), ("U30447", "0003", 2019, 80.0)])], ignore_index=True)
    rates = coverage.response_rates(values, ["0001", "0002"]).set_index(["kommun_kod", "year"])
    assert rates.loc[("0001", 2019), "response_rate"] == pytest.approx(86.111111)
    assert np.isnan(rates.loc[("0002", 2019), "response_rate"])                # respondents, but no rate published
    assert rates.loc[("0000", 2019), "municipalities_with_rate"] == 2
    gender = coverage.gender_values(values, ["0001"])
    own = gender[gender["kommun_kod"] == "0001"].iloc[0]
    assert own["K"] == 90.0 and np.isnan(own["M"])                              # men: not published, not derived
    areas = coverage.area_values(values, ["0001"])
    assert areas.loc[areas["kommun_kod"] == "0001", "area"].tolist() == ["ekonomiskt_bistand"]


def test_each_items_positive_answers_against_the_codebook():
    from analysis.client_surveys.kolada_definitions import definition_check, kolada_positive
    from analysis.survey_data.codebooks import load_codebook

    assert kolada_positive("... som har svarat Ja på frågan Frågar socialsekreteraren efter dina synpunkter? "
                           "dividerat med ...") == (["Ja"], "Frågar socialsekreteraren efter dina synpunkter?")
    definitions = pd.DataFrame({"kpi_id": ["U30447", "U30450"], "title": ["a", "b"], "description": [
        "har svarat Mycket lätt eller Ganska lätt på frågan Hur lätt är det?",
        "har svarat Ja på frågan Frågar hen efter dina synpunkter?"]})
    table = definition_check(definitions, load_codebook("client_survey_2018"), (1, 2)).set_index("variable")
    assert table.loc["contact_ease", "verdict"] == "same"        # 'Mycket lätt' is an alias of the codebook's 'Lätt'
    assert table.loc["asks_views", "verdict"] == "different"     # Kolada: 'Ja' only; the codebook: two of four steps
    assert table.loc["information_ease", "verdict"] == "different"  # no definition: nothing matched


def test_each_year_comes_from_the_newest_snapshot_that_holds_it():
    from analysis.public_data.kolada_snapshots import combine

    old = long([("U30447", "0001", 2022, 80.0), ("U30447", "0002", 2022, 70.0), ("U30447", "0001", 2021, 75.0)])
    new = long([("U30447", "0001", 2022, 81.0)])                  # 0002's 2022 value withdrawn in the new snapshot
    out = combine({"old": old, "new": new}, {2021: "old", 2022: "new"})
    assert out[["kommun_kod", "year", "value"]].values.tolist() == [["0001", 2021, 75.0], ["0001", 2022, 81.0]]


def test_slide_figures_fill_the_slides_picture_area_with_no_text_under_fourteen_points():
    from analysis.feedback import slides

    years = pd.DataFrame({"variable": ["contact_ease", "asks_views"], "label": ["A", "B"], "year": [2018, 2018],
                          "value": [90.0, np.nan], "group_mean": [85.0, 80.0], "national_median": [88.0, 86.0]})
    table = pd.DataFrame({"variable": ["contact_ease", "overall_satisfaction"], "label": ["Kontakt", "Nöjd"],
                          "share": [0.8, 0.7], "ci_low": [0.7, 0.6], "ci_high": [0.9, 0.8], "shown": [True, False],
                          "reason": ["", "small"], "own_share": [0.9, np.nan], "own_ci_low": [0.8, np.nan],
                          "own_ci_high": [0.95, np.nan]})
    shares = pd.DataFrame({"label": ["Öppet klimat", "Tid och resurser avsatta för innovationsarbete"],
                           "importance_share": [0.95, 0.9], "state_share": [0.6, 0.1], "gap": [0.35, 0.8]})
    statements = pd.DataFrame({"label": ["Lätt att få kontakt"], "of_ten": [8]})
    for fig in (slides.kolada_slide(years, "Dorotea", "Regionen"), slides.indicators_slide(table, "Dorotea", "Alla"),
                slides.gap_slide(shares), slides.poster_slide(statements)):
        assert tuple(fig.get_size_inches()) == slides.SLIDE                  # shown at its own size: 9 × 3.15 in
        assert slides.small_text(fig) == []
