"""Everything the project publishes about the surveys, as facts over the audit's unknowns (``unknowns``).

The ledger follows the publication plan (``analysis.report.plan``) and the documents' own formats: a
figure printed as "71 % (58–81), n = 14" is the fact "n = 14 and k is one of the counts that print this
share and this Wilson interval" (the interval inverted), "12 av 14" is exact, a total rounded to tens is
a range. Each fact names the documents that print it, so that a breach can be traced to them.

What is published, by survey (``docs/disclosure/threat-model.md`` lists the documents):

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

import re

from analysis.client_surveys import indicators as client_survey
from analysis.core.feasible import Choice, Constraint, Either, Linear
from analysis.report import inversion, unknowns as u
from analysis.core.publication_plan import Plan, reason_key

NOTEBOOK_01, NOTEBOOK_02, NOTEBOOK_03 = ("notebooks/01-data.ipynb", "notebooks/02-innovation-climate.ipynb",
                                         "notebooks/03-client-surveys.ipynb")
REPORTS = "reports/feedback/kommun.qmd"
POSTERS, DECKS = "reports/feedback/affisch.qmd", "reports/feedback/bildspel.qmd"
ARTICLE = "reports/index.qmd"
INF = float("inf")


def tag(kind: str, dataset: str, variable: str, group: str) -> str:
    """The plan entry a fact follows from, at the start of its source (``key_of`` reads it back)."""
    return f"[{kind}|{dataset}|{variable}|{group}] "


def key_of(source: str) -> tuple | None:
    """The plan entry of a fact's source (None for a fact every plan publishes)."""
    match = re.match(r"\[([^\]]*)\] ", source)
    return tuple(match[1].split("|")) if match else None


def strip_tag(source: str) -> str:
    """A fact's source without its plan entry: the documents that print it."""
    return re.sub(r"^\[[^\]]*\] ", "", source)


def exact(expr, value: int, source: str) -> Linear:
    return Linear(expr, value, value, source)


def count(expr, value: int, source: str, base: int = 1) -> Linear:
    """A count printed exactly (``base`` 1) or rounded to ``base``."""
    r = inversion.rounded_range(value, base)
    return Linear(expr, r.start, r.stop - 1, source)


def printed(k_expr, n_expr, k: int, n: int, source: str, base: int = 1) -> list[Constraint]:
    """A share printed with its interval and n (n rounded to ``base``)."""
    if base <= 1:
        options = inversion.printed_counts(k, n)
        out: list[Constraint] = [exact(n_expr, n, source)]
        if options == tuple(range(options[0], options[-1] + 1)):
            return out + [Linear(k_expr, options[0], options[-1], source)]
        return out + [Choice((k_expr,), tuple((o,) for o in options), source)]
    return [Choice((k_expr, n_expr), tuple(inversion.printed_pairs(k, n, base)), source)]


def _terms(dataset, codebook, variable, municipalities=None, roles=None):
    return (u.cell_terms(dataset, codebook, variable, ["positive"], municipalities, roles),
            u.cell_terms(dataset, codebook, variable, ["positive", "other"], municipalities, roles))


def _share_facts(survey: u.Cells, variable, municipalities, source, base=1, roles=None):
    k, n = survey.counts(variable, municipalities, roles)
    return printed(*_terms(survey.dataset, survey.codebook, variable, municipalities, roles), k, n, source, base) \
        if n else []


def _respondents(dataset, frame, codebook, plan: Plan) -> list[Constraint]:
    sizes = frame[codebook.identifiers["municipality"]].astype(str).value_counts()
    present = sorted(sizes.index)
    region = plan.region_of(dataset, "respondents", present)
    out = [count(u.size_terms(dataset, codebook, region), int(sizes.reindex(region, fill_value=0).sum()),
                 f"{NOTEBOOK_01} tbl-data-surveys; {POSTERS}; {ARTICLE}; {REPORTS}", plan.base(dataset, "respondents"))]
    for m in codebook.municipalities:  # every participant is named, as a row or in the merged row's note
        out.append(Linear(u.size_terms(dataset, codebook, [m]), *((1, INF) if m in present else (0, 0)),
                          f"{NOTEBOOK_01} tbl-data-respondents (participation)"))
    for m in plan.respondents.get(dataset, []):
        out.append(exact(u.size_terms(dataset, codebook, [m]), int(sizes.get(m, 0)), tag("respondents", dataset, "", m)
                         + f"{NOTEBOOK_01} tbl-data-respondents; {REPORTS} ({m}); {DECKS} ({m})"))
    rest = sorted(set(present) - set(plan.respondents.get(dataset, [])))
    if plan.respondents_merged.get(dataset) and rest:
        out.append(exact(u.size_terms(dataset, codebook, rest), int(sizes[rest].sum()),
                         f"{NOTEBOOK_01} tbl-data-respondents (merged row)"))
    return out


