"""Presentation helpers for notebooks and the report: Swedish tables, the synthetic-data notice."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from analysis.core.disclosure import ALL, MERGED, SUPPRESSED
from analysis.presentation.formatting import sv_number, sv_percent

def synthetic_notice(reproduced: int, total: int, conflicts: int) -> str:
    """The synthetic-data notice, with how many of the report's published survey figures the twin reproduces
    (the counts come from the build: ``claims`` renders it as the claim ``data-notice``)."""
    rest = f" ({conflicts} strider mot Koladas verkliga värden och återges inte)" if conflicts else ""
    return ("**Syntetiska data.** Enkätsiffrorna kommer från projektets syntetiska tvilling: påhittade svar, inte "
            f"GINO-studiens, som återger {reproduced} av rapportens {total} publicerade enkätsiffror{rest}. Samband "
            "mellan frågor, kommuner och roller är konstruerade.")


def synthetic_notice_short(reproduced: int, total: int, conflicts: int) -> str:
    """The notice for a slide."""
    rest = f"; {conflicts} strider mot Kolada" if conflicts else ""
    return (f"**Syntetiska data:** påhittade svar, inte GINO-studiens; de återger {reproduced} av rapportens {total} "
            f"publicerade enkätsiffror{rest}.")


REAL_NOTICE = "**Verkliga enkätdata** från studiens egna enkätfiler (endast aggregerade resultat redovisas)."
SURVEY_NAMES = {"innovation_climate_2017": "Innovationsenkäten 2017", "client_survey_2018": "Brukarenkäten 2018",
                "client_survey_2019": "Brukarenkäten 2019"}
DATA_SOURCES = {"synthetic": "syntetiska", "real": "verkliga"}
TESTS = {"chi-square": "chitvåtest", "Fisher exact": "Fishers exakta test",
         "Fisher–Freeman–Halton (permutation)": "Fisher–Freeman–Halton-test (permutation)"}
RULES = {"equal": "lika", "percent": "hela procent", "of_ten": "N av 10", "greater_than": "större än",
         "less_than": "mindre än", "between": "inom intervallet", "approx": "ungefär (med tolerans)",
         "just_below": "strax under"}


# The header of every Typst document, in each one's `include-in-header` (written out in _quarto.yml and the
# feedback documents; a test keeps them equal to this). It pins what would otherwise change with the Typst
# that a Quarto release bundles (Typst 0.11 with Quarto 1.6, 0.15 with 1.10), so that the PDF reads the same on
# each: the supplement of a section reference (Typst's Swedish "Kapitel" up to 0.13; Quarto's HTML says
# "Avsnitt") and the creation date (none: two renders give the same bytes). (The article's bibliography,
# whose title and style Typst would also change, is pandoc's: `citeproc: true` in _quarto.yml.) It defines `gino-notice`, the box ``notice`` sets in Typst instead of a Quarto
# callout. The running header shows only once a document has marked itself synthetic (``report_notice``),
# so real-data reports carry none, and not on the pages of a chapter of real data between
# `#gino-real-chapter.update(true)` and `(false)`; it must be set before the title block (a `set page` rule
# in the body would start a new page).
TYPST_HEADER = (
    "// Tables: long ones break across pages (a captioned table is a figure, which does not break by\n"
    "// default, so its rows would overprint the page foot); cells set ragged-right, unhyphenated and\n"
    "// a little smaller, so that columns take the width of their content and names stay whole.\n"
    "#show figure: set block(breakable: true)\n"
    "#show table: set par(justify: false)\n"
    "#show table: set text(hyphenate: false, size: 8.5pt)\n"
    "// The same words and bytes whichever Typst the Quarto release bundles (docs/report.md).\n"
    "#set document(date: none)\n"
    "#set heading(supplement: [Avsnitt])\n"
    "// A notice box (display.notice): Quarto 1.6's Typst callouts import a package Typst must download.\n"
    "#let gino-notice(colour, title, body) = block(width: 100%, breakable: false, fill: colour.lighten(92%),\n"
    "  stroke: (left: 3pt + colour), inset: 8pt, radius: 2pt, { text(weight: \"bold\", fill: colour, title); parbreak(); body })\n"
    '#let gino-synthetic = state("gino-synthetic", false)\n'
    '#let gino-real-chapter = state("gino-real-chapter", false)\n'
    '#set page(header: context if gino-synthetic.final() and not gino-real-chapter.get() { align(right, text(size: 8pt, fill: rgb("#a00000"))'
    '[SYNTETISKA ENKÄTDATA – inte GINO-studiens svar]) })\n'
)
# Quarto's callout colours (its HTML) for the kinds the documents use.
NOTICE_COLOURS = {"note": "#0758e5", "warning": "#eb9113", "important": "#cc1914"}


def notice(kind: str, title: str, body: str) -> str:
    """A notice as Markdown (print it from a cell with ``output: asis``): a Quarto callout of ``kind``
    ('note', 'warning' or 'important') titled ``title`` around the Markdown ``body``, except in Typst,
    where it is a box of the same colour (``gino-notice`` in ``TYPST_HEADER``). Quarto 1.6 makes every
    Typst callout import a Typst package that Typst downloads while compiling, so a PDF with a callout
    could not be made offline."""
    colour = NOTICE_COLOURS[kind]
    typst_title = title.replace("\\", "\\\\").replace('"', '\\"')
    return (f'::: {{.content-visible when-format="typst"}}\n'
            f'```{{=typst}}\n#gino-notice(rgb("{colour}"), "{typst_title}")[\n```\n\n{body}\n\n```{{=typst}}\n]\n```\n:::\n\n'
            f'::: {{.content-hidden when-format="typst"}}\n::: {{.callout-{kind}}}\n## {title}\n{body}\n:::\n:::\n')


def report_notice(synthetic: bool, text: str | None = None, running_header: bool = True) -> str:
    """Markdown for the top of the report (print it from a cell with ``output: asis``): a notice with
    ``text`` (the claim ``data-notice``), and for synthetic data a raw Typst block (other formats skip it)
    that switches on the running header of ``TYPST_HEADER`` on every page of the PDF (not on a one-page
    poster that starts with real data: ``running_header=False``, the notice marks its synthetic part)."""
    if not synthetic:
        return notice("note", "Verkliga enkätdata", text or REAL_NOTICE)
    header = "```{=typst}\n#gino-synthetic.update(true)\n```\n" if running_header else ""
    text = text or ("**Syntetiska data.** Enkätsiffrorna kommer från projektets syntetiska tvilling: påhittade svar, "
                    "inte GINO-studiens.")
    return f"{header}\n{notice('warning', 'Syntetiska enkätdata', text)}"


def share_ci(share, low, high, decimals: int = 0) -> str:
    """``0.71, 0.58, 0.81 -> '71 % (58–81)'``; a suppressed or missing share -> '–'."""
    if pd.isna(share):
        return SUPPRESSED
    return f"{sv_percent(share, decimals)} ({sv_number(low * 100, decimals)}–{sv_number(high * 100, decimals)})"


def swedish_text(values: pd.Series) -> pd.Series:
    """Text cells shown the Swedish way: decimal comma in numbers, 'ja'/'nej' for True/False."""
    import re

    return values.astype(str).map(lambda v: {"True": "ja", "False": "nej"}.get(v, re.sub(r"(?<=\d)\.(?=\d)", ",", v)))


def number_text(value) -> str:
    """A number held as text, shown the Swedish way (whole numbers with thousands spaces, else two
    decimals below 100 and none above); other text unchanged."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return swedish_text(pd.Series([value])).iloc[0]
    return sv_number(x, 0 if x == round(x) or abs(x) >= 100 else 2)


