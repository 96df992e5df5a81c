"""The documents of the Quarto project read for checking: ``.qmd`` and notebooks as prose, cells and
options with their locations, and the references, labels and identifiers in their prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

# --- Patterns ------------------------------------------------------------------------------------

# A code fence opening or closing line: up to three spaces, three or more backticks or tildes, then
# the info string (```` ```{python} ````, ```` ```yaml ````, ``~~~``).
FENCE = re.compile(r"^ {0,3}(?P<marker>`{3,}|~{3,})\s*(?P<info>.*?)\s*$")


# The info string of an executable cell: ``{python}``, ``{r echo=false}`` - a language name in
# braces, not a class (``{.python}``) or a raw block (``{=html}``).
EXECUTABLE_INFO = re.compile(r"^\{[A-Za-z][\w-]*(?:[\s,].*)?\}$")


# A cell option line at the top of a code cell: ``#| label: fig-x``.
OPTION_LINE = re.compile(r"^#\|\s?(?P<yaml>.*)$")


# A YAML front-matter block at the very start of a document or raw cell: ``---`` ... ``---``.
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<yaml>.*?)^(?:---|\.\.\.)[ \t]*$", re.MULTILINE | re.DOTALL)


# The embed shortcode: ``{{< embed ../notebooks/02-x.ipynb#fig-a,tbl-b >}}`` (the part after ``#``,
# one label or several comma-separated, is optional: without it the whole notebook is embedded).
EMBED = re.compile(r"\{\{<\s*embed\s+[\"']?(?P<path>[^\s#>\"']+)(?:#(?P<labels>[^\s>\"']+))?[\"']?[^>]*>\}\}")


# Markdown that is not prose, blanked out before references are looked for: HTML comments,
# inline code spans (any number of backticks, Quarto's `{python} expr` included), shortcodes,
# link targets ``](...)``, autolinks ``<...>`` and bare URLs.
HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


INLINE_CODE = re.compile(r"(?<!`)(?P<ticks>`+)(?!`).+?(?<!`)(?P=ticks)(?!`)", re.DOTALL)


SHORTCODE = re.compile(r"\{\{<.*?>\}\}", re.DOTALL)


LINK_TARGET = re.compile(r"\]\([^)\s]*(?:\s+\"[^\"]*\")?\)")


AUTOLINK = re.compile(r"<[A-Za-z][\w+.-]*:[^>\s]*>")


BARE_URL = re.compile(r"\b(?:https?|ftp|mailto):[^\s)\]>]+")


NOT_PROSE = (HTML_COMMENT, INLINE_CODE, SHORTCODE, LINK_TARGET, AUTOLINK, BARE_URL)


# A Pandoc citation or cross-reference: ``@key`` not preceded by a word character (so not an
# e-mail address), ``@`` or backslash. Keys are letters, digits and ``_``, with ``-:.`` allowed
# only inside (``@newcombe1998.`` at the end of a sentence is the key ``newcombe1998``).
REFERENCE = re.compile(r"(?<![\w@\\])@(?P<key>\w(?:\w|[-:.](?=\w))*)")


# Cross-reference prefixes; any other ``@key`` is a citation. ``@Fig-x`` (capitalised) refers to ``fig-x``.
CROSSREF_PREFIXES = ("fig-", "tbl-", "sec-", "eq-")


# An identifier in a Pandoc attribute block: ``# Rubrik {#sec-x}``, ``$$ ... $$ {#eq-x}``,
# ``![...](a.png){#fig-x}``, ``::: {#fig-x}``.
ATTRIBUTE_ID = re.compile(r"\{#(?P<id>[\w:.-]+)[^}]*\}")


# A BibTeX entry's key: ``@article{martilla1977,``; ``@string``, ``@comment`` and ``@preamble`` define none.
BIB_ENTRY = re.compile(r"^\s*@(?P<type>\w+)\s*\{\s*(?P<key>[^,\s]+)\s*,", re.MULTILINE)


BIB_NON_ENTRIES = {"string", "comment", "preamble"}


NOTEBOOK_SUFFIX = ".ipynb"


TEXT_SUFFIXES = (".qmd", ".md", ".rmd")


# --- Documents -----------------------------------------------------------------------------------


@dataclass
class Location:
    """Where something is: a line of a .qmd file, or a cell of a notebook."""

    line: int | None = None
    cell: int | None = None

    def __str__(self) -> str:
        return f"cell {self.cell}" if self.cell is not None else f"line {self.line}"


@dataclass
class Cell:
    """An executable code cell: where it starts and its ``#|`` options."""

    where: Location
    options: dict

    @property
    def label(self) -> str:
        return str(self.options.get("label") or "")


@dataclass
class Prose:
    """A stretch of Markdown text starting at ``start`` (in a notebook, the cell is location enough)."""

    text: str
    start: Location

    def where(self, offset: int) -> Location:
        """The location of character ``offset`` of this text."""
        if self.start.cell is not None:
            return self.start
        return Location(line=self.start.line + self.text.count("\n", 0, offset))


@dataclass
class Document:
    """A rendered document as far as the checks need it, and the problems found in it."""

    path: Path
    rel: str
    front_matter: dict = field(default_factory=dict)
    cells: list[Cell] = field(default_factory=list)
    prose: list[Prose] = field(default_factory=list)
    notebook: nbformat.NotebookNode | None = None
    problems: list[str] = field(default_factory=list)

    def problem(self, message: str, where: Location | None = None) -> None:
        self.problems.append(f"{self.rel}, {where}: {message}" if where else f"{self.rel}: {message}")

    @property
    def labels(self) -> set[str]:
        return {c.label for c in self.cells if c.label}