def _client(survey: u.Cells, plan: Plan) -> list[Constraint]:
    dataset, frame, codebook = survey.dataset, survey.frame, survey.codebook
    out = []
    key = codebook.identifiers["municipality"]
    present = sorted(set(frame[key].astype(str)))
    for variable in client_survey.INDICATORS:
        region, base = plan.region_of(dataset, variable, present), plan.base(dataset, variable)
        out += _share_facts(survey, variable, region, tag("region", dataset, variable, "") +
                            f"{NOTEBOOK_03} tbl-client-headline, tbl-client-years; {NOTEBOOK_01} tbl-data-published; "
                            f"{REPORTS} tbl-kommun-brukare (region column); {POSTERS}; {DECKS}", base)
        for m in plan.indicators.get(dataset, {}).get(variable, []):
            source = tag("indicators", dataset, variable, m) + f"{REPORTS} ({m}) tbl-kommun-brukare; {POSTERS} ({m}); {DECKS} ({m})"
            k, n = survey.counts(variable, [m])
            out += [exact(u.cell_terms(dataset, codebook, variable, ["positive"], [m]), k, source),
                    exact(u.cell_terms(dataset, codebook, variable, ["other"], [m]), n - k, source)]
        rest = sorted(set(present) - set(plan.indicators.get(dataset, {}).get(variable, [])))
        if variable in plan.merged_rows.get(dataset, []) and rest:
            out += _share_facts(survey, variable, rest, f"{NOTEBOOK_03} tbl-client-municipality (merged row)")
    if "travel_distance" in frame:
        for variable, categories in u.CATEGORY_ITEMS.items():
            region = plan.region_of(dataset, variable, present)
            cells = survey.cells(variable)[survey.where(region)]
            for c in (*categories, "other answers"):  # the answers; not who left it blank (that gives the total)
                out.append(count(u.cell_terms(dataset, codebook, variable, [c], region), int((cells == c).sum()),
                                 f"{NOTEBOOK_03} tbl-client-distance, tbl-client-form, tbl-client-distance-form"))
            first, second = categories
            shown = plan.categories.get(variable, [])
            groups = [([m], tag("categories", dataset, variable, m) +
                       f"{NOTEBOOK_03} tbl-client-municipality-travel; {REPORTS} ({m}) tbl-kommun-resor") for m in shown]
            rest = sorted(set(present) - set(shown))
            if plan.category_merged.get(variable) and rest:
                groups.append((rest, f"{NOTEBOOK_03} tbl-client-municipality-travel (merged row)"))
            out += reason_facts(dataset, codebook, variable, plan, f"{REPORTS} tbl-kommun-resor")
            for members, source in groups:
                part = survey.cells(variable)[survey.where(members)]
                k, n = int((part == first).sum()), int(((part == first) | (part == second)).sum())
                if n:
                    out += printed(u.cell_terms(dataset, codebook, variable, [first], members),
                                   u.cell_terms(dataset, codebook, variable, [first, second], members), k, n, source)
    return out


def _common(surveys: dict, plan: Plan) -> list[Constraint]:
    """Notebook 03's comparison of the years over the municipalities in both years' regional figures."""
    s18, s19 = surveys["client_survey_2018"], surveys["client_survey_2019"]
    out = []
    for variable in plan.common:
        r18 = plan.region_of("client_survey_2018", variable, sorted(set(s18.municipality)))
        r19 = plan.region_of("client_survey_2019", variable, sorted(set(s19.municipality)))
        common = sorted(set(r18) & set(r19))
        for survey in (s18, s19):
            out += _share_facts(survey, variable, common, tag("common", "", variable, "") +
                                f"{NOTEBOOK_03} tbl-client-years (same municipalities)",
                                plan.base(survey.dataset, variable))
    return out


def _innovation(survey: u.Cells, plan: Plan) -> list[Constraint]:
    dataset, codebook = survey.dataset, survey.codebook
    roles = survey.role
    out = [exact(u.size_terms(dataset, codebook, roles=[r]), int((roles == r).sum()), f"{NOTEBOOK_02} (respondents by role)")
           for r in sorted(set(roles))]
    for variable in u.items(dataset, codebook):
        out += _share_facts(survey, variable, None,
                            f"{NOTEBOOK_02} tbl-innovation-aspects; {REPORTS} tbl-kommun-klimat (all respondents)")
        for r in plan.roles.get(variable, []):
            out += _share_facts(survey, variable, None,
                                tag("roles", dataset, variable, r) + f"{NOTEBOOK_02} tbl-innovation-roles", roles=[r])
        for m in plan.climate.get(variable, []):
            out += _share_facts(survey, variable, [m],
                                tag("climate", dataset, variable, m) + f"{REPORTS} ({m}) tbl-kommun-klimat")
        out += reason_facts(dataset, codebook, variable, plan, f"{REPORTS} tbl-kommun-klimat")
    return out