def count(n) -> str:
    return SUPPRESSED if pd.isna(n) else sv_number(int(n))


def p_value(p) -> str:
    """p-values the Swedish way, '< 0,001' below one in a thousand."""
    if pd.isna(p):
        return SUPPRESSED
    return "< 0,001" if p < 0.001 else sv_number(p, 3)


ALL_SUPPRESSED = ("Tabellen redovisas inte: alla dess värden för enskilda grupper avser färre svarande än "
                  "röjandegränsen och skulle bara visa tecknet för dold uppgift.")
NUMERIC_CELL = re.compile(r"^[<>≈~]?\s*[−–-]?\d(?:[\d\s,.%–−()/+-]|av|till)*$|^–$")


def _is_numeric(column: pd.Series) -> bool:
    """A column of numbers, shares or intervals ('44 % (31–58)', '< 0,001', '12 av 50'), suppressed ones allowed."""
    text = column.astype(str).str.strip()
    return bool(len(text)) and text.str.match(NUMERIC_CELL).all() and not text.eq(SUPPRESSED).all()


# About how many characters of 8.5 pt type fit across A4 with 2 cm margins, and what a cell's inset
# (6 pt each side) costs in characters. A table that fits is left to size itself to its content.
LINE_CHARACTERS = 120
CELL_INSET = 3
TEXT_COLUMN_CAP = 40  # a text column wider than this wraps rather than squeezing the others