def relative(path: Path, root: Path) -> str:
    """``path`` as problem lines name it: relative to the project root, with forward slashes."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def parse_yaml(text: str) -> tuple[dict, str | None]:
    """A YAML mapping and None, or an empty mapping and what is wrong with it."""
    try:
        value = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        return {}, str(getattr(exc, "problem", None) or exc.__class__.__name__)
    if not isinstance(value, dict):
        return {}, "not a mapping"
    return value, None


def cell_options(source: str, doc: Document, where: Location) -> dict:
    """The ``#|`` option lines at the top of a cell, parsed as YAML as Quarto does."""
    lines = []
    for line in source.splitlines():
        match = OPTION_LINE.match(line)
        if not match:
            break
        lines.append(match["yaml"])
    options, error = parse_yaml("\n".join(lines))
    if error:
        doc.problem(f"cell options are not valid YAML ({error})", where)
    return options


def split_markdown(lines: list[str], doc: Document, first_line: int = 1, cell: int | None = None) -> None:
    """Add the prose of Markdown ``lines`` to ``doc``, and its executable code cells unless in a notebook cell."""
    prose_start, prose_lines = first_line, []

    def end_prose() -> None:
        if prose_lines:
            doc.prose.append(Prose("\n".join(prose_lines), Location(line=prose_start, cell=cell)))

    i = 0
    while i < len(lines):
        opening = FENCE.match(lines[i])
        if not opening:
            prose_lines.append(lines[i])
            i += 1
            continue
        end_prose()
        marker, start = opening["marker"], i
        closing = re.compile(rf"^ {{0,3}}{re.escape(marker[0])}{{{len(marker)},}}\s*$")
        i += 1
        while i < len(lines) and not closing.match(lines[i]):
            i += 1
        if cell is None and EXECUTABLE_INFO.match(opening["info"]):
            where = Location(line=first_line + start)
            doc.cells.append(Cell(where, cell_options("\n".join(lines[start + 1:i]), doc, where)))
        i += 1  # past the closing fence (or the end of an unclosed block)
        prose_start, prose_lines = first_line + i, []
    end_prose()


def read_text_document(path: Path, root: Path) -> Document:
    """A .qmd (or .md) document: its front matter, code cells and prose, with file line numbers."""
    doc = Document(path, relative(path, root))
    text = path.read_text(encoding="utf-8")
    first_line = 1
    front = FRONT_MATTER.match(text)
    if front:
        doc.front_matter, error = parse_yaml(front["yaml"])
        if error:
            doc.problem(f"front matter is not valid YAML ({error})", Location(line=1))
        first_line = text.count("\n", 0, front.end()) + 2
        text = text[front.end() + 1:]
    split_markdown(text.splitlines(), doc, first_line)
    add_caption_prose(doc)
    return doc


def read_notebook(path: Path, root: Path) -> Document:
    """A notebook: front matter from its first (raw) cell, code cells, and prose from Markdown cells."""
    doc = Document(path, relative(path, root))
    try:
        doc.notebook = nbformat.read(path, as_version=4)
    except Exception as exc:  # nbformat raises several unrelated types for unreadable files
        doc.problem(f"not a readable notebook ({exc.__class__.__name__}: {exc})")
        return doc
    for number, cell in enumerate(doc.notebook.cells, start=1):
        where = Location(cell=number)
        if cell.cell_type == "raw" and number == 1:
            front = FRONT_MATTER.match(cell.source + "\n")
            if front:
                doc.front_matter, error = parse_yaml(front["yaml"])
                if error:
                    doc.problem(f"front matter is not valid YAML ({error})", where)
        elif cell.cell_type == "code":
            doc.cells.append(Cell(where, cell_options(cell.source, doc, where)))
        elif cell.cell_type == "markdown":
            split_markdown(cell.source.splitlines(), doc, cell=number)
    add_caption_prose(doc)
    return doc


def add_caption_prose(doc: Document) -> None:
    """Captions are Markdown too: a reference in ``fig-cap``/``tbl-cap`` must resolve like one in the text."""
    for cell in doc.cells:
        for key in ("fig-cap", "tbl-cap"):
            if isinstance(cell.options.get(key), str):
                doc.prose.append(Prose(cell.options[key], cell.where))


def read_document(path: Path, root: Path) -> Document:
    return read_notebook(path, root) if path.suffix == NOTEBOOK_SUFFIX else read_text_document(path, root)


def blank_non_prose(text: str) -> str:
    """``text`` with code, shortcodes, comments and URLs replaced by spaces (line breaks kept)."""
    for pattern in NOT_PROSE:
        text = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    return text


def references(doc: Document) -> list[tuple[str, Location]]:
    """Every ``@key`` in the document's prose, with where it is."""
    found = []
    for prose in doc.prose:
        for match in REFERENCE.finditer(blank_non_prose(prose.text)):
            found.append((match["key"], prose.where(match.start())))
    return found


def crossref_label(key: str) -> str | None:
    """The label a ``@key`` cross-reference refers to, or None when ``@key`` is a citation."""
    label = key[:1].lower() + key[1:]
    return label if label.startswith(CROSSREF_PREFIXES) else None


def attribute_ids(doc: Document) -> set[str]:
    """Identifiers given in attribute blocks (``{#sec-x}``) in the document's prose."""
    return {m["id"] for prose in doc.prose for m in ATTRIBUTE_ID.finditer(blank_non_prose(prose.text))}
