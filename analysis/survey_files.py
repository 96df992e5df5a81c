"""Reading survey exports as text: CSV (comma or semicolon; UTF-8 with or without BOM, or
Windows-1252), Excel (.xlsx) and SPSS (.sav).

Every cell comes back as text exactly as the file shows it, with the file's own row
numbers, so the schema can report each bad cell where a user will find it: the line of a
CSV file (header = 1), the row of the Excel sheet, or the case number of an SPSS file.
"""

from __future__ import annotations

import csv
import io
import math
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.errors import InputError

CSV_SUFFIXES = (".csv", ".txt")
SUFFIXES = (*CSV_SUFFIXES, ".xlsx", ".sav")
DELIMITERS = (";", ",")


@dataclass
class Export:
    """A survey export as text: ``cells`` indexed by the file's row numbers (SPSS: case numbers)."""

    path: Path
    cells: pd.DataFrame
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # SPSS: column -> code -> label


def read_export(path: Path) -> Export:
    """The export at ``path`` as text cells; unreadable files raise a one-line ``InputError``."""
    if not path.exists():
        raise InputError(path, "an existing survey export")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(path, f"a survey export ending in {', '.join(SUFFIXES)}")
    if path.stat().st_size == 0:
        raise InputError(path, "a survey export with a header row and respondents, but the file is empty")
    if suffix in CSV_SUFFIXES:
        export = _read_csv(path)
    elif suffix == ".xlsx":
        export = _read_xlsx(path)
    else:
        export = _read_sav(path)
    export.cells = export.cells.apply(lambda col: col.str.strip())
    blank = export.cells.eq("").all(axis=1)
    export.cells = export.cells[~blank]  # trailing or separating blank lines are not respondents
    if export.cells.empty:
        raise InputError(path, "at least one respondent below the header row")
    return export


def decode_text(path: Path, data: bytes) -> str:
    """UTF-8 (BOM optional), else Windows-1252; UTF-16 and files mixing encodings are rejected."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data.count(b"\x00") > len(data) // 4:
        raise InputError(path, "UTF-8 or Windows-1252 text, not UTF-16 (save the file again as CSV UTF-8)",
                         row=1, value=data[:2])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    utf8_line = cp1252_line = None
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8_line = utf8_line or number
        except UnicodeDecodeError:
            cp1252_line = cp1252_line or number
    if utf8_line and cp1252_line:
        raise InputError(path, f"one text encoding throughout, but row {utf8_line} is UTF-8 and row {cp1252_line} "
                               "is Windows-1252 (save the file again with a single encoding)", row=utf8_line)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, "UTF-8 or Windows-1252 text", row=line, value=data[exc.start: exc.start + 1]) from None


def _delimiter(path: Path, header: str) -> str:
    counts = {d: len(next(csv.reader([header], delimiter=d))) - 1 for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    if counts[best] == 0:
        found = ", ".join(f"{name} ({n})" for name, n in (("tab", header.count("\t")), ("|", header.count("|")))
                          if n) or "none"
        raise InputError(path, "columns separated by semicolons or commas, but the header row has none "
                               f"(other separators found: {found})", row=1, value=header[:60])
    return best


def _read_csv(path: Path) -> Export:
    text = decode_text(path, path.read_bytes())
    if not text.strip():
        raise InputError(path, "a survey export with a header row and respondents, but the file is empty")
    if "\x00" in text:
        raise InputError(path, "text without NUL bytes", row=text[: text.index("\x00")].count("\n") + 1)
    header = next(line for line in text.splitlines() if line.strip())
    delimiter = _delimiter(path, header)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    columns, records, numbers = None, [], []
    next_line = 1
    for row in reader:
        line, next_line = next_line, reader.line_num + 1  # a quoted cell may span lines: report where a row starts
        if not any(cell.strip() for cell in row):
            continue
        if columns is None:
            columns = [c.strip() for c in row]
            continue
        if len(row) != len(columns):
            raise InputError(path, f"{len(columns)} fields separated by {delimiter!r} as in the header, "
                                   f"found {len(row)}", row=line)
        records.append(row)
        numbers.append(line)
    cells = pd.DataFrame(records, columns=columns, index=pd.Index(numbers, name="row"), dtype=str)
    return Export(path, cells)


def _read_xlsx(path: Path) -> Export:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and InvalidFileException for broken files
        raise InputError(path, f"a readable Excel workbook ({exc.__class__.__name__})") from None
    sheet = book.worksheets[0]
    rows = [(number, row) for number, row in enumerate(sheet.iter_rows(values_only=True), start=1)
            if any(v is not None and str(v).strip() for v in row)]
    book.close()
    if not rows:
        raise InputError(path, "a header row in the first sheet, but the sheet is empty")
    (_, header), body = rows[0], rows[1:]
    width = max(i + 1 for i, v in enumerate(header) if v is not None)
    columns = ["" if v is None else str(v).strip() for v in header[:width]]
    records = []
    for number, row in body:
        if any(v is not None and str(v).strip() for v in row[width:]):
            raise InputError(path, f"no values right of the {width} header columns", row=number)
        records.append([_cell_text(v) for v in row[:width]] + [""] * (width - len(row)))
    cells = pd.DataFrame(records, columns=columns, index=pd.Index([n for n, _ in body], name="row"), dtype=str)
    return Export(path, cells)


def _read_sav(path: Path) -> Export:
    import pyreadstat

    try:
        df, meta = pyreadstat.read_sav(path, apply_value_formats=False, user_missing=False)
    except Exception as exc:  # pyreadstat.ReadstatError and friends
        raise InputError(path, f"a readable SPSS .sav file ({exc.__class__.__name__})") from None
    cells = df.apply(lambda col: col.map(_cell_text)).astype(str)
    cells.index = pd.RangeIndex(1, len(cells) + 1, name="row")
    labels = {col: {_cell_text(code): str(label) for code, label in mapping.items()}
              for col, mapping in meta.variable_value_labels.items()}
    return Export(path, cells, value_labels=labels)


def _cell_text(value) -> str:
    """A spreadsheet or SPSS value as the text a CSV export would show: 3.0 -> '3', empty -> ''."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
