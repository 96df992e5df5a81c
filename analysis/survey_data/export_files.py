"""Reading survey exports as text: CSV (comma or semicolon; UTF-8 with or without BOM, or
Windows-1252), Excel (.xlsx) and SPSS (.sav).

Every cell comes back as text exactly as the file shows it, with the file's own row
numbers, so the schema can report each bad cell where a user will find it: the line of a
CSV file (header = 1), the row of the Excel sheet, or the case number of an SPSS file.

Files that are not what their name says (an old .xls renamed .xlsx), and the layouts people
make by hand (a title above the header, a two-row header, a cover sheet, double-encoded text)
are refused with a message naming the likely cause and the fix. The readers are
``analysis.survey_data.csv_reader`` (streamed, in batches of rows), ``xlsx_reader`` (calamine) and
``readers`` (SPSS); ``docs/survey-data.md`` describes them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from analysis.survey_data.codebooks import normalise
from analysis.core.errors import InputError

CSV_SUFFIXES = (".csv", ".txt")
SUFFIXES = (*CSV_SUFFIXES, ".xlsx", ".sav")
OTHER_FORMATS = {
    ".xls": "an old Excel 97-2003 workbook (.xls): open it in Excel and save it as .xlsx (Excel workbook)",
    ".xlsm": "an Excel workbook with macros (.xlsm): save it as .xlsx (Excel workbook)",
    ".ods": "an OpenDocument spreadsheet (.ods): save it as .xlsx or as CSV UTF-8",
    ".tsv": "tab-separated text: save it as CSV UTF-8 (comma- or semicolon-separated)",
    ".zsav": "a compressed SPSS file (.zsav): save it in SPSS as an uncompressed .sav",
    ".por": "an SPSS portable file (.por): save it in SPSS as .sav",
    ".dta": "a Stata file: export it as .sav or CSV UTF-8",
}
MAGIC = {b"PK\x03\x04": "an Excel workbook (.xlsx) or another zip file", b"\xd0\xcf\x11\xe0": "an old Excel 97-2003 "
         "workbook (.xls)", b"$FL2": "an SPSS .sav file", b"$FL3": "a compressed SPSS .zsav file",
         b"%PDF": "a PDF document"}
HEADER_SEARCH_ROWS = 10  # how far below the first row a misplaced header is looked for
MOJIBAKE = re.compile(r"[\u00c2-\u00df][\u0080-\u00bf\u0152-\u0161\u0178-\u017e\u0192\u02c6\u02dc\u2013-\u2122]")


BATCH_ROWS = 200_000  # rows validated at a time: a large export is read in bounded memory


@dataclass
class Export:
    """A survey export as text. ``columns`` is the header; ``read_batches(n)`` yields the rows below it, ``n`` at a
    time, as text cells with columns by position, indexed by the file's row numbers (SPSS: case numbers)."""

    path: Path
    columns: list[str]
    read_batches: Callable[[int], Iterator[pd.DataFrame]]
    value_labels: dict[str, dict[str, str]] = field(default_factory=dict)  # SPSS: column -> code -> label
    user_missing: dict[str, list[str]] = field(default_factory=dict)  # SPSS: column -> codes declared missing

    def batches(self, rows: int = BATCH_ROWS) -> Iterator[pd.DataFrame]:
        """The respondents' rows, ``rows`` at a time: cells stripped, blank rows (trailing or separating) left out."""
        for batch in self.read_batches(rows):
            batch = batch.apply(lambda column: column.str.strip())
            batch = batch[~batch.eq("").all(axis=1)]
            if len(batch):
                yield batch

    @property
    def cells(self) -> pd.DataFrame:
        """Every respondent's row at once, with the header's column names (for small files)."""
        frames = list(self.batches())
        cells = pd.concat(frames) if frames else pd.DataFrame(columns=range(len(self.columns)), dtype=str)
        return cells.set_axis(self.columns, axis=1)


def read_export(path: Path, known_columns: set[str] | None = None) -> Export:
    """The export at ``path``, its header read and its rows ready to be read in batches; a file that cannot be
    read raises a one-line ``InputError`` (here, or while its batches are read).

    ``known_columns`` (normalised column names the codebook knows) lets the reader recognise a
    header that is not on the first row, and an answers sheet that is not the first sheet.
    """
    path = Path(path)
    if path.is_dir():
        raise InputError(path, "a survey export file, but this path is a directory (name the file inside it)")
    if not path.exists():
        raise InputError(path, "an existing survey export")
    suffix = path.suffix.lower()
    if suffix in OTHER_FORMATS:
        raise InputError(path, f"a survey export in CSV, XLSX or SPSS .sav, but this is {OTHER_FORMATS[suffix]}")
    if suffix not in SUFFIXES:
        raise InputError(path, f"a survey export ending in {', '.join(SUFFIXES)}")
    if path.stat().st_size == 0:
        raise InputError(path, "a survey export with a header row and respondents, but the file is empty")
    _check_content_matches_suffix(path, suffix)
    if suffix in CSV_SUFFIXES:
        from analysis.survey_data.csv_reader import read_csv

        return read_csv(path, known_columns)
    if suffix == ".xlsx":
        from analysis.survey_data.xlsx_reader import read_xlsx

        return read_xlsx(path, known_columns)
    from analysis.survey_data.readers import read_sav

    return read_sav(path)


