"""CSV survey exports, read in batches of rows so that a file of millions of respondents is validated in
bounded memory. A file is read the same way whatever its size (a small one is one batch), so its
messages do not depend on where the batches end.

The first pass (``analysis.survey_data.text_files``) settles the encoding and checks the text; this
module finds the separator (Excel's ``sep=;`` line, or the widest of semicolon and comma), the header
row, and then yields the rows with the line each starts on, refusing a row whose fields do not match
the header, and a quotation mark that is never closed.
"""

from __future__ import annotations

import csv
import itertools
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from analysis.core.errors import InputError
from analysis.survey_data.export_files import HEADER_SEARCH_ROWS, Export, header_row
from analysis.survey_data.text_files import text_encoding

DELIMITERS = (";", ",")
FIELD_LIMIT = 10 * 1024 * 1024  # characters: far beyond any answer (Excel holds 32 767 in a cell)
BATCH_ROWS = 200_000
PROGRESS_BYTES = 20 * 1024 * 1024  # larger files report their progress while they are read
HEAD_LINES = 20
SEP_LINE = re.compile(r'"?sep=(.)"?[ \t]*', re.IGNORECASE)
UNCLOSED = ('a quotation mark (") in this row opens a cell that is never closed, so the following lines became '
            'part of it; remove or close the quote')


def progress(path: Path, rows: int, done: float | None = None) -> None:
    """A line on stderr while a long file is read, so a large export does not look like a hang."""
    share = f" ({done:.0%})" if done is not None else ""
    sys.stderr.write(f"  reading     {path.name}: {rows:,} rows{share} …\n".replace(",", " "))
    sys.stderr.flush()


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


class _Layout:
    """How a CSV file is laid out: encoding, separator, a ``sep=`` line, and the header among the first rows."""

    def __init__(self, path: Path, known: set[str] | None) -> None:
        self.path = path
        self.encoding = text_encoding(path)
        with open(path, encoding=self.encoding, newline=None) as fh:
            head = fh.read(200_000)
        lines = [line for line in head.split("\n")[:HEAD_LINES] if line.strip()]
        sep = SEP_LINE.fullmatch(lines[0])
        self.skip_first = bool(sep)  # Excel's "sep=;" line names the separator
        self.delimiter = sep.group(1) if sep else _delimiter(path, lines)
        first = list(itertools.islice(self.records(), HEADER_SEARCH_ROWS + 1))
        if sep and first and len(first[0][1]) == 1:
            other = next((d for d in DELIMITERS if d != self.delimiter and d in first[0][1][0]), None)
            if other:
                raise InputError(path, f"the separator that the first line names (sep={self.delimiter}), but the header "
                                       f"row is separated by {other!r}: correct the sep= line or delete it", row=first[0][0])
        self.start = header_row(path, first, known)
        self.columns = [c.strip() for c in first[self.start][1]]

    def records(self, report: bool = False) -> Iterator[tuple[int, list[str]]]:
        """(line, cells) of every record that is not blank, with the line it starts on."""
        limit = csv.field_size_limit(FIELD_LIMIT)
        try:
            with open(self.path, encoding=self.encoding, newline=None) as fh:
                first_line = 1
                if self.skip_first:
                    fh.readline()
                    first_line = 2
                reader = csv.reader(fh, delimiter=self.delimiter)
                next_line, size, count = first_line, self.path.stat().st_size, 0
                try:
                    for row in reader:
                        line, next_line = next_line, reader.line_num + first_line  # a quoted cell may span lines
                        if "".join(row).strip():
                            yield line, row
                            count += 1
                            if report and count % BATCH_ROWS == 0:
                                progress(self.path, count, fh.buffer.tell() / size)
                except csv.Error as exc:
                    if "field larger than field limit" in str(exc):
                        shown = f"{FIELD_LIMIT:,}".replace(",", " ")
                        raise InputError(self.path, f"cells of at most {shown} characters, but a cell starting on this "
                                                    "row is longer: most likely a quotation mark (\") opens a cell "
                                                    "that is never closed, so the rest of the file became one cell; "
                                                    "remove or close the quote", row=next_line) from None
                    raise InputError(self.path, f"valid CSV ({exc})", row=next_line) from None
        finally:
            csv.field_size_limit(limit)

    def batches(self, rows: int = BATCH_ROWS) -> Iterator[pd.DataFrame]:
        """The rows below the header as text cells (columns by position), ``rows`` at a time."""
        report = self.path.stat().st_size > PROGRESS_BYTES
        records = self._checked(itertools.islice(self.records(report), self.start + 1, None))
        while batch := list(itertools.islice(records, rows)):
            yield _frame(batch, len(self.columns))

    def _checked(self, records: Iterator[tuple[int, list[str]]]) -> Iterator[tuple[int, list[str]]]:
        """The records, each with as many fields as the header, and no quotation mark left open at the end:
        the first such problem in the file is raised, wherever the batches end."""
        width, last, head = len(self.columns), None, self.columns[0] if self.columns else None
        for line, row in records:
            if row[0].strip() == head and [c.strip() for c in row] == self.columns:
                raise InputError(self.path, "one respondent per row below the header, but this row repeats the header "
                                            "(two exports pasted into one file?): delete it", row=line)
            if len(row) != width:
                quote = next((c for c in row if c.count("\n") > 2), None)
                cause = f" ({UNCLOSED})" if quote is not None else ""
                raise InputError(self.path, f"{width} fields separated by {self.delimiter!r} as in the header, "
                                            f"found {len(row)}{cause}", row=line)
            last = line, row
            yield last
        if last is not None:
            self._check_last_record(last)

    def _check_last_record(self, record: tuple[int, list[str]]) -> None:
        """A quotation mark opened in the last column and never closed swallows every following row into one
        cell, and the row still has its fields: read the rest of the file strictly to tell it from a comment
        that spans lines."""
        line, row = record
        if not any("\n" in c for c in row):
            return
        with open(self.path, encoding=self.encoding, newline=None) as fh:
            tail = itertools.islice(fh, line - 1, None)
            try:
                for _ in csv.reader(tail, delimiter=self.delimiter, strict=True):
                    pass
            except csv.Error as exc:
                if "unexpected end of data" in str(exc):
                    lines = max(c.rstrip("\n").count("\n") for c in row) + 1
                    raise InputError(self.path, f"one line per respondent, but the last cell that starts on this row "
                                                f"runs over {lines} lines to the end of the file: {UNCLOSED}",
                                     row=line) from None


def _frame(batch: list[tuple[int, list[str]]], width: int) -> pd.DataFrame:
    columns = list(zip(*(row for _, row in batch))) or [()] * width
    return pd.DataFrame({i: pd.array(column, dtype="str") for i, column in enumerate(columns)},
                        index=pd.Index([line for line, _ in batch], name="row"))


def read_csv(path: Path, known: set[str] | None) -> Export:
    layout = _Layout(path, known)
    return Export(path, layout.columns, layout.batches)
