"""The poster's "N av 10" statements: computed, disclosure-safe per municipality, and the report's poster reproduced."""

from __future__ import annotations

import pandas as pd

from analysis import feedback
from analysis.codebooks import load_codebook

CODEBOOK = load_codebook("client_survey_2018")
POSTER_2018 = [  # the report's poster, "Sammanslagna resultat för de kommuner som deltog" (quoted)
    "8 av 10 tyckte att det är lätt eller ganska lätt att få kontakt med socialsekreteraren",
    "8 av 10 tyckte att det är lätt eller ganska lätt att förstå informationen från socialsekreteraren",
    "7 av 10 tycker att socialsekreteraren visar förståelse",
    "6 av 10 säger att socialsekreteraren frågar efter synpunkter",
    "7 av 10 säger att deras situation förbättras efter kontakt med socialtjänsten",
    "8 av 10 är nöjda eller ganska nöjda med socialtjänsten som helhet",
]


def frame(kommun: list[str], answers: list[int]) -> pd.DataFrame:
    data = {v.name: pd.array([pd.NA] * len(kommun), dtype="Int16") for v in CODEBOOK.variables if v.scale is not None}
    data.update({name: pd.array(answers, dtype="Int16") for name in feedback.POSTER_STATEMENTS})
    data["kommun"] = kommun
    return pd.DataFrame(data)


def test_the_report_poster_is_reproduced_word_for_word(built, monkeypatch):
    monkeypatch.setenv("GINO_DATA_DIR", str(built))
    from analysis import processed

    statements = feedback.poster_statements(processed.survey("client_survey_2018"), CODEBOOK)
    assert statements["text"].tolist() == POSTER_2018
    assert (statements["source"] == "regionen").all()


def test_number_is_computed_half_up():
    """3 of 4 positive = 0.75 -> '8 av 10' (half up), in every statement."""
    statements = feedback.poster_statements(frame(["2481"] * 4, [1, 2, 1, 3]), CODEBOOK)
    assert statements["text"].str.startswith("8 av 10 ").all()


def test_a_small_municipality_gets_the_regional_figure():
    """Malå's 3 respondents are too few; Lycksele (20 + 20) passes and so does the rest of the region."""
    f = frame(["2418"] * 3 + ["2481"] * 20 + ["2421"] * 20, [1, 1, 1] + [1] * 10 + [3] * 10 + [1] * 15 + [3] * 5)
    mala = feedback.poster_statements(f, CODEBOOK, kommun="2418")
    assert (mala["source"] == "regionen").all()
    lycksele = feedback.poster_statements(f, CODEBOOK, kommun="2481")
    assert (lycksele["source"] == "kommunen").all() and lycksele["text"].str.startswith("5 av 10 ").all()
