"""The enumerated spaces (``feasible_exact``) answer exactly what the integer program (``feasible.Space``) answers."""

from __future__ import annotations

import random

import numpy as np
import pytest

from analysis.core.feasible import Choice, Either, Infeasible, Linear, Space, terms
from analysis.core.feasible_blocks import Blocks, group_of, space
from analysis.core.feasible_enum import TooLarge, canonical, codes, enumerate_group, member, propagate, unique_rows
from analysis.core.feasible_exact import Enumerated

CELLS = ("positive", "other", "dont_know", "blank")


def x(group: str, cell: str, item: str = "item") -> tuple:
    return ("x", "s", item, group, cell)


def n(group: str) -> tuple:
    return ("n", "s", group)


def random_block(rng: random.Random, sizes: dict | None = None, item: str = "item") -> tuple[dict, list, dict]:
    """A client-survey-like block: 2–4 groups, each with a size, four cells summing to it, Kolada-like choices
    on (positive, answered), shown figures, regional sums (exact, ranges, a share band) and either-or facts
    over sizes, all true of a random truth (so the space is never empty). ``sizes``: the groups' sizes."""
    sizes = sizes or {f"g{i}": rng.randint(0, 9) for i in range(rng.randint(2, 4))}
    groups = list(sizes)
    truth, upper, facts = {}, {}, []
    for g in groups:
        size = sizes[g]
        parts = sorted(rng.randint(0, size) for _ in range(3))
        values = [parts[0], parts[1] - parts[0], parts[2] - parts[1], size - parts[2]]
        truth[n(g)] = size
        truth.update({x(g, c, item): v for c, v in zip(CELLS, values)})
        upper.update({n(g): 20, **{x(g, c, item): 20 for c in CELLS}})
        facts.append(Linear((*terms(x(g, c, item) for c in CELLS), (n(g), -1)), 0, 0, "structure"))
        positive, answered = values[0], values[0] + values[1]
        kind = rng.random()
        if kind < 0.4:  # Kolada's value: a few (positive, answered) pairs, the true one among them
            options = {(positive, answered)} | {(a, b) for b in range(10) for a in range(b + 1) if rng.random() < 0.05}
            facts.append(Choice((((x(g, "positive", item), 1),), ((x(g, "positive", item), 1), (x(g, "other", item), 1))),
                                tuple(sorted(options))))
        elif kind < 0.6:  # shown exactly
            facts += [Linear(((x(g, "positive", item), 1),), positive, positive),
                      Linear(((x(g, "other", item), 1),), values[1], values[1])]
        elif kind < 0.75 and answered < 5:  # Kolada: fewer than five answered
            facts.append(Linear(((x(g, "positive", item), 1), (x(g, "other", item), 1)), 0, 4))
        if rng.random() < 0.7:
            facts.append(Linear(((n(g), 1),), size, size))
        else:
            facts.append(Linear(((n(g), 1),), max(0, size - 2), size + 2))
    members = [g for g in groups if rng.random() < 0.8] or groups[:1]
    k = sum(truth[x(g, "positive", item)] for g in members)
    total = sum(truth[x(g, c, item)] for g in members for c in ("positive", "other"))
    kt = terms(x(g, "positive", item) for g in members)
    nt = terms(x(g, c, item) for g in members for c in ("positive", "other"))
    facts.append(Linear(kt, k, k, "regional k"))
    if rng.random() < 0.6:
        facts.append(Linear(nt, total - rng.randint(0, 2), total + rng.randint(0, 2), "regional n, rounded"))
    if total and rng.random() < 0.5:  # "N av 10": 20 k − (2N − 1) n >= 0 and 20 k − (2N + 1) n <= −1
        tenths = int(10 * k / total + 0.5)
        facts += [Linear((*((key, 20 * c) for key, c in kt), *((key, -(2 * tenths - 1) * c) for key, c in nt)), 0, np.inf),
                  Linear((*((key, 20 * c) for key, c in kt), *((key, -(2 * tenths + 1) * c) for key, c in nt)), -np.inf, -1)]
    if rng.random() < 0.4:  # the fewest respondents per municipality, as an either-or over sizes
        fewest = min(truth[n(g)] for g in groups)
        facts.append(Either(tuple((Linear(((n(g), 1),), fewest, fewest),) for g in groups)))
    return upper, facts, truth


def questions(upper: dict, rng: random.Random) -> list:
    keys = list(upper)
    out = [((k, 1),) for k in keys]
    groups = sorted({k[3] for k in keys if k[0] == "x"})
    for g in groups:
        out.append(((x(g, "positive"), 1), (x(g, "other"), 1)))
    out.append(tuple((x(g, "dont_know"), 1) for g in groups))  # across groups: the programme runs again
    out.append(tuple((k, rng.choice([1, 2, -1])) for k in rng.sample(keys, 3)))
    return out


@pytest.mark.parametrize("seed", range(60))
def test_enumeration_agrees_with_the_integer_program_on_random_blocks(seed):
    rng = random.Random(seed)
    upper, facts, truth = random_block(rng)
    exact, milp = Enumerated(upper, facts, truth, group_of), Space(upper, facts, truth)
    for q in questions(upper, rng):
        assert exact.range(q) == milp.range(q), q
        low, high = exact.range(q)
        assert exact.inside(q, low, high) and not exact.inside(q, low + 1, high + 1)
    for g in sorted({k[3] for k in upper if k[0] == "x"}):
        for value in range(0, 6):
            fixed = {x(g, "positive"): value}
            assert exact.feasible_at(fixed) == Space(upper, facts).feasible_at(fixed), (g, value)
    sizes = [k for k in upper if k[0] == "n"][:2]
    for a in range(0, 5):
        fixed = {sizes[0]: a, sizes[1]: truth[sizes[1]]}
        assert exact.feasible_at(fixed) == Space(upper, facts).feasible_at(fixed)


