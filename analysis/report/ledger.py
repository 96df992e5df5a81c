"""Everything the project publishes about the surveys, as facts over the audit's unknowns (``unknowns``).

The ledger follows the publication plan (``analysis.report.plan``) and the documents' own formats: a
figure printed as "71 % (58–81), n = 14" is the fact "n = 14 and k is one of the counts that print this
share and this Wilson interval" (the interval inverted), "12 av 14" is exact, a total rounded to tens is
a range. Each fact names the documents that print it, so that a breach can be traced to them.

What is published, by survey (``docs/disclosure-threat-model.md`` lists the documents):

* respondents: the total (notebook 01, every poster, the article), each municipality whose number the
  plan shows (notebook 01, its report and deck) and the merged row of the others (notebook 01);
  participation (every participant is named);
* client surveys: the regional k and n of every indicator (notebook 03, notebook 01's reproduction of
  the report's figures, every report's region column and difference table), each shown municipality's
  share with interval and n and its k of n (reports, decks, posters as "N av 10"), notebook 03's merged
  rows (2018), the comparison over the municipalities of both years, and travel distance and meeting
  form (regional counts per answer, shown municipalities' shares, the merged row);
* innovation survey: respondents by role group, table 1's shares with n, the table by role, and every
  shown municipality's shares in its report's profile.

``documents`` lists the executed tables that carry no survey sub-group figure (public data, Kolada as
published); the completeness test requires every table a document prints to be one or the other.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from analysis.client_surveys import indicators as client_survey
from analysis.core.feasible import Choice, Constraint, Linear
from analysis.core.stats import wilson
from analysis.presentation.display import share_ci
from analysis.report import unknowns as u
from analysis.report.plan import ROUNDING, Plan

NOTEBOOK_01, NOTEBOOK_02, NOTEBOOK_03 = ("notebooks/01-data.ipynb", "notebooks/02-innovation-climate.ipynb",
                                         "notebooks/03-client-surveys.ipynb")
REPORTS = "reports/feedback/kommun.qmd"
POSTERS, DECKS = "reports/feedback/affisch.qmd", "reports/feedback/bildspel.qmd"
ARTICLE = "reports/index.qmd"
INF = float("inf")


@functools.lru_cache(maxsize=4096)
def _texts(n: int) -> tuple[str, ...]:
    """How k of n prints as a share with its 95 % Wilson interval, for every k."""
    ks = np.arange(n + 1)
    low, high = wilson(ks, np.full(n + 1, n))
    return tuple(share_ci(a / n, lo, hi) for a, lo, hi in zip(ks, low, high))


def printed_counts(k: int, n: int) -> tuple[int, ...]:
    """Every k' of n that prints the same share and 95 % Wilson interval as k of n (whole percent)."""
    texts = _texts(n)
    return tuple(a for a, text in enumerate(texts) if text == texts[k])


