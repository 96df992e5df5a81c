"""Feedback to the municipalities: each municipality beside the region, with the report's disclosure rule;
the poster's "N av 10" statements computed, and the report's poster reproduced."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from analysis.client_surveys import indicators as client_survey
from analysis.core.publication_plan import Plan, reason_key
from analysis.feedback import comparison as feedback, tables as feedback_tables
from analysis.survey_data.codebooks import load_codebook

CODEBOOK = load_codebook("client_survey_2018")
CLIMATE = load_codebook("innovation_climate_2017")
POSTER_2018 = [  # the report's poster, "Sammanslagna resultat för de kommuner som deltog" (quoted)
    "8 av 10 tyckte att det är lätt eller ganska lätt att få kontakt med socialsekreteraren",
    "8 av 10 tyckte att det är lätt eller ganska lätt att förstå informationen från socialsekreteraren",
    "7 av 10 tycker att socialsekreteraren visar förståelse",
    "6 av 10 säger att socialsekreteraren frågar efter synpunkter",
    "7 av 10 säger att deras situation förbättras efter kontakt med socialtjänsten",
    "8 av 10 är nöjda eller ganska nöjda med socialtjänsten som helhet",
]


def frame(kommun: list[str], answers: list, codebook=CODEBOOK, variables=tuple(feedback.POSTER_STATEMENTS)) -> pd.DataFrame:
    """Respondents of ``kommun`` giving ``answers`` (a code or None) to every one of ``variables``."""
    data = {v.name: pd.array([pd.NA] * len(kommun), dtype="Int16") for v in codebook.variables if v.scale is not None}
    data.update({name: pd.array(answers, dtype="Int16") for name in variables})
    data["kommun"] = kommun
    data["role"] = pd.array([3] * len(kommun), dtype="Int16")
    return pd.DataFrame(data)


# Malå: 3 respondents (too few); Lycksele: 10 positive, 10 not; Storuman: 15 and 5 (passes on its own).
THREE = frame(["2418"] * 3 + ["2481"] * 20 + ["2421"] * 20, [1, 1, 1] + [1] * 10 + [3] * 10 + [1] * 15 + [3] * 5)
D = CODEBOOK.dataset


def plan_of(shown: list[str], hidden: dict | None = None, variables=client_survey.INDICATORS) -> Plan:
    """A publication plan showing ``shown`` for every indicator (the region over them), the rest hidden for
    the reasons in ``hidden`` (municipality -> reason code)."""
    plan = Plan(indicators={D: {v: list(shown) for v in variables}}, region={D: {v: list(shown) for v in variables}},
                respondents={D: list(shown)})
    for m, reason in (hidden or {}).items():
        plan.reasons.update({reason_key(D, v, m): reason for v in [*variables, "respondents"]})
    return plan


PLAN = plan_of(["2421", "2481"], {"2418": "kolada"})


def test_the_region_poster_keeps_the_report_posters_words(built, monkeypatch):
    """Word for word after the number; the numbers are the region's under the audited plan (the municipalities
    whose figures are shown), so they need not be the report's."""
    monkeypatch.setenv("GINO_DATA_DIR", str(built))
    from analysis.report import processed

    frame_2018, plan = processed.survey("client_survey_2018"), processed.disclosure_plan()
    statements = feedback.poster_statements(frame_2018, CODEBOOK, plan)
    texts = statements["text"].tolist()
    assert [t.split(" av 10 ", 1)[1] for t in texts] == [t.split(" av 10 ", 1)[1] for t in POSTER_2018]
    region = client_survey.headline_indicators(frame_2018, CODEBOOK, plan=plan).set_index("variable")["of_ten"]
    assert statements["of_ten"].tolist() == [int(region[v]) for v in statements["variable"]]
    assert (statements["source"] == "regionen").all()


def test_number_is_computed_half_up():
    """3 of 4 positive = 0.75 -> '8 av 10' (half up), in every statement."""
    statements = feedback.poster_statements(frame(["2481"] * 4, [1, 2, 1, 3]), CODEBOOK, plan_of(["2481"]))
    assert statements["text"].str.startswith("8 av 10 ").all()


def test_a_municipality_the_plan_hides_gets_the_regional_figure():
    mala = feedback.poster_statements(THREE, CODEBOOK, PLAN, kommun="2418")
    assert (mala["source"] == "regionen").all() and mala["text"].str.startswith("6 av 10 ").all()  # 25 of 40
    lycksele = feedback.poster_statements(THREE, CODEBOOK, PLAN, kommun="2481")
    assert (lycksele["source"] == "kommunen").all() and lycksele["text"].str.startswith("5 av 10 ").all()


