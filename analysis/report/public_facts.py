"""What is public about the surveys without the project: Kolada's values and respondents, and the GINO report.

The attacker of the threat model (``docs/disclosure/threat-model.md``) holds these before reading any
of the project's outputs. The audit compares what they allow with what they allow together with the
project's publications; only the difference is the project's disclosure.

* **Kolada** (``kolada_pairs.csv``, built from Kolada's full-precision values, U30901 and the
  publication rule): a published municipality has exactly its U30901 respondents; an item with a
  value has one of the (positive, answered) pairs the value allows; an item without a value had
  fewer than five substantive answers; a participating municipality Kolada does not publish had 1–4
  respondents.
* **The GINO report** (``survey_figures.csv``): which municipalities took part, the innovation
  survey's respondents by role, its fewest and most respondents per municipality, and the regional
  shares it publishes (as inequalities in positive and answered, under its rounding rule).

Pure functions over frames; no file I/O.
"""

from __future__ import annotations

import pandas as pd

from analysis.core.feasible import Constraint, Choice, Either, Linear
from analysis.report import unknowns as u
from analysis.survey_data.codebooks import Codebook

KOLADA_THRESHOLD = 5


def _pairs(text: str) -> list[tuple[int, int]]:
    return [tuple(int(x) for x in p.split("/")) for p in str(text).split(";") if "/" in p]


def kolada_facts(pairs: pd.DataFrame, dataset: str, codebook: Codebook, year: int) -> list[Constraint]:
    """Kolada's facts about one client survey year (``pairs``: ``kolada_pairs.csv``)."""
    out: list[Constraint] = []
    part = pairs[pairs["year"] == year]
    took_part = set(part["kommun_kod"].astype(str).str.zfill(4))
    for code in codebook.municipalities:
        rows = part[part["kommun_kod"].astype(str).str.zfill(4) == code]
        size = u.size_terms(dataset, codebook, [code])
        if code not in took_part:
            continue  # participation is the report's fact
        respondents = str(rows["respondents"].iloc[0])
        if not respondents.isdigit():
            out.append(Linear(size, 1, KOLADA_THRESHOLD - 1, f"Kolada {year}: {code} not published (1–4 respondents)"))
            continue
        out.append(Linear(size, int(respondents), int(respondents), f"Kolada {year}: {code} U30901"))
        for r in rows.itertuples(index=False):
            positive = u.cell_terms(dataset, codebook, r.variable, ["positive"], [code])
            answered = u.cell_terms(dataset, codebook, r.variable, ["positive", "other"], [code])
            source = f"Kolada {year}: {code} {r.kpi_id}"
            if str(r.status) == "publicerat":
                out.append(Choice((positive, answered), tuple(_pairs(r.pairs)), source))
            else:
                out.append(Linear(answered, 0, KOLADA_THRESHOLD - 1, source + " not published (< 5 answers)"))
    return out


def _share_terms(dataset: str, codebook: Codebook, variable: str, codes: str):
    """Regional positive and answered terms of a published share, where it is an item of the model."""
    items = u.items(dataset, codebook)
    if variable not in items or (dataset != u.INNOVATION and variable in u.CATEGORY_ITEMS):
        return None
    return (u.cell_terms(dataset, codebook, variable, ["positive"]),
            u.cell_terms(dataset, codebook, variable, ["positive", "other"]))


def _scaled(k_terms, n_terms, k_coefficient: float, n_coefficient: float):
    return (*((key, k_coefficient * c) for key, c in k_terms), *((key, n_coefficient * c) for key, c in n_terms))


def report_facts(figures: pd.DataFrame, dataset: str, codebook: Codebook) -> list[Constraint]:
    """The GINO report's figures about one survey as facts (``figures``: ``survey_figures.csv``)."""
    out: list[Constraint] = []
    everyone = list(codebook.municipalities)
    for r in figures[figures["dataset"] == dataset].itertuples(index=False):
        source = f"GINO report: {r.figure_id}"
        value = str(r.published_value)
        if r.measure == "municipalities":
            out += [Linear(u.size_terms(dataset, codebook, [m]), 1, float("inf"), source + f" ({m} took part)")
                    for m in everyone]
        elif r.measure == "respondents":
            out.append(Linear(u.size_terms(dataset, codebook), int(value), int(value), source))
        elif r.measure in ("min_per_municipality", "max_per_municipality"):
            low, high = (int(x) for x in (value.split(";") * 2)[:2])
            sizes = [u.size_terms(dataset, codebook, [m]) for m in everyone]
            bound = (Linear(t, low, float("inf")) if r.measure == "min_per_municipality" else Linear(t, 0, high)
                     for t in sizes)
            out += list(bound)  # every municipality at least the smallest's low (at most the largest's high)
            out.append(Either(tuple((Linear(t, low, high),) for t in sizes), source))
        elif r.measure == "share" and r.rule in ("percent", "of_ten", "greater_than", "less_than"):
            both = _share_terms(dataset, codebook, str(r.variable), str(r.codes))
            if both is None:
                continue
            k, n = both
            number = float(value)
            if r.rule == "percent":  # either rounding of a half
                out += [Linear(_scaled(k, n, 200, -(2 * number - 1)), 0, float("inf"), source),
                        Linear(_scaled(k, n, 200, -(2 * number + 1)), -float("inf"), 0, source)]
            elif r.rule == "of_ten":  # rounded half up
                out += [Linear(_scaled(k, n, 20, -(2 * number - 1)), 0, float("inf"), source),
                        Linear(_scaled(k, n, 20, -(2 * number + 1)), -float("inf"), -1, source)]
            elif r.rule == "greater_than":
                out.append(Linear(_scaled(k, n, 1, -number), 1e-9, float("inf"), source))
            else:
                out.append(Linear(_scaled(k, n, 1, -number), -float("inf"), -1e-9, source))
    if dataset == u.INNOVATION:
        out += _role_facts(figures, codebook)
    return out


def _role_facts(figures: pd.DataFrame, codebook: Codebook) -> list[Constraint]:
    """The report's respondents by role, summed into the published role groups."""
    from analysis.innovation import climate as innovation

    by_id = figures.set_index("figure_id")["published_value"]
    counts = {1: "inn_politicians", 2: "inn_managers", 3: "inn_staff", innovation.NO_ROLE: "inn_no_role"}
    out = []
    for group, members in innovation.ROLE_GROUPS.items():
        if all(counts.get(c) in by_id.index for c in members):
            total = sum(int(by_id[counts[c]]) for c in members)
            out.append(Linear(u.size_terms(u.INNOVATION, codebook, roles=[group]), total, total,
                              f"GINO report: respondents by role ({group})"))
    return out


def public_facts(dataset: str, codebook: Codebook, figures: pd.DataFrame, pairs: pd.DataFrame | None) -> list[Constraint]:
    """Everything public about one survey."""
    out = report_facts(figures, dataset, codebook)
    if dataset.startswith("client_survey_") and pairs is not None:
        out += kolada_facts(pairs, dataset, codebook, int(dataset.rsplit("_", 1)[1]))
    return out