def reason_facts(dataset: str, codebook, variable: str, plan: Plan, document: str) -> list[Constraint]:
    """What a hidden figure's printed reason says about the municipality's own cells: ``small`` ("för få
    svar": some answer cell 1–4, all answers alike, or no answer) or ``passes`` ("sammanslagen": every
    cell 0 or at least the threshold, two cells or more filled). The neutral ``hidden`` ("röjandeskydd")
    and reasons that repeat a public fact ("deltog inte", Kolada's "färre än fem") say nothing new. The
    audited plan prints only neutral and public reasons; the others are kept for plans that print them."""
    from analysis.core.disclosure import THRESHOLD

    cells = [c for c in u.items(dataset, codebook)[variable] if c != "blank"]
    out: list[Constraint] = []
    for m in codebook.municipalities:
        reason = plan.reasons.get(reason_key(dataset, variable, m))
        expr = {c: u.cell_terms(dataset, codebook, variable, [c], [m]) for c in cells}
        source = f"{document} ({m}): reason '{reason}'"
        if reason == "small":
            alternatives = [(Linear(expr[c], 1, THRESHOLD - 1),) for c in cells]
            alternatives += [(Linear(tuple(x for o in cells if o != c for x in expr[o]), 0, 0), Linear(expr[c], 1, INF))
                             for c in cells]
            alternatives.append((Linear(tuple(x for c in cells for x in expr[c]), 0, 0),))  # nobody answered
            out.append(Either(tuple(alternatives), source))
        elif reason == "passes":
            out += [Either(((Linear(expr[c], 0, 0),), (Linear(expr[c], THRESHOLD, INF),)), source) for c in cells]
            out.append(Either(tuple((Linear(expr[a], 1, INF), Linear(expr[b], 1, INF))
                                    for i, a in enumerate(cells) for b in cells[i + 1:]), source))
    return out


def _reproduction(frames, codebooks, comparison) -> list[Constraint]:
    """Notebook 01's reproduction of the report's figures: what it prints beside each published figure
    (innovation survey: the computed value; client surveys: only whether it agrees)."""
    out: list[Constraint] = []
    source = f"{NOTEBOOK_01} tbl-data-published"
    for r in comparison.itertuples(index=False):
        if r.dataset not in frames:
            continue
        codebook = codebooks[r.dataset]
        sizes = [u.size_terms(r.dataset, codebook, [m]) for m in codebook.municipalities]
        computed = str(r.computed)
        if r.measure == "max_per_municipality" and computed.isdigit():
            out += [Linear(t, 0, int(computed), source) for t in sizes]
            out.append(Either(tuple((Linear(t, int(computed), int(computed)),) for t in sizes), source))
        elif r.measure == "min_per_municipality" and computed.isdigit():
            out += [Linear(t, int(computed), INF, source) for t in sizes]
            out.append(Either(tuple((Linear(t, int(computed), int(computed)),) for t in sizes), source))
        elif r.measure == "share" and r.dataset == u.INNOVATION and str(r.variable) in u.items(r.dataset, codebook):
            k_terms, n_terms = _terms(r.dataset, codebook, str(r.variable))
            out += [exact(k_terms, int(r.numerator), source), exact(n_terms, int(r.denominator), source)]
        elif r.measure == "share" and r.rule == "of_ten" and str(r.variable) in u.items(r.dataset, codebook):
            k, n = _terms(r.dataset, codebook, str(r.variable))
            value = int(float(r.published_value))
            band = (Linear(inversion_scaled(k, n, 20, -(2 * value - 1)), 0, INF),
                    Linear(inversion_scaled(k, n, 20, -(2 * value + 1)), -INF, -1))
            if str(r.passed) == "True":
                out += [Linear(b.terms, b.low, b.high, source) for b in band]
            else:  # "nej": outside the band, on one side or the other
                out.append(Either(((Linear(band[0].terms, -INF, -1),), (Linear(band[1].terms, 0, INF),)), source))
    return out


def inversion_scaled(k_terms, n_terms, k_coefficient: float, n_coefficient: float):
    return (*((key, k_coefficient * c) for key, c in k_terms), *((key, n_coefficient * c) for key, c in n_terms))


def project_facts(frames: dict, codebooks: dict, plan: Plan, comparison=None) -> list[Constraint]:
    """Every fact the project's publications give under ``plan``, for all surveys. (Differences, their
    intervals and p-values are functions of published counts and add nothing to them.)"""
    out: list[Constraint] = []
    surveys = {d: u.Cells(frame, codebooks[d], d) for d, frame in frames.items()}
    for dataset, frame in frames.items():
        codebook = codebooks[dataset]
        out += _respondents(dataset, frame, codebook, plan)
        out += _innovation(surveys[dataset], plan) if dataset == u.INNOVATION else _client(surveys[dataset], plan)
    if {"client_survey_2018", "client_survey_2019"} <= set(frames):
        out += _common(surveys, plan)
    if comparison is not None:
        out += _reproduction(frames, codebooks, comparison)
    return out
