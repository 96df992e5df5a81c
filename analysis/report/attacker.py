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
* ``narrowed``: the public sources already place it in 1 … threshold − 1 (Kolada's withheld
  respondents, a cell Kolada's value pins) and the publications narrow that range;
* ``unanimous``: every published solution has the group's answers in one cell, not every public one.

Only quantities whose true value is small (or a truly unanimous group) can be breached, since the true
data are a solution of both spaces; the rest are settled without a solve. Pure computation.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.core.feasible import Constraint, Linear, Space
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
                out.append((Target(dataset, variable, level, group, "*",
                                   u.cell_terms(dataset, codebook, variable, [own], municipalities, roles)), others))
    return out


def _holds(fact: Linear, truth: dict) -> bool:
    value = sum(c * truth.get(k, 0) for k, c in fact.terms)
    return fact.low - 1e-9 <= value <= fact.high + 1e-9


class Audit:
    """The public and the published space of one survey, and the breaches between them."""

    def __init__(self, dataset: str, codebook, truth: dict, public: list[Constraint], project: list[Constraint],
                 threshold: int, largest: int):
        self.dataset, self.codebook, self.truth, self.threshold = dataset, codebook, truth, threshold
        self.upper = u.upper_bounds(dataset, codebook, largest)
        structure = u.structure(dataset, codebook)
        # A public figure the true data contradict (the 2018 poster's three statements Kolada rules out)
        # is not a fact an attacker can rely on; leaving it out only makes the public space larger, so
        # more counts as the project's disclosure (the safe side).
        self.dropped = [f for f in public if isinstance(f, Linear) and not _holds(f, truth)]
        self.public_facts = [f for f in public if not (isinstance(f, Linear) and not _holds(f, truth))]
        self.project_facts = project
        self.published = Space(self.upper, structure + self.public_facts + project, truth)
        self._public: Space | None = None
        self._structure = structure

    @property
    def public(self) -> Space:
        if self._public is None:
            self._public = Space(self.upper, self._structure + self.public_facts, self.truth)
        return self._public

    @property
    def solves(self) -> int:
        return self.published.solves + (self._public.solves if self._public is not None else 0)

    def breach(self, target: Target, others) -> str:
        """The kind of breach of ``target`` ("" if none)."""
        small = (1, self.threshold - 1)
        if others is not None:  # unanimity
            if self.published.always_zero(others) and self.published.inside(target.expr, 1, 10 ** 6):
                if not (self.public.always_zero(others) and self.public.inside(target.expr, 1, 10 ** 6)):
                    return "unanimous"
            return ""
        if not self.published.inside(target.expr, *small):
            return ""
        if not self.public.inside(target.expr, *small):
            return "count"
        return "narrowed" if self.public.range(target.expr) != self.published.range(target.expr) else ""

    def run(self) -> pd.DataFrame:
        rows = []
        for target, others in targets(self.dataset, self.codebook, self.truth, self.threshold):
            kind = self.breach(target, others)
            if kind:
                low, high = self.published.range(target.expr)
                public = self.public.range(target.expr)
                true = sum(self.truth[k] for k, _ in target.expr)
                rows.append({"survey": target.survey, "item": target.item, "level": target.level, "group": target.group,
                             "cell": target.cell, "kind": kind, "true": true, "published_low": low,
                             "published_high": high, "public_low": public[0], "public_high": public[1]})
        return pd.DataFrame(rows, columns=["survey", "item", "level", "group", "cell", "kind", "true", "published_low",
                                           "published_high", "public_low", "public_high"])
