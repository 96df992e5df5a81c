"""Executing the notebooks with a Jupyter kernel, in memory: nothing is written back to them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from analysis import paths
from analysis.errors import GinoError


def notebook_paths() -> list[Path]:
    return sorted((paths.ROOT / "notebooks").glob("*.ipynb"))


def execute(path: Path, timeout: int = 600):
    """The executed notebook (outputs in memory); a failing cell is a one-line ``GinoError``."""
    import nbclient
    import nbformat

    nb = nbformat.read(path, as_version=4)
    try:
        nbclient.NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}}).execute()
    except nbclient.exceptions.CellExecutionError as exc:
        last = [line for line in str(exc).splitlines() if line.strip()][-1]
        raise GinoError(f"{path}: a cell failed: {last}") from None
    return nb


def execute_all() -> Iterator[tuple[Path, float]]:
    for path in notebook_paths():
        started = time.perf_counter()
        execute(path)
        yield path, time.perf_counter() - started
