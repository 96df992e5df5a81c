"""Innovation-climate analysis functions on hand-built frames, and table 1–3 reproduced on the twin."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.innovation import climate as innovation
from analysis.survey_data.codebooks import load_codebook
from analysis.survey_data.published import round_half_up
from fractions import Fraction

CODEBOOK = load_codebook("innovation_climate_2017")


def frame(**columns) -> pd.DataFrame:
    """A frame with every codebook variable; unspecified answers are missing."""
    n = len(next(iter(columns.values())))
    data = {v.name: pd.array([pd.NA] * n, dtype="Int16") for v in CODEBOOK.variables if v.scale is not None}
    data.update({k: pd.array(v, dtype="Int16") for k, v in columns.items()})
    return pd.DataFrame(data)


def test_aspect_shares_and_gap_by_hand():
    f = frame(state_open_climate=[3, 3, 1, pd.NA], importance_open_climate=[3, 3, 3, 2])
    row = innovation.aspect_shares(f, CODEBOOK).iloc[0]
    assert (row["state_k"], row["state_n"], row["importance_k"], row["importance_n"]) == (2, 3, 3, 4)
    # the gap is paired: on the three who answered both, 3 of 3 'Viktigt' and 2 of 3 'Bra'
    assert row["n_pairs"] == 3 and row["gap"] == pytest.approx(1 / 3)
    assert -1 <= row["gap_low"] < 1 / 3 < row["gap_high"] <= 1
    assert row["label"] == "Öppet klimat och gynnsam kultur" and row["number"] == 1


def test_quadrant_probabilities_from_the_bootstrap():
    """Aspect 1 far above both means in every resample; the rest split; each row sums to one."""
    n = 40
    columns = {}
    for i, a in enumerate(innovation.aspects(CODEBOOK).itertuples()):
        columns[a.state_variable] = [3] * n if i == 0 else [3] * (i + 5) + [1] * (n - i - 5)
        columns[a.importance_variable] = [3] * n if i == 0 else [3] * (n - 6) + [2] * 6
    out = innovation.quadrant_probabilities(frame(**columns), CODEBOOK, resamples=200)
    quadrants = list(innovation.QUADRANTS.values())
    assert np.allclose(out[quadrants].sum(axis=1), 1)
    assert out.loc[0, "Fortsätt det goda arbetet"] == 1.0 and out.loc[0, "quadrant"] == "Fortsätt det goda arbetet"
    assert out.attrs["resamples"] == 200


def test_design_effect_per_item_widens_the_interval_when_municipalities_differ():
    kommun = ["2481"] * 10 + ["2462"] * 10 + ["2421"] * 10
    state = [3] * 9 + [1] + [3] * 5 + [1] * 5 + [3] + [1] * 9
    f = frame(state_open_climate=state)
    f["kommun"] = kommun
    row = innovation.design_effects(f, CODEBOOK).query("number == 1 and measure == 'Bra'").iloc[0]
    assert row["deff"] > 1.5 and row["icc"] > 0
    assert row["ci_low_adjusted"] < row["ci_low"] and row["ci_high_adjusted"] > row["ci_high"]


def test_paired_gaps_use_only_complete_pairs():
    f = frame(state_curiosity=[1, 1, 3, 2, pd.NA], importance_curiosity=[3, 3, 3, 2, 3])
    row = innovation.paired_gaps(f, CODEBOOK).set_index("number").loc[2]
    assert row["n_pairs"] == 4
    assert row["mean_gap"] == pytest.approx((2 + 2 + 0 + 0) / 4)
    assert (row["important_not_good"], row["good_not_important"]) == (2, 0)
    assert row["p_mcnemar"] == pytest.approx(0.5)  # two discordant pairs, both one way: 2 · ¼
    assert row["n_nonzero"] == 2


def test_importance_performance_quadrants():
    shares = pd.DataFrame({"number": [1, 2, 3, 4], "label": list("abcd"), "gap": 0.0,
                           "importance_share": [0.9, 0.9, 0.7, 0.7], "state_share": [0.2, 0.8, 0.2, 0.8]})
    out = innovation.importance_performance(shares)
    assert list(out["quadrant"]) == ["Koncentrera insatserna här", "Fortsätt det goda arbetet", "Låg prioritet",
                                     "Möjligen överinsats"]
    assert out.attrs["mean_importance"] == pytest.approx(0.8)


def test_capability_groups_exclude_dont_know():
    out = innovation.capability(frame(capability_overall=[5, 4, 3, 1, 9, pd.NA]), CODEBOOK).set_index("group")
    assert out.loc["God eller mycket god", ["k", "n"]].tolist() == [2, 4]
    assert out.attrs == {"answered": 5, "dont_know": 1, "respondents": 6}


def test_statements_sorted_descending():
    out = innovation.statement_shares(frame(culture_user_focus=[4, 4, 1], culture_encourage_ideas=[1, 2, 2]),
                                      CODEBOOK, "culture")
    assert out.iloc[0]["variable"] == "culture_encourage_ideas" and out.iloc[0]["share"] == 1.0


def test_respondents_without_role_are_counted_with_staff_so_groups_add_up_to_the_total():
    roles = [1] * 5 + [2] * 5 + [3] * 11 + [pd.NA]
    state = [3] * 5 + [1] * 5 + [3] * 6 + [1] * 5 + [3]
    out = innovation.by_role(frame(role=roles, state_open_climate=state), CODEBOOK,
                             [("state_open_climate", [3])]).set_index("group")
    assert out["n"].sum() == 22 and out.loc["Medarbetare och ej angiven roll", "k"] == 7


def test_by_role_hides_both_groups_when_one_has_a_small_cell():
    """Leaders 6 of 7 'Bra' (the 1 is too small): showing staff would reveal leaders from table 1's total."""
    roles = [1] * 3 + [2] * 4 + [3] * 12
    state = [3] * 6 + [1] + [3] * 6 + [1] * 6
    out = innovation.by_role(frame(role=roles, state_open_climate=state), CODEBOOK, [("state_open_climate", [3])])
    assert out["suppressed"].all() and out["share"].isna().all() and out["n"].isna().all()
    assert out["p"].isna().all(), "the test is hidden with the cells"


