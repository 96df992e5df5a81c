"""The unknowns of the disclosure audit: the survey microdata as counts an attacker would like to learn.

For every survey the respondents are split into *groups*, the finest partition anything is published
by: a municipality for the client surveys; a municipality × role group for the innovation survey (it
publishes by municipality and, separately, by role, so only the cross-classification lets the two be
combined). The unknowns are

* ``("n", survey, group)``: the group's number of respondents;
* ``("x", survey, item, group, cell)``: how many of them are in one cell of one item: ``positive``,
  ``other`` (other substantive answers), ``dont_know`` and ``blank`` for an indicator or aspect; the
  answer groups, ``other answers`` and ``blank`` for travel distance and meeting form.

Every respondent is in exactly one cell of every item (``structure``). Facts about unions of groups and
cells are written with ``cell_terms`` and ``size_terms``. Pure functions; no file I/O.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.client_surveys import indicators as client_survey
from analysis.core.feasible import Linear, terms
from analysis.feedback import comparison as feedback
from analysis.innovation import climate as innovation
from analysis.survey_data.codebooks import Codebook

ANSWER_CELLS = ("positive", "other", "dont_know")
CATEGORY_ITEMS = {"travel_distance": feedback.DISTANCE_GROUPS, "preferred_meeting": feedback.FORM_GROUPS}
INNOVATION = "innovation_climate_2017"


def role_group(codes: pd.Series) -> pd.Series:
    """Each innovation respondent's role group as published (no role counted with the staff)."""
    of = {code: name for name, members in innovation.ROLE_GROUPS.items() for code in members}
    return codes.astype("Int64").fillna(innovation.NO_ROLE).map(of)


def groups(dataset: str, codebook: Codebook) -> list:
    """The finest groups of a survey: municipality codes, or (code, role group) for the innovation survey."""
    codes = list(codebook.municipalities)
    return [(m, r) for m in codes for r in innovation.ROLE_GROUPS] if dataset == INNOVATION else codes


def items(dataset: str, codebook: Codebook) -> dict[str, tuple]:
    """The items published by sub-group, with their cells (``blank`` last)."""
    if dataset == INNOVATION:  # the aspects' state and importance variables (``innovation.aspects``)
        state = [v.name for v in codebook.block("state")]
        return {v: (*ANSWER_CELLS, "blank") for v in [*state, *(s.replace("state_", "importance_", 1) for s in state)]}
    out = {v: (*ANSWER_CELLS, "blank") for v in client_survey.INDICATORS}
    if any(v.name == "travel_distance" for v in codebook.variables):
        out.update({v: (*cats, "other answers", "blank") for v, cats in CATEGORY_ITEMS.items()})
    return out


def cell_of(frame: pd.DataFrame, codebook: Codebook, dataset: str, variable: str) -> pd.Series:
    """Each respondent's cell of ``variable``."""
    answers = frame[variable].astype("Int64")
    if variable in CATEGORY_ITEMS and dataset != INNOVATION:
        cell = pd.Series(np.where(answers.notna(), "other answers", "blank"), index=frame.index)
        for name, codes in CATEGORY_ITEMS[variable].items():
            cell[answers.isin(codes).fillna(False).to_numpy(bool)] = name
        return cell
    dont_know = answers.isin(list(codebook.variable(variable).scale.dont_know)).fillna(False).to_numpy(bool)
    positive_codes = ([innovation.GOOD if variable.startswith("state_") else innovation.IMPORTANT]
                      if dataset == INNOVATION else list(client_survey.POSITIVE))
    positive = answers.isin(positive_codes).fillna(False).to_numpy(bool) & ~dont_know
    kinds = np.select([dont_know, positive, answers.notna().to_numpy(bool)], ["dont_know", "positive", "other"], "blank")
    return pd.Series(kinds, index=frame.index)


def group_of(frame: pd.DataFrame, codebook: Codebook, dataset: str) -> pd.Series:
    key = frame[codebook.identifiers["municipality"]].astype(str)
    if dataset != INNOVATION:
        return key
    return pd.Series(list(zip(key, role_group(frame["role"]))), index=frame.index)


