"""The sub-group tables the report and notebooks publish, as the cells a disclosure audit checks.

Each published table's shown groups are decided here by the same functions the tables use
(the tests and intervals are left out, which keeps scipy and statsmodels out of the build); then, for every
group the table shows (a municipality, the merged row, a role group), the cells are counted
again directly from the respondent rows: answers in each category, "vet inte" included (a
blank answer is not a cell, see ``client_survey.answer_cells``). ``audit`` lists every shown cell with
0 < n < threshold and every shown group whose answers all fall in one cell. The audit checks groups
one at a time; ``analysis.report.attacker`` (in the test suite) checks everything published together. The audit is
deliberately independent of ``disclosure.protect``: it counts what is shown, not what
protect decided.
"""

from __future__ import annotations

import pandas as pd

from analysis.client_surveys import indicators as client_survey
from analysis.core import disclosure
from analysis.feedback import comparison as feedback
from analysis.innovation import climate as innovation
from analysis.survey_data.codebooks import Codebook

SURVEYS = ("innovation_climate_2017", "client_survey_2018", "client_survey_2019")
DISTANCE_GROUPS = {"Under 20 km": (1, 2), "20 km eller mer": (3, 4, 5)}
FORM_GROUPS = {"På plats": (1, 2), "På distans": (3, 4, 5)}


def _members(frame: pd.DataFrame, codebook: Codebook, label: str, merged_codes) -> pd.DataFrame:
    key = codebook.identifiers["municipality"]
    if label == disclosure.ALL:
        return frame
    codes = list(merged_codes) if label == disclosure.MERGED else \
        [code for code, name in codebook.municipalities.items() if name == label]
    return frame[frame[key].isin(codes)]


def _category_cells(part: pd.DataFrame, variable: str, groups: dict) -> dict:
    answers = part[variable].astype("Int64")
    cells = {name: int(answers.isin(codes).fillna(False).sum()) for name, codes in groups.items()}
    cells["other answers"] = int(answers.notna().sum()) - sum(cells.values())
    return cells


