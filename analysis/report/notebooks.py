"""Executing the notebooks with a Jupyter kernel, in memory: nothing is written back to them."""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from analysis.core import paths
from analysis.core.errors import GinoError


def notebook_paths() -> list[Path]:
    return sorted((paths.ROOT / "notebooks").glob("*.ipynb"))


def run_cells(notebook, workdir: Path, timeout: int = 600, where: Path | str = "notebook",
              env: dict[str, str] | None = None) -> None:
    """Execute ``notebook`` (an nbformat node) in place in a fresh kernel started in ``workdir`` (with
    environment ``env``, default this process's).

    The kernel talks over local IPC sockets in a temporary directory: over TCP, ipykernel >= 7 warns
    on every start that the traffic is unencrypted. A failing cell is a one-line ``GinoError``.
    """
    import nbclient
    from traitlets.config import Config

    with tempfile.TemporaryDirectory(prefix="gino-kernel-") as sockets:
        config = Config()
        config.KernelManager.transport = "ipc"
        config.KernelManager.ip = str(Path(sockets) / "kernel")
        try:
            nbclient.NotebookClient(notebook, timeout=timeout, kernel_name="python3", config=config, record_timing=False,
                                    resources={"metadata": {"path": str(workdir)}}).execute(**({"env": env} if env else {}))
        except nbclient.exceptions.CellExecutionError as exc:
            last = re.sub(r"\x1b\[[0-9;]*m", "", [line for line in str(exc).splitlines() if line.strip()][-1])
            raise GinoError(f"{where}: a cell failed: {last}") from None


def execute(path: Path, timeout: int = 600):
    """The executed notebook (outputs in memory); a failing cell is a one-line ``GinoError``."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    run_cells(nb, path.parent, timeout, where=path)
    return nb


def execute_all() -> Iterator[tuple[Path, float]]:
    for path in notebook_paths():
        started = time.perf_counter()
        execute(path)
        yield path, time.perf_counter() - started
