"""Executed copies of the notebooks, made once per change, for Quarto to render and embed.

Quarto embeds outputs from the ``.ipynb`` file itself and executes an ``.ipynb`` only when told to,
once per output format. The notebooks are committed without outputs, so before each render this
step executes every notebook whose inputs changed into ``reports/notebooks/`` (git-ignored), with
Quarto's execution switched off in the copy: the article embeds the copies (and Quarto renders each as
its notebook view), so each notebook runs at most once per render whatever the number of formats,
and the tracked notebooks are never written to.

A copy is current when its notebook, the code and configuration it may call (``analysis/``,
``config/``, the published figures and codebooks) and every processed file it read last time are
unchanged. Which processed files a notebook reads is recorded while it runs: ``paths.processed``
logs each name to the file named by ``GINO_READ_LOG``, which the kernel inherits. A change to one
processed file therefore re-executes only the notebooks that read it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from analysis.core import files, paths
from analysis.report.notebooks import run_cells

SOURCE_DIR = paths.ROOT / "notebooks"
EXECUTED_DIR = paths.ROOT / "reports" / "notebooks"
READ_LOG_VARIABLE = "GINO_READ_LOG"
# Inputs every notebook may depend on besides the processed files it reads.
SHARED_INPUTS = ("analysis/**/*.py",)  # and the configuration in paths.config_dir()
SHARED_DATA_INPUTS = ("published/*", "codebooks/*")
FRONT_MATTER_EXECUTE = re.compile(r"^(execute:\s*\n\s+enabled:\s*)true\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Execution:
    source: Path
    executed: Path
    seconds: float | None  # None: the copy was current and was kept


def source_notebooks() -> list[Path]:
    return sorted(SOURCE_DIR.glob("[0-9]*.ipynb"))


def executed_path(source: Path, executed_dir: Path = EXECUTED_DIR) -> Path:
    return executed_dir / source.name


def _stamp_path(executed: Path) -> Path:
    return executed.with_name(f".{executed.stem}.inputs.json")


def shared_fingerprint(root: Path = paths.ROOT, data_dir: Path | None = None) -> str:
    """sha256 over the analysis code, the configuration, the published figures and the codebooks."""
    data_dir = paths.data_dir() if data_dir is None else data_dir
    named = {p.relative_to(root).as_posix(): p for pattern in SHARED_INPUTS for p in root.glob(pattern)}
    named |= {f"config/{p.name}": p for p in paths.config_dir().glob("*.yaml")}
    named |= {f"data/raw/{p.relative_to(data_dir / 'raw').as_posix()}": p
              for pattern in SHARED_DATA_INPUTS for p in (data_dir / "raw").glob(pattern)}
    digest = hashlib.sha256()
    for name, path in sorted(named.items()):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(f"{name}\0{files.sha256_file(path)}\n".encode())
    return digest.hexdigest()


def _processed_hashes(names: list[str]) -> dict[str, str | None]:
    return {name: files.sha256_file(p) if (p := paths.processed(name)).is_file() else None for name in sorted(names)}


def is_current(source: Path, executed: Path, shared: str) -> bool:
    """True if ``executed`` was made from this notebook, code and configuration, and the same processed files."""
    stamp = _stamp_path(executed)
    if not executed.is_file() or not stamp.is_file():
        return False
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
        return (recorded["notebook"] == files.sha256_file(source) and recorded["shared"] == shared
                and recorded["reads"] == _processed_hashes(list(recorded["reads"])))
    except (ValueError, KeyError, TypeError):
        return False  # a damaged stamp vouches for nothing


def _without_quarto_execution(notebook) -> None:
    """The copy's front matter switches Quarto's execution off: its outputs are already there, and
    Quarto renders it only as the notebook view of the article that embeds it."""
    first = notebook.cells[0] if notebook.cells else None
    if first is not None and first.cell_type == "raw":
        first.source = FRONT_MATTER_EXECUTE.sub(r"\g<1>false", first.source)


def execute_notebook(source: Path, executed: Path, shared: str, timeout: int = 600) -> None:
    """Execute ``source`` in a fresh kernel and write the executed copy and its input stamp (atomically);
    ``shared`` is the fingerprint of code and configuration taken before the execution began."""
    import nbformat

    notebook_hash = files.sha256_file(source)
    notebook = nbformat.read(source, as_version=4)
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "reads.txt"
        log.touch()
        run_cells(notebook, source.parent, timeout, where=source, env={**os.environ, READ_LOG_VARIABLE: str(log)})
        reads = sorted(set(log.read_text(encoding="utf-8").split()))
    _without_quarto_execution(notebook)
    files.write_text(executed, nbformat.writes(notebook) + "\n")
    files.write_json(_stamp_path(executed), {"notebook": notebook_hash, "shared": shared,
                                             "reads": _processed_hashes(reads)})


def execute_stale(executed_dir: Path = EXECUTED_DIR, notebooks: list[Path] | None = None,
                  workers: int = 2) -> Iterator[Execution]:
    """Execute the notebooks whose copies are not current, ``workers`` kernels at a time; yield one
    ``Execution`` per notebook as each is done (kept ones first).

    Copies of notebooks that no longer exist are removed, so Quarto never renders a stale one.
    """
    from concurrent.futures import ThreadPoolExecutor, as_completed

    notebooks = source_notebooks() if notebooks is None else notebooks
    shared = shared_fingerprint()
    for orphan in set(executed_dir.glob("*.ipynb")) - {executed_path(s, executed_dir) for s in notebooks}:
        orphan.unlink()
        _stamp_path(orphan).unlink(missing_ok=True)
    stale = []
    for source in notebooks:
        if is_current(source, executed_path(source, executed_dir), shared):
            yield Execution(source, executed_path(source, executed_dir), None)
        else:
            stale.append(source)

    def run(source: Path) -> Execution:
        started = time.perf_counter()
        execute_notebook(source, executed_path(source, executed_dir), shared)
        return Execution(source, executed_path(source, executed_dir), time.perf_counter() - started)

    # Threads suffice: each notebook runs in its own kernel process.
    with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
        for future in as_completed([pool.submit(run, source) for source in stale]):
            yield future.result()


def report_progress(print_line: Callable[[str], None]) -> list[Execution]:
    """``execute_stale`` with one line per notebook executed and one for those kept; the list of executions."""
    done = []
    for execution in execute_stale():
        if execution.seconds is not None:
            print_line(f"  executed    {execution.source.relative_to(paths.ROOT)} ({execution.seconds:.1f} s)")
        done.append(execution)
    kept = [e.source.stem for e in done if e.seconds is None]
    if kept:
        print_line(f"  kept        {len(kept)} executed notebook{'s' if len(kept) > 1 else ''} still current "
                   f"({', '.join(kept)})" if len(kept) < len(done) else
                   f"  kept        all {len(kept)} executed notebooks (still current)")
    return done
