"""The readers behind ``analysis.survey_data.export_files.read_export``: CSV, XLSX and SPSS .sav, each giving
text cells indexed by the row numbers a user sees in the file."""

from __future__ import annotations

import csv
import io
import math
import re
import sys
import zipfile
from pathlib import Path

import pandas as pd

from analysis.core.errors import InputError
from analysis.survey_data.export_files import Export, check_text_mojibake, header_row

DELIMITERS = (";", ",")
FIELD_LIMIT = csv.field_size_limit()  # 131 072 characters: far beyond any survey answer
PROGRESS_ROWS = 250_000
SHARED_MAX = 2_000  # a column with more distinct values (ids, free text) keeps its own strings
SEP_LINE = re.compile(r'"?sep=(.)"?[ \t]*', re.IGNORECASE)


def progress(path: Path, rows: int) -> None:
    """A line on stderr while a long file is read, so a large export does not look like a hang."""
    sys.stderr.write(f"  reading     {path.name}: {rows:,} rows …\n".replace(",", " "))
    sys.stderr.flush()


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


def _delimiter(path: Path, lines: list[str]) -> str:
    """The separator of the widest of the first lines (a title line above the header has none)."""
    counts = {d: max(len(next(csv.reader([line[:5000]], delimiter=d))) - 1 for line in lines) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    if counts[best] == 0:
        header = lines[0]
        found = ", ".join(f"{name} ({n})" for name, n in (("tab", header.count("\t")), ("|", header.count("|")))
                          if n) or "none"
        raise InputError(path, "columns separated by semicolons or commas, but the header row has none "
                               f"(other separators found: {found})", row=1, value=header[:60])
    return best


def read_csv(path: Path, known: set[str] | None) -> Export:
    report = path.stat().st_size > 20 * 1024 * 1024
    text = decode_text(path, path.read_bytes())  # the bytes are not kept: large files are read in bounded memory
    if not text.strip():
        raise InputError(path, "a survey export with a header row and respondents, but the file is empty")
    if "\x00" in text:
        raise InputError(path, "text without NUL bytes", row=text[: text.index("\x00")].count("\n") + 1)
    check_text_mojibake(path, text)
    if "\r" in text:  # Windows (\r\n) and classic Mac (\r) line ends; a \r inside a quoted cell is a line end too
        text = re.sub(r"\r\n?", "\n", text)
    first_line = 1
    lines = [line for line in text[:200_000].split("\n")[:HEAD_LINES] if line.strip()]
    sep = SEP_LINE.fullmatch(lines[0])
    if sep:  # Excel's "sep=;" line names the separator
        delimiter, text, first_line = sep.group(1), text.split("\n", 1)[1] if "\n" in text else "", 2
    else:
        delimiter = _delimiter(path, lines)
    buffer = io.StringIO(text)
    del text  # the buffer holds its own copy
    reader = csv.reader(buffer, delimiter=delimiter)
    rows: list[tuple[int, list[str]]] = []
    next_line = first_line
    shared: list[dict[str, str]] = []  # per column: one str object per distinct answer, not one per cell
    try:
        for row in reader:
            line, next_line = next_line, reader.line_num + first_line  # a quoted cell may span lines
            if "".join(row).strip():
                if len(shared) < len(row):
                    shared += [{} for _ in range(len(row) - len(shared))]
                rows.append((line, [c if len(d) > SHARED_MAX else d.setdefault(c, c) for c, d in zip(row, shared)]))
                if report and len(rows) % PROGRESS_ROWS == 0:
                    progress(path, len(rows))
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            limit = f"{FIELD_LIMIT:,}".replace(",", " ")
            raise InputError(path, f"cells of at most {limit} characters, but a cell starting on this row is "
                                   "longer: most likely a quotation mark (\") opens a cell that is never closed, so "
                                   "the rest of the file became one cell; remove or close the quote",
                             row=next_line) from None
        raise InputError(path, f"valid CSV ({exc})", row=next_line) from None
    if not rows:
        raise InputError(path, "a survey export with a header row and respondents, but the file is empty")
    start = header_row(path, rows, known)
    columns = [c.strip() for c in rows[start][1]]
    body = rows[start + 1:]
    for line, row in body:
        if len(row) != len(columns):
            quote = next((c for c in row if "\n" in c and c.count("\n") > 2), None)
            cause = (" (a quotation mark (\") in this row opens a cell that is never closed, so the following lines "
                     "became part of it; remove or close the quote)") if quote is not None else ""
            raise InputError(path, f"{len(columns)} fields separated by {delimiter!r} as in the header, "
                                   f"found {len(row)}{cause}", row=line)
    cells = pd.DataFrame([row for _, row in body], columns=columns,
                         index=pd.Index([line for line, _ in body], name="row"), dtype=str)
    return Export(path, cells)


HEAD_LINES = 20


def _sheet_rows(sheet, path: Path | None = None) -> list[tuple[int, tuple]]:
    report = path is not None and path.stat().st_size > 5 * 1024 * 1024
    rows = []
    for number, row in enumerate(sheet.iter_rows(values_only=True), start=1):
        if any(v is not None and str(v).strip() for v in row):
            rows.append((number, row))
            if report and len(rows) % PROGRESS_ROWS == 0:
                progress(path, len(rows))
    return rows


def read_xlsx(path: Path, known: set[str] | None) -> Export:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises zipfile, KeyError and InvalidFileException for broken files
        raise InputError(path, f"a readable Excel workbook ({exc.__class__.__name__})") from None
    try:
        sheets = book.worksheets
        rows = _sheet_rows(sheets[0], path)
        if known:
            _check_first_sheet(path, sheets, rows, known)
        title = sheets[0].title
    finally:
        book.close()
    if not rows:
        raise InputError(path, "a header row in the first sheet, but the sheet is empty")
    text_rows = [(n, [_cell_text(v) for v in row]) for n, row in rows]
    start = header_row(path, text_rows, known)
    (_, header), body = rows[start], rows[start + 1:]
    width = max(i + 1 for i, v in enumerate(header) if v is not None)
    columns = ["" if v is None else str(v).strip() for v in header[:width]]
    records = []
    for number, row in body:
        if any(v is not None and str(v).strip() for v in row[width:]):
            raise InputError(path, f"no values right of the {width} header columns", row=number)
        records.append([_cell_text(v) for v in row[:width]] + [""] * (width - len(row)))
    _check_formulas(path, title, columns, {n for n, _ in body})
    cells = pd.DataFrame(records, columns=columns, index=pd.Index([n for n, _ in body], name="row"), dtype=str)
    return Export(path, cells)


def _check_first_sheet(path: Path, sheets, rows, known: set[str]) -> None:
    """A cover or instructions sheet before the answers: name the sheet that holds them."""
    from analysis.survey_data.codebooks import normalise

    def has_header(sheet_rows) -> bool:
        return any(sum(normalise(_cell_text(v)) in known for v in row if v is not None) >= 2
                   for _, row in sheet_rows[:10])

    if has_header(rows):
        return
    for other in sheets[1:]:
        if has_header(_sheet_rows(other)):
            raise InputError(path, f"the answers on the first sheet, but the first sheet {sheets[0].title!r} holds no "
                                   f"codebook columns and sheet {other.title!r} does (a cover sheet before the "
                                   f"answers?): move {other.title!r} first or delete the sheets before it")


def _check_formulas(path: Path, title: str, columns: list[str], body_rows: set[int]) -> None:
    """A formula cell without a saved result reads as empty: refuse it rather than lose the answer."""
    with zipfile.ZipFile(path) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
        if not any(re.search(rb"<f[ >/]", archive.read(n)) for n in sheets):
            return
    import openpyxl

    formulas = openpyxl.load_workbook(path, read_only=True, data_only=False)
    values = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        found = []
        pairs = zip(formulas[title].iter_rows(values_only=True), values[title].iter_rows(values_only=True))
        for number, (formula_row, value_row) in enumerate(pairs, start=1):
            for i, (f, v) in enumerate(zip(formula_row, value_row)):
                if isinstance(f, str) and f.startswith("=") and v is None and number in body_rows:
                    found.append((number, columns[i] if i < len(columns) else str(i + 1), f))
    finally:
        formulas.close()
        values.close()
    if found:
        number, column, formula = found[0]
        more = f" ({len(found) - 1} more such cells)" if len(found) > 1 else ""
        raise InputError(path, "a value, but the cell holds a formula without a saved result (the workbook was "
                               "written by a program and never opened and saved in Excel): open it in Excel and save "
                               f"it, or write the values instead of formulas{more}",
                         row=number, column=column, value=formula)


def read_sav(path: Path) -> Export:
    import pyreadstat

    try:
        df, meta = pyreadstat.read_sav(path, apply_value_formats=False, user_missing=True)
    except Exception as exc:  # pyreadstat.ReadstatError and friends
        raise InputError(path, f"a readable SPSS .sav file ({exc.__class__.__name__})") from None
    cells = df.apply(lambda col: col.map(_cell_text)).astype(str)
    cells.index = pd.RangeIndex(1, len(cells) + 1, name="row")
    labels = {col: {_cell_text(code): str(label) for code, label in mapping.items()}
              for col, mapping in meta.variable_value_labels.items()}
    declared: dict[str, list[str]] = {}
    for col, ranges in (getattr(meta, "missing_ranges", None) or {}).items():
        for r in ranges:
            lo, hi = r.get("lo"), r.get("hi")
            if lo == hi:
                declared.setdefault(col, []).append(_cell_text(lo))
            else:
                present = pd.to_numeric(df[col], errors="coerce")
                inside = sorted(set(present[(present >= lo) & (present <= hi)].dropna()))
                declared.setdefault(col, []).extend(_cell_text(v) for v in inside)
    return Export(path, cells, value_labels=labels, user_missing=declared)


def _cell_text(value) -> str:
    """A spreadsheet or SPSS value as the text a CSV export would show: 3.0 -> '3', empty -> ''."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
