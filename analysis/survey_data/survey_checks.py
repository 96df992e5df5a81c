"""The cell checks of a survey export, batch by batch, so that millions of respondents are validated in
bounded memory and the messages are the same whatever the batch size.

Every column is factorised once per batch (pandas): each distinct value is looked up in the codebook
once, and only the rows holding a bad value are named. The result is the same as checking every cell:
one line per bad cell (file, row, column, value, what was expected), sorted by row, at most
``MAX_REPORTED`` lines and a count of the rest; respondent ids repeated anywhere in the file; and, for
the checks that need the whole file (answers numbered from 0, SPSS labels), what each column holds.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.core.errors import display_path, format_problem
from analysis.survey_data.codebooks import Codebook, Variable, normalise
from analysis.survey_data.value_checks import _code_key

MAX_REPORTED = 50
WHOLE_NUMBER = re.compile(r"[+-]?\d+(?:[.,]0+)?")
WHOLE = re.compile(r"[+-]?\d+")
DIGIT_START = frozenset("+-0123456789")
SHOWN_ROWS = 10  # rows listed in the message on a repeated respondent id


def cell_key(text: str) -> str:
    """A cell as a codebook lookup key: normalised label, or the bare whole number for 3, 3.0 and 3,0."""
    s = " ".join(text.split()).casefold() if text.isascii() else normalise(text)  # the same, faster for ASCII
    return str(int(re.split("[.,]", s)[0])) if s[:1] in DIGIT_START and WHOLE_NUMBER.fullmatch(s) else s


def expected_text(v: Variable, codebook: Codebook) -> str:
    if v.kind == "year":
        return f"the survey year ({', '.join(map(str, codebook.years))})"
    if v.kind == "municipality":
        return "a municipality of the study (code or name: " + ", ".join(
            f"{code} {name}" for code, name in v.scale.labels.items()) + ")"
    return v.scale.describe()


class CellChecks:
    """The checks of one export's cells, fed one batch at a time (``add``), summed up by ``lines``."""

    def __init__(self, path, codebook: Codebook, positions: dict[str, int]) -> None:
        self.path, self.codebook, self.positions = path, codebook, positions  # variable -> column position
        self.marks = {""} | {normalise(x) for x in codebook.missing_labels} | {str(c) for c in codebook.missing_codes}
        self.variables = [v for v in codebook.variables if v.name in positions]
        self.order = {v.name: i for i, v in enumerate(self.variables)}
        self.kept: dict[str, list[tuple[int, int, str]]] = {v.name: [] for v in self.variables}
        self.counts = dict.fromkeys(self.kept, 0)
        self.numbers: dict[str, set[int]] = {v.name: set() for v in self.variables}  # whole numbers seen
        self.occurring: dict[str, set[str]] = {v.name: set() for v in self.variables if v.scale is not None}
        self.respondent = codebook.identifiers["respondent"]
        self.ids: list[pd.Series] = []
        self.typed: list[pd.DataFrame] = []
        self.rows = 0

    @property
    def clean(self) -> bool:
        return not any(self.counts.values())

    def add(self, batch: pd.DataFrame) -> None:
        self.rows += len(batch)
        typed = {}
        for v in self.variables:
            column = batch[self.positions[v.name]]
            codes, uniques = pd.factorize(column)
            values = np.asarray(uniques, dtype=object)
            typed[v.name] = self._check(v, column, codes, values)
            if v.name == self.respondent:
                self.ids.append(column)
        if self.clean:
            self.typed.append(pd.DataFrame(typed, index=batch.index))

    def _check(self, v: Variable, column: pd.Series, codes: np.ndarray, values: np.ndarray):
        """The column's problems noted; its typed values returned (answers as codes, text for the id)."""
        missing_codes = {str(c) for c in self.codebook.missing_codes}
        keys = [cell_key(x) for x in values]
        missing = np.array([k in self.marks for k in keys], dtype=bool)
        bad = np.zeros(len(values), dtype=bool) if v.nullable else missing.copy()
        expected = ["a value (not empty)"] * len(values)
        result = column.array  # the respondent id: its text
        if v.scale is not None:
            lookup = v.scale.lookup()
            known = np.array([k in lookup for k in keys], dtype=bool)
            unknown = ~missing & ~known
            bad |= unknown
            text = expected_text(v, self.codebook)
            expected = [text if u else e for u, e in zip(unknown, expected)]
            self.occurring[v.name] |= {_code_key(x) for x in values if x != ""}
            if v.kind == "categorical":
                self.numbers[v.name] |= {int(x) for x in values if WHOLE.fullmatch(x) and x not in missing_codes}
            mapped = [None if m or not k_ok else lookup[k] for k, m, k_ok in zip(keys, missing, known)]
            absent = np.array([m is None for m in mapped], dtype=bool)
            if v.kind == "municipality":
                result = pd.array(np.array(mapped, dtype=object)[codes], dtype="str")
            else:
                numbers = np.array([0 if m is None else m for m in mapped], dtype=np.int16)
                result = pd.arrays.IntegerArray(numbers[codes], absent[codes])
        if bad.any():
            self._note(v, column.index, codes, values, bad, expected)
        return result

    def _note(self, v, rows, codes, values, bad, expected) -> None:
        where = np.flatnonzero(bad[codes])
        self.counts[v.name] += len(where)
        room = MAX_REPORTED + 1 - len(self.kept[v.name])
        for i in where[:max(room, 0)]:
            code = codes[i]
            self.kept[v.name].append((int(rows[i]), self.order[v.name], format_problem(
                self.path, expected[code], row=int(rows[i]), column=v.name, value=values[code])))

    def repeated_ids(self) -> tuple[list[tuple[int, int, str]], int]:
        """Lines on respondent ids that occur on more than one row (the first ones by row), and how many in all.
        The ids are sorted (Arrow) and equal neighbours compared: a hash table of millions of strings would
        cost gigabytes."""
        if not self.ids:
            return [], 0
        import pyarrow as pa
        import pyarrow.compute as pc

        values = pa.chunked_array([pa.array(s.array).cast(pa.large_string()) for s in self.ids]).combine_chunks()
        rows = np.concatenate([s.index.to_numpy() for s in self.ids])
        order = pc.sort_indices(values)
        ordered = values.take(order)
        n, order = len(values), order.to_numpy()
        new = np.ones(n, dtype=bool)
        new[1:] = ~pc.equal(ordered.slice(1), ordered.slice(0, n - 1)).to_numpy(zero_copy_only=False)
        starts = np.flatnonzero(new)
        sizes = np.diff(np.append(starts, n))
        group = np.empty(n, dtype=np.int64)
        group[order] = np.cumsum(new) - 1
        repeated = np.flatnonzero(sizes[group] > 1)  # positions in the file's order
        lines = []
        for position in repeated[:MAX_REPORTED + 1]:
            g = group[position]
            others = [int(rows[m]) for m in np.sort(order[starts[g]: starts[g] + sizes[g]]) if m != position]
            shown = ", ".join(map(str, others[:SHOWN_ROWS])) + (f", … ({len(others)} rows)" if len(others) >
                                                                  SHOWN_ROWS else "")
            where = f"row {shown}" if len(others) == 1 else f"rows {shown}"
            row = int(rows[position])
            lines.append((row, len(self.order), format_problem(
                self.path, f"no other row with the same {self.respondent} (the same value is on {where})",
                row=row, column=self.respondent, value=values[int(position)].as_py())))
        return lines, len(repeated)

    def lines(self, leave_out: set[str]) -> list[str]:
        """Every bad cell (but those of ``leave_out``'s columns) and repeated id, sorted by row, the first
        ``MAX_REPORTED`` of them and a count of the rest."""
        repeated, total = self.repeated_ids()
        kept = [line for name, lines in self.kept.items() if name not in leave_out for line in lines] + repeated
        total += sum(n for name, n in self.counts.items() if name not in leave_out)
        lines = list(dict.fromkeys(line for _, _, line in sorted(kept, key=lambda item: item[:2])))
        if total > MAX_REPORTED:
            lines = lines[:MAX_REPORTED] + [f"{display_path(self.path)}: … and {total - MAX_REPORTED} more problems"]
        return lines

    def frame(self) -> pd.DataFrame:
        """The typed respondents (answers as codes), when every cell was valid."""
        return pd.concat(self.typed) if self.typed else pd.DataFrame({v.name: [] for v in self.variables})
