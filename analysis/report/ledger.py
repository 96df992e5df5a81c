"""Everything the report, the notebooks and the feedback documents publish about survey sub-groups,
as linear facts over the unknown counts an attacker would like to learn.

An unknown is the number of respondents of one municipality in one cell of one item (``positive``,
``other``, ``dont_know`` or ``blank`` for an indicator; the answer groups, ``other answers`` and
``blank`` for travel distance and meeting form), or a municipality's number of respondents
(item ``respondents``, cell ``n``). A fact says that the sum of some unknowns (a set of
municipalities × a set of cells of one item) equals, or is at least, a value; a ``min`` or ``max``
fact says that the smallest (largest) municipality has between ``low`` and ``high`` respondents.

The facts are read from the functions that make the published tables, so the ledger follows the
publications: the respondents per municipality (notebook 01, the feedback reports), participation
(every participating municipality is named, as a row or in the merged row's footnote), the regional
totals of every cell (conservatively: more than the tables show), the by-municipality tables of the
client surveys (notebook 03, the feedback reports, posters and decks), the innovation-climate
profile of every feedback report, the comparison of the two years restricted to the common
municipalities, and the published minimum and maximum per municipality with the value notebook 01
shows beside them. Role tables partition the respondents by role, not municipality, and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from analysis.client_surveys import indicators as client_survey
from analysis.core import disclosure
from analysis.feedback import comparison as feedback
from analysis.innovation import climate as innovation
from analysis.survey_data.codebooks import Codebook

ANSWER_CELLS = ("positive", "other", "dont_know")
CATEGORY_ITEMS = {"travel_distance": feedback.DISTANCE_GROUPS, "preferred_meeting": feedback.FORM_GROUPS}


@dataclass(frozen=True)
class Fact:
    survey: str
    item: str
    groups: tuple          # municipality codes
    cells: tuple           # cell names of ``item``
    value: int
    op: str = "=="         # "==", ">=", "min" or "max" (then ``value`` is low and ``high`` the upper end)
    high: int | None = None
    source: str = ""


def items(dataset: str, codebook: Codebook) -> dict[str, tuple]:
    """The items of a survey and their cells (``blank`` last): variable -> cell names."""
    if dataset.startswith("innovation"):
        variables = [*innovation.aspects(codebook)["state_variable"], *innovation.aspects(codebook)["importance_variable"]]
        return {v: (*ANSWER_CELLS, "blank") for v in variables}
    out = {v: (*ANSWER_CELLS, "blank") for v in client_survey.INDICATORS}
    if any(v.name == "travel_distance" for v in codebook.variables):
        out.update({v: (*groups, "other answers", "blank") for v, groups in CATEGORY_ITEMS.items()})
    return out


def cell_of(frame: pd.DataFrame, codebook: Codebook, dataset: str, variable: str) -> pd.Series:
    """Each respondent's cell of ``variable``."""
    answers = frame[variable].astype("Int64")
    if variable in CATEGORY_ITEMS and not dataset.startswith("innovation"):
        cell = pd.Series(np.where(answers.notna(), "other answers", "blank"), index=frame.index)
        for name, codes in CATEGORY_ITEMS[variable].items():
            cell[answers.isin(codes).fillna(False).to_numpy(bool)] = name
        return cell
    dont_know = answers.isin(list(codebook.variable(variable).scale.dont_know)).fillna(False).to_numpy(bool)
    positive = answers.isin(positive_codes(dataset, variable)).fillna(False).to_numpy(bool) & ~dont_know
    kinds = np.select([dont_know, positive, answers.notna().to_numpy(bool)], ["dont_know", "positive", "other"], "blank")
    return pd.Series(kinds, index=frame.index)


def positive_codes(dataset: str, variable: str) -> list[int]:
    if dataset.startswith("innovation"):
        return [innovation.GOOD if variable.startswith("state_") else innovation.IMPORTANT]
    return list(client_survey.POSITIVE)


def truth(frames: dict, codebooks: dict) -> pd.DataFrame:
    """The true counts of every unknown: survey, item, municipality, cell, n (every municipality of the
    codebook, zero where it has no respondents)."""
    rows = []
    for dataset, frame in frames.items():
        codebook = codebooks[dataset]
        key, codes = codebook.identifiers["municipality"], list(codebook.municipalities)
        sizes = frame[key].value_counts()
        rows += [(dataset, "respondents", m, "n", int(sizes.get(m, 0))) for m in codes]
        for variable, cells in items(dataset, codebook).items():
            table = pd.crosstab(frame[key], cell_of(frame, codebook, dataset, variable))
            table = table.reindex(index=codes, columns=list(cells), fill_value=0)
            rows += [(dataset, variable, m, c, int(table.loc[m, c])) for m in codes for c in cells]
    return pd.DataFrame(rows, columns=["survey", "item", "municipality", "cell", "n"])


def _codes(label: str, codebook: Codebook, merged_codes, present) -> tuple:
    if label == disclosure.ALL:
        return tuple(present)
    if label == disclosure.MERGED:
        return tuple(merged_codes)
    return tuple(code for code, name in codebook.municipalities.items() if name == label)


