"""The Kolada computations done for many values at once give what the one-at-a-time definitions give."""

from __future__ import annotations

import random
from fractions import Fraction

import pandas as pd
import pytest

from analysis.public_data import kolada
from analysis.public_data.kolada_pairs import first_pairs, pairs_for_value
from analysis.survey_data import kolada_reconcile


def test_first_pairs_are_those_of_pairs_for_value():
    rng = random.Random(3)
    values, respondents = [], []
    for _ in range(2000):
        r = rng.choice([-1, 0, 3, 5, 7, 12, 40, 90, 250])
        n = rng.randint(5, max(5, r)) if r >= 5 else 5
        k = rng.randint(0, n)
        values.append(round(100 * k / n, rng.choice([1, 4, 6, 12])) if rng.random() < 0.9 else rng.uniform(0, 100))
        respondents.append(r)
    k, n, count = first_pairs(values, respondents)
    for i, (v, r) in enumerate(zip(values, respondents)):
        pairs = pairs_for_value(v, r) if r >= 0 else []
        assert count[i] == len(pairs)
        assert (k[i], n[i]) == ((pairs[0].positive, pairs[0].answered) if pairs else (-1, -1))


def _reference_shares(states, with_dont_know: bool, low: Fraction, high: Fraction):
    """The definition, one state at a time with fractions (the implementation before it was vectorised)."""
    smin, smax, consistent, gap, fewest = None, None, False, None, None
    for k, n, s in states:
        if n == 0:
            continue
        top = Fraction(k, n)
        bottom = Fraction(k, n + s) if with_dont_know else top
        smin = bottom if smin is None else min(smin, bottom)
        smax = top if smax is None else max(smax, top)
        if with_dont_know:
            d_low = 0 if k < high * n else int(Fraction(k) / high - n) + 1 if high else s + 1
            d_high = s if low == 0 else min(s, int(Fraction(k) / low - n))
            hit = d_low <= d_high
            if hit:
                fewest = d_low if fewest is None else min(fewest, d_low)
            this_gap = 0 if hit else (low - top if top < low else bottom - high)
        else:
            hit = low <= top < high
            this_gap = 0 if hit else (low - top if top < low else top - high)
        consistent |= hit
        gap = this_gap if gap is None else min(gap, this_gap)
    return smin, smax, consistent, gap, fewest


@pytest.mark.parametrize("seed", range(5))
def test_poster_shares_are_the_exact_definition(seed):
    rng = random.Random(seed)
    for _ in range(300):
        states = set()
        for _ in range(rng.randint(0, 25)):
            n = rng.randint(0, 200)
            states.add((rng.randint(0, n), n, rng.randint(0, 60)))
        for of_ten in (0, rng.randint(1, 9), 10):
            for rounding in ("round", "floor"):
                low, high = kolada_reconcile.allowed_interval(of_ten, rounding)
                for with_dont_know in (False, True):
                    assert kolada_reconcile._shares(states, with_dont_know, low, high) == \
                        _reference_shares(states, with_dont_know, low, high)


VALUES = ("kpi_id,kpi_title,municipality_id,municipality,year,gender,value\n"
          "U30447,Lätt  att få\tkontakt ,2418,Malå,2018,T,66.666667\n"
          "U30901,Svarande,2418,Malå,2018,T,6\n")


def test_a_values_file_read_twice_is_parsed_once_and_each_caller_gets_a_copy(tmp_path):
    path = tmp_path / "values.csv"
    path.write_text(VALUES, encoding="utf-8")
    first = kolada.read_kpi_values(path)
    assert first["kpi_title"].iloc[0] == "Lätt att få kontakt"
    first.loc[0, "value"] = -1.0
    second = kolada.read_kpi_values(path)
    assert second["value"].iloc[0] == pytest.approx(66.666667)
    pd.testing.assert_frame_equal(second, kolada.read_kpi_values(path))
    path.write_text(VALUES.replace("66.666667", "50"), encoding="utf-8")  # new content: read again
    assert kolada.read_kpi_values(path)["value"].iloc[0] == 50.0
    assert kolada.municipality_names(second) == {"2418": "Malå"}
    path.write_text(VALUES.replace("U30447", "bad id"), encoding="utf-8")  # still validated every time
    with pytest.raises(Exception, match="KPI"):
        kolada.read_kpi_values(path)