class Cells:
    """One survey's respondents as arrays, each computed once: municipality codes, role groups (the
    innovation survey) and every item's cells (``cell_of``)."""

    def __init__(self, frame: pd.DataFrame, codebook: Codebook, dataset: str):
        self.frame, self.codebook, self.dataset = frame, codebook, dataset
        self.municipality = frame[codebook.identifiers["municipality"]].astype(str).to_numpy()
        self.role = role_group(frame["role"]).to_numpy() if dataset == INNOVATION else None
        self._cells: dict[str, np.ndarray] = {}

    def cells(self, variable: str) -> np.ndarray:
        if variable not in self._cells:
            self._cells[variable] = cell_of(self.frame, self.codebook, self.dataset, variable).to_numpy()
        return self._cells[variable]

    def where(self, municipalities=None, roles=None) -> np.ndarray:
        """The respondents of ``municipalities`` (None: all) and ``roles`` (None: all)."""
        keep = np.ones(len(self.municipality), dtype=bool)
        if municipalities is not None:
            keep &= np.isin(self.municipality, list(municipalities))
        if roles is not None:
            keep &= np.isin(self.role, list(roles))
        return keep

    def counts(self, variable: str, municipalities=None, roles=None) -> tuple[int, int]:
        """Positive and substantive answers (k, n) to ``variable`` among the given respondents."""
        c = self.cells(variable)[self.where(municipalities, roles)]
        return int((c == "positive").sum()), int(((c == "positive") | (c == "other")).sum())


def truth(frame: pd.DataFrame, codebook: Codebook, dataset: str) -> dict:
    """The true value of every unknown of one survey (zero where a group has nobody)."""
    from collections import Counter

    survey = Cells(frame, codebook, dataset)
    group = list(group_of(frame, codebook, dataset))
    sizes = Counter(group)
    out = {("n", dataset, g): int(sizes.get(g, 0)) for g in groups(dataset, codebook)}
    for variable, cells in items(dataset, codebook).items():
        counts = Counter(zip(group, survey.cells(variable)))
        for g in groups(dataset, codebook):
            for c in cells:
                out[("x", dataset, variable, g, c)] = int(counts.get((g, c), 0))
    return out


def upper_bounds(dataset: str, codebook: Codebook, largest: int) -> dict:
    """Every unknown of a survey with a bound no solution reaches (``largest``: more than any group holds)."""
    out = {("n", dataset, g): largest for g in groups(dataset, codebook)}
    for variable, cells in items(dataset, codebook).items():
        out.update({("x", dataset, variable, g, c): largest for g in groups(dataset, codebook) for c in cells})
    return out


def structure(dataset: str, codebook: Codebook) -> list[Linear]:
    """Every respondent in exactly one cell of every item."""
    out = []
    for variable, cells in items(dataset, codebook).items():
        for g in groups(dataset, codebook):
            out.append(Linear((*terms(("x", dataset, variable, g, c) for c in cells), (("n", dataset, g), -1)), 0, 0,
                              "structure"))
    return out


def _members(dataset: str, codebook: Codebook, municipalities, roles) -> list:
    municipalities = list(codebook.municipalities) if municipalities is None else list(municipalities)
    if dataset != INNOVATION:
        return municipalities
    roles = list(innovation.ROLE_GROUPS) if roles is None else list(roles)
    return [(m, r) for m in municipalities for r in roles]


def cell_terms(dataset: str, codebook: Codebook, variable: str, cells, municipalities=None, roles=None,
               coefficient: int = 1):
    """The sum of ``cells`` of ``variable`` over the groups of ``municipalities`` (None: all) and ``roles``."""
    return terms((("x", dataset, variable, g, c) for g in _members(dataset, codebook, municipalities, roles)
                  for c in cells), coefficient)


def size_terms(dataset: str, codebook: Codebook, municipalities=None, roles=None, coefficient: int = 1):
    return terms((("n", dataset, g) for g in _members(dataset, codebook, municipalities, roles)), coefficient)
