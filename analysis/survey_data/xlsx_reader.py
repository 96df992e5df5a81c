"""Excel workbooks (.xlsx), read with calamine (python-calamine: Rust, about a hundred times faster than
openpyxl on a large sheet), and the checks that calamine's values alone cannot make:

* a zip file that is not an Excel workbook (an archive of exports, a Word document, an OpenDocument
  spreadsheet or an .xlsb renamed .xlsx) is named as what it is;
* a formula without a saved result (a workbook written by a program and never opened in Excel) reads
  as an empty cell: the sheet's XML is scanned for ``<f>`` cells without a ``<v>``, streamed, and such
  a cell is refused rather than taken for a missing answer.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd

from analysis.core.errors import InputError
from analysis.survey_data.export_files import Export, check_mojibake, header_row

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"
REL_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
OTHER_ZIPS = {  # a part that tells what a zip file is, when it is no .xlsx
    "xl/workbook.bin": "an Excel binary workbook (.xlsb): open it in Excel and save it as .xlsx (Excel workbook)",
    "content.xml": "an OpenDocument file (.ods, LibreOffice or Numbers): save it as .xlsx or as CSV UTF-8",
    "word/document.xml": "a Word document (.docx): export the answers from the survey tool as .xlsx or CSV",
    "ppt/presentation.xml": "a PowerPoint presentation (.pptx): export the answers from the survey tool as .xlsx "
                            "or CSV",
}
CELL = re.compile(r"([A-Z]+)(\d+)")


def _workbook_parts(path: Path) -> list[str]:
    """The zip's parts, after checking that it holds an Excel workbook; else one line naming what it is."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile:
        with open(path, "rb") as fh:
            zipped = fh.read(4) == b"PK\x03\x04"
        cause = ("it starts as a zip archive (as .xlsx files do) but cannot be opened as one (was the download or the "
                 "copy cut short?); save or copy it again" if zipped else
                 "its bytes are not the zip archive every .xlsx file is, nor any other format recognised; export it "
                 "again")
        raise InputError(path, f"a readable Excel workbook, but the file is damaged: {cause} (BadZipFile)") from None
    if "xl/workbook.xml" in names:
        return names
    what = next((text for part, text in OTHER_ZIPS.items() if part in names), None)
    if what is None:
        shown = ", ".join(n for n in names if not n.endswith("/"))[:120] or "nothing"
        what = (f"a zip archive of other files ({shown}), not an Excel workbook: unpack it and read the export "
                "inside, or save the answers as .xlsx")
    raise InputError(path, f"a .xlsx file, but the content is {what}")


