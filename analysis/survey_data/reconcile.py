"""Whole-respondent counts that reproduce the report's rounded shares: a small constraint problem.

The report publishes percentages (and "N av 10") but rarely the denominators. For each
question the solver searches the number who answered, the number answering "vet inte",
and the count behind each published share, such that every published figure about that
question holds under the report's rounding. Among the feasible solutions it takes the
most plausible one: the fewest "vet inte" answers beyond what is assumed, then the number
of answers closest to the assumed one, then counts closest to the published shares.
Every choice is returned as a record for ``survey_reconciliations.csv``.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from fractions import Fraction

import pandas as pd

from analysis.survey_data.published import Share, codes_of, passes

SHARE_RULES = ("percent", "of_ten", "greater_than", "less_than")


@dataclass(frozen=True)
class Question:
    """What is assumed about one question before solving (ranges are inclusive)."""

    dataset: str
    variable: str
    substantive_codes: tuple[int, ...]  # every answer code except "vet inte"
    answered: tuple[int, int]           # range for the number answering, "vet inte" included
    answered_target: int
    dont_know: tuple[int, int] = (0, 0)
    dont_know_target: int = 0


@dataclass(frozen=True)
class Solution:
    question: Question
    answered: int
    dont_know: int
    counts: dict[str, int]       # figure_id -> count in the figure's codes
    feasible: int                # how many solutions satisfied every figure
    note: str
    note_sv: str  # the same reasoning in Swedish, for the report's tables

    @property
    def substantive(self) -> int:
        return self.answered - self.dont_know


class NoSolution(ValueError):
    pass


def _target(rule: str, published: str) -> Fraction:
    value = Fraction(published)
    return value / 100 if rule == "percent" else value / 10 if rule == "of_ten" else value


def solve(question: Question, figures: pd.DataFrame) -> Solution:
    """The most plausible counts for ``question`` satisfying all its ``figures`` (share and answered rules)."""
    share_figs = [f for f in figures.itertuples(index=False) if f.measure == "share" and f.rule in SHARE_RULES]
    answered_figs = [f for f in figures.itertuples(index=False) if f.measure == "answered"]
    # Figures on disjoint code sets that together cover every substantive answer must add up to the total.
    code_sets = {}
    for f in share_figs:
        code_sets.setdefault(f.codes, set(codes_of(f.codes)))
    sets = list(code_sets.values())
    partition = (set().union(*sets) == set(question.substantive_codes)
                 and sum(len(s) for s in sets) == len(question.substantive_codes)) if sets else False

    candidates = []
    for answered in range(question.answered[0], question.answered[1] + 1):
        if not all(passes(f.rule, f.published_value, answered) for f in answered_figs):
            continue
        for dont_know in range(question.dont_know[0], min(question.dont_know[1], answered) + 1):
            n = answered - dont_know
            if n == 0:
                continue
            per_set = {}
            for codes in code_sets:
                figs = [f for f in share_figs if f.codes == codes]
                per_set[codes] = [k for k in range(n + 1) if all(passes(f.rule, f.published_value, Share(k, n))
                                                                   for f in figs)]
            for combo in itertools.product(*per_set.values()):
                if partition and sum(combo) != n:
                    continue
                counts = dict(zip(per_set, combo))
                distance = sum(abs(Fraction(counts[f.codes], n) - _target(f.rule, f.published_value))
                               for f in share_figs if f.rule in ("percent", "of_ten"))
                cost = (abs(dont_know - question.dont_know_target), abs(answered - question.answered_target),
                        -answered, distance)
                candidates.append((cost, answered, dont_know, counts))
    if not candidates:
        raise NoSolution(f"{question.dataset}.{question.variable}: no whole-respondent counts reproduce "
                         f"{', '.join(f.figure_id for f in share_figs + answered_figs)} within the assumed ranges")
    candidates.sort(key=lambda c: c[0])
    _, answered, dont_know, counts = candidates[0]
    return Solution(question, answered, dont_know, {f.figure_id: counts[f.codes] for f in share_figs},
                    len(candidates), *_notes(question, answered, dont_know, answered_figs, candidates))


def _notes(q: Question, answered: int, dont_know: int, answered_figs, candidates) -> tuple[str, str]:
    """Why these counts were chosen, in English (the data file) and in Swedish (the report)."""
    if answered_figs and dont_know > q.dont_know_target:
        return (f"The published shares cannot all hold as shares of all {answered} who answered under whole-percent "
                f"rounding. They hold when {dont_know} of the {answered} answered 'vet inte' and the shares are of "
                f"the {answered - dont_know} substantive answers; no smaller number of 'vet inte' answers works.",
                f"Andelarna kan inte alla gälla av samtliga {answered} svarande med avrundning till hela procent. De "
                f"gäller om {dont_know} av de {answered} svarade 'vet inte' och andelarna avser de "
                f"{answered - dont_know} sakliga svaren; inget mindre antal 'vet inte' fungerar.")
    if answered_figs:
        return (f"The number answering ({answered}) is published; the counts follow from the shares.",
                f"Antalet svarande ({answered}) är publicerat; antalen följer av andelarna.")
    if q.answered[0] == q.answered[1]:
        return (f"The report publishes neither respondents nor denominators; {answered} answers with {dont_know} "
                f"'vet inte' follow from the assumptions in config/synthetic.yaml, and the count is the one whose "
                f"share is closest to the published value ({len(candidates)} counts would round to it).",
                f"Rapporten publicerar varken svarande eller nämnare; {answered} svar varav {dont_know} 'vet inte' "
                f"följer av antagandena i config/synthetic.yaml, och antalet är det vars andel ligger närmast det "
                f"publicerade värdet ({len(candidates)} antal skulle avrundas till det).")
    feasible = len({c[1] for c in candidates})
    return (f"The report does not publish how many answered; {answered} is the feasible number closest to the "
            f"assumed {q.answered_target} ({feasible} feasible numbers in {q.answered[0]}–{q.answered[1]}).",
            f"Rapporten publicerar inte hur många som svarade; {answered} är det möjliga antal som ligger närmast "
            f"de antagna {q.answered_target} ({feasible} möjliga antal mellan {q.answered[0]} och {q.answered[1]}).")


def reconciliation_records(solutions: list[Solution], figures: pd.DataFrame) -> pd.DataFrame:
    """One row per solved question: published figures, chosen counts, exact shares and the reasoning."""
    by_id = figures.set_index("figure_id")
    rows = []
    for s in solutions:
        ids = list(s.counts)
        rows.append({
            "dataset": s.question.dataset,
            "variable": s.question.variable,
            "figure_ids": ";".join(ids),
            "published": ";".join(f"{by_id.loc[i, 'rule']} {by_id.loc[i, 'published_value']}" for i in ids),
            "answered": s.answered,
            "dont_know": s.dont_know,
            "substantive": s.substantive,
            "counts": ";".join(str(s.counts[i]) for i in ids),
            "exact_shares": ";".join(f"{s.counts[i] / s.substantive:.4f}" for i in ids),
            "feasible_solutions": s.feasible,
            "reconciliation": s.note,
            "reconciliation_sv": s.note_sv,
        })
    return pd.DataFrame(rows)