@pytest.mark.parametrize("seed", range(20))
def test_an_empty_space_is_empty_in_both(seed):
    rng = random.Random(1000 + seed)
    upper, facts, truth = random_block(rng)
    g = next(k[3] for k in upper if k[0] == "x")
    facts = facts + [Linear(((x(g, "positive"), 1), (x(g, "other"), 1), (x(g, "dont_know"), 1)), 21 + seed, 30)]
    exact = Enumerated(upper, facts, None, group_of)
    assert not exact.feasible_at({})
    with pytest.raises(Infeasible):
        exact.range(((x(g, "positive"), 1),))
    with pytest.raises(Infeasible):
        Space(upper, facts).range(((x(g, "positive"), 1),))


def test_a_fact_the_truth_breaks_is_an_error():
    upper = {n("a"): 9, **{x("a", c): 9 for c in CELLS}}
    facts = [Linear((*terms(x("a", c) for c in CELLS), (n("a"), -1)), 0, 0), Linear(((n("a"), 1),), 3, 3, "Kolada")]
    truth = {n("a"): 4, x("a", "positive"): 4}
    with pytest.raises(Infeasible, match="Kolada"):
        Enumerated(upper, facts, truth, group_of)


def test_a_space_too_large_to_enumerate_is_solved_by_the_integer_program():
    upper = {n("a"): 400, **{x("a", c): 400 for c in CELLS}}
    facts = [Linear((*terms(x("a", c) for c in CELLS), (n("a"), -1)), 0, 0), Linear(((n("a"), 1),), 300, 300)]
    with pytest.raises(TooLarge):
        Enumerated(upper, facts, None, group_of)
    solved = space(upper, facts)
    assert isinstance(solved, Space) and solved.range(((x("a", "other"), 1),)) == (0, 300)
    small = space(upper, facts[:1] + [Linear(((n("a"), 1),), 3, 3)])
    assert isinstance(small, Enumerated) and small.range(((x("a", "other"), 1),)) == (0, 3)
    assert space(upper, facts[:1] + [Linear(((n("a"), 1),), 3, 3)]) is small  # the same facts: the same space


@pytest.mark.parametrize("seed", range(10))
def test_blocks_enumerated_and_whole_program_agree(seed):
    """``Blocks`` (sizes enumerated, each item's block enumerated) against one integer program over everything."""
    rng = random.Random(500 + seed)
    sizes = {f"g{i}": rng.randint(0, 9) for i in range(3)}
    upper, facts, truth = {}, [], {}
    for item in ("a", "b"):  # two items of the same groups, tied only by the sizes
        u_, f_, t_ = random_block(rng, sizes, item)
        upper.update(u_), truth.update(t_)
        facts += [f for f in f_ if f not in facts]
    blocks = Blocks.make(upper, facts, lambda k: k[0] == "n", truth)
    whole = Space(upper, facts, truth)
    assert all(isinstance(b, Enumerated) for b in blocks.blocks.values())
    for k in upper:
        assert blocks.range(((k, 1),)) == whole.range(((k, 1),)), k


def test_helpers():
    assert canonical(((("b",), 1), (("a",), 2), (("b",), -1))) == ((("a",), 2),)
    rows = np.array([[1, 2], [3, 4], [1, 2]])
    first, second = codes(rows, np.array([[3, 4]]))
    assert first[1] == second[0] and first[0] == first[2] and first[0] != first[1]
    assert list(member(rows, np.array([[1, 2]]))) == [True, False, True]
    distinct, inverse = unique_rows(rows)
    assert len(distinct) == 2 and (distinct[inverse] == rows).all()
    upper = {"a": 10, "b": 10}
    lo, hi = propagate(upper, [Linear((("a", 1), ("b", 1)), 3, 3), Linear((("a", 1),), 2, 9)])
    assert (lo["a"], hi["a"], lo["b"], hi["b"]) == (2, 3, 0, 1)
    assert propagate(upper, [Linear((("a", 1), ("b", 1)), 30, 40)]) is None
    points = enumerate_group(["a", "b"], [Linear((("a", 1), ("b", 1)), 3, 3)], lo, hi)
    assert sorted(map(tuple, points.tolist())) == [(2, 1), (3, 0)]


def test_the_integer_program_prints_nothing(capfd, monkeypatch):
    """HiGHS prints a banner when an instance is made; ``gino build`` must print only its own lines."""
    from analysis.core import highs

    monkeypatch.setattr(highs, "_HIGHS", None)
    matrix = highs.compressed_rows([0, 0, 0], [0, 1, 0], [1.0, 1.0, 1.0], 1)  # 2 x0 + x1 = 3
    x, cost = highs.solve(matrix, np.array([3.0]), np.array([3.0]), np.zeros(2), np.array([5.0, 5.0]),
                          np.array([-1.0, 0.0]))
    assert list(x) == [1.0, 1.0] and cost == -1.0
    assert highs.solve(matrix, np.array([3.0]), np.array([3.0]), np.zeros(2), np.array([1.0, 0.0]),
                       np.array([1.0, 0.0]))[0] is None
    out, err = capfd.readouterr()
    assert out == "" and err == ""