def published_cells(frames: dict[str, pd.DataFrame], codebooks: dict[str, Codebook]) -> pd.DataFrame:
    """One row per (table, group, cell) of every published sub-group table: the count ``n``."""
    rows = []

    def add(table: str, group: str, cells: dict) -> None:
        rows.extend({"table": table, "group": group, "cell": cell, "n": int(n)} for cell, n in cells.items())

    for dataset in SURVEYS:
        frame, codebook = frames[dataset], codebooks[dataset]
        shown = client_survey.respondents_by_municipality(frame, codebook)
        for label in shown["municipality"]:
            add(f"{dataset}: respondents by municipality", label,
                {"respondents": len(_members(frame, codebook, label, shown.attrs["merged_codes"]))})

    # The report's table by municipality (2018) and the feedback documents (both years), which show
    # a municipality beside the whole survey: for each shown municipality, the rest of the survey
    # (the whole minus the municipality) is published too.
    for dataset in ("client_survey_2018", "client_survey_2019"):
        frame, codebook = frames[dataset], codebooks[dataset]
        indicators = client_survey.indicators_by_municipality(frame, codebook)
        for variable, rows_of in indicators.groupby("variable", sort=False):
            suppressed = set(rows_of.loc[rows_of["suppressed"], "municipality"])
            hidden = {code for code, name in codebook.municipalities.items() if name in suppressed}
            for label in rows_of.loc[~rows_of["suppressed"], "municipality"]:
                part = _members(frame, codebook, label, hidden)
                cells = client_survey.answer_cells(part, codebook, variable)
                add(f"{dataset}: {variable} by municipality", label, cells.to_dict())
                # a municipality without answers is not shown, and the rest beside it is the total
                if label not in (disclosure.MERGED, disclosure.ALL) and cells.sum():
                    add(f"{dataset}: {variable}, rest of the survey beside a municipality", f"all but {label}",
                        client_survey.answer_cells(frame.drop(part.index), codebook, variable).to_dict())

    frame, codebook = frames["client_survey_2018"], codebooks["client_survey_2018"]
    for variable, groups in (("travel_distance", DISTANCE_GROUPS), ("preferred_meeting", FORM_GROUPS)):
        shown = client_survey.collapsed_by_municipality(frame, codebook, variable, groups)
        for label in shown["municipality"].unique():
            part = _members(frame, codebook, label, shown.attrs["merged_codes"])
            cells = _category_cells(part, variable, groups)
            add(f"client_survey_2018: {variable} by municipality", label, cells)
            if label not in (disclosure.MERGED, disclosure.ALL) and sum(cells.values()):
                add(f"client_survey_2018: {variable}, rest of the survey beside a municipality", f"all but {label}",
                    _category_cells(frame.drop(part.index), variable, groups))

    frame, codebook = frames["innovation_climate_2017"], codebooks["innovation_climate_2017"]
    for a in innovation.aspects(codebook).itertuples():
        cells = innovation.role_cells(frame, codebook, a.state_variable, [innovation.GOOD])
        hidden = innovation.hidden_role_groups(cells)
        for group in cells.index[~hidden.to_numpy()]:
            add(f"innovation_climate_2017: {a.state_variable} by role", group, cells.loc[group].to_dict())

    # The feedback documents' innovation-climate profile: each shown municipality and the rest.
    key = codebook.identifiers["municipality"]
    codes = {**{a.state_variable: innovation.GOOD for a in innovation.aspects(codebook).itertuples()},
             **{a.importance_variable: innovation.IMPORTANT for a in innovation.aspects(codebook).itertuples()}}
    for variable, hidden in feedback.climate_hidden(frame, codebook).items():
        for code in hidden.index[~hidden.to_numpy()]:
            name = codebook.municipalities.get(code, code)
            answers, own = frame[[variable]], frame[key] == code
            cells = innovation.answer_cells(answers[own], codebook, variable, [codes[variable]])
            if sum(cells.values()):  # a municipality without answers is not shown, and its rest is the total
                add(f"innovation_climate_2017: {variable} by municipality", name, cells)
                add(f"innovation_climate_2017: {variable}, rest of the survey beside a municipality",
                    f"all but {name}", innovation.answer_cells(answers[~own], codebook, variable, [codes[variable]]))

    f18, f19 = frames["client_survey_2018"], frames["client_survey_2019"]
    codebook = codebooks["client_survey_2018"]
    key = codebook.identifiers["municipality"]
    common = set(f18[key]) & set(f19[key])
    hidden = client_survey.common_sample_hidden(f18, f19, codebook)
    for variable in client_survey.INDICATORS:
        if variable in hidden:
            continue
        for year, f in ((2018, f18), (2019, f19)):
            added = f[~f[key].isin(common)]
            if len(added):
                add(f"client surveys: {variable}, all minus common municipalities {year}", "added municipalities",
                    client_survey.answer_cells(added, codebook, variable).to_dict())
    return pd.DataFrame(rows, columns=["table", "group", "cell", "n"])


def audit(cells: pd.DataFrame, threshold: int = disclosure.THRESHOLD) -> pd.DataFrame:
    """The shown sub-group cells that break a rule (a regional total is no sub-group): ``problem``
    ``small`` for 0 < n < threshold, ``unanimous`` for the one non-empty cell of a group whose
    answers all fall in it (tables with two cells or more per group)."""
    sub = cells[cells["group"] != disclosure.ALL]
    small = sub[disclosure.small(sub["n"], threshold)].assign(problem="small")
    by_group = sub.groupby(["table", "group"], sort=False)["n"]
    cells_per_group, filled = by_group.transform("size"), by_group.transform(lambda n: (n > 0).sum())
    unanimous = sub[(cells_per_group >= 2) & (filled == 1) & (sub["n"] > 0)].assign(problem="unanimous")
    return pd.concat([small, unanimous]).sort_index(kind="stable")
