"""``Enumerated``: a space of whole-number points answered by enumeration and a dynamic programme.

The same questions as ``feasible.Space`` (``optimum``, ``range``, ``inside``, ``always_zero``,
``feasible_at``, ``seen``, ``witness``), exact, without an integer program: the unknowns are split into
groups (``group_of``; the audit's municipalities), every group's own points are listed
(``feasible_enum.enumerate_group``), and the facts that tie groups together are checked on the sums of
their expressions, carried group by group as the states of a dynamic programme. A forward pass lists the
reachable states, a backward pass keeps those that end in a state satisfying every fact, and with them
every group's points that belong to some solution. A question about one group's unknowns is then a
minimum or maximum over its kept points; a question across groups runs the programme once more with the
question's expression as one more sum. Where a space is too large to enumerate, the constructor raises
``feasible_enum.TooLarge``. Pure computation.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

import numpy as np

from analysis.core.feasible import Choice, Infeasible, Linear, Space, Terms, broken, holds, keys_of
from analysis.core.feasible_enum import (PAIRS, POINTS, TOLERANCE, TooLarge, canonical, enumerate_group, mask,
                                         member, propagate, unique_rows)


def _expressions(constraint) -> list[Terms]:
    if isinstance(constraint, Linear):
        return [constraint.terms]
    if isinstance(constraint, Choice):
        return list(constraint.exprs)
    return [part.terms for alternative in constraint.alternatives for part in alternative]


class Enumerated:
    """The integer points satisfying ``constraints`` over ``upper``, listed group by group (see the module
    docstring). ``truth``, when given, must satisfy every constraint, as for ``Space``."""

    def __init__(self, upper: dict, constraints: list, truth: dict | None = None,
                 group_of: Callable[[Hashable], Hashable] | None = None):
        self.upper, self.constraints, self.truth = upper, list(constraints), truth
        self.solves = 0
        self._memo: dict = {}
        self._joint: dict = {}
        self._milp: Space | None = None
        if truth is not None:
            point = {k: truth.get(k, 0) for k in upper}
            if not all(holds(c, point) for c in self.constraints):
                raise Infeasible("the true counts break a published fact: " + broken(self.constraints, truth))
        group_of = group_of or (lambda k: 0)
        self.group = {k: group_of(k) for k in upper}
        self.order = sorted(set(self.group.values()), key=str)
        self.keys: dict = {g: [] for g in self.order}
        for k in upper:
            self.keys[self.group[k]].append(k)
        self.column = {k: i for g in self.order for i, k in enumerate(self.keys[g])}
        local: dict = {g: [] for g in self.order}
        self.linking = []
        constant_false = False
        for c in self.constraints:
            groups = {self.group[k] for k in keys_of(c)}
            if len(groups) == 1:
                local[groups.pop()].append(c)
            elif groups:
                self.linking.append(c)
            else:
                constant_false |= not holds(c, {})
        bounds = None if constant_false else propagate(upper, self.constraints)
        self.points = {g: np.zeros((0, len(self.keys[g])), dtype=np.int64) for g in self.order}
        if bounds is not None:
            for g in self.order:
                self.points[g] = enumerate_group(self.keys[g], local[g], *bounds)
            if sum(len(p) for p in self.points.values()) > POINTS:
                raise TooLarge(f"more than {POINTS} points")
        self.exprs = sorted({canonical(e) for c in self.linking for e in _expressions(c)}, key=str)
        final, kept = self._programme([])
        self.empty = len(final) == 0
        self.kept = {g: self.points[g][kept[g]] for g in self.order}

    # --- the programme ------------------------------------------------------------------------------

    def _contributions(self, g, exprs: list[Terms]) -> np.ndarray:
        """Each point of group ``g``'s share of every expression (whole numbers)."""
        points = self.points[g]
        out = np.zeros((len(points), len(exprs)), dtype=np.int64)
        for d, expr in enumerate(exprs):
            for k, c in expr:
                if self.group[k] == g:
                    if not float(c).is_integer():
                        raise TooLarge("a fractional coefficient")
                    out[:, d] += int(c) * points[:, self.column[k]]
        return out

    def _prune(self, states: np.ndarray, low: np.ndarray, high: np.ndarray, dim: dict) -> np.ndarray:
        """The states from which the groups still to come (adding ``low``–``high``) can meet every linear
        fact and some option of every choice."""
        keep = np.ones(len(states), dtype=bool)
        for c in self.linking:
            if isinstance(c, Linear):
                d = dim[canonical(c.terms)]
                keep &= (states[:, d] + low[d] <= c.high + TOLERANCE) & (states[:, d] + high[d] >= c.low - TOLERANCE)
            elif isinstance(c, Choice) and len(states) * len(c.options) <= PAIRS:
                ds = [dim[canonical(e)] for e in c.exprs]
                options = np.array(c.options, dtype=float).reshape(len(c.options), -1)
                part = states[:, ds][:, None, :]
                keep &= ((part + low[ds] <= options + TOLERANCE) & (part + high[ds] >= options - TOLERANCE)).all(2).any(1)
        return keep

    def _programme(self, extra: list[Terms]) -> tuple[np.ndarray, dict]:
        """The final states (sums of ``self.exprs`` + ``extra``) of every solution, and for each group
        which of its points belong to a solution."""
        self.solves += 1
        exprs = self.exprs + [canonical(e) for e in extra]
        dim = {e: d for d, e in enumerate(self.exprs)}
        if any(len(self.points[g]) == 0 for g in self.order):
            return np.zeros((0, len(exprs)), dtype=np.int64), {g: np.zeros(len(self.points[g]), bool) for g in self.order}
        if not exprs:  # nothing ties the groups: every point of every group is part of a solution
            return np.zeros((1, 0), dtype=np.int64), {g: np.ones(len(self.points[g]), bool) for g in self.order}
        distinct = {g: unique_rows(self._contributions(g, exprs)) for g in self.order}
        # A group whose every point adds the same is no step of the programme: its share starts the sums,
        # and its points belong to a solution exactly when some solution exists.
        varying = [g for g in self.order if len(distinct[g][0]) > 1]
        start = sum((distinct[g][0][0] for g in self.order if len(distinct[g][0]) == 1), np.zeros(len(exprs), np.int64))
        low = [np.zeros(len(exprs))] * (len(varying) + 1)
        high = [np.zeros(len(exprs))] * (len(varying) + 1)
        for i in range(len(varying) - 1, -1, -1):  # what the groups after i can still add
            low[i] = low[i + 1] + distinct[varying[i]][0].min(axis=0)
            high[i] = high[i + 1] + distinct[varying[i]][0].max(axis=0)
        states = [start[None, :]]
        states[0] = states[0][self._prune(states[0], low[0], high[0], dim)]
        for i, g in enumerate(varying):
            step = distinct[g][0]
            if len(states[-1]) * len(step) > PAIRS:
                raise TooLarge(f"more than {PAIRS} states and steps")
            reached = (states[-1][:, None, :] + step[None, :, :]).reshape(len(states[-1]) * len(step), len(exprs))
            reached = reached[self._prune(reached, low[i + 1], high[i + 1], dim)]
            states.append(unique_rows(reached)[0])
        final = states[-1]
        ok = np.ones(len(final), dtype=bool)
        for c in self.linking:
            ok &= mask(c, lambda e: final[:, dim[canonical(e)]].astype(float))
        ends = final[ok]
        kept = {g: np.full(len(self.points[g]), len(ends) > 0) for g in self.order}
        for i in range(len(varying) - 1, -1, -1):
            step, inverse = distinct[varying[i]]
            before = states[i]
            hit = member((before[:, None, :] + step[None, :, :]).reshape(len(before) * len(step), len(exprs)), ends)
            hit = hit.reshape(len(before), len(step))
            kept[varying[i]] = hit.any(axis=0)[inverse]
            ends = before[hit.any(axis=1)]
        return final[ok], kept

    # --- questions ----------------------------------------------------------------------------------

    def _fallback(self) -> Space:
        if self._milp is None:
            self._milp = Space(self.upper, self.constraints, self.truth)
        return self._milp

    def _values(self, expr: Terms) -> np.ndarray:
        """``expr`` at every kept point of its group, or every solution's sum when it spans groups."""
        groups = {self.group[k] for k, _ in expr}
        if not groups:
            return np.zeros(1)
        if len(groups) == 1:
            points = self.kept[groups.pop()]
            return sum((c * points[:, self.column[k]] for k, c in expr), np.zeros(len(points)))
        return self._programme([expr])[0][:, -1].astype(float)

    def optimum(self, objective: Terms, sense: int) -> float:
        """The smallest (``sense`` 1) or largest (-1) value of ``objective`` over the space."""
        if self.empty:
            raise Infeasible("the facts admit no solution")
        if (objective, sense) not in self._memo:
            try:
                v = self._values(canonical(objective))
            except TooLarge:
                return self._fallback().optimum(objective, sense)
            self._memo[(objective, 1)], self._memo[(objective, -1)] = round(v.min()), round(v.max())
        return self._memo[(objective, sense)]

    def range(self, objective: Terms) -> tuple[int, int]:
        return self.optimum(objective, 1), self.optimum(objective, -1)

    def inside(self, objective: Terms, low: int, high: int) -> bool:
        return self.optimum(objective, -1) <= high and self.optimum(objective, 1) >= low

    def always_zero(self, objective: Terms) -> bool:
        return self.optimum(objective, -1) == 0

    def seen(self, objective: Terms) -> np.ndarray:
        """Values ``objective`` takes in solutions (its smallest and largest: every kept point is part of one)."""
        return np.empty(0) if self.empty else np.array(self.range(objective), dtype=float)

    def witness(self, objective: Terms, sense: int) -> None:
        if not self.empty:
            self.optimum(objective, sense)

    def feasible_at(self, fixed: dict) -> bool:
        """Whether some solution has the given values."""
        if self.empty:
            return False
        groups = {self.group[k] for k in fixed}
        if len(groups) <= 1:
            if not groups:
                return True
            points = self.kept[groups.pop()]
            return bool(np.all([points[:, self.column[k]] == v for k, v in fixed.items()], axis=0).any())
        key = tuple(sorted(fixed, key=str))
        if key not in self._joint:
            try:
                final = self._programme([((k, 1),) for k in key])[0][:, -len(key):]
            except TooLarge:
                return self._fallback().feasible_at(fixed)
            self._joint[key] = set(map(tuple, final.tolist()))
        return tuple(fixed[k] for k in key) in self._joint[key]
