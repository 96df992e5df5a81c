"""What a set of published facts allows: the feasible values of whole-number unknowns, by integer programming.

The disclosure audit models everything published about a survey (and everything public about it, such
as Kolada's values) as constraints over non-negative integers, and asks for each protected quantity the
smallest and largest value those constraints allow. Three kinds of constraint cover every fact:

* ``Linear``: ``low <= sum(coefficient * unknown) <= high`` (a count, a sum of cells, a merged row, a
  total, a share "N av 10" as two inequalities in k and n);
* ``Choice``: a few linear expressions take one of a finite list of value tuples (Kolada's value with
  its respondents allows the pairs (positive, answered) 4/6 or 6/9; a printed "71 % (58–81), n = 14"
  allows the k whose share and Wilson interval print so);
* ``Either``: at least one of several conjunctions of ``Linear`` holds (a reason printed in a table:
  "för få svar" says some cell is 1–4 or the group answered alike; a published minimum over groups).

``Space`` builds one mixed-integer program (HiGHS, ``analysis.core.highs``) and answers range
questions exactly. Every solution found is kept as a witness: a question whose answer a kept solution
already settles (a cell that some solution makes 0) needs no further solve, which is what makes the
audit of several hundred quantities fast. Pure computation: no file I/O.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

import numpy as np

Terms = tuple[tuple[Hashable, int], ...]


def terms(keys: Iterable[Hashable], coefficient: int = 1) -> Terms:
    """``keys`` as a sum with one coefficient."""
    return tuple((k, coefficient) for k in keys)


@dataclass(frozen=True)
class Linear:
    terms: Terms
    low: float
    high: float
    source: str = ""


@dataclass(frozen=True)
class Choice:
    exprs: tuple[Terms, ...]
    options: tuple[tuple[int, ...], ...]
    source: str = ""


@dataclass(frozen=True)
class Either:
    alternatives: tuple[tuple[Linear, ...], ...]
    source: str = ""


Constraint = Linear | Choice | Either


class Infeasible(ValueError):
    """The constraints admit no solution: the facts contradict each other (or the truth breaks them)."""


@dataclass
class Space:
    """The integer points satisfying ``constraints`` over ``upper`` (unknown -> largest value, each >= 0).

    ``truth``, when given, is checked against every constraint (a fact the true data break is a bug in
    whoever wrote it) and seeds the witnesses.
    """

    upper: dict[Hashable, int]
    constraints: list[Constraint]
    truth: dict[Hashable, int] | None = None
    solves: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        from analysis.core.highs import compressed_rows

        self.index = {k: i for i, k in enumerate(self.upper)}
        rows, cols, vals, low, high = [], [], [], [], []
        bounds_upper = [float(self.upper[k]) for k in self.upper]
        n = len(bounds_upper)

        def new_binary() -> int:
            bounds_upper.append(1.0)
            return len(bounds_upper) - 1

        def row(pairs: list[tuple[int, float]], lo: float, hi: float) -> None:
            r = len(low)
            for c, v in pairs:
                rows.append(r), cols.append(c), vals.append(float(v))
            low.append(lo), high.append(hi)

        def columns(t: Terms) -> list[tuple[int, float]]:
            return [(self.index[k], c) for k, c in t]

        for constraint in self.constraints:
            if isinstance(constraint, Linear):
                row(columns(constraint.terms), constraint.low, constraint.high)
            elif isinstance(constraint, Choice):
                binaries = [new_binary() for _ in constraint.options]
                row([(b, 1) for b in binaries], 1, 1)
                for e, expr in enumerate(constraint.exprs):
                    row(columns(expr) + [(b, -option[e]) for b, option in zip(binaries, constraint.options)], 0, 0)
            else:
                binaries = [new_binary() for _ in constraint.alternatives]
                row([(b, 1) for b in binaries], 1, np.inf)
                for b, alternative in zip(binaries, constraint.alternatives):
                    for part in alternative:
                        span = sum(abs(c) * self.upper[k] for k, c in part.terms)
                        if np.isfinite(part.low):  # expr >= low - M (1 - b)
                            big = span + abs(part.low)
                            row(columns(part.terms) + [(b, -big)], part.low - big, np.inf)
                        if np.isfinite(part.high):  # expr <= high + M (1 - b)
                            big = span + abs(part.high)
                            row(columns(part.terms) + [(b, big)], -np.inf, part.high + big)
        self.width = len(bounds_upper)
        self.matrix = compressed_rows(rows, cols, vals, len(low))
        self.low, self.high = np.array(low, dtype=float), np.array(high, dtype=float)
        self.bounds_upper = np.array(bounds_upper)
        self.pool = np.empty((0, n))
        if self.truth is not None:
            point = {k: self.truth.get(k, 0) for k in self.upper}
            if not all(holds(c, point) for c in self.constraints):
                raise Infeasible("the true counts break a published fact: " + self._broken(self.truth))
            self.pool = np.array([[point[k] for k in self.upper]], dtype=float)

    # --- solving ------------------------------------------------------------------------------

    def _solve(self, cost: np.ndarray, lower: np.ndarray | None = None, upper: np.ndarray | None = None):
        from analysis.core.highs import solve

        return solve(self.matrix, self.low, self.high, np.zeros(self.width) if lower is None else lower,
                     self.bounds_upper if upper is None else upper, cost)

    def _complete(self, values: dict) -> np.ndarray | None:
        """A full point (binaries included) for given unknowns, or None if the constraints exclude them."""
        fixed = np.array([values[k] for k in self.upper], dtype=float)
        lower = np.zeros(self.width)
        upper = self.bounds_upper.copy()
        lower[:len(fixed)], upper[:len(fixed)] = fixed, fixed
        return self._solve(np.zeros(self.width), lower, upper)[0]

    def _complete_any(self) -> np.ndarray:
        """Any solution (raises ``Infeasible`` when there is none)."""
        x, _ = self._solve(np.zeros(self.width))
        if x is None:
            raise Infeasible("the facts admit no solution")
        return x

    def feasible_at(self, fixed: dict) -> bool:
        """Whether some solution has the given values (then kept as a witness)."""
        lower, upper = np.zeros(self.width), self.bounds_upper.copy()
        for k, v in fixed.items():
            lower[self.index[k]] = upper[self.index[k]] = v
        seen = self.pool[:, [self.index[k] for k in fixed]] if len(self.pool) and fixed else None
        if seen is not None and (np.abs(seen - np.array(list(fixed.values()))) < 0.5).all(axis=1).any():
            return True
        x, _ = self._solve(np.zeros(self.width), lower, upper)
        self.solves += 1
        if x is not None:
            self.pool = np.vstack([self.pool, np.round(x[:len(self.index)])])
        return x is not None

    def _broken(self, values: dict) -> str:
        return broken(self.constraints, values)

    def optimum(self, objective: Terms, sense: int) -> float:
        """The smallest (``sense`` 1) or largest (-1) value of ``objective`` over the space (remembered)."""
        memo = self.__dict__.setdefault("_memo", {})
        if (objective, sense) not in memo:
            memo[(objective, sense)] = self._optimum(objective, sense)
        return memo[(objective, sense)]

    def _optimum(self, objective: Terms, sense: int) -> float:
        c = np.zeros(self.width)
        for k, coef in objective:
            c[self.index[k]] += sense * coef
        x, fun = self._solve(c)
        self.solves += 1
        if x is None:
            raise Infeasible("the facts admit no solution")
        self.pool = np.vstack([self.pool, np.round(x[:len(self.index)])])
        return round(sense * fun)

    def witness(self, objective: Terms, sense: int) -> None:
        """Solve only for the witness it leaves."""
        self._optimum(objective, sense)

    def seen(self, objective: Terms) -> np.ndarray:
        """The objective's value in every witness kept so far."""
        columns = [self.index[k] for k, _ in objective]
        return self.pool[:, columns] @ np.array([c for _, c in objective], dtype=float)

    def range(self, objective: Terms) -> tuple[int, int]:
        """Exact smallest and largest value of ``objective``."""
        return self.optimum(objective, 1), self.optimum(objective, -1)

    def inside(self, objective: Terms, low: int, high: int) -> bool:
        """Whether every solution puts ``objective`` within ``low``–``high`` (proved by the two optima)."""
        seen = self.seen(objective)
        if len(seen) and ((seen < low - 0.5).any() or (seen > high + 0.5).any()):
            return False
        return self.optimum(objective, -1) <= high and self.optimum(objective, 1) >= low

    def always_zero(self, objective: Terms) -> bool:
        """Whether every solution makes the (non-negative) ``objective`` zero."""
        seen = self.seen(objective)
        if len(seen) and (seen > 0.5).any():
            return False
        return self.optimum(objective, -1) == 0