@pytest.mark.parametrize("value, code", [(2425, "2425"), ("2425", "2425"), (114, "0114"), ("", None), (None, None)])
def test_municipality_parameter_as_quarto_passes_it(value, code):
    assert feedback.municipality_code(value) == code


@pytest.mark.parametrize("value", ["Dorotea", "24250", -5])
def test_a_municipality_parameter_that_is_no_code_is_refused(value):
    with pytest.raises(ValueError, match="expected SCB's four-digit kommun code"):
        feedback.municipality_code(value)


def test_a_municipality_is_shown_exactly_where_the_plan_shows_it():
    reasons = {k: set(feedback.indicator_comparison(THREE, CODEBOOK, k, PLAN)["reason"]) for k in ("2418", "2421", "2481")}
    assert reasons == {"2418": {"kolada"}, "2421": {""}, "2481": {""}}
    report = client_survey.indicators_by_municipality(THREE, CODEBOOK, PLAN).query("variable == 'contact_ease'")
    assert set(report.loc[~report["suppressed"], "municipality"]) == {"Lycksele", "Storuman"}  # no merged row
    assert feedback_tables.own_cells(feedback.indicator_comparison(THREE, CODEBOOK, "2418", PLAN))[0] == \
        "för få svar (Kolada redovisar inte)"


def test_the_municipality_beside_the_region_with_intervals():
    """The region is the shown municipalities: Malå, hidden, is in no sum (else region minus shown gives it)."""
    table = feedback.indicator_comparison(THREE, CODEBOOK, "2481", PLAN).set_index("variable")
    row = table.loc["contact_ease"]
    assert (row["own_k"], row["own_n"], row["own_share"]) == (10, 20, 0.5)
    assert (row["k"], row["n"], row["municipalities"]) == (25, 40, 2)
    assert row["own_ci_low"] < 0.5 < row["own_ci_high"] and row["ci_low"] < 25 / 40 < row["ci_high"]
    assert "2 kommuner" in feedback_tables.region_cells(table.reset_index())[0]


def test_a_municipality_that_did_not_take_part():
    table = feedback.indicator_comparison(THREE, CODEBOOK, "2425", plan_of(["2421"], {"2425": "absent"}))
    assert (table["reason"] == "absent").all() and table["own_share"].isna().all()
    assert feedback_tables.own_cells(table)[0] == "deltog inte"


def test_differences_from_the_other_municipalities_with_holm():
    years = {2018: feedback.indicator_comparison(THREE, CODEBOOK, "2481", PLAN)}
    d = feedback.differences_from_rest(years)
    assert len(d) == 6 and set(d["variable"]) == set(feedback.POSTER_STATEMENTS)
    row = d.iloc[0]
    assert (row["own_k"], row["own_n"], row["rest_k"], row["rest_n"]) == (10, 20, 15, 20)
    assert math.isclose(row["difference"], 10 / 20 - 15 / 20)
    assert row["diff_low"] < row["difference"] < row["diff_high"]
    assert np.allclose(d["p_holm"], np.minimum(1, 7 * d["p"]))  # six equal p-values in a family of seven


def test_no_comparison_where_nothing_is_shown():
    d = feedback.differences_from_rest({2018: feedback.indicator_comparison(THREE, CODEBOOK, "2418", PLAN)})
    assert d.empty and "p_holm" in d
    assert "ingen jämförelse" in feedback_tables.difference_text(d, "Malå")


def test_answer_groups_beside_the_region():
    f = THREE.copy()
    f["travel_distance"] = pd.array([1] * 3 + [1] * 12 + [4] * 8 + [2] * 15 + [3] * 5, dtype="Int16")
    plan = Plan(categories={"travel_distance": ["2481"]}, region={D: {"travel_distance": ["2421", "2481"]}},
                reasons={reason_key(D, "travel_distance", "2421"): "hidden", reason_key(D, "travel_distance", "2418"): "kolada"})
    lycksele = feedback.category_comparison(f, CODEBOOK, "2481", "travel_distance", feedback.DISTANCE_GROUPS, plan)
    assert lycksele["own_k"].tolist() == [12, 8] and lycksele["k"].tolist() == [27, 13] and lycksele["shown"].all()
    storuman = feedback.category_comparison(f, CODEBOOK, "2421", "travel_distance", feedback.DISTANCE_GROUPS, plan)
    assert (storuman["reason"] == "hidden").all() and storuman["own_share"].isna().all()
    assert feedback_tables.own_cells(storuman)[0] == "dold (röjandeskydd)"


