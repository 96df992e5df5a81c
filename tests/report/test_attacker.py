"""The automated attacker: everything published, taken together, must not pin down a count of 1–4."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.report import attacker, ledger
from analysis.client_surveys import indicators as client_survey
from analysis.core import disclosure
from analysis.survey_data.codebooks import load_codebook
from analysis.report.ledger import Fact

CLIMATE = load_codebook("innovation_climate_2017")
MALA, SORSELE, ASELE, LYCKSELE = "2418", "2422", "2463", "2481"


def truth_of(respondents: dict, item_cells: dict) -> pd.DataFrame:
    rows = [("s", "respondents", m, "n", n) for m, n in respondents.items()]
    rows += [("s", "q", m, c, n) for m, cells in item_cells.items() for c, n in cells.items()]
    return pd.DataFrame(rows, columns=["survey", "item", "municipality", "cell", "n"])


def test_case_1_by_hand_a_merged_row_and_a_shown_n_reveal_a_single_respondent():
    """Malå and Sorsele merged (6 together), both took part, Malå shown elsewhere with n = 5: Sorsele had 1."""
    truth = truth_of({MALA: 5, SORSELE: 1, LYCKSELE: 10},
                     {MALA: {"positive": 5, "other": 0, "dont_know": 0, "blank": 0},
                      SORSELE: {"positive": 0, "other": 1, "dont_know": 0, "blank": 0},
                      LYCKSELE: {"positive": 5, "other": 5, "dont_know": 0, "blank": 0}})
    everyone = (MALA, SORSELE, LYCKSELE)
    facts = [Fact("s", "respondents", everyone, ("n",), 16),
             *(Fact("s", "respondents", (m,), ("n",), 1, op=">=") for m in everyone),
             Fact("s", "respondents", (LYCKSELE,), ("n",), 10), Fact("s", "respondents", (MALA, SORSELE), ("n",), 6),
             *(Fact("s", "q", everyone, (c,), n) for c, n in (("positive", 10), ("other", 6), ("dont_know", 0)))]
    found, attacked = attacker.attack(facts, truth, threshold=5)
    assert found.empty and attacked >= 2, "without Malå's n, Sorsele can be anything from 1 to 5"
    leak = [Fact("s", "q", (MALA,), ("positive",), 5), Fact("s", "q", (MALA,), ("other",), 0)]
    found, _ = attacker.attack(facts + leak, truth, threshold=5)
    row = found.set_index(["item", "municipality", "cell"]).loc[("respondents", SORSELE, "n")]
    assert (row["low"], row["high"], row["kind"]) == (1, 1, "count")
    assert ("q", MALA, "positive") in set(zip(found["item"], found["municipality"], found["cell"])), \
        "Malå's five are all 'positive': unanimity is found too"


def test_a_published_minimum_enters_as_a_disjunction():
    """a = 10 shown, b + c = 12, c at least 3: b is anything from 1 to 9, until a published minimum of
    1–2 per municipality says that one of them has at most 2, which can only be b."""
    truth = truth_of({"a": 10, "b": 1, "c": 11}, {})
    facts = [Fact("s", "respondents", ("a", "b", "c"), ("n",), 22), Fact("s", "respondents", ("a",), ("n",), 10),
             *(Fact("s", "respondents", (m,), ("n",), 1, op=">=") for m in "ab"),
             Fact("s", "respondents", ("c",), ("n",), 3, op=">=")]
    found, _ = attacker.attack(facts, truth, threshold=5)
    assert found.empty
    found, _ = attacker.attack(facts + [Fact("s", "respondents", ("a", "b", "c"), ("n",), 1, op="min", high=2)],
                               truth, threshold=5)
    assert found[["municipality", "low", "high"]].values.tolist() == [["b", 1, 2]]


def climate_frame() -> pd.DataFrame:
    """Lycksele 14 (5 'Bra', 5 not, 4 blank), Malå 12 (6/6), Åsele 11 (5/6), Sorsele 1 ('Bra') on one aspect."""
    kommun = [LYCKSELE] * 14 + [MALA] * 12 + [ASELE] * 11 + [SORSELE]
    state = [3] * 5 + [1] * 5 + [None] * 4 + [3] * 6 + [2] * 6 + [3] * 5 + [1] * 6 + [3]
    data = {v.name: pd.array([pd.NA] * len(kommun), dtype="Int16") for v in CLIMATE.variables if v.scale is not None}
    data["state_open_climate"] = pd.array(state, dtype="Int16")
    data["kommun"], data["role"] = kommun, pd.array([3] * len(kommun), dtype="Int16")
    return pd.DataFrame(data)


def attack_climate(frame: pd.DataFrame) -> pd.DataFrame:
    frames, codebooks = {"innovation_climate_2017": frame}, {"innovation_climate_2017": CLIMATE}
    found, _ = attacker.attack(ledger.published_facts(frames, codebooks), ledger.truth(frames, codebooks), threshold=5)
    return found


def test_case_1_through_the_library_a_group_merged_for_its_size_stays_merged(monkeypatch):
    """The respondents table merges Åsele with Sorsele (12). If the climate profile showed Åsele's 11
    answers, Sorsele's one respondent would follow; the library keeps Åsele merged in every item."""
    assert attack_climate(climate_frame()).empty
    monkeypatch.setattr(client_survey, "respondents_hidden", lambda frame, codebook: [])
    found = attack_climate(climate_frame())
    assert ("respondents", SORSELE, 1, 1) in set(zip(found["item"], found["municipality"], found["low"], found["high"]))


def test_everything_published_from_the_twin_withstands_the_attacker(built, monkeypatch):
    monkeypatch.setenv("GINO_DATA_DIR", str(built))
    from analysis.core import paths
    from analysis.report import processed
    from analysis.survey_data.published import read_published_survey_figures

    frames = {d: processed.survey(d) for d in processed.SURVEYS}
    codebooks = {d: processed.codebook(d) for d in processed.SURVEYS}
    published = read_published_survey_figures(paths.published_dir() / "survey_figures.csv")
    figures = published.merge(processed.published_survey_comparison()[["figure_id", "computed"]], on="figure_id")
    truth = ledger.truth(frames, codebooks)
    facts = ledger.published_facts(frames, codebooks, figures)
    found, attacked = attacker.attack(facts, truth, disclosure.THRESHOLD)
    assert found.empty, found.to_string()
    assert attacked >= 300
    # the rules before issue 13 (no unanimity rule, no forced merging, the computed minimum printed) leak Sorsele
    monkeypatch.setattr(client_survey, "respondents_hidden", lambda frame, codebook: [])
    monkeypatch.setattr(disclosure, "unanimous", lambda values: np.zeros(len(np.atleast_2d(values)), dtype=bool))
    figures.loc[figures["measure"] == "min_per_municipality", "computed"] = "1"
    found, _ = attacker.attack(ledger.published_facts(frames, codebooks, figures), truth, disclosure.THRESHOLD)
    assert ("innovation_climate_2017", "respondents", SORSELE) in set(zip(found["survey"], found["item"],
                                                                          found["municipality"]))
    assert (found["kind"] == "unanimous").any()


def test_an_inconsistent_ledger_is_an_error():
    with pytest.raises(ValueError, match="admit no solution"):
        attacker.attack([Fact("s", "respondents", ("a",), ("n",), 9)], truth_of({"a": 3}, {}), threshold=5)
