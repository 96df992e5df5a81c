"""Checks of a survey export against its codebook beyond single cells: the value labels and
user-missing definitions an SPSS file carries, and answer codes shifted by one (0-based)."""

from __future__ import annotations

import re


from analysis.survey_data.codebooks import Codebook, normalise
from analysis.core.errors import display_path, format_problem

WHOLE = re.compile(r"[+-]?\d+")
SHIFT_LINES = 3  # more columns numbered from 0 are named in one line


def _code_key(text: str) -> str:
    s = normalise(text)
    return str(int(float(s))) if re.fullmatch(r"[+-]?\d+(?:\.0+)?", s) else s


def value_label_problems(export, codebook: Codebook, occurring: dict[str, set[str]],
                         notes: list[str] | None = None, leave_out: set[str] = frozenset()) -> list[str]:
    """The codes an SPSS file labels or declares user-missing, mapped through the codebook: the label of a code
    the codebook knows must name the codebook's answer for it (or one of its aliases; a municipality may be
    labelled "Norsjö kommun"), a missing-value code must not be labelled as an answer, and a code the codebook
    lacks is reported when a respondent has it.

    Labels for codes the codebook lacks and no respondent has are what SPSS exports usually carry (every
    municipality of a region, a wider scale): they change nothing and are accepted, named in one information
    line appended to ``notes``. ``occurring``: variable -> the codes its column holds
    (``_code_key``); ``leave_out``: variables whose answers are numbered from 0 (their own line says so)."""
    problems, unused = [], []
    originals = {normalise(c): c for c in (*export.value_labels, *export.user_missing)}
    missing_codes = {str(c) for c in codebook.missing_codes}
    missing_labels = {normalise(x) for x in codebook.missing_labels}
    for v in codebook.variables:
        if v.scale is None or v.name not in occurring or v.name in leave_out:
            continue
        column = next((originals[normalise(a)] for a in (v.name, *v.aliases) if normalise(a) in originals), None)
        if column is None:
            continue
        present = occurring[v.name]
        lookup = v.scale.lookup()
        declared = set(map(_code_key, export.user_missing.get(column, [])))
        for code, label in export.value_labels.get(column, {}).items():
            key, meant = _code_key(code), lookup.get(normalise(label))
            if meant is None and v.kind == "municipality":
                meant = lookup.get(re.sub(r"(^kommun |s? kommun$)", "", normalise(label)))
            if key not in present and key not in lookup and key not in missing_codes:
                unused.append(f"{column} {code} {label!r}")  # no respondent has it: it changes nothing
                continue
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
                    export.path, f"labelled codes that the codebook {codebook.path.name} knows, but code {code}, which "
                                 f"respondents have, is not in {v.scale.describe()} nor among the missing codes: add it to the codebook "
                                 "(as an answer or under missing: codes) or recode it", column=column, value=label))
            elif meant != lookup[key]:
                expected = v.scale.all_labels[lookup[key]]
                problems.append(format_problem(export.path, f"the codebook's label {expected!r} for code {code}",
                                               column=column, value=label))
        for code in export.user_missing.get(column, []):
            key = _code_key(code)
            if key not in missing_codes and key not in lookup and key in present:
                label = export.value_labels.get(column, {}).get(code)
                problems.append(format_problem(
                    export.path, f"codes the codebook {codebook.path.name} knows, but the SPSS file declares code "
                                 f"{code} user-missing and the codebook has it neither as an answer nor under "
                                 "missing: codes (add it there if it means no answer)", column=column, value=label))
    if unused and notes is not None:
        shown = "; ".join(unused[:6]) + (f"; … ({len(unused) - 6} more)" if len(unused) > 6 else "")
        notes.append(f"{display_path(export.path)}: value labels for codes that the codebook {codebook.path.name} "
                     f"lacks and no respondent has are not used ({shown})")
    return problems


