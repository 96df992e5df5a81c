"""Kolada: readers, the pairs behind its percentages, the poster rules, the anchored twin and the check."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from analysis.survey_data.codebooks import load_codebook
from analysis.core.errors import InputError
from analysis.public_data.kolada import ITEM_KPIS, client_survey_values, read_kpi_values
from analysis.client_surveys.kolada_check import compare_with_kolada, kolada_failures
from analysis.public_data.kolada_pairs import Pair, candidate_pairs, pairs_for_value, pairs_unpublished, regional_totals
from analysis.survey_data.kolada_reconcile import allowed_interval, poster_consistency, rule_summary, stored_rule_conflicts
from analysis.survey_data.kolada_twin import choose_pairs, respondents_per_municipality
from analysis.survey_data.synthetic_client import blank_rows

GINO_2018 = ["2417", "2418", "2421", "2422", "2425", "2462", "2463", "2481"]


def published(rows: dict[str, dict]) -> pd.DataFrame:
    """A hand-built ``client_survey_values`` frame: kommun -> {respondents, item: value}."""
    frame = pd.DataFrame.from_dict(rows, orient="index")
    for variable in ITEM_KPIS:
        if variable not in frame:
            frame[variable] = np.nan
    frame["respondents"] = frame["respondents"].astype("Int64")
    return frame


def poster(variable: str, of_ten: int) -> pd.DataFrame:
    return pd.DataFrame({"figure_id": [f"p_{variable}"], "description": ["x"], "published_value": [str(of_ten)],
                         "variable": [variable], "rule": ["of_ten"], "measure": ["share"],
                         "dataset": ["client_survey_2018"]})


# --- pairs ------------------------------------------------------------------------------------------

def test_full_precision_values_pin_down_the_counts():
    assert [str(p) for p in pairs_for_value(94.117647, 18)] == ["16/17"]
    assert [str(p) for p in pairs_for_value(94.444444, 18)] == ["17/18"]
    assert [str(p) for p in pairs_for_value(85.9375, 68)] == ["55/64"]
    assert [str(p) for p in pairs_for_value(86.363636, 68)] == ["19/22", "38/44", "57/66"]
    assert [str(p) for p in pairs_for_value(100.0, 6)] == ["5/5", "6/6"]


def test_the_five_answer_threshold_bounds_the_pairs():
    assert pairs_for_value(75.0, 4) == []          # 3/4 would need publication below five answers
    assert [str(p) for p in pairs_for_value(75.0, 8)] == ["6/8"]
    unpublished = pairs_unpublished(6)
    assert max(p.answered for p in unpublished) == 4 and len(unpublished) == 15
    assert {p.slack_max for p in unpublished if p.answered == 4} == {2}
    assert len(pairs_unpublished(2)) == 6          # n <= respondents


def test_candidate_pairs_cover_published_unpublished_and_missing_municipalities():
    pub = published({"0001": {"respondents": 18, "information_ease": 94.117647},
                     "0002": {"respondents": 6, "contact_ease": 100.0}})
    pairs = candidate_pairs(pub, ["0001", "0002", "0003"], {"0001": "A"}, 2018).set_index(["kommun_kod", "variable"])
    assert pairs.loc[("0001", "information_ease"), "pairs"] == "16/17"
    assert bool(pairs.loc[("0001", "information_ease"), "unique"])
    assert pairs.loc[("0002", "information_ease"), "status"].startswith("ej publicerat")
    assert pairs.loc[("0003", "contact_ease"), "respondents"] == "1–4"
    assert len(pairs) == 3 * len(ITEM_KPIS)


def test_a_value_no_whole_share_can_give_is_an_error():
    from analysis.core.errors import GinoError

    with pytest.raises(GinoError, match="no whole share"):
        candidate_pairs(published({"0001": {"respondents": 9, "contact_ease": 33.3}}), ["0001"], {}, 2018)


def test_regional_totals_sum_one_pair_per_municipality():
    states = regional_totals([[Pair(1, 2, 0), Pair(2, 4, 1)], [Pair(5, 5, 0)]])
    assert states == {(6, 7, 0), (7, 9, 1)}


# --- poster rules ------------------------------------------------------------------------------------

def test_allowed_intervals_are_exact():
    assert allowed_interval(8, "round") == (Fraction(3, 4), Fraction(17, 20))
    assert allowed_interval(8, "floor") == (Fraction(4, 5), Fraction(9, 10))


def test_rules_decide_by_rounding_truncation_and_denominator():
    """7 of 8 = 87.5 %: '9 av 10' rounded, '8 av 10' cut; with two more respondents, 7/9 or 7/10 are possible."""
    pub = published({"0001": {"respondents": 8, "contact_ease": 87.5}})
    result = poster_consistency(candidate_pairs(pub, ["0001"], {}, 2018), poster("contact_ease", 8)).set_index("rule")
    assert not result.loc["avrundning", "consistent"] and result.loc["avrundning", "gap_pp"] == 2.5
    assert result.loc["trunkering", "consistent"]
    assert not result.loc["vet_inte_i_namnaren", "consistent"]     # all eight gave a substantive answer
    pub10 = published({"0001": {"respondents": 10, "contact_ease": 87.5}})
    wider = poster_consistency(candidate_pairs(pub10, ["0001"], {}, 2018), poster("contact_ease", 8)).set_index("rule")
    assert wider.loc["vet_inte_i_namnaren", "consistent"]          # 7/9 = 77.8 % -> 8
    assert wider.loc["vet_inte_i_namnaren", "reachable_min_pct"] == 70.0


def test_the_alternative_question_mapping_is_tested_for_views():
    pub = published({"0001": {"respondents": 10, "asks_views": 100.0, "can_influence": 60.0}})
    result = poster_consistency(candidate_pairs(pub, ["0001"], {}, 2018), poster("asks_views", 6)).set_index("rule")
    assert not result.loc["avrundning", "consistent"]
    assert result.loc["avrundning+fraga_paverka", "consistent"]
    assert result.loc["avrundning+fraga_paverka", "kpi_id"] == "U30451"
    summary = rule_summary(result.reset_index()).set_index("rule")
    assert summary.loc["avrundning", "conflicts"].startswith("p_asks_views (6 av 10")
    conflicts = stored_rule_conflicts(result.reset_index())
    assert list(conflicts) == ["p_asks_views"] and "avrundning+fraga_paverka" in conflicts["p_asks_views"]


# --- the twin's choice -------------------------------------------------------------------------------

def test_choice_meets_the_figure_where_kolada_allows_then_prefers_more_answers():
    pairs = {"a": [Pair(5, 5, 5), Pair(10, 10, 0)], "b": [Pair(0, 4, 0), Pair(0, 1, 3), Pair(1, 1, 3)]}
    figure = poster("contact_ease", 7).iloc[0]
    chosen = choose_pairs(pairs, [figure])
    k = sum(p.positive for p in chosen.values())
    n = sum(p.answered for p in chosen.values())
    assert round(10 * k / n) == 7 and n == 14            # 10/14 = 71 %: meets '7 av 10' with the most answers
    without = choose_pairs(pairs, [])
    assert sum(p.answered for p in without.values()) == 14


def test_respondents_come_from_kolada_or_the_configured_small_number():
    from analysis.core.errors import GinoError

    pub = published({"0001": {"respondents": 18}})
    assert respondents_per_municipality(pub, ["0001", "0002"], {"0002": 3}).to_dict() == {"0001": 18, "0002": 3}
    with pytest.raises(GinoError, match="expected 1–4"):
        respondents_per_municipality(pub, ["0001", "0002"], {"0002": 5})
    with pytest.raises(GinoError, match="no respondent count for 0002"):
        respondents_per_municipality(pub, ["0001", "0002"], {})


def test_blank_answers_never_leave_a_respondent_without_any_answer():
    order = np.arange(5)
    blocks = blank_rows(order, [4, 4, 4, 4, 4, 4, 4])   # 28 blanks over 7 items of 5 respondents
    blank_count = np.bincount(np.concatenate(blocks), minlength=5)
    assert (blank_count <= 6).all() and blank_count.sum() == 28
    with pytest.raises(Exception, match="without any answer"):
        blank_rows(order, [5] * 7)


# --- readers -----------------------------------------------------------------------------------------

def test_reader_reports_a_bad_cell_in_one_line(tmp_path):
    path = tmp_path / "k.csv"
    path.write_text("kpi_id,kpi_title,municipality_id,municipality,year,gender,value\n"
                    "U30447,t,2425,Dorotea,2018,T,100.0\nU30447,t,2425,Dorotea,2018,X,90\n", encoding="utf-8")
    with pytest.raises(Exception) as info:
        read_kpi_values(path)
    text = str(info.value)
    assert "row 3" in text and "gender" in text and len(text.splitlines()) == 1


def test_reader_rejects_duplicate_values(tmp_path):
    path = tmp_path / "k.csv"
    path.write_text("kpi_id,kpi_title,municipality_id,municipality,year,gender,value\n"
                    "U30447,t,2425,Dorotea,2018,T,100.0\nU30447,t,2425,Dorotea,2018,T,90\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 3.*one value per KPI"):
        read_kpi_values(path)


# --- the real snapshot -------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def kolada_values(mirror):
    return read_kpi_values(mirror / "kolada" / "brukarbedomning_ifo_kommun_2016_2022.csv")


def test_real_2018_facts(kolada_values):
    pub = client_survey_values(kolada_values, 2018)
    gino = pub.reindex(GINO_2018)
    assert gino["respondents"].dropna().astype(int).to_dict() == {
        "2417": 9, "2418": 6, "2421": 13, "2425": 18, "2462": 50, "2463": 10, "2481": 68}
    assert int(gino["respondents"].sum()) == 174 and pd.isna(gino.loc["2422", "respondents"])
    assert gino.loc["2418", list(ITEM_KPIS)].notna().sum() == 2
    names = dict(zip(kolada_values["kommun_kod"], kolada_values["municipality"]))
    pairs = candidate_pairs(pub, GINO_2018, names, 2018).set_index(["kommun", "variable"])
    assert pairs.loc[("Dorotea", "information_ease"), "pairs"] == "16/17"
    assert pairs.loc[("Lycksele", "contact_ease"), "pairs"] == "19/22;38/44;57/66"


def test_real_poster_reconciliation(kolada_values):
    """Under the stated rule three poster statements conflict; truncation plus 'påverka hjälp' fits all six."""
    from analysis.survey_data.kolada_reconcile import poster_figures
    from analysis.survey_data.published import read_published_survey_figures
    from conftest import DATA

    names = dict(zip(kolada_values["kommun_kod"], kolada_values["municipality"]))
    pairs = candidate_pairs(client_survey_values(kolada_values, 2018), GINO_2018, names, 2018)
    figures = read_published_survey_figures(DATA / "raw/published/survey_figures.csv")
    result = poster_consistency(pairs, poster_figures(figures))
    stated = result[result["rule"] == "avrundning"].set_index("figure_id")
    assert set(stated.index[~stated["consistent"]]) == {"cs2018_information", "cs2018_understanding", "cs2018_views"}
    assert (stated.loc["cs2018_information", "reachable_min_pct"], stated.loc["cs2018_information", "reachable_max_pct"]) \
        == (86.36, 90.06)
    summary = rule_summary(result).set_index("rule")
    assert summary.loc["trunkering", "consistent"] == 5
    assert summary.loc["trunkering+fraga_paverka", "all_consistent"]


# --- the twin and the check, built ----------------------------------------------------------------------

def test_the_twin_matches_kolada_everywhere(built):
    comparison = pd.read_csv(built / "processed" / "kolada_survey_comparison.csv", dtype=str, keep_default_na=False)
    assert comparison["passed"].eq("True").all(), comparison[comparison["passed"] != "True"]
    respondents = comparison[comparison["measure"] == "respondents"].set_index(["year", "kommun_kod"])["survey"]
    assert respondents[("2018", "2481")] == "68" and respondents[("2019", "2425")] == "31"
    assert int(respondents.xs("2018").astype(int).sum()) == 174 + 3     # Sorsele: 3, a documented choice
    assert set(comparison["year"]) == {"2018", "2019"} and len(comparison) == (8 + 10) * 8


def test_the_check_catches_a_survey_that_disagrees_with_kolada(built, kolada_values):
    codebook = load_codebook("client_survey_2018")
    frame = pd.read_parquet(built / "processed" / "client_survey_2018.parquet")
    names = dict(zip(kolada_values["kommun_kod"], kolada_values["municipality"]))
    pub = client_survey_values(kolada_values, 2018)
    assert kolada_failures(compare_with_kolada(frame, codebook, pub, names)) == []
    changed = frame.copy()
    row = changed.index[(changed["kommun"] == "2425") & changed["information_ease"].isin([1, 2])][0]
    changed.loc[row, "information_ease"] = 4
    lines = kolada_failures(compare_with_kolada(changed, codebook, pub, names))
    assert lines == ["Dorotea 2018 information_ease (U30448): survey 15/17, Kolada 94.11764706"]
    dropped = frame[frame["kommun"] != "2481"].iloc[1:]
    assert any("respondents" in line for line in kolada_failures(compare_with_kolada(dropped, codebook, pub, names)))


def test_other_published_facts_against_kolada():
    from analysis.survey_data.kolada_reconcile import published_facts_against_kolada

    figures = pd.DataFrame({
        "figure_id": ["m18", "more"], "dataset": ["client_survey_2018", "client_survey_2019"],
        "description": ["x", "y"], "published_value": ["3", "0"], "measure": ["municipalities", "respondents_more_than"],
        "variable": ["", "client_survey_2018"], "rule": ["equal", "greater_than"]})
    by_year = {2018: published({"0001": {"respondents": 10}, "0002": {"respondents": 5}}),
               2019: published({"0001": {"respondents": 12}})}
    study = {"client_survey_2018": ["0001", "0002", "0003"], "client_survey_2019": ["0001", "0002", "0003"]}
    out = published_facts_against_kolada(figures, by_year, study).set_index("figure_id")
    assert out.loc["m18", "consistent"]                       # 2 with values, the third had 1–4
    assert out.loc["more", "kolada"] == "2019: 14–20 svarande, 2018: 16–19 (U30901)"
    assert out.loc["more", "consistent"]                      # 20 > 16 is possible
    by_year[2019] = published({"0001": {"respondents": 5}})
    assert not published_facts_against_kolada(figures, by_year, study).set_index("figure_id").loc["more", "consistent"]