def read_xlsx(path: Path, known: set[str] | None) -> Export:
    from python_calamine import CalamineError, CalamineWorkbook, PasswordError, SheetTypeEnum

    parts = _workbook_parts(path)
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = [m.name for m in book.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
        if not names:
            raise InputError(path, "a worksheet with the answers, but the workbook has only chart sheets")
        rows = _sheet_rows(book, names[0])
        if known:
            _check_first_sheet(path, book, names, rows, known)
    except PasswordError:
        raise InputError(path, "a workbook without a password: remove the password in Excel and save it again") \
            from None
    except CalamineError as exc:
        detail = str(exc).splitlines()[0][:100] if str(exc) else exc.__class__.__name__
        raise InputError(path, f"a readable Excel workbook, but its content is damaged ({detail})") from None
    if not rows:
        raise InputError(path, "a header row in the first sheet, but the sheet is empty")
    text_rows = [(n, [cell_text(v) for v in row]) for n, row in rows]
    start = header_row(path, text_rows, known)
    (_, header), body = text_rows[start], text_rows[start + 1:]
    width = max((i + 1 for i, v in enumerate(header) if v), default=0)
    columns = header[:width]
    records = []
    for number, row in body:
        if any(row[width:]):
            raise InputError(path, f"no values right of the {width} header columns", row=number)
        if row[:width] == columns:
            raise InputError(path, "one respondent per row below the header, but this row repeats the header (two "
                                   "exports pasted into one sheet?): delete it", row=number)
        records.append(row[:width] + [""] * (width - len(row)))
    _check_formulas(path, parts, columns, {n for n, _ in body})
    cells = pd.DataFrame(records, columns=range(width), index=pd.Index([n for n, _ in body], name="row"), dtype=str)
    check_mojibake(path, cells.set_axis(columns, axis=1))
    return Export(path, columns, lambda size: (cells.iloc[i: i + size] for i in range(0, len(cells), size)))


def _sheet_rows(book, name: str) -> list[tuple[int, list]]:
    """(row number, values) of every row of the sheet that is not blank; row 1 is the sheet's first row."""
    grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return [(number, row) for number, row in enumerate(grid, start=1)
            if any(v is not None and v != "" and str(v).strip() for v in row)]


def _check_first_sheet(path: Path, book, names: list[str], rows, known: set[str]) -> None:
    """A cover or instructions sheet before the answers: name the sheet that holds them."""
    from analysis.survey_data.codebooks import normalise

    def has_header(sheet_rows) -> bool:
        return any(sum(normalise(cell_text(v)) in known for v in row if v not in (None, "")) >= 2
                   for _, row in sheet_rows[:10])

    if has_header(rows):
        return
    for other in names[1:]:
        if has_header(_sheet_rows(book, other)):
            raise InputError(path, f"the answers on the first sheet, but the first sheet {names[0]!r} holds no "
                                   f"codebook columns and sheet {other!r} does (a cover sheet before the "
                                   f"answers?): move {other!r} first or delete the sheets before it")


def _first_sheet_part(archive: zipfile.ZipFile) -> str:
    """The zip part of the workbook's first sheet, from xl/workbook.xml and its relationships."""
    sheets = ElementTree.fromstring(archive.read("xl/workbook.xml")).find(f"{MAIN}sheets")
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels.iter(f"{RELS}Relationship")}
    for sheet in sheets:
        target = targets.get(sheet.get(REL_ID), "")
        if "worksheets/" in target:
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return "xl/worksheets/sheet1.xml"


def _check_formulas(path: Path, parts: list[str], columns: list[str], body_rows: set[int]) -> None:
    """A formula cell without a saved result reads as empty: refuse it rather than lose the answer."""
    with zipfile.ZipFile(path) as archive:
        part = _first_sheet_part(archive)
        if part not in parts or not _has_formula(archive, part):
            return
        found = []
        with archive.open(part) as xml:
            for _, element in ElementTree.iterparse(xml):
                if element.tag == f"{MAIN}c":
                    formula, value = element.find(f"{MAIN}f"), element.find(f"{MAIN}v")
                    if formula is not None and (value is None or not value.text) and element.get("t") != "str":
                        letters, number = CELL.fullmatch(element.get("r", "A0")).groups()
                        if int(number) in body_rows:
                            found.append((int(number), _column_index(letters), formula.text or ""))
                elif element.tag == f"{MAIN}row":
                    element.clear()
    if found:
        number, index, formula = found[0]
        more = f" ({len(found) - 1} more such cells)" if len(found) > 1 else ""
        raise InputError(path, "a value, but the cell holds a formula without a saved result (the workbook was "
                               "written by a program and never opened and saved in Excel): open it in Excel and save "
                               f"it, or write the values instead of formulas{more}",
                         row=number, column=columns[index] if index < len(columns) else str(index + 1),
                         value=f"={formula}")


def _has_formula(archive: zipfile.ZipFile, part: str) -> bool:
    """Whether the sheet's XML holds any ``<f>`` element, read in blocks (most exports hold none)."""
    tail = b""
    with archive.open(part) as xml:
        while block := xml.read(4 * 1024 * 1024):
            if re.search(rb"<f[ >/]", tail + block):
                return True
            tail = block[-3:]
    return False


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def cell_text(value) -> str:
    """A spreadsheet value as the text a CSV export would show: 3.0 -> '3', empty -> ''."""
    import math

    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