def published_facts(frames: dict, codebooks: dict, figures: pd.DataFrame | None = None) -> list[Fact]:
    """Every fact the publications give (see the module docstring). ``figures``: the published survey
    figures (``figure_id``, ``dataset``, ``measure``, ``published_value``) with the ``computed`` value
    notebook 01 shows beside each (``survey_figures.compare_published_surveys``)."""
    facts: list[Fact] = []
    for dataset, frame in frames.items():
        codebook = codebooks[dataset]
        key, codes = codebook.identifiers["municipality"], list(codebook.municipalities)
        present = sorted(set(frame[key]))
        facts.append(Fact(dataset, "respondents", tuple(codes), ("n",), len(frame), source="total"))
        for m in codes:  # every participant is named (its row or the merged row's note); the rest "did not take part"
            facts.append(Fact(dataset, "respondents", (m,), ("n",), 1 if m in present else 0,
                              op=">=" if m in present else "==", source="participation"))
        shown = client_survey.respondents_by_municipality(frame, codebook)
        for label, n in zip(shown["municipality"], shown["n"]):
            facts.append(Fact(dataset, "respondents", _codes(label, codebook, shown.attrs["merged_codes"], present),
                              ("n",), int(n), source="respondents by municipality"))
        whole = truth({dataset: frame}, {dataset: codebook}).groupby(["item", "cell"])["n"].sum()
        for (item, cell), n in whole.items():
            if item != "respondents":
                facts.append(Fact(dataset, item, tuple(codes), (cell,), int(n), source="regional total"))
        facts += _figure_facts(dataset, codes, figures)
        if dataset.startswith("client"):
            facts += _client_facts(dataset, frame, codebook, present)
        else:
            facts += _climate_facts(dataset, frame, codebook)
    if {"client_survey_2018", "client_survey_2019"} <= set(frames):
        facts += _common_sample_facts(frames, codebooks)
    return facts


def _figure_facts(dataset: str, codes: list, figures: pd.DataFrame | None) -> list[Fact]:
    """The published minimum and maximum per municipality, and the computed value where it is shown."""
    if figures is None:
        return []
    out = []
    kinds = {"min_per_municipality": "min", "max_per_municipality": "max"}
    for r in figures[(figures["dataset"] == dataset) & figures["measure"].isin(list(kinds))].itertuples(index=False):
        low, high = (int(float(x)) for x in (str(r.published_value).split(";") * 2)[:2])
        out.append(Fact(dataset, "respondents", tuple(codes), ("n",), low, op=kinds[r.measure], high=high,
                        source=r.figure_id))
        if str(r.computed).strip().isdigit():  # notebook 01 prints the computed value beside the published one
            value = int(r.computed)
            out.append(Fact(dataset, "respondents", tuple(codes), ("n",), value, op=kinds[r.measure], high=value,
                            source=f"{r.figure_id} (computed)"))
    return out


def _client_facts(dataset: str, frame: pd.DataFrame, codebook: Codebook, present: list) -> list[Fact]:
    out = []
    table = client_survey.indicators_by_municipality(frame, codebook)
    for r in table[~table["suppressed"]].itertuples(index=False):
        hidden = table.loc[table["suppressed"] & (table["variable"] == r.variable), "municipality"]
        merged = [c for c, name in codebook.municipalities.items() if name in set(hidden)]
        groups = _codes(r.municipality, codebook, merged, present)
        out += [Fact(dataset, r.variable, groups, ("positive",), int(r.k), source="indicators by municipality"),
                Fact(dataset, r.variable, groups, ("other",), int(r.n) - int(r.k), source="indicators by municipality")]
    if "travel_distance" in frame:
        for variable, categories in CATEGORY_ITEMS.items():
            shown = client_survey.collapsed_by_municipality(frame, codebook, variable, categories)
            for r in shown.itertuples(index=False):
                groups = _codes(r.municipality, codebook, shown.attrs["merged_codes"], present)
                out.append(Fact(dataset, variable, groups, (r.category,), int(r.k), source=f"{variable} by municipality"))
    return out


def _climate_facts(dataset: str, frame: pd.DataFrame, codebook: Codebook) -> list[Fact]:
    """Each feedback report's innovation-climate profile: the municipality's k and n where shown."""
    out = []
    key = codebook.identifiers["municipality"]
    for code in sorted(set(frame[key])):
        profile = feedback.climate_profile(frame, codebook, code)
        for measure in ("state", "importance"):
            for r in profile[profile[f"own_{measure}_shown"]].to_dict("records"):
                variable = f"{measure}_{r['aspect']}"
                k, n = int(r[f"own_{measure}_k"]), int(r[f"own_{measure}_n"])
                out += [Fact(dataset, variable, (code,), ("positive",), k, source="climate profile"),
                        Fact(dataset, variable, (code,), ("other",), n - k, source="climate profile")]
    return out


def _common_sample_facts(frames: dict, codebooks: dict) -> list[Fact]:
    """The comparison of the years restricted to the municipalities of both years, where shown."""
    f18, f19 = frames["client_survey_2018"], frames["client_survey_2019"]
    codebook = codebooks["client_survey_2018"]
    key = codebook.identifiers["municipality"]
    common = tuple(sorted(set(f18[key]) & set(f19[key])))
    years = client_survey.compare_years(f18, f19, codebook)
    out = []
    for r in years[(years["sample"] == "common") & ~years["suppressed"]].to_dict("records"):
        for year in (2018, 2019):
            k, n = int(r[f"k_{year}"]), int(r[f"n_{year}"])
            out += [Fact(f"client_survey_{year}", r["variable"], common, ("positive",), k, source="common sample"),
                    Fact(f"client_survey_{year}", r["variable"], common, ("other",), n - k, source="common sample")]
    return out
