"""Checks of a survey export against its codebook beyond single cells: the value labels and
user-missing definitions an SPSS file carries, and answer codes shifted by one (0-based)."""

from __future__ import annotations

import re

import pandas as pd

from analysis.survey_data.codebooks import Codebook, normalise
from analysis.core.errors import format_problem

WHOLE = re.compile(r"[+-]?\d+")


def _code_key(text: str) -> str:
    s = normalise(text)
    return str(int(float(s))) if re.fullmatch(r"[+-]?\d+(?:\.0+)?", s) else s


def value_label_problems(export, codebook: Codebook, present) -> list[str]:
    """Every code an SPSS file labels or declares user-missing is mapped through the codebook or reported:
    a label must name the codebook's answer for that code (or one of its aliases), a labelled code the
    codebook lacks is reported, and a missing-value code must not be labelled as an answer."""
    problems = []
    originals = {normalise(c): c for c in (*export.value_labels, *export.user_missing)}
    missing_codes = {str(c) for c in codebook.missing_codes}
    missing_labels = {normalise(x) for x in codebook.missing_labels}
    for v in codebook.variables:
        if v.scale is None or v.name not in present:
            continue
        column = next((originals[normalise(a)] for a in (v.name, *v.aliases) if normalise(a) in originals), None)
        if column is None:
            continue
        lookup = v.scale.lookup()
        declared = set(map(_code_key, export.user_missing.get(column, [])))
        for code, label in export.value_labels.get(column, {}).items():
            key, meant = _code_key(code), lookup.get(normalise(label))
            if key in missing_codes:
                if meant is not None and normalise(label) not in missing_labels:
                    problems.append(format_problem(
                        export.path, f"a missing-value label for code {code} (the codebook's missing codes: "
                                     f"{', '.join(sorted(missing_codes))}), but the label names the answer {meant} "
                                     f"{v.scale.all_labels[meant]!r}: recode these answers to {meant} or correct "
                                     "the label", column=column, value=label))
            elif key in declared and key not in lookup:
                continue  # a declared missing code the codebook lacks gets its own line below
            elif key not in lookup:
                problems.append(format_problem(
                    export.path, f"labelled codes that the codebook {codebook.path.name} knows, but code {code} is "
                                 f"not in {v.scale.describe()} nor among the missing codes: add it to the codebook "
                                 "(as an answer or under missing: codes) or recode it", column=column, value=label))
            elif meant != lookup[key]:
                expected = v.scale.all_labels[lookup[key]]
                problems.append(format_problem(export.path, f"the codebook's label {expected!r} for code {code}",
                                               column=column, value=label))
        for code in export.user_missing.get(column, []):
            key = _code_key(code)
            if key not in missing_codes and key not in lookup:
                label = export.value_labels.get(column, {}).get(code)
                problems.append(format_problem(
                    export.path, f"codes the codebook {codebook.path.name} knows, but the SPSS file declares code "
                                 f"{code} user-missing and the codebook has it neither as an answer nor under "
                                 "missing: codes (add it there if it means no answer)", column=column, value=label))
    return problems


def shifted_columns(path, cells: pd.DataFrame, codebook: Codebook) -> list[tuple[str, str]]:
    """Columns whose numeric answers fit the codebook's codes only after adding one (a 0-based export):
    (variable, one line naming the likely cause and the fix)."""
    found = []
    missing = {str(c) for c in codebook.missing_codes}
    for v in codebook.variables:
        if v.scale is None or v.name not in cells.columns or v.kind != "categorical":
            continue
        codes = {c for c in v.scale.all_labels if isinstance(c, int)}
        values = {x for x in pd.unique(cells[v.name]) if WHOLE.fullmatch(x) and x not in missing}
        numbers = {int(x) for x in values}
        if not numbers or 0 not in numbers or 0 in codes:
            continue
        if any(n + 1 not in codes for n in numbers):
            continue
        substantive = [c for c in codes if c not in v.scale.dont_know] or sorted(codes)
        low, high = min(substantive), max(substantive)
        line = format_problem(
            path, f"the codebook's codes {low}–{high} ({v.scale.describe()}), but the answers "
            f"run {min(numbers)}–{max(numbers)}: the export numbers the answers from 0 (codes shifted by one); "
            f"export the codes as in the codebook, or add 1 to this column's answers", column=v.name)
        found.append((v.name, line))
    return found
