"""An automated attacker: from every published fact together (``analysis.report.ledger``), can any
protected count be pinned down?

The unknowns of one survey are non-negative integers (a municipality's count in one cell of one
item, and its number of respondents), tied together by the fact that every respondent is in
exactly one cell of every item. For each protected target the attacker solves two integer
programs (HiGHS through ``scipy.optimize.milp``): the largest and the smallest value the target
can take given everything published. A target is disclosed when it is proved to lie in
1 … threshold − 1 (smallest ≥ 1 and largest < threshold), which includes being determined
exactly. Targets are the cells of every municipality whose true count is 1 … threshold − 1
(answers: positive, other, "vet inte"; blanks are not protected) and the municipalities' numbers
of respondents. Unanimity is attacked too: for a municipality whose answers to an item all fall in
one cell, the attacker tries to prove that its other answer cells are empty while that one is not
(items whose regional total is itself unanimous are exempt: the report publishes them).

The integer programs are exact, so the attacker finds every leak that follows from the facts by
linear reasoning over whole respondents, including combinations across documents; min and max
facts ("the smallest municipality had 1–2 respondents") enter with one binary per municipality.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.report.ledger import Fact


def _problem(facts: list[Fact], truth: pd.DataFrame):
    """Variables, constraint rows and bounds of one survey's integer program."""
    from scipy.optimize import LinearConstraint

    keys = list(zip(truth["item"], truth["municipality"], truth["cell"]))
    index = {k: i for i, k in enumerate(keys)}
    municipalities = sorted(set(truth["municipality"]))
    items = sorted(set(truth["item"]) - {"respondents"})
    total = int(truth.loc[truth["item"] == "respondents", "n"].sum())
    extremes = [f for f in facts if f.op in ("min", "max")]
    n_vars = len(keys) + len(extremes) * len(municipalities)
    rows, low, high = [], [], []

    def add(coefficients: dict[int, float], lo: float, hi: float) -> None:
        row = np.zeros(n_vars)
        for i, c in coefficients.items():
            row[i] += c
        rows.append(row)
        low.append(lo)
        high.append(hi)

    cells_of = truth.groupby("item")["cell"].unique()
    for item in items:  # every respondent is in exactly one cell of every item
        for m in municipalities:
            add({**{index[(item, m, c)]: 1 for c in cells_of[item]}, index[("respondents", m, "n")]: -1}, 0, 0)
    for f in facts:
        terms = {index[(f.item, m, c)]: 1 for m in f.groups for c in f.cells}
        if f.op == "==":
            add(terms, f.value, f.value)
        elif f.op == ">=":
            add(terms, f.value, np.inf)
    for j, f in enumerate(extremes):  # binary z_m: municipality m is the extreme one
        binaries = [len(keys) + j * len(municipalities) + i for i in range(len(municipalities))]
        add({b: 1 for b in binaries}, 1, np.inf)
        for m, b in zip(municipalities, binaries):
            r = index[("respondents", m, "n")]
            participant = truth.loc[(truth["item"] == "respondents") & (truth["municipality"] == m), "n"].iloc[0] > 0
            if f.op == "min":  # every participant has at least low; the smallest participant at most high
                if participant:
                    add({r: 1}, f.value, np.inf)
                    add({r: 1, b: total}, -np.inf, f.high + total)
                else:
                    add({b: 1}, 0, 0)
            else:  # every municipality has at most high; the largest at least low
                add({r: 1}, -np.inf, f.high)
                add({r: 1, b: -f.value}, 0, np.inf)
    upper = np.concatenate([np.full(len(keys), total), np.ones(n_vars - len(keys))])
    return index, LinearConstraint(np.array(rows), low, high), upper, n_vars


def _bound(objective: np.ndarray, constraints, upper, sense: int) -> float:
    from scipy.optimize import Bounds, milp

    result = milp(sense * objective, constraints=constraints, integrality=np.ones(len(objective)),
                  bounds=Bounds(0, upper))
    if result.status != 0:
        raise ValueError(f"the published facts admit no solution ({result.message}): the ledger contradicts itself")
    return sense * result.fun


def attack(facts: list[Fact], truth: pd.DataFrame, threshold: int) -> tuple[pd.DataFrame, int]:
    """Every disclosed target: survey, item, municipality, cell, true n, proved low and high, kind
    (``count`` or ``unanimous``); and how many targets were attacked."""
    found, attacked = [], 0
    for survey, part in truth.groupby("survey", sort=True):
        part = part.reset_index(drop=True)
        index, constraints, upper, n_vars = _problem([f for f in facts if f.survey == survey], part)
        exempt = _unanimous_region_items(part)
        for r in part.itertuples(index=False):
            if r.cell == "blank" or not 0 < r.n < threshold:
                continue
            attacked += 1
            objective = np.zeros(n_vars)
            objective[index[(r.item, r.municipality, r.cell)]] = 1
            high = _bound(objective, constraints, upper, -1)
            if high < threshold - 0.5 and (low := _bound(objective, constraints, upper, 1)) > 0.5:
                found.append((survey, r.item, r.municipality, r.cell, r.n, round(low), round(high), "count"))
        answers = part[(part["cell"] != "blank") & (part["item"] != "respondents")]
        for (item, m), group in answers.groupby(["item", "municipality"], sort=True):
            if item in exempt or (group["n"] > 0).sum() != 1:
                continue
            attacked += 1
            cell = group.loc[group["n"] > 0, "cell"].iloc[0]
            others = np.zeros(n_vars)
            for c in group["cell"]:
                if c != cell:
                    others[index[(item, m, c)]] = 1
            if _bound(others, constraints, upper, -1) < 0.5:
                own = np.zeros(n_vars)
                own[index[(item, m, cell)]] = 1
                if (low := _bound(own, constraints, upper, 1)) > 0.5:
                    found.append((survey, item, m, cell, int(group["n"].sum()), round(low), None, "unanimous"))
    columns = ["survey", "item", "municipality", "cell", "n", "low", "high", "kind"]
    return pd.DataFrame(found, columns=columns), attacked


def _unanimous_region_items(part: pd.DataFrame) -> set[str]:
    answers = part[(part["cell"] != "blank") & (part["item"] != "respondents")]
    totals = answers.groupby(["item", "cell"])["n"].sum()
    return {item for item, cells in totals.groupby(level=0) if (cells > 0).sum() <= 1}