def _check_content_matches_suffix(path: Path, suffix: str) -> None:
    with open(path, "rb") as fh:
        head = fh.read(512)
    found = next((what for magic, what in MAGIC.items() if head.startswith(magic)), None)
    if head.startswith(b"\xd0\xcf\x11\xe0") and _encrypted(path):  # Office encrypts a workbook into such a file
        raise InputError(path, "a workbook without a password, but this one is password-protected (Excel encrypts "
                               "the whole file): open it in Excel, remove the password and save it again")
    wanted = {".xlsx": b"PK\x03\x04", ".sav": b"$FL2"}.get(suffix)
    if wanted is not None and head.startswith(wanted):
        return
    if wanted is None and found is None:
        return  # text, as a CSV should be
    if found is None:
        if not _looks_like_text(head):
            return  # unknown bytes: the reader names what it could not read
        found = "an HTML or XML page" if head.lstrip()[:1] == b"<" else "text (perhaps CSV)"
    fix = {".xlsx": "open it in Excel and save it as .xlsx (Excel workbook)", ".sav": "save it in SPSS as .sav",
           ".csv": "rename it to the suffix of its format, or save it as CSV UTF-8",
           ".txt": "rename it to the suffix of its format, or save it as CSV UTF-8"}[suffix]
    raise InputError(path, f"a {suffix} file, but the content is {found} with a renamed suffix: {fix}")


def _encrypted(path: Path) -> bool:
    """An OLE2 compound file holding an encrypted Office document (its stream 'EncryptedPackage')."""
    marker = "EncryptedPackage".encode("utf-16-le")
    with open(path, "rb") as fh:
        tail = b""
        while block := fh.read(1 << 20):
            if marker in tail + block:
                return True
            tail = block[-len(marker):]
    return False


def _looks_like_text(head: bytes) -> bool:
    try:
        text = head.decode("utf-8", errors="strict")
    except UnicodeDecodeError:
        text = head.decode("cp1252", errors="replace")
    return bool(text) and all(c.isprintable() or c in "\t\r\n" for c in text[:-4])


def _mojibake_message(repaired: str) -> str:
    return (f"Swedish letters, but the text is double-encoded (mojibake; it should read {repaired!r}): a UTF-8 file "
            "was opened as Windows-1252 and saved again; export it again from the source, or open it as UTF-8 "
            "before saving")


def mojibake_in_text(path: Path, text: str, first_row: int = 1) -> InputError | None:
    """The first double-encoded word in a text file (or a part of it starting on ``first_row``), as an error."""
    for match in MOJIBAKE.finditer(text):
        start = max(text.rfind(sep, 0, match.start()) for sep in ",;\n\r\"") + 1
        ends = [i for i in (text.find(sep, match.end()) for sep in ",;\n\r\"") if i >= 0]
        word = text[start: min(ends) if ends else len(text)]
        try:
            repaired = word.encode("cp1252").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        row = text.count("\n", 0, start) + text.count("\r", 0, start) - text.count("\r\n", 0, start) + first_row
        return InputError(path, _mojibake_message(repaired), row=row, value=word)
    return None


def check_mojibake(path: Path, cells: pd.DataFrame) -> None:
    """Refuse text that was UTF-8, read as Windows-1252 and saved again ('LÃ¤tt' for 'Lätt')."""
    for position, column in enumerate(cells.columns):
        series = cells.iloc[:, position]
        values = pd.unique(series)
        for value in values:
            match = MOJIBAKE.search(value)
            if not match:
                continue
            try:
                repaired = value.encode("cp1252").decode("utf-8")
            except (UnicodeEncodeError, UnicodeDecodeError):
                continue
            row = cells.index[series.eq(value).to_numpy().argmax()]
            raise InputError(path, _mojibake_message(repaired), row=int(row), column=str(column), value=value)


def header_row(path: Path, rows: list[tuple[int, list[str]]], known: set[str] | None) -> int:
    """Index in ``rows`` (non-blank rows as (line, cells)) of the header: the first row, unless
    the first row names no codebook column and one of the next rows does (then a one-line error)."""
    if not known or not rows:
        return 0

    def score(cells: list[str]) -> int:
        return sum(normalise(c) in known for c in cells if c and c.strip())

    first = score(rows[0][1])
    filled = sum(bool(c.strip()) for c in rows[0][1])
    if first >= 2 or (first and first * 2 >= filled):
        return 0
    for i, (line, cells) in enumerate(rows[1: HEADER_SEARCH_ROWS + 1], start=1):
        found = score(cells)
        if found >= 2 and found * 2 >= sum(bool(c.strip()) for c in cells):
            above = rows[i - 1][1]
            groups = [c.strip() for c in above if c.strip()]
            if len(groups) >= 2 and i == 1:
                cause = (f"row {rows[0][0]} holds group titles ({', '.join(repr(g) for g in groups[:3])}"
                         f"{', …' if len(groups) > 3 else ''}) above the column names on row {line}: a two-row "
                         f"header with merged cells; delete row {rows[0][0]} so the column names are the first row")
            else:
                title = next((c.strip() for c in rows[0][1] if c.strip()), "")
                cause = (f"row {line} looks like the header ({found} codebook columns) and "
                         f"{'the row above it holds' if i == 1 else f'the {i} rows above it hold'} a title or notes "
                         f"({title[:40]!r}); "
                         f"delete the rows above the header")
            raise InputError(path, f"the column names on the first row, but {cause}", row=rows[0][0])
    return 0
