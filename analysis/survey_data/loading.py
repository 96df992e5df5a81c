"""Loading a survey export into one validated frame per data set, driven by its codebook.

Whatever the export format (CSV, XLSX, SPSS), header spelling (variable name or alias) or
answer form (code or Swedish label), the result is the same frame: one row per
respondent, the codebook's variables in codebook order, answers as integer codes
(``Int16``, empty = no answer, "vet inte" keeps its own code), municipality as its
4-digit code. Every violation in the file is reported at once, one line each.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa

from analysis.survey_data.codebooks import Codebook, Variable, normalise
from analysis.core.errors import ManyInputErrors, format_problem
from analysis.public_data.schemas import schema_problems
from analysis.survey_data.value_checks import shifted_columns, value_label_problems
from analysis.survey_data.export_files import Export, read_export

WHOLE_NUMBER = re.compile(r"[+-]?\d+(?:[.,]0+)?")
DIGIT_START = frozenset("+-0123456789")


def load_survey(path: Path, codebook: Codebook) -> pd.DataFrame:
    """The export at ``path`` as the validated, typed frame described by ``codebook``."""
    export = read_export(path, known_columns=set(column_names(codebook)) | {normalise(c) for c in
                                                                             codebook.ignore_columns})
    cells, problems = _match_columns(export, codebook)
    problems += value_label_problems(export, codebook, cells.columns)
    shifted = shifted_columns(path, cells, codebook)
    problems += [line for _, line in shifted]
    checked = cells.drop(columns=[name for name, _ in shifted])  # one line for a shifted column, not one per cell
    problems += schema_problems(checked, _schema(codebook, checked.columns), path, first_row=None)
    if problems:
        raise ManyInputErrors(list(dict.fromkeys(problems)))
    return _typed(cells, codebook)


def _key(text: str) -> str:
    """A cell as a codebook lookup key: normalised label, or the bare whole number for 3, 3.0 and 3,0."""
    s = " ".join(text.split()).casefold() if text.isascii() else normalise(text)  # the same, faster for ASCII
    return str(int(re.split("[.,]", s)[0])) if s[:1] in DIGIT_START and WHOLE_NUMBER.fullmatch(s) else s


def _keys(s: pd.Series) -> pd.Series:
    """``_key`` of every cell, computed once per distinct value (a million rows hold few distinct answers)."""
    codes, distinct = pd.factorize(s, use_na_sentinel=False)
    keys = np.array([_key(x) for x in distinct], dtype=object)
    return pd.Series(keys[codes] if len(keys) else np.array([], dtype=object), index=s.index, name=s.name)


def column_names(codebook: Codebook) -> dict[str, str]:
    """Normalised header text -> variable: the name, the aliases, and the question text or short label
    (an export may head its columns with the questions as printed) when no other variable shares it."""
    names: dict[str, str] = {}
    for v in codebook.variables:
        for alias in (v.name, *v.aliases):
            names[normalise(alias)] = v.name
    texts = [normalise(t) for v in codebook.variables for t in {v.question, v.label} if t]
    for v in codebook.variables:
        for text in {normalise(v.question), normalise(v.label)} - {""}:
            if texts.count(text) == 1 and text not in names:
                names[text] = v.name
    return names


def _match_columns(export: Export, codebook: Codebook) -> tuple[pd.DataFrame, list[str]]:
    """Rename the export's columns to variable names; report unknown, duplicated and missing columns."""
    names = column_names(codebook)
    ignored = {normalise(c) for c in codebook.ignore_columns}
    problems, keep, renamed = [], [], {}
    seen: dict[str, str] = {}
    for position, column in enumerate(export.cells.columns, start=1):
        key = normalise(column)
        if key == "":
            if export.cells.iloc[:, position - 1].ne("").any():  # an unnamed empty column (trailing ';') is harmless
                problems.append(format_problem(export.path, f"a name in the header for column {position}, which "
                                                            "holds values", row=1))
            continue
        if key in ignored:
            continue
        if key not in names:
            problems.append(format_problem(export.path, f"only columns described in the codebook {codebook.path.name} "
                                                        "(add the column there as an alias or under ignore_columns)",
                                           column=column))
            continue
        name = names[key]
        if name in seen:
            problems.append(format_problem(export.path, f"one column for variable {name!r}, but both "
                                                        f"{seen[name]!r} and {column!r} map to it", column=column))
            continue
        seen[name] = column
        keep.append(position - 1)
        renamed[position - 1] = name
    for v in codebook.variables:
        if v.required and v.name not in seen:
            also = f" (or one of {', '.join(repr(a) for a in v.aliases)})" if v.aliases else ""
            problems.append(format_problem(export.path, f"a column named {v.name!r}{also}"))
    cells = export.cells.iloc[:, keep].set_axis([renamed[i] for i in keep], axis=1)
    return cells, problems


def _is_missing(codebook: Codebook):
    marks = {""} | {normalise(x) for x in codebook.missing_labels} | {str(c) for c in codebook.missing_codes}
    return lambda s: _keys(s).isin(marks)


def _expected(v: Variable, codebook: Codebook) -> str:
    if v.kind == "year":
        return f"the survey year ({', '.join(map(str, codebook.years))})"
    if v.kind == "municipality":
        return "a municipality of the study (code or name: " + ", ".join(
            f"{code} {name}" for code, name in v.scale.labels.items()) + ")"
    return v.scale.describe()


def _schema(codebook: Codebook, present) -> pa.DataFrameSchema:
    missing = _is_missing(codebook)
    columns = {}
    for v in codebook.variables:
        if v.name not in present:
            continue
        checks = []
        if not v.nullable:
            checks.append(pa.Check(lambda s: ~missing(s), error="a value (not empty)"))
        if v.scale is not None:
            known = set(v.scale.lookup())
            checks.append(pa.Check(lambda s, known=known: missing(s) | _keys(s).isin(known),
                                   error=_expected(v, codebook)))
        columns[v.name] = pa.Column(str, checks=checks, nullable=False, coerce=False)
    respondent = codebook.identifiers["respondent"]
    return pa.DataFrameSchema(columns, unique=[respondent] if respondent in present else None)


def _typed(cells: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    missing = _is_missing(codebook)
    out = {}
    for v in codebook.variables:
        if v.name not in cells.columns:
            out[v.name] = pd.Series(v.default, index=cells.index, dtype="Int16" if v.default is not None else object)
            continue
        text = cells[v.name]
        if v.scale is None:
            out[v.name] = text.str.strip().astype(str)
            continue
        lookup = v.scale.lookup()
        codes = _keys(text).map(lookup).where(~missing(text))
        out[v.name] = codes.astype(str) if v.kind == "municipality" else codes.astype("Int16")
    frame = pd.DataFrame(out).reset_index(drop=True)
    return frame
