"""Check the Quarto project without Quarto: what would render wrongly or not at all.

Quarto reports an unresolved embed, cross-reference or citation only when it renders, and it
is not installed everywhere the project is built. This module reads ``_quarto.yml``, the
documents in its ``project.render`` list (the article and the notebooks) and their
bibliographies, and reports one line per problem:

* ``_quarto.yml`` parses, names ``project.type`` and ``project.render``, every listed document
  exists, and ``lang`` is ``sv``;
* the render list and the embeds name the executed copies in ``reports/notebooks/`` that the
  pre-render step makes (``analysis/executed_notebooks.py``); they are checked through their sources
  in ``notebooks/``, which exist before any render;
* every notebook starts with front matter setting ``execute: enabled: true`` (so that rendering
  one on its own executes it) and is committed without outputs;
* every ``{{< embed >}}`` points to a notebook in the render list, and every embedded label is
  a cell label there;
* every ``@fig-``/``@tbl-``/``@sec-``/``@eq-`` cross-reference resolves within its document
  (embedding a labelled cell brings its label into the embedding document);
* every citation key is in the document's bibliography, which must exist;
* every ``fig-`` cell has ``fig-cap`` and ``fig-alt``, every ``tbl-`` cell ``tbl-cap``, and no
  label is defined twice in a document.

Only Markdown prose is scanned for references: code cells, fenced code, inline code,
shortcodes, HTML comments and URLs are blanked out first, so ``user@example.org`` in code or
`` `@fig-x` `` in inline code is not taken for a reference.

``python -m analysis.report_check`` prints the problems as ``error:`` lines and exits 1.
"""

from __future__ import annotations

import glob
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from analysis import paths

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


# --- The project file ----------------------------------------------------------------------------


@dataclass
class Project:
    config: dict
    documents: list[Path]
    problems: list[str]


# The pre-render step executes notebooks/X.ipynb into reports/notebooks/X.ipynb, which Quarto renders
# and embeds; the checks read the source, which exists before any render.
EXECUTED_COPIES, SOURCES = "reports/notebooks/", "notebooks/"


def source_of(path: Path, root: Path) -> Path:
    """The committed notebook behind an executed copy's path; any other path unchanged."""
    executed = (root / EXECUTED_COPIES).resolve()
    resolved = path.resolve()
    return root / SOURCES / resolved.name if resolved.parent == executed else path


def render_list(root: Path, entries: list, problems: list[str]) -> list[Path]:
    """The documents ``project.render`` names (globs expanded, ``!`` entries excluded), in order;
    executed notebook copies are named by their sources."""
    documents: list[Path] = []
    for entry in entries:
        entry = str(entry)
        if entry.startswith(EXECUTED_COPIES):
            entry = SOURCES + entry[len(EXECUTED_COPIES):]
        if entry.startswith("!"):
            excluded = {p.resolve() for p in map(Path, glob.glob(str(root / entry[1:]), recursive=True))}
            documents = [d for d in documents if d.resolve() not in excluded]
        elif glob.has_magic(entry):
            matches = sorted(Path(p) for p in glob.glob(str(root / entry), recursive=True))
            if not matches:
                problems.append(f"_quarto.yml: project.render pattern {entry} matches no file")
            documents += matches
        elif not (root / entry).is_file():
            problems.append(f"_quarto.yml: project.render names {entry}, which does not exist")
        else:
            documents.append(root / entry)
    return documents


def read_project(root: Path) -> Project:
    """``_quarto.yml`` and the documents it renders, with what is wrong with it."""
    problems: list[str] = []
    path = root / "_quarto.yml"
    if not path.is_file():
        return Project({}, [], ["_quarto.yml: no such file; this is not a Quarto project"])
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        return Project({}, [], [f"_quarto.yml{where}: not valid YAML ({getattr(exc, 'problem', None) or exc})"])
    if not isinstance(config, dict):
        return Project({}, [], ["_quarto.yml: not a YAML mapping"])
    project = config.get("project") if isinstance(config.get("project"), dict) else {}
    if not project.get("type"):
        problems.append("_quarto.yml: project.type is missing")
    entries = project.get("render")
    if not isinstance(entries, list) or not entries:
        problems.append("_quarto.yml: project.render is missing or empty (it lists the documents to render)")
        entries = []
    if config.get("lang") != "sv":
        problems.append(f"_quarto.yml: lang is {config.get('lang')!r}, expected 'sv' (the report is in Swedish)")
    return Project(config, render_list(root, entries, problems), problems)


