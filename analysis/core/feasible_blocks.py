"""Range questions answered block by block (``Blocks``): the audit's integer programs split where they can be.

The unknowns of a survey's items are tied together only through a few shared ones (a municipality's
number of respondents ties all its items). Once the shared unknowns' feasible combinations are
enumerated, every item is a small program of its own; exact, and much faster than one program over
everything. Pure computation.
"""

from __future__ import annotations

import functools

import numpy as np

from analysis.core.feasible import Choice, Infeasible, Linear, Space, Terms, holds, _value, keys_of
from analysis.core.feasible_enum import TooLarge
from analysis.core.feasible_exact import Enumerated


def group_of(key) -> tuple:
    """The group an audit unknown belongs to: ``("n", survey, group)`` and ``("x", survey, item, group,
    cell)`` by survey and group (a municipality, or a municipality and role group)."""
    return (key[1], key[2]) if key[0] == "n" else (key[1], key[3])


def space(upper: dict, constraints: list, truth: dict | None = None):
    """The exact space of ``constraints``: enumerated where small enough (``feasible_exact``), else the
    integer program (``feasible.Space``); both answer the same questions exactly. The same space asked
    again (a block whose facts a new plan leaves as they were, the public space in every round) is the
    one built before, with the answers it already has."""
    return _space(tuple(upper.items()), tuple(constraints), None if truth is None else tuple(truth.items()))


@functools.lru_cache(maxsize=2048)
def _space(upper: tuple, constraints: tuple, truth: tuple | None):
    upper_, constraints_, truth_ = dict(upper), list(constraints), None if truth is None else dict(truth)
    try:
        return Enumerated(upper_, constraints_, truth_, group_of)
    except TooLarge:
        return Space(upper_, constraints_, truth_)


