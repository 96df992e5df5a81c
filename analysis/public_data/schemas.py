"""Schemas for the raw public snapshots, and the translation of violations into one line each.

Raw tables are read as text and checked before any conversion, so that every bad cell
is reported at once (file, row, column, value, what was expected) rather than the first
conversion error only.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.core.errors import ManyInputErrors, display_path, format_problem

MAX_REPORTED = 50


def _numeric(s: pd.Series) -> pd.Series:
    return pd.to_numeric(s.astype(str).str.strip(), errors="coerce")


def integer(min_value: int | None = None, max_value: int | None = None) -> pa.Check:
    """Text that parses as a whole number within the bounds."""
    bounds = []
    if min_value is not None:
        bounds.append(f">= {min_value}")
    if max_value is not None:
        bounds.append(f"<= {max_value}")
    expected = "an integer" + (f" {' and '.join(bounds)}" if bounds else "")

    def ok(s: pd.Series) -> pd.Series:
        x = _numeric(s)
        good = x.notna() & (x == x.round())
        if min_value is not None:
            good &= x >= min_value
        if max_value is not None:
            good &= x <= max_value
        return good

    return pa.Check(ok, error=expected)


def number(min_value: float | None = None, above: bool = False) -> pa.Check:
    """Text that parses as a number, at least ``min_value`` (above it, with ``above``)."""
    expected = "a number" + (f" {'>' if above else '>='} {min_value}" if min_value is not None else "")

    def ok(s: pd.Series) -> pd.Series:
        x = _numeric(s)
        if min_value is None:
            return x.notna()
        return x.notna() & ((x > min_value) if above else (x >= min_value))

    return pa.Check(ok, error=expected)


def matches(pattern: str, expected: str) -> pa.Check:
    return pa.Check(lambda s: s.astype(str).str.fullmatch(pattern), error=expected)


def one_of(values: Iterable[str], expected: str | None = None) -> pa.Check:
    values = sorted(set(values))
    shown = expected or "one of " + ", ".join(repr(v) for v in values[:8]) + (" …" if len(values) > 8 else "")
    return pa.Check(lambda s: s.astype(str).isin(values), error=shown)


KOMMUN_CODE = matches(r"\d{4}", "a 4-digit kommun code")


def text_column(*checks: pa.Check) -> pa.Column:
    return pa.Column(None, checks=list(checks), nullable=False, coerce=False)


def validate(df: pd.DataFrame, schema: pa.DataFrameSchema, file: str | Path, *, first_row: int | None = 2) -> None:
    """Validate ``df`` (as read from ``file``) and raise every violation as one line each.

    ``first_row`` is the line number of the frame's first row in the file: 2 for a CSV
    with a header line, 1 for the first feature of a GeoPackage layer; None when the
    frame's index already holds the file's row numbers.
    """
    problems = schema_problems(df, schema, file, first_row=first_row)
    if problems:
        raise ManyInputErrors(problems)


def schema_problems(df: pd.DataFrame, schema: pa.DataFrameSchema, file: str | Path, *,
                    first_row: int | None = 2) -> list[str]:
    """Every violation of ``schema`` in ``df`` as one line each (empty when the frame is valid)."""
    try:
        schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        unique = schema.unique if isinstance(schema.unique, list) else [schema.unique] if schema.unique else []
        return problems_from(exc.failure_cases, file, df, first_row, unique)
    return []


def problems_from(cases: pd.DataFrame, file: str | Path, df: pd.DataFrame, first_row: int | None,
                  unique_keys: list[str] | None = None) -> list[str]:
    lines: list[tuple[int, str]] = []  # (row, message): file-level problems first, then by row
    if first_row is None:
        rows = {label: int(label) for label in df.index}
    else:
        rows = {label: first_row + i for i, label in enumerate(df.index)}
    duplicated_rows: set = set()
    for case in cases.itertuples(index=False):
        check = str(case.check)
        if check == "multiple_fields_uniqueness":
            duplicated_rows.add(case.index)
            continue
        if check == "column_in_dataframe":
            lines.append((0, format_problem(file, f"a column named {case.failure_case!r} (columns found: "
                                                  f"{', '.join(map(str, df.columns))})")))
            continue
        if case.index is None or pd.isna(case.index):
            lines.append((0, format_problem(file, f"{check} (found {case.failure_case})", column=str(case.column))))
            continue
        row = rows.get(case.index, int(case.index))
        expected = "a value (not empty)" if check == "not_nullable" else check
        lines.append((row, format_problem(file, expected, row=row, column=str(case.column), value=case.failure_case)))
    if duplicated_rows:
        keys = [c for c in (unique_keys or []) if c in df.columns]
        key_of = {index: ", ".join(str(df.loc[index, c]) for c in keys) for index in duplicated_rows}
        for index, value in key_of.items():
            row = rows.get(index, int(index))
            others = sorted(rows.get(i, int(i)) for i, v in key_of.items() if v == value and i != index)
            where = f"row {others[0]}" if len(others) == 1 else f"rows {', '.join(map(str, others))}"
            also = f" (the same value is on {where})" if others else ""
            lines.append((row, format_problem(file, f"no other row with the same {', '.join(keys)}{also}",
                                              row=row, column=", ".join(keys), value=value)))
    lines = list(dict.fromkeys(line for _, line in sorted(lines, key=lambda item: item[0])))
    if len(lines) > MAX_REPORTED:
        lines = lines[:MAX_REPORTED] + [f"{display_path(file)}: … and {len(lines) - MAX_REPORTED} more problems"]
    return lines