def test_by_role_shows_groups_and_exact_test_when_cells_are_large_enough():
    roles = [1] * 5 + [2] * 5 + [3] * 12
    state = [3] * 5 + [1] * 5 + [3] * 6 + [1] * 6
    out = innovation.by_role(frame(role=roles, state_open_climate=state), CODEBOOK,
                             [("state_open_climate", [3])]).set_index("group")
    assert out.loc["Politiker och chefer", "share"] == 0.5 and out.loc["Medarbetare och ej angiven roll", "n"] == 12
    assert out["p"].iloc[0] == pytest.approx(1.0)  # Fisher's exact test on [[5, 5], [6, 6]]


def test_tables_1_to_3_reproduced_on_the_twin(built, monkeypatch):
    monkeypatch.setenv("GINO_DATA_DIR", str(built))
    from analysis.core import paths
    from analysis.report import processed
    from analysis.survey_data.published import read_published_survey_figures

    f = processed.survey("innovation_climate_2017")
    published = read_published_survey_figures(paths.published_dir() / "survey_figures.csv").set_index("figure_id")
    pct = lambda k, n: round_half_up(Fraction(int(k), int(n)) * 100)
    for r in innovation.aspect_shares(f, CODEBOOK).itertuples():
        assert pct(r.state_k, r.state_n) == int(published.loc[f"inn_state_{r.aspect}", "published_value"])
        assert pct(r.importance_k, r.importance_n) == int(published.loc[f"inn_importance_{r.aspect}", "published_value"])
    for block in ("culture", "organisation"):
        table = innovation.statement_shares(f, CODEBOOK, block)
        values = [int(published.loc[f"inn_{v}", "published_value"]) for v in table["variable"]]
        assert [pct(k, n) for k, n in zip(table["k"], table["n"])] == values
        assert values == sorted(values, reverse=True), "the report's descending order"
    capability = innovation.capability(f, CODEBOOK)
    assert [pct(k, n) for k, n in zip(capability["k"], capability["n"])] == [44, 32, 24]
