"""Running the feedback documents without Quarto, and checking what their executed tables publish.

``execute`` runs a document's code as Quarto's Jupyter engine would: the ``.qmd`` read into a
notebook, the parameter injected after the parameters cell by papermill, every cell run by a Jupyter
kernel. The documents and their render jobs are in ``analysis.report.feedback_jobs``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from analysis.core import paths
from analysis.core.errors import GinoError
from analysis.presentation.display import read_tables
from analysis.report.feedback_jobs import DOCUMENTS, Document, jobs
from analysis.report.notebooks import run_cells

# --- running a document without Quarto ------------------------------------------------------

FENCE = re.compile(r"^(?P<marker>`{3,})\{python\}\s*$")
FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.DOTALL)
OPTION = re.compile(r"^#\|\s?(?P<yaml>.*)$")


def qmd_notebook(path: Path):
    """A ``.qmd`` as the notebook Quarto's Jupyter engine runs: Markdown cells between the
    ``{python}`` code cells, each code cell with its ``#|`` options and ``tags`` as cell tags."""
    import nbformat
    import yaml

    text = FRONT_MATTER.sub("", path.read_text(encoding="utf-8"), count=1)
    cells, markdown, lines = [], [], iter(text.splitlines())
    for line in lines:
        opening = FENCE.match(line)
        if not opening:
            markdown.append(line)
            continue
        if "".join(markdown).strip():
            cells.append(nbformat.v4.new_markdown_cell("\n".join(markdown).strip(), metadata={"tags": []}))
        markdown, source = [], []
        for code_line in lines:
            if code_line.strip() == opening["marker"]:
                break
            source.append(code_line)
        options = yaml.safe_load("\n".join(m["yaml"] for m in map(OPTION.match, source) if m)) or {}
        cell = nbformat.v4.new_code_cell("\n".join(source))
        cell.metadata["tags"] = list(options.get("tags") or [])  # papermill reads every cell's tags
        cells.append(cell)
    if "".join(markdown).strip():
        cells.append(nbformat.v4.new_markdown_cell("\n".join(markdown).strip(), metadata={"tags": []}))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["papermill"] = {}  # where papermill records the parameters it injects
    return nb


def execute(document: Document, kommun: str | None, timeout: int = 600, kernel=None):
    """The executed notebook of ``document`` for ``kommun`` (None: the region), in memory.

    The parameter is injected as ``quarto render -P kommun:<code>`` does: papermill adds a cell after
    the one tagged ``parameters``; Quarto hands papermill the value parsed as YAML, so a code arrives
    as a number, and the documents must accept that. A failing cell is a one-line ``GinoError``.
    """
    from papermill.parameterize import parameterize_notebook

    nb = qmd_notebook(document.path)
    if kommun is not None:
        nb = parameterize_notebook(nb, {"kommun": int(kommun)}, kernel_name="python3", language="python")
    who = f"kommun {kommun}" if kommun else "the region"
    run_cells(nb, document.path.parent, timeout, where=f"{document.path.relative_to(paths.ROOT)} for {who}", kernel=kernel)
    return nb


def cell_outputs(nb, label: str) -> list[dict]:
    """The outputs of the code cell whose ``#| label:`` is ``label``."""
    for cell in nb.cells:
        if cell.cell_type == "code" and re.search(rf"^#\|\s*label:\s*{re.escape(label)}\s*$", cell.source, re.MULTILINE):
            return cell.outputs
    raise KeyError(f"no cell labelled {label}")


# --- what an executed document publishes ---------------------------------------------------

SHARE_CELL = re.compile(r"^(?P<share>\d+)\s?% \([^)]*\), n = (?P<n>[\d\s]+)$")
COUNT_CELL = re.compile(r"^\d+\s?% \((?P<k>[\d\s]+) av (?P<n>[\d\s]+)\)$")


def markdown_tables(nb) -> list[tuple[str, list[str], list[list[str]]]]:
    """Every Markdown table a document outputs: the cell's label, the header and the rows."""
    tables = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        label = re.search(r"^#\|\s*label:\s*(\S+)", cell.source, re.MULTILINE)
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/markdown", "")
            for header, rows in read_tables(text):
                tables.append((label[1] if label else "?", header, rows))
    return tables


def _is_figure(cell: str) -> bool:
    """A cell that prints a figure ('71 % (58–81), n = 14' or '55 % (11 av 20)'), not a reason."""
    return bool(COUNT_CELL.match(cell) or SHARE_CELL.match(cell))