def broken(constraints: list, values: dict) -> str:
    """The first fact ``values`` break, in words (for an error message)."""
    for c in constraints:
        if isinstance(c, Linear):
            v = sum(coef * values.get(k, 0) for k, coef in c.terms)
            if not c.low - 1e-9 <= v <= c.high + 1e-9:
                return f"{c.source or 'a linear fact'} gives {v}, expected {c.low}–{c.high}"
        elif isinstance(c, Choice):
            v = tuple(sum(coef * values.get(k, 0) for k, coef in e) for e in c.exprs)
            if v not in set(c.options):
                return f"{c.source or 'a choice'} gives {v}, not among its {len(c.options)} options"
    return "one of the either-or facts"


def keys_of(constraint: Constraint) -> set:
    if isinstance(constraint, Linear):
        return {k for k, _ in constraint.terms}
    if isinstance(constraint, Choice):
        return {k for e in constraint.exprs for k, _ in e}
    return {k for alternative in constraint.alternatives for part in alternative for k, _ in part.terms}


def _value(expr: Terms, point: dict) -> float:
    return sum(c * point[k] for k, c in expr)


def holds(constraint: Constraint, point: dict) -> bool:
    if isinstance(constraint, Linear):
        return constraint.low - 1e-9 <= _value(constraint.terms, point) <= constraint.high + 1e-9
    if isinstance(constraint, Choice):
        return tuple(round(_value(e, point)) for e in constraint.exprs) in set(constraint.options)
    return any(all(holds(part, point) for part in alternative) for alternative in constraint.alternatives)
