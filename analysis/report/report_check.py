"""Check the Quarto project without Quarto: what would render wrongly or not at all.

Quarto reports an unresolved embed, cross-reference or citation only when it renders, and it
is not installed everywhere the project is built. This module reads ``_quarto.yml``, the
documents in its ``project.render`` list (the article and the notebooks) and their
bibliographies, and reports one line per problem:

* ``_quarto.yml`` parses, names ``project.type`` and ``project.render``, every listed document
  exists, and ``lang`` is ``sv``;
* the render list and the embeds name the executed copies in ``reports/notebooks/`` that the
  pre-render step makes (``analysis/report/executed_notebooks.py``); they are checked through their sources
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

``python -m analysis.report.report_check`` prints the problems as ``error:`` lines and exits 1.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

from analysis.core import paths
from analysis.report.documents import (BIB_ENTRY, BIB_NON_ENTRIES, Document, EMBED, Location, NOTEBOOK_SUFFIX,
                                       TEXT_SUFFIXES, attribute_ids, crossref_label, read_document,
                                       references, relative)
from analysis.report.project import EXECUTED_COPIES, Project, read_project, source_of

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
                doc.problem(f"{shortcode}: {target_rel} is neither in project.render in _quarto.yml nor an executed "
                            f"copy in {EXECUTED_COPIES}, so nothing executes it and the embed would be empty", where)
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


def embedded_copies(documents: list[Document], root: Path) -> list[Path]:
    """The committed notebooks behind the executed copies these documents embed: Quarto renders each
    embedded notebook as a page of its own (its notebook view), so they are checked like documents."""
    copies = (root / EXECUTED_COPIES).resolve()
    found: list[Path] = []
    for doc in documents:
        for prose in doc.prose:
            for match in EMBED.finditer(prose.text):
                target = (doc.path.parent / match["path"]).resolve()
                source = source_of(target, root).resolve()
                if target.parent == copies and source.is_file() and source not in found:
                    found.append(source)
    return found


def check(root: Path = paths.ROOT) -> Report:
    """Every check on the project at ``root``, with counts of what was checked."""
    root = Path(root)
    project = read_project(root)
    report = Report(list(project.problems))
    rendered: dict[Path, Document] = {}
    for path in project.documents:
        if path.suffix.lower() in (NOTEBOOK_SUFFIX, *TEXT_SUFFIXES):
            rendered.setdefault(path.resolve(), read_document(path, root))
    for path in embedded_copies(list(rendered.values()), root):
        rendered.setdefault(path, read_document(path, root))
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