def shifted_columns(export, numbers: dict[str, set[int]], codebook: Codebook) -> list[tuple[str, str]]:
    """Columns whose answers fit the codebook's codes only after adding one (an export numbering the answers
    from 0): (variable, one line naming the likely cause and the fix). ``numbers``: variable -> the whole
    numbers its column holds. The evidence is 0 among the answers of a scale without a 0, every other
    answer one below a code ("vet inte" may keep its code), or SPSS value labels naming, for each code, the
    codebook's answer of the code above it. When some columns prove it and every other column's answers fit a
    shift too, those are named as well: their wrong codes would otherwise be read silently."""
    missing = {int(c) for c in codebook.missing_codes}
    proven, fitting, contradicted = [], [], False
    for v in codebook.variables:
        if v.scale is None or v.kind != "categorical" or v.name not in numbers:
            continue
        codes = {c for c in v.scale.all_labels if isinstance(c, int)}
        seen = numbers[v.name] - missing
        if 0 in codes or not seen or len(codes) < len(v.scale.all_labels):
            continue
        dont_know = {c for c in v.scale.dont_know if isinstance(c, int)}
        fits = all(n + 1 in codes or n in dont_know for n in seen)
        if (fits and 0 in seen) or _labels_shifted(export, v):
            proven.append((v, seen, dont_know))
        elif fits:
            fitting.append((v, seen, dont_know))
        else:
            contradicted = True  # an answer no shift explains (the top code, say): the export is not 0-based as a whole
    if not proven:
        return []
    shifted = proven + ([] if contradicted else fitting)
    if len(shifted) <= SHIFT_LINES:
        context = (f" and the export numbers its other answers from 0 ({len(proven)} column"
                   f"{'s' if len(proven) > 1 else ''}, such as {proven[0][0].name!r}), so these most likely are too")
        return [(v.name, _shift_line(export, v, seen, dont_know, "" if (v, seen, dont_know) in proven else context))
                for v, seen, dont_know in shifted]
    names = ", ".join(v.name for v, _, _ in shifted[:6]) + (", …" if len(shifted) > 6 else "")
    more = (f" ({len(proven)} of them hold a 0, which their scales lack, or SPSS labels saying so; the others' answers "
            "fit the shift)" if len(proven) < len(shifted) else "")
    line = format_problem(export.path, f"the codebook's codes, but the export numbers the answers from 0 (codes shifted "
                                       f"by one) in {len(shifted)} columns: {names}{more}; export the codes as in the "
                                       "codebook, or add 1 to these columns' answers")
    return [(v.name, line) for v, _, _ in shifted]


def _shift_line(export, v, seen: set[int], dont_know: set[int], context: str) -> str:
    codes = sorted(c for c in v.scale.all_labels if c not in dont_know)
    answers = sorted(n for n in seen if n not in dont_know) or sorted(seen)
    return format_problem(
        export.path, f"the codebook's codes {codes[0]}–{codes[-1]} ({v.scale.describe()}), but the answers run "
        f"{answers[0]}–{answers[-1]}{context}: the export numbers the answers from 0 (codes shifted by one); export the "
        "codes as in the codebook, or add 1 to this column's answers", column=v.name)


def _labels_shifted(export, v) -> bool:
    """SPSS value labels saying the codes are shifted: code 0 labelled, and every labelled code k labelled with
    the codebook's answer for k + 1."""
    columns = {normalise(c): c for c in export.value_labels}
    column = next((columns[normalise(a)] for a in (v.name, *v.aliases) if normalise(a) in columns), None)
    if column is None:
        return False
    lookup = v.scale.lookup()
    pairs = [(_code_key(code), lookup.get(normalise(label))) for code, label in export.value_labels[column].items()]
    pairs = [(int(k), meant) for k, meant in pairs if WHOLE.fullmatch(k) and meant is not None]
    return any(k == 0 for k, _ in pairs) and len(pairs) >= 2 and all(meant == k + 1 for k, meant in pairs
                                                                     if k + 1 in v.scale.labels)