def rounded_to(value: int) -> int:
    """``value`` rounded half up to ``ROUNDING`` (as printed when totals are rounded)."""
    return ROUNDING * ((value + ROUNDING // 2) // ROUNDING)


def exact(expr, value: int, source: str) -> Linear:
    return Linear(expr, value, value, source)


def printed(k_expr, n_expr, k: int, n: int, source: str, rounded: bool = False) -> list[Constraint]:
    """A share printed with its interval and n (n rounded to ``ROUNDING`` where ``rounded``)."""
    if not rounded:
        options = printed_counts(k, n)
        out: list[Constraint] = [exact(n_expr, n, source)]
        if options == tuple(range(options[0], options[-1] + 1)):
            return out + [Linear(k_expr, options[0], options[-1], source)]
        return out + [Choice((k_expr,), tuple((o,) for o in options), source)]
    text = _texts(n)[k]
    low = max(1, rounded_to(n) - ROUNDING // 2)
    pairs = tuple((a, m) for m in range(low, low + ROUNDING) for a, t in enumerate(_texts(m)) if t == text)
    return [Choice((k_expr, n_expr), pairs, source)]


def count(expr, value: int, source: str, rounded: bool = False) -> Linear:
    """A count printed exactly, or rounded to ``ROUNDING``."""
    if not rounded:
        return exact(expr, value, source)
    centre = rounded_to(value)
    return Linear(expr, centre - ROUNDING // 2, centre + ROUNDING // 2 - 1, source)


def _respondents(dataset, frame, codebook, plan: Plan) -> list[Constraint]:
    key = codebook.identifiers["municipality"]
    sizes = frame[key].astype(str).value_counts()
    present = set(sizes.index)
    rounded = plan.rounded(dataset)
    out = [count(u.size_terms(dataset, codebook), len(frame), f"{NOTEBOOK_01} tbl-data-surveys; {POSTERS}; {ARTICLE}",
                 rounded)]
    for m in codebook.municipalities:  # every participant is named, as a row or in the merged row's note
        out.append(Linear(u.size_terms(dataset, codebook, [m]), *((1, INF) if m in present else (0, 0)),
                          f"{NOTEBOOK_01} tbl-data-respondents (participation)"))
    for m in plan.respondents.get(dataset, []):
        out.append(exact(u.size_terms(dataset, codebook, [m]), int(sizes.get(m, 0)),
                         f"{NOTEBOOK_01} tbl-data-respondents; {REPORTS} ({m}); {DECKS} ({m})"))
    rest = sorted(present - set(plan.respondents.get(dataset, [])))
    if plan.respondents_merged.get(dataset) and rest:
        out.append(exact(u.size_terms(dataset, codebook, rest), int(sizes[rest].sum()),
                         f"{NOTEBOOK_01} tbl-data-respondents (merged row)"))
    return out


def _share_facts(dataset, frame, codebook, variable, municipalities, source, rounded=False, roles=None):
    part = frame
    if municipalities is not None:
        part = part[part[codebook.identifiers["municipality"]].astype(str).isin(municipalities)]
    if roles is not None:
        part = part[u.role_group(part["role"]).isin(roles)]
    cells = u.cell_of(part, codebook, dataset, variable)
    k, n = int((cells == "positive").sum()), int(cells.isin(["positive", "other"]).sum())
    if n == 0:
        return []
    return printed(u.cell_terms(dataset, codebook, variable, ["positive"], municipalities, roles),
                   u.cell_terms(dataset, codebook, variable, ["positive", "other"], municipalities, roles), k, n,
                   source, rounded)


def _client(dataset, frame, codebook, plan: Plan) -> list[Constraint]:
    out = []
    key = codebook.identifiers["municipality"]
    present = sorted(set(frame[key].astype(str)))
    rounded = plan.rounded(dataset)
    for variable in client_survey.INDICATORS:
        out += _share_facts(dataset, frame, codebook, variable, None,
                            f"{NOTEBOOK_03} tbl-client-headline, tbl-client-years; {NOTEBOOK_01} tbl-data-published; "
                            f"{REPORTS} tbl-kommun-brukare (region column)", rounded)
        shown = plan.indicators.get(dataset, {}).get(variable, [])
        for m in shown:  # the report's share, its k of n in the difference table, the poster's N av 10
            cells = u.cell_of(frame[frame[key].astype(str) == m], codebook, dataset, variable)
            source = f"{REPORTS} ({m}) tbl-kommun-brukare, tbl-kommun-skillnad; {POSTERS} ({m}); {DECKS} ({m})"
            out += [exact(u.cell_terms(dataset, codebook, variable, ["positive"], [m]), int((cells == "positive").sum()),
                          source),
                    exact(u.cell_terms(dataset, codebook, variable, ["other"], [m]), int((cells == "other").sum()), source)]
            if dataset == "client_survey_2018":
                out += _share_facts(dataset, frame, codebook, variable, [m], f"{NOTEBOOK_03} tbl-client-municipality")
        rest = sorted(set(present) - set(shown))
        if variable in plan.merged_rows.get(dataset, []) and rest:
            out += _share_facts(dataset, frame, codebook, variable, rest,
                                f"{NOTEBOOK_03} tbl-client-municipality (merged row)")
    if "travel_distance" in frame:
        for variable, categories in u.CATEGORY_ITEMS.items():
            cells = u.cell_of(frame, codebook, dataset, variable)
            for c in (*categories, "other answers", "blank"):
                out.append(count(u.cell_terms(dataset, codebook, variable, [c]), int((cells == c).sum()),
                                 f"{NOTEBOOK_03} tbl-client-distance, tbl-client-form", rounded))
            first, second = categories
            shown = plan.categories.get(variable, [])
            groups = [([m], f"{NOTEBOOK_03} tbl-client-municipality-travel; {REPORTS} ({m}) tbl-kommun-resor")
                      for m in shown]
            rest = sorted(set(present) - set(shown))
            if plan.category_merged.get(variable) and rest:
                groups.append((rest, f"{NOTEBOOK_03} tbl-client-municipality-travel (merged row)"))
            for members, source in groups:
                mask = frame[key].astype(str).isin(members)
                part = u.cell_of(frame[mask], codebook, dataset, variable)
                k, n = int((part == first).sum()), int(part.isin([first, second]).sum())
                if n:
                    out += printed(u.cell_terms(dataset, codebook, variable, [first], members),
                                   u.cell_terms(dataset, codebook, variable, [first, second], members), k, n, source)
    return out


def _common(frames, codebooks, plan: Plan) -> list[Constraint]:
    f18, f19 = frames["client_survey_2018"], frames["client_survey_2019"]
    key = codebooks["client_survey_2018"].identifiers["municipality"]
    common = sorted(set(f18[key].astype(str)) & set(f19[key].astype(str)))
    out = []
    for variable in plan.common:
        for dataset, frame in (("client_survey_2018", f18), ("client_survey_2019", f19)):
            out += _share_facts(dataset, frame, codebooks[dataset], variable, common,
                                f"{NOTEBOOK_03} tbl-client-years (same municipalities)", plan.rounded(dataset))
    return out


def _innovation(dataset, frame, codebook, plan: Plan) -> list[Constraint]:
    roles = u.role_group(frame["role"])
    out = [exact(u.size_terms(dataset, codebook, roles=[r]), int((roles == r).sum()), f"{NOTEBOOK_02} (respondents by role)")
           for r in sorted(roles.unique())]
    for variable in u.items(dataset, codebook):
        out += _share_facts(dataset, frame, codebook, variable, None,
                            f"{NOTEBOOK_02} tbl-innovation-aspects; {REPORTS} tbl-kommun-klimat (all respondents)")
        for r in plan.roles.get(variable, []):
            out += _share_facts(dataset, frame, codebook, variable, None, f"{NOTEBOOK_02} tbl-innovation-roles", roles=[r])
        for m in plan.climate.get(variable, []):
            out += _share_facts(dataset, frame, codebook, variable, [m], f"{REPORTS} ({m}) tbl-kommun-klimat")
    return out


def project_facts(frames: dict, codebooks: dict, plan: Plan) -> dict[str, list[Constraint]]:
    """Every survey's facts from the project's publications under ``plan``."""
    out = {}
    for dataset, frame in frames.items():
        codebook = codebooks[dataset]
        facts = _respondents(dataset, frame, codebook, plan)
        facts += _innovation(dataset, frame, codebook, plan) if dataset == u.INNOVATION else \
            _client(dataset, frame, codebook, plan)
        out[dataset] = facts
    if {"client_survey_2018", "client_survey_2019"} <= set(frames):
        for fact in _common(frames, codebooks, plan):
            dataset = next(k for k, _ in fact.terms)[1] if isinstance(fact, Linear) else next(iter(fact.exprs[0]))[0][1]
            out[dataset].append(fact)
    return out


def truth_table(truth: dict) -> pd.DataFrame:
    """The true unknowns as a frame (survey, item, group, cell, n) for reports."""
    rows = [(k[1], "respondents", k[2], "n", v) if k[0] == "n" else (k[1], k[2], k[3], k[4], v) for k, v in truth.items()]
    return pd.DataFrame(rows, columns=["survey", "item", "group", "cell", "n"])