# --- Checks --------------------------------------------------------------------------------------


def check_notebook_is_executed_and_clean(doc: Document) -> None:
    """Front matter with ``execute: enabled: true``, and no outputs or execution counts."""
    if doc.notebook is None:
        return
    execute = doc.front_matter.get("execute")
    if not (isinstance(execute, dict) and execute.get("enabled") is True):
        doc.problem("the first cell must be raw front matter setting 'execute: enabled: true' "
                    "(so that rendering the notebook on its own executes it)")
    with_outputs = [str(n) for n, c in enumerate(doc.notebook.cells, start=1)
                    if c.cell_type == "code" and (c.get("outputs") or c.get("execution_count") is not None)]
    if with_outputs:
        doc.problem(f"committed with outputs (cells {', '.join(with_outputs)}); clear them before committing")


def check_cell_options(doc: Document) -> None:
    """Captions and alt text on figure and table cells, and labels defined once."""
    first_seen: dict[str, Location] = {}
    for cell in doc.cells:
        label = cell.label
        if not label:
            continue
        if label.startswith("fig-"):
            missing = [k for k in ("fig-cap", "fig-alt") if not str(cell.options.get(k) or "").strip()]
            if missing:
                doc.problem(f"figure cell '{label}' has no {' or '.join(missing)}", cell.where)
        if label.startswith("tbl-") and not str(cell.options.get("tbl-cap") or "").strip():
            doc.problem(f"table cell '{label}' has no tbl-cap", cell.where)
        if label in first_seen:
            doc.problem(f"label '{label}' is already defined ({first_seen[label]})", cell.where)
        else:
            first_seen[label] = cell.where


def check_embeds(doc: Document, root: Path, rendered: dict[Path, Document]) -> tuple[set[str], int]:
    """Embeds of rendered notebooks' labelled cells; returns the labels they bring in and their number."""
    brought_in: set[str] = set()
    count = 0
    for prose in doc.prose:
        for match in EMBED.finditer(prose.text):
            count += 1
            where = prose.where(match.start())
            shortcode = f"embed {match['path']}" + (f"#{match['labels']}" if match["labels"] else "")
            target_path = source_of(doc.path.parent / match["path"], root).resolve()
            target_rel = relative(target_path, root)
            if not target_path.is_file():
                doc.problem(f"{shortcode}: {target_rel} does not exist", where)
                continue
            target = rendered.get(target_path)
            if target is None:
                doc.problem(f"{shortcode}: {target_rel} is not in project.render in _quarto.yml, "
                            "so Quarto does not execute it and the embed would be empty", where)
                continue
            labels = [x.strip() for x in (match["labels"] or "").split(",") if x.strip()]
            for label in labels or sorted(target.labels):
                if label in target.labels:
                    if label in brought_in or label in doc.labels:
                        doc.problem(f"{shortcode}: label '{label}' is already defined in this document", where)
                    brought_in.add(label)
                else:
                    doc.problem(f"{shortcode}: no cell labelled '{label}' in {target_rel}", where)
    return brought_in, count


def check_cross_references(doc: Document, embedded: set[str]) -> int:
    """``@fig-``/``@tbl-``/``@sec-``/``@eq-`` references resolve within the document; returns their number."""
    cells = doc.labels | embedded
    ids = attribute_ids(doc)
    count = 0
    for key, where in references(doc):
        label = crossref_label(key)
        if label is None:
            continue
        count += 1
        if label.startswith("sec-"):
            if label not in ids:
                doc.problem(f"@{key}: no heading with id {{#{label}}} in this document", where)
        elif label.startswith("eq-"):
            if label not in ids:
                doc.problem(f"@{key}: no equation with id {{#{label}}} in this document", where)
        elif label not in cells and label not in ids:
            doc.problem(f"@{key}: no cell labelled '{label}' in this document, nor embedded into it", where)
    return count