def test_the_climate_profile_follows_the_plan_item_by_item():
    variables = ("state_open_climate",)
    f = frame(["2421"] * 12 + ["2418"] * 2 + ["2463"] * 10, [3] * 6 + [2] * 6 + [3, 2] + [3] * 5 + [2] * 5,
              codebook=CLIMATE, variables=variables)
    plan = Plan(climate={"state_open_climate": ["2421"]},
                reasons={reason_key(CLIMATE.dataset, "state_open_climate", "2418"): "hidden"})
    storuman = feedback.climate_profile(f, CLIMATE, "2421", plan).set_index("aspect")
    assert storuman.loc["open_climate", "own_state_share"] == 0.5
    assert storuman.loc["open_climate", "own_state_reason"] == ""
    assert storuman.loc["open_climate", "state_n"] == 24
    mala = feedback.climate_profile(f, CLIMATE, "2418", plan).set_index("aspect")
    assert mala.loc["open_climate", "own_state_reason"] == "hidden"
    assert pd.isna(mala.loc["open_climate", "own_state_share"])


def test_public_facts_are_pooled_over_the_region():
    sparsity_table = pd.DataFrame({
        "kommun_kod": ["2418", "2421"], "kommun_namn": ["Malå", "Storuman"], "population": [3000, 6000],
        "land_area_km2": [1000.0, 2000.0], "density_land_per_km2": [3.0, 3.0], "share_outside_tatorter": [0.5, 0.2],
        "share_empty_land": [0.9, 0.6], "mean_road_km_to_centre": [10.0, 40.0], "road_km_centre_to_regional": [200.0, 250.0]})
    municipalities = pd.DataFrame({"kommun_kod": ["2418", "2421"], "age_sum_years": [3000 * 40.0, 6000 * 46.0],
                                   "population_65_plus": [600, 1800], "mean_age": [40.0, 46.0]})
    facts = feedback.facts_comparison(sparsity_table, municipalities, "2418").set_index("measure")
    assert facts.loc["population", ["kommun", "region", "rank", "of"]].tolist() == [3000, 9000, 2, 2]
    assert math.isclose(facts.loc["mean_age", "region"], 44.0)
    assert math.isclose(facts.loc["share_outside_tatorter", "region"], (1500 + 1200) / 9000)
    assert math.isclose(facts.loc["share_empty_land", "region"], (900 + 1200) / 3000)
    assert math.isclose(facts.loc["mean_road_km_to_centre", "region"], 30.0)
    assert math.isnan(facts.loc["road_km_centre_to_regional", "region"])
    with pytest.raises(ValueError, match="not among the region's municipalities"):
        feedback.facts_comparison(sparsity_table, municipalities, "2425")


def test_on_the_twin_every_document_shows_what_the_plan_shows(built, monkeypatch):
    monkeypatch.setenv("GINO_DATA_DIR", str(built))
    from analysis.report import processed

    plan = processed.disclosure_plan()
    for dataset in ("client_survey_2018", "client_survey_2019"):
        f, codebook = processed.survey(dataset), processed.codebook(dataset)
        report = client_survey.indicators_by_municipality(f, codebook, plan)
        for code, name in codebook.municipalities.items():
            mine = feedback.indicator_comparison(f, codebook, code, plan).set_index("variable")["shown"]
            theirs = report[(report["municipality"] == name) & ~report["suppressed"]]["variable"]
            assert set(mine[mine].index) == set(theirs), (dataset, name)


def test_the_poster_says_too_few_only_where_kolada_says_so():
    assert "för få" in feedback_tables.poster_region_note("Malå", ["regionen"] * 2, ["kolada"] * 2)
    hidden = feedback_tables.poster_region_note("Storuman", ["regionen", "kommunen"], ["hidden", ""])
    assert hidden == ' Där det står "regionen" döljs siffrorna för Storuman av röjandeskyddet.'
    assert feedback_tables.poster_region_note("Lycksele", ["kommunen"] * 2, ["", ""]) == ""


def test_respondents_and_thanks_wording():
    assert feedback_tables.respondents_text(19) == "19 personer"
    assert feedback_tables.respondents_text(None, "kolada") == "färre än 5 (Kolada redovisar inte antalet)"
    assert feedback_tables.respondents_text(None, "hidden") == "ett antal som inte redovisas (röjandeskydd)"
    assert feedback_tables.respondents_text(0) == "ingen (kommunen deltog inte)"
    assert feedback_tables.thanks_sentence(174, 7, ["Sorsele"], 2018).startswith(
        "Tack till alla som svarade! 174 personer i 7 kommuner besvarade enkäten 2018, och i Sorsele färre än 5")
    assert feedback_tables.thanks_sentence(50, 2, [], 2019).endswith("enkäten 2019.")


def test_the_poster_heading_says_what_the_region_is():
    assert feedback_tables.region_heading([5, 7, 6], 8) == \
        "Sammanslagna resultat för de kommuner vars siffror kan redovisas: 5–7 av de 8 kommuner som deltog"
    assert "6 av de 8" in feedback_tables.region_heading([6, 6], 8)
