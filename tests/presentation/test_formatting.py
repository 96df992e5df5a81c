import math

import pytest

from analysis.presentation.formatting import sv_number, sv_percent


@pytest.mark.parametrize(("value", "decimals", "expected"), [
    (41955.95, 0, "41\u00a0956"),
    (39653, 0, "39\u00a0653"),
    (0.94511, 2, "0,95"),
    (1234567.891, 1, "1\u00a0234\u00a0567,9"),
    (-44, 0, "\u221244"),
    (-0.001, 2, "0,00"),
    (math.nan, 0, "–"),
])
def test_sv_number(value, decimals, expected):
    assert sv_number(value, decimals) == expected


def test_sv_percent():
    assert sv_percent(0.27287) == "27\u00a0%"
    assert sv_percent(0.27287, 1) == "27,3\u00a0%"


def test_inline_prints_text_as_markdown_and_nothing_as_an_empty_span():
    """Quarto shows an inline expression whose output is empty as its code ("{python} inline(...)")."""
    from analysis.presentation.formatting import inline

    assert inline("8 av 10").data == "8 av 10"
    assert inline(55).data == "55"
    assert inline("").data == "[]{}"