class Blocks:
    """The same questions as ``Space``, answered block by block: unknowns that no constraint ties together
    except through a few ``shared`` ones (a municipality's number of respondents ties all its items) are
    solved apart, once the shared unknowns' feasible values are enumerated. Exact, and much faster
    than one program over everything; ``Blocks.make`` returns None where the shared unknowns have too
    many combinations to enumerate (then use ``Space``)."""

    def __init__(self, upper: dict, shared_ok: list, vectors: list[dict], blocks: dict, truth: dict | None):
        self.upper, self.vectors, self.blocks = upper, vectors, blocks
        self.block_of = {k: b for b, block in blocks.items() for k in block.upper if k not in vectors[0]}
        self.shared = set(vectors[0])

    @classmethod
    def make(cls, upper: dict, constraints: list, shared, truth: dict | None = None, limit: int = 256):
        import itertools

        parent: dict = {}

        def find(k):
            while parent.setdefault(k, k) != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        own, only_shared = [], []
        for c in constraints:
            free = [k for k in keys_of(c) if not shared(k)]
            if not free:
                only_shared.append(c)
                continue
            for k in free[1:]:
                parent[find(k)] = find(free[0])
            own.append((c, free[0]))
        shared_keys = sorted({k for k in upper if shared(k)}, key=str)
        fixed = {k: _fixed(k, only_shared) for k in shared_keys}
        loose = [k for k in shared_keys if fixed[k] is None]
        ranges = [range(*_span(k, only_shared, upper)) for k in loose]
        if np.prod([len(r) for r in ranges], dtype=float) > limit:
            return None
        vectors = []
        for values in itertools.product(*ranges):
            point = {**{k: fixed[k] for k in shared_keys if fixed[k] is not None}, **dict(zip(loose, values))}
            if all(holds(c, point) for c in only_shared):
                vectors.append(point)
        groups: dict = {}
        for c, k in own:
            groups.setdefault(find(k), []).append(c)
        blocks = {}
        for root, members in groups.items():
            keys = set().union(*(keys_of(c) for c in members))
            block_shared = sorted((k for k in keys if shared(k)), key=str)
            block_upper = {k: upper[k] for k in sorted(keys, key=str)}
            local_truth = {k: truth[k] for k in block_upper} if truth is not None else None
            # Only the shared unknowns this block constrains beyond its "structure" rows need checking: a
            # group whose cells nothing else bounds can hold any size.
            bound = {k for c in members if c.source != "structure" for k in keys_of(c)}
            checked = [k for k in block_shared if k in bound or any(len(k) == 3 and len(x) == 5 and x[1] == k[1]
                                                                     and x[3] == k[2] for x in bound)]
            if checked and vectors:
                # Asked with the sizes as the enumerated vectors leave them, the form the final block takes
                # below (so that it is the same space when no later block drops a vector): a checked
                # combination is asked with its own values, and an unchecked size fits any value, so the
                # verdicts are those of the block alone.
                options = tuple(sorted({tuple(v[k] for k in block_shared) for v in vectors}))
                space_ = space(block_upper, members + [Choice(tuple(((k, 1),) for k in block_shared), options, "shared")],
                               local_truth)
                verdict = {key: space_.feasible_at(dict(zip(checked, key))) for key in
                           sorted({tuple(v[k] for k in checked) for v in vectors})}
                vectors = [v for v in vectors if verdict[tuple(v[k] for k in checked)]]
            blocks[root] = (block_shared, members, local_truth, block_upper)
        if not vectors:
            raise Infeasible("the facts admit no solution")
        out = {}
        for root, (block_shared, members, local_truth, block_upper) in blocks.items():
            options = tuple(sorted({tuple(v[k] for k in block_shared) for v in vectors}))
            extra = [Choice(tuple(((k, 1),) for k in block_shared), options, "shared")] if block_shared else []
            out[root] = space(block_upper, members + extra, local_truth)
        return cls(upper, [], vectors, out, truth)

    @property
    def solves(self) -> int:
        return sum(s.solves for s in self.blocks.values())

    def _space(self, objective: Terms) -> Space | None:
        blocks = {self.block_of[k] for k, _ in objective if k not in self.shared}
        if len(blocks) > 1:
            raise ValueError("an objective across blocks")
        return self.blocks[blocks.pop()] if blocks else None

    def seen(self, objective: Terms) -> np.ndarray:
        space = self._space(objective)
        if space is None:
            return np.array([_value(objective, v) for v in self.vectors])
        return space.seen(objective)

    def optimum(self, objective: Terms, sense: int) -> float:
        space = self._space(objective)
        if space is None:
            values = [_value(objective, v) for v in self.vectors]
            return round(min(values) if sense == 1 else max(values))
        return space.optimum(objective, sense)

    def range(self, objective: Terms) -> tuple[int, int]:
        return self.optimum(objective, 1), self.optimum(objective, -1)

    def inside(self, objective: Terms, low: int, high: int) -> bool:
        space = self._space(objective)
        if space is not None:
            return space.inside(objective, low, high)
        low_, high_ = self.range(objective)
        return low_ >= low and high_ <= high

    def always_zero(self, objective: Terms) -> bool:
        space = self._space(objective)
        return space.always_zero(objective) if space is not None else self.range(objective)[1] == 0

    def witness(self, objective: Terms, sense: int) -> None:
        """Solve an objective that may span blocks, block by block, for witnesses only."""
        by_block: dict = {}
        for k, c in objective:
            if k not in self.shared:
                by_block.setdefault(self.block_of[k], []).append((k, c))
        for b, part in by_block.items():
            if isinstance(self.blocks[b], Space):  # an enumerated block answers exactly without witnesses
                self.blocks[b].optimum(tuple(part), sense)


def _fixed(key, constraints: list):
    for c in constraints:
        if isinstance(c, Linear) and len(c.terms) == 1 and c.terms[0] == (key, 1) and c.low == c.high:
            return int(c.low)
    return None


def _span(key, constraints: list, upper: dict) -> tuple[int, int]:
    low, high = 0, upper[key]
    for c in constraints:
        if isinstance(c, Linear) and len(c.terms) == 1 and c.terms[0] == (key, 1):
            if np.isfinite(c.low):
                low = max(low, int(np.ceil(c.low - 1e-9)))
            if np.isfinite(c.high):
                high = min(high, int(np.floor(c.high + 1e-9)))
    return low, high + 1