def bibliography_files(doc: Document, project: Project, root: Path) -> list[Path]:
    """The document's bibliography files (relative to it), else the project's (relative to the root)."""
    value, base = doc.front_matter.get("bibliography"), doc.path.parent
    if not value:
        value, base = project.config.get("bibliography"), root
    if not value:
        return []
    return [base / str(name) for name in (value if isinstance(value, list) else [value])]


def bibliography_keys(files: list[Path], doc: Document, root: Path) -> set[str]:
    keys: set[str] = set()
    for path in files:
        if not path.is_file():
            doc.problem(f"bibliography {relative(path, root)} does not exist")
            continue
        text = path.read_text(encoding="utf-8")
        keys |= {m["key"] for m in BIB_ENTRY.finditer(text) if m["type"].lower() not in BIB_NON_ENTRIES}
    return keys


def check_citations(doc: Document, project: Project, root: Path) -> int:
    """Every cited key is in the bibliography, which exists; returns the number of citations."""
    citations = [(key, where) for key, where in references(doc) if crossref_label(key) is None]
    files = bibliography_files(doc, project, root)
    keys = bibliography_keys(files, doc, root)
    if citations and not files:
        key, where = citations[0]
        doc.problem(f"@{key} is cited but the document names no bibliography", where)
        return len(citations)
    if any(not f.is_file() for f in files):
        return len(citations)  # reported above; every key would be unknown
    names = " / ".join(relative(f, root) for f in files)
    for key, where in citations:
        if key not in keys:
            doc.problem(f"citation @{key} is not in {names}", where)
    return len(citations)


# --- The whole project ---------------------------------------------------------------------------


@dataclass
class Report:
    problems: list[str]
    documents: int = 0
    embeds: int = 0
    cross_references: int = 0
    citations: int = 0

    def summary(self) -> str:
        return (f"report check: {self.documents} documents, {self.embeds} embeds, "
                f"{self.cross_references} cross-references, {self.citations} citations: all resolve")


def check(root: Path = paths.ROOT) -> Report:
    """Every check on the project at ``root``, with counts of what was checked."""
    root = Path(root)
    project = read_project(root)
    report = Report(list(project.problems))
    rendered: dict[Path, Document] = {}
    for path in project.documents:
        if path.suffix.lower() in (NOTEBOOK_SUFFIX, *TEXT_SUFFIXES):
            rendered.setdefault(path.resolve(), read_document(path, root))
    for doc in rendered.values():
        report.documents += 1
        check_notebook_is_executed_and_clean(doc)
        check_cell_options(doc)
        embedded, embeds = check_embeds(doc, root, rendered)
        report.embeds += embeds
        report.cross_references += check_cross_references(doc, embedded)
        report.citations += check_citations(doc, project, root)
        report.problems += doc.problems
    return report


def check_documents(documents: list[Path], root: Path = paths.ROOT) -> Report:
    """The checks for documents rendered one at a time outside ``project.render`` (the parameterised
    feedback documents): cell options, cross-references and citations; they may embed nothing."""
    project = read_project(root)
    report = Report([])
    for path in documents:
        doc = read_document(path, root)
        report.documents += 1
        check_cell_options(doc)
        embedded, embeds = check_embeds(doc, root, {})
        report.embeds += embeds
        report.cross_references += check_cross_references(doc, embedded)
        report.citations += check_citations(doc, project, root)
        report.problems += doc.problems
    return report


def check_project(root: Path = paths.ROOT) -> list[str]:
    """One line per problem in the Quarto project at ``root``; empty when it would render cleanly."""
    return check(root).problems


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    report = check(Path(argv[0]) if argv else paths.ROOT)
    for line in report.problems:
        print(f"error: {line}", file=sys.stderr)
    if report.problems:
        return 1
    print(report.summary())
    return 0


if __name__ == "__main__":
    sys.exit(main())