def _longest_word(texts) -> int:
    return max((len(word) for text in texts for word in str(text).split()), default=1)


def _least_and_wanted(table: pd.DataFrame) -> tuple[list[int], list[int]]:
    """Per column, in characters: what must not break (its longest word; a number, share or interval
    whole) and its natural width (text columns counted up to ``TEXT_COLUMN_CAP``)."""
    least, wanted = [], []
    for i, name in enumerate(table.columns):
        cells = table.iloc[:, i].astype(str)
        longest_cell = int(cells.str.len().max()) if len(cells) else 1
        numeric = i > 0 and _is_numeric(table.iloc[:, i])
        must = max(_longest_word([name]), longest_cell if numeric else _longest_word(cells))
        least.append(must + CELL_INSET)
        wanted.append(max(must, longest_cell if numeric else min(longest_cell, TEXT_COLUMN_CAP)) + CELL_INSET)
    return least, wanted


def _lines(lengths: np.ndarray, widths: np.ndarray) -> float:
    """About how many lines the rows take (a cell at least one)."""
    return float(np.maximum(1, lengths / np.maximum(widths - CELL_INSET, 1)).max(axis=1).sum())


def column_widths(table: pd.DataFrame) -> list[float]:
    """Relative column widths: the columns' natural widths where they fit across the page, else what
    keeps words and numbers whole and makes the table shortest.

    Typst, left to size columns itself, squeezes the widest one hardest: a column of names becomes a
    word a line while columns of short numbers keep the width of their headings. Here every column
    first gets what must not break (``_least_and_wanted``); the room left goes, a character at a time,
    to the column where it saves the most lines (header included).
    """
    least, wanted = _least_and_wanted(table)
    if sum(wanted) <= LINE_CHARACTERS:
        widths = np.array(wanted, dtype=float)
    else:
        widths = np.array(least, dtype=float)
        shown = pd.concat([pd.DataFrame([list(table.columns)], columns=table.columns), table]).astype(str)
        lengths = shown.apply(lambda column: column.str.len()).to_numpy(dtype=float)
        for _ in range(max(0, LINE_CHARACTERS - int(widths.sum()))):
            saved = [_lines(lengths, widths) - _lines(lengths, widths + np.eye(len(widths))[i])
                     for i in range(len(widths))]
            if max(saved) <= 0:
                break
            widths[int(np.argmax(saved))] += 1
    return [float(w) / float(widths.sum()) for w in widths]


