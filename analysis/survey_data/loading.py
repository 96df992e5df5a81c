"""Loading a survey export into one validated frame per data set, driven by its codebook.

Whatever the export format (CSV, XLSX, SPSS), header spelling (variable name or alias) or
answer form (code or Swedish label), the result is the same frame: one row per
respondent, the codebook's variables in codebook order, answers as integer codes
(``Int16``, empty = no answer, "vet inte" keeps its own code), municipality as its
4-digit code. Every violation in the file is reported at once, one line each.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.core.errors import InputError, ManyInputErrors, format_problem
from analysis.survey_data.codebooks import Codebook, normalise
from analysis.survey_data.export_files import BATCH_ROWS, Export, read_export
from analysis.survey_data.survey_checks import CellChecks
from analysis.survey_data.value_checks import shifted_columns, value_label_problems


def load_survey(path: Path, codebook: Codebook, *, notes: list[str] | None = None,
                batch_rows: int = BATCH_ROWS) -> pd.DataFrame:
    """The export at ``path`` as the validated, typed frame described by ``codebook``.

    The rows are read and checked ``batch_rows`` at a time (a large export in bounded memory); the
    messages do not depend on it. Information that is no problem (SPSS labels of codes nobody has) is
    appended to ``notes``.
    """
    export = read_export(path, known_columns=set(column_names(codebook)) | {normalise(c) for c in
                                                                             codebook.ignore_columns})
    positions, header_problems, unnamed = _match_columns(export, codebook)
    checks = CellChecks(export.path, codebook, positions)
    valued = set()  # unnamed columns that hold values
    for batch in export.batches(batch_rows):
        checks.add(batch)
        valued |= {i for i in unnamed - valued if batch[i].ne("").any()}
    if checks.rows == 0:
        raise InputError(path, "at least one respondent below the header row")
    shifted = shifted_columns(export, checks.numbers, codebook)
    problems = [line for _, line in shifted]  # the likely cause first: answers numbered from 0
    problems += [line for _, line in sorted(header_problems + [
        (i, format_problem(export.path, f"a name in the header for column {i + 1}, which holds values", row=1))
        for i in valued], key=lambda item: item[0])]
    problems += value_label_problems(export, codebook, checks.occurring, notes, leave_out={n for n, _ in shifted})
    problems += checks.lines(leave_out={name for name, _ in shifted})  # one line for a shifted column, not one per cell
    if problems:
        raise ManyInputErrors(list(dict.fromkeys(problems)))
    return _typed(checks.frame(), codebook)


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


def _match_columns(export: Export, codebook: Codebook) -> tuple[dict[str, int], list[tuple[int, str]], set[int]]:
    """Each variable's column position; the unknown, duplicated and missing columns as problems (with the
    position they are reported at); the positions of unnamed columns (an error only if they hold values)."""
    names = column_names(codebook)
    ignored = {normalise(c) for c in codebook.ignore_columns}
    problems, positions, unnamed = [], {}, set()
    seen: dict[str, str] = {}
    for position, column in enumerate(export.columns):
        key = normalise(column)
        if key == "":
            unnamed.add(position)  # an unnamed empty column (a trailing ';') is harmless
            continue
        if key in ignored:
            continue
        if key not in names:
            problems.append((position, format_problem(export.path, f"only columns described in the codebook {codebook.path.name} "
                                                        "(add the column there as an alias or under ignore_columns)",
                                           column=column)))
            continue
        name = names[key]
        if name in seen:
            problems.append((position, format_problem(export.path, f"one column for variable {name!r}, but both "
                                                                  f"{seen[name]!r} and {column!r} map to it",
                                                      column=column)))
            continue
        seen[name] = column
        positions[name] = position
    for v in codebook.variables:
        if v.required and v.name not in seen:
            also = f" (or one of {', '.join(repr(a) for a in v.aliases)})" if v.aliases else ""
            problems.append((len(export.columns), format_problem(export.path, f"a column named {v.name!r}{also}")))
    return positions, problems, unnamed


def _typed(cells: pd.DataFrame, codebook: Codebook) -> pd.DataFrame:
    """Every variable of the codebook in its order; an optional column the export lacks takes its default."""
    out = {}
    for v in codebook.variables:
        if v.name in cells.columns:
            out[v.name] = cells[v.name]
        else:
            out[v.name] = pd.Series(v.default, index=cells.index, dtype="Int16" if v.default is not None else object)
    return pd.DataFrame(out).reset_index(drop=True)
