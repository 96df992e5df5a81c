"""The disclosure audit: what do the project's publications add to what is public?

For every survey two spaces of integer solutions are built (``analysis.core.feasible``): **public**, what
Kolada and the GINO report allow (``public_facts``), and **published**, that together with every fact
the project's documents print (``ledger``). A protected quantity is

* a cell: the respondents of one municipality or role group in one answer cell of one item (positive,
  other substantive, "vet inte"; a blank is not an answer), or a group's number of respondents;
* a group's unanimity on an item: all its answers in one cell.

A **breach** is what the published space proves and the public space does not:

* ``count``: the quantity lies in 1 … threshold − 1 in every published solution, but not in every
  public one;
* ``narrowed``: the public sources already place it in 1 … threshold − 1 and the publications narrow
  it below its protection interval: for a municipality's respondents that Kolada withholds, the whole
  public range (1–4); for any other count the public already shows to be small (a cell Kolada's value
  leaves at 3 or 4), at least two values (the project never pins it exactly);
* ``unanimous``: every published solution has the group's answers in one cell, while the public does
  not already show its substantive answers alike. Where Kolada publishes 100 % (or 0 %), the
  unanimity of the substantive answers is Kolada's disclosure; that the project's figure then also
  shows no "vet inte" is a zero count, which the rules never protect (nobody is in an empty cell).

Only quantities whose true value is small (or a truly unanimous group) can be breached, since the true
data are a solution of both spaces; the rest are settled without a solve. Pure computation.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.core.feasible import Constraint, Either, Infeasible, Linear, Space, holds, keys_of
from analysis.core.feasible_blocks import Blocks
from analysis.innovation import climate as innovation
from analysis.report import unknowns as u


@dataclass(frozen=True)
class Target:
    survey: str
    item: str          # a variable, or "respondents"
    level: str         # "municipality" or "role"
    group: str         # municipality code or role group name
    cell: str          # a cell name, "n" for respondents, "*" for unanimity
    expr: tuple
    substantive_others: tuple = ()  # unanimity: the other substantive cells (what Kolada's 100 % or 0 % shows)


def targets(dataset: str, codebook, truth: dict, threshold: int) -> list[tuple[Target, tuple | None]]:
    """Every protected quantity worth attacking: small true counts, and truly unanimous groups (with the
    terms of the group's other cells)."""
    levels = [("municipality", m, [m], None) for m in codebook.municipalities]
    if dataset == u.INNOVATION:
        levels += [("role", r, None, [r]) for r in innovation.ROLE_GROUPS]
    out = []
    for level, group, municipalities, roles in levels:
        size = u.size_terms(dataset, codebook, municipalities, roles)
        if 0 < sum(truth[k] for k, _ in size) < threshold:
            out.append((Target(dataset, "respondents", level, group, "n", size), None))
        for variable, cells in u.items(dataset, codebook).items():
            answers = [c for c in cells if c != "blank"]
            values = {c: sum(truth[k] for k, _ in u.cell_terms(dataset, codebook, variable, [c], municipalities, roles))
                      for c in answers}
            for c in answers:
                if 0 < values[c] < threshold:
                    out.append((Target(dataset, variable, level, group, c,
                                       u.cell_terms(dataset, codebook, variable, [c], municipalities, roles)), None))
            filled = [c for c in answers if values[c] > 0]
            if len(filled) == 1:
                own = filled[0]
                others = u.cell_terms(dataset, codebook, variable, [c for c in answers if c != own], municipalities, roles)
                substantive = u.cell_terms(dataset, codebook, variable,
                                           [c for c in answers if c not in (own, "dont_know")], municipalities, roles)
                out.append((Target(dataset, variable, level, group, "*",
                                   u.cell_terms(dataset, codebook, variable, [own], municipalities, roles),
                                   substantive), others))
    return out


def breach(published: Space, public, target: Target, others, threshold: int) -> str:
    """The kind of breach of ``target`` between the ``published`` space and the ``public`` one (a callable
    giving it, built only when needed): "" if none, else ``count``, ``narrowed`` or ``unanimous``."""
    small = (1, threshold - 1)
    if others is not None:  # unanimity
        if published.always_zero(others) and published.inside(target.expr, 1, 10 ** 6):
            substantive = target.substantive_others
            if not (public().always_zero(substantive) and public().inside(target.expr, 1, 10 ** 6)):
                return "unanimous"
        return ""
    if not published.inside(target.expr, *small):
        return ""
    if not public().inside(target.expr, *small):
        return "count"
    after = published.range(target.expr)  # both remembered from ``inside``
    if target.item != "respondents" and after[0] != after[1]:
        return ""  # not pinned: within its protection interval
    before = public().range(target.expr)
    if target.item == "respondents":  # withheld by the publisher: the whole public range stays open
        return "narrowed" if after != before else ""
    return "narrowed" if before[0] != before[1] else ""


def _is_size(key) -> bool:
    return key[0] == "n"


@functools.lru_cache(maxsize=16)
def _exact_space(upper: tuple, constraints: tuple, truth: tuple):
    upper_, constraints_, truth_ = dict(upper), list(constraints), dict(truth)
    return Blocks.make(upper_, constraints_, _is_size, truth_) or Space(upper_, constraints_, truth_)


def _unsettled(space: Space, expr, low: int, high: int) -> bool:
    """No witness yet puts ``expr`` outside ``low``–``high``."""
    seen = space.seen(expr)
    return not ((seen < low - 0.5).any() or (seen > high + 0.5).any())


class Audit:
    """The public and the published space of one or more surveys audited together, and the breaches
    between them (the comparison of the years ties the two client surveys together)."""

    def __init__(self, surveys: dict, truth: dict, public: list[Constraint], project: list[Constraint],
                 threshold: int, largest: dict, witnesses: "Audit | None" = None):
        self.surveys, self.truth, self.threshold = surveys, truth, threshold
        self.upper = {k: v for d, c in surveys.items() for k, v in u.upper_bounds(d, c, largest[d]).items()}
        structure = [f for d, c in surveys.items() for f in u.structure(d, c)]
        # A public figure the true data contradict (the 2018 poster's three statements Kolada rules out; on
        # real exports of another round, the report's figures) is not a fact an attacker can rely on; leaving it out only makes the public space larger, so
        # more counts as the project's disclosure (the safe side).
        self.dropped = [f for f in public if not holds(f, {k: truth.get(k, 0) for k in keys_of(f)})]
        self.public_facts = [f for f in public if f not in self.dropped]
        self.project_facts = project
        self._structure = structure
        self.published = self._space(self.public_facts + project)
        if witnesses is not None:
            self.inherit(witnesses)
        self._public = None

    def inherit(self, other: "Audit") -> None:
        """Keep the solutions of ``other``'s published space (an earlier plan's) that are solutions of this
        one too as witnesses: they settle questions without solving again (only the integer program keeps
        witnesses; an enumerated space needs none)."""
        mine, theirs = self.published, other.published
        if mine is theirs or not (isinstance(mine, Space) and isinstance(theirs, Space)) or list(mine.upper) != list(theirs.upper):
            return
        keys = list(mine.upper)
        for row in theirs.pool:
            point = dict(zip(keys, row))
            if all(holds(c, point) for c in mine.constraints):
                mine.pool = np.vstack([mine.pool, row])

    def _space(self, facts: list):
        """Block by block where the shared unknowns (group sizes) are few enough to enumerate, else whole
        (the same facts again, as the public space in every round of a plan, give the space built before)."""
        return _exact_space(tuple(self.upper.items()), tuple(self._structure + facts), tuple(self.truth.items()))

    @property
    def public(self):
        if self._public is None:
            self._public = self._space(self.public_facts)
        return self._public

    @property
    def solves(self) -> int:
        return self.published.solves + (self._public.solves if self._public is not None else 0)

    def breach(self, target: Target, others) -> str:
        """The kind of breach of ``target`` ("" if none)."""
        return breach(self.published, lambda: self.public, target, others, self.threshold)

    def _pair_proved(self, space, facts: list, first: tuple, second: tuple) -> bool:
        """Whether every solution has ``first`` or ``second`` (two sizes) in 1 … threshold − 1."""
        def outside(values):
            return (values < 0.5) | (values > self.threshold - 0.5)

        if isinstance(space, Blocks):  # the sizes' feasible combinations are enumerated: exact
            return not (outside(space.seen(first)) & outside(space.seen(second))).any()
        seen = [space.seen(e) for e in (first, second)]
        if len(seen[0]) and (outside(seen[0]) & outside(seen[1])).any():
            return False
        extra = [Either(((Linear(e, 0, 0),), (Linear(e, self.threshold, float("inf")),))) for e in (first, second)]
        try:
            Space(self.upper, self._structure + facts + extra)._complete_any()
        except Infeasible:
            return True
        return False

    def pairs(self, found) -> list[dict]:
        """``one of two``: a small number of respondents the publications pin to one of two municipalities
        (the fewest respondents per municipality, 1–2, beside a merged row of two) where the public does not."""
        small = [t for t, o in found if o is None and t.item == "respondents" and t.level == "municipality"]
        rows = []
        for t in small:
            codebook = self.surveys[t.survey]
            for m in codebook.municipalities:
                if m == t.group or (self.truth.get(("n", t.survey, m), 0) == 0 and t.survey != u.INNOVATION):
                    continue
                second = u.size_terms(t.survey, codebook, [m])
                if self._pair_proved(self.published, self.public_facts + self.project_facts, t.expr, second) and \
                        not self._pair_proved(self.public, self.public_facts, t.expr, second):
                    rows.append({"survey": t.survey, "item": "respondents", "level": "municipality",
                                 "group": f"{t.group}+{m}", "cell": "n", "kind": "one of two",
                                 "true": sum(self.truth[k] for k, _ in t.expr), "published_low": None,
                                 "published_high": None, "public_low": None, "public_high": None})
        return rows

    def settle(self, space, found: list[tuple[Target, tuple | None]], rounds: int = 6) -> None:
        """Witnesses for many targets at once: solutions that put as many unsettled small counts as possible
        at zero (and as many unanimous groups' other cells above zero), until a round settles nothing new."""
        small = self.threshold - 1
        for _ in range(rounds):
            counts = [t for t, o in found if o is None and _unsettled(space, t.expr, 1, small)]
            groups = [o for t, o in found if o is not None and not (space.seen(o) > 0.5).any()]
            if not counts and not groups:
                return
            if counts:
                space.witness(tuple(x for t in counts for x in t.expr if x[0][0] != "n"), 1)
            if groups:
                space.witness(tuple(x for o in groups for x in o), -1)
            settled_counts = [t for t in counts if not _unsettled(space, t.expr, 1, small)]
            settled_groups = [o for o in groups if (space.seen(o) > 0.5).any()]
            if not settled_counts and not settled_groups:
                return

    def run(self) -> pd.DataFrame:
        rows = []
        found = [x for d, c in self.surveys.items() for x in targets(d, c, self.truth, self.threshold)]
        self.settle(self.published, found)
        for target, others in found:
            kind = self.breach(target, others)
            if kind:
                low, high = self.published.range(target.expr)
                public = self.public.range(target.expr)
                true = sum(self.truth[k] for k, _ in target.expr)
                rows.append({"survey": target.survey, "item": target.item, "level": target.level, "group": target.group,
                             "cell": target.cell, "kind": kind, "true": true, "published_low": low,
                             "published_high": high, "public_low": public[0], "public_high": public[1]})
        rows += self.pairs(found)
        return pd.DataFrame(rows, columns=["survey", "item", "level", "group", "cell", "kind", "true", "published_low",
                                           "published_high", "public_low", "public_high"])