# A pipe table with a line longer than 72 characters takes the full text width, its columns in
# proportion to the dashes under the header; every table here gets such a line, so its widths are
# its content's (``column_widths``) in every format. Every character Markdown would read in a cell is
# escaped (``MARKDOWN_SPECIAL``): cells are text, never Markdown.
PANDOC_COLUMNS = 72
WIDTH_DASHES = 200
# What Markdown (with Quarto's and pandoc's extensions) reads inside a table cell: escapes, the cell
# separator, code, emphasis, brackets, raw HTML and entities, math, citations, sub- and superscript,
# attributes and shortcodes, smart quotes, and dashes or ellipses made of runs of '-' or '.'.
MARKDOWN_SPECIAL = re.compile(r"""([\\|`*_\[\]<>&$@~^{}"']|-(?=-)|\.(?=\.))""")
ESCAPED = re.compile(r"\\(.)")
CELL_SEPARATOR = re.compile(r"(?<!\\)\|")


def _cell(value) -> str:
    # Line breaks and runs of spaces become one space; no-break spaces (in numbers) stay.
    return MARKDOWN_SPECIAL.sub(r"\\\1", re.sub(r"[ \t\r\n]+", " ", str(value)).strip(" "))


def pipe_table(table: pd.DataFrame) -> str:
    """A Markdown pipe table across the text width: text columns aligned left, columns of numbers
    right, widths from ``column_widths``."""
    right = [bool(i) and _is_numeric(table.iloc[:, i]) for i in range(table.shape[1])]
    dashes = [max(3, round(w * WIDTH_DASHES)) for w in column_widths(table)]
    rule = "|" + "|".join((f"{'-' * (d - 1)}:" if r else f":{'-' * (d - 1)}") for d, r in zip(dashes, right)) + "|"

    def row(cells) -> str:
        return "| " + " | ".join(_cell(c) for c in cells) + " |"

    return "\n".join([row(table.columns), rule, *(row(values) for values in table.itertuples(index=False))])


def read_tables(text: str) -> list[tuple[list[str], list[list[str]]]]:
    """The tables ``pipe_table`` wrote into ``text``, as (header, rows) of cell texts: what a reader
    of the output sees, for checks that read documents back."""
    tables, current = [], []
    for line in [*text.splitlines(), ""]:
        if line.startswith("|") and line.rstrip().endswith("|"):
            current.append([ESCAPED.sub(r"\1", cell.strip(" ")) for cell in CELL_SEPARATOR.split(line.strip()[1:-1])])
            continue
        if len(current) >= 2:
            tables.append((current[0], current[2:]))
        current = []
    return tables


def only_totals_shown(table: pd.DataFrame) -> bool:
    """True if every value (all but the first, label column) is suppressed, or suppressed in every row
    but the regional total's: such a table tells a reader nothing beyond the total."""
    if table.shape[1] < 2 or not len(table):
        return False
    values = table.iloc[:, 1:].astype(str)
    hidden = values.isin([SUPPRESSED, ""]).all(axis=1)
    totals = table.iloc[:, 0].astype(str).isin([ALL, "Samtliga", "Totalt"])
    return bool((hidden | totals).all() and not totals.all())


def markdown_table(table: pd.DataFrame, index: bool = False, footnote: str | None = None):
    """A table as Markdown output (a pipe table, see ``pipe_table``), a real table in HTML, Typst and
    Word. Not raw HTML: for Typst, Quarto runs every raw HTML table through a CSS inliner in a process of
    its own, which cost about 25 s per render of the report. A table whose every shown value (but the
    total's) is suppressed is not published; a sentence says so instead."""
    from IPython.display import Markdown

    shown = table.reset_index() if index else table
    if only_totals_shown(shown):
        return Markdown(ALL_SUPPRESSED + "\n")
    return Markdown(pipe_table(shown) + "\n" + (f"\n{footnote}\n" if footnote else ""))


def group_order(labels) -> list[str]:
    """Municipalities alphabetically, then the merged row, then the regional total, as present."""
    present = set(labels)
    return sorted(present - {MERGED, ALL}) + [label for label in (MERGED, ALL) if label in present]