def plan_problems(nb, stem: str, kommun: str | None, name: str, plan, where: str) -> list[str]:
    """What a document printed that the disclosure audit did not see: a table not in ``ledger.TABLES``, or
    more of the municipality's own figures than the plan shows (counted in its own columns: a header naming
    it, or "Kommunen"); read from the output alone."""
    from analysis.report.registry import TABLES

    problems = []
    expected = {"tbl-kommun-brukare": sum(plan.shown(f"client_survey_{y}", v, kommun)
                                          for y in (2018, 2019) for v in plan.indicators.get(f"client_survey_{y}", {})),
                "tbl-kommun-klimat": sum(plan.shown("innovation_climate_2017", v, kommun) for v in plan.climate),
                "tbl-kommun-resor": 2 * sum(plan.shown("client_survey_2018", v, kommun) for v in plan.categories),
                "tbl-kommun-skillnad": sum(plan.shown(f"client_survey_{y}", v, kommun)
                                           for y in (2018, 2019) for v in plan.indicators.get(f"client_survey_{y}", {})),
                "bildspel-resor": 2 * sum(plan.shown("client_survey_2018", v, kommun) for v in plan.categories)}
    for label, header, rows in markdown_tables(nb):
        if label not in TABLES.get(stem, {}):
            problems.append(f"{where}: table {label} is published but the disclosure audit has not registered it "
                            "(add it to analysis.report.registry.TABLES and its facts to the ledger)")
            continue
        if kommun is None or label not in expected:
            continue
        own = [i for i, h in enumerate(header) if name in h or h == "Kommunen"]
        shown = sum(_is_figure(row[i]) for row in rows for i in own if i < len(row))
        if shown > expected[label]:
            problems.append(f"{where}: table {label} shows {shown} of {name}'s own figures; the disclosure plan "
                            f"shows {expected[label]}")
    return problems


# --- every document for every municipality --------------------------------------------------

@dataclass(frozen=True)
class Executed:
    """What one executed document published, kept small enough to pass between processes."""

    stem: str
    kommun: str | None
    name: str
    seconds: float
    tables: list[tuple[str, list[str], list[list[str]]]]
    markdown: list[str]
    problems: list[str]


def execute_and_check(stem: str, kommun: str | None, name: str, threshold: int, kernel=None) -> Executed:
    """Execute one document for one municipality (or the region), in a kernel of its own or in ``kernel``
    (``notebooks.shared_kernel``), and read its tables back for the disclosure check (``plan_problems``);
    a failing cell is a problem line, not an exception."""
    import time

    document = next(d for d in DOCUMENTS if d.stem == stem)
    where = f"{document.path.relative_to(paths.ROOT)} for {name}"
    started = time.perf_counter()
    try:
        nb = execute(document, kommun, kernel=kernel)
    except GinoError as exc:
        return Executed(stem, kommun, name, time.perf_counter() - started, [], [], [str(exc)])
    markdown = [o["data"]["text/markdown"] for c in nb.cells if c.cell_type == "code"
                for o in c.get("outputs", []) if "text/markdown" in o.get("data", {})]
    markdown += [o["text"] for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
                 if o.get("output_type") == "stream" and o.get("name") == "stdout"]
    from analysis.report import processed

    problems = plan_problems(nb, stem, kommun, name, processed.disclosure_plan(), where)
    problems += [f"{where}: a cell wrote to stderr: {o['text'].strip().splitlines()[-1]}" for c in nb.cells
                 if c.cell_type == "code" for o in c.get("outputs", [])
                 if o.get("output_type") == "stream" and o.get("name") == "stderr" and o["text"].strip()]
    return Executed(stem, kommun, name, time.perf_counter() - started, markdown_tables(nb), markdown, problems)


def execute_in_one_kernel(stem: str, targets: list[tuple[str | None, str]], threshold: int) -> list[Executed]:
    """``execute_and_check`` of one document for each (kommun, name) of ``targets``, one after another in one
    kernel, as Quarto's daemon renders them (namespace cleared between them, imports kept)."""
    from analysis.report.notebooks import shared_kernel

    document = next(d for d in DOCUMENTS if d.stem == stem)
    with shared_kernel(document.path.parent) as kernel:
        return [execute_and_check(stem, kommun, name, threshold, kernel=kernel) for kommun, name in targets]


def execute_all(workers: int = 2):
    """Execute every document for every municipality (and the region where it applies), ``workers``
    processes at a time, each running its share of one document's municipalities in one kernel; yields an
    ``Executed`` per document, a process's share at a time."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    from analysis.core.disclosure import THRESHOLD

    workers, every_job = max(1, workers), jobs()
    shares = []
    for document in DOCUMENTS:
        targets = sorted({(job.kommun, job.name) for job in every_job if job.document.stem == document.stem},
                         key=lambda t: t[0] or "")
        shares += [(document.stem, targets[i::workers]) for i in range(workers) if targets[i::workers]]
    context = multiprocessing.get_context("spawn")  # a clean interpreter per worker, whatever the caller imported
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = [pool.submit(execute_in_one_kernel, stem, targets, THRESHOLD) for stem, targets in shares]
        for future in as_completed(futures):
            yield from future.result()
