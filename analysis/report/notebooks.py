"""Executing the notebooks with a Jupyter kernel, in memory: nothing is written back to them."""

from __future__ import annotations

import re
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from analysis.core import paths
from analysis.core.errors import GinoError

# Run first in a shared kernel: the previous notebook's names and figures go, its imported modules stay.
CLEAR_KERNEL = "%reset -f\nimport matplotlib.pyplot\nmatplotlib.pyplot.close('all')"


def notebook_paths() -> list[Path]:
    return sorted((paths.ROOT / "notebooks").glob("*.ipynb"))


def _kernel_config(sockets: str):
    """Kernels talk over local IPC sockets in ``sockets``: over TCP, ipykernel >= 7 warns on every start that
    the traffic is unencrypted."""
    from traitlets.config import Config

    config = Config()
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = str(Path(sockets) / "kernel")
    return config


@contextmanager
def shared_kernel(workdir: Path):
    """A kernel started in ``workdir`` in which several notebooks run one after another (``run_cells(...,
    kernel=)``), as Quarto's execution daemon keeps one kernel for the renders of one document: each run
    begins with ``%reset -f``, so only the imported modules carry over (about 3 s a document saved)."""
    from jupyter_client import AsyncKernelManager  # the kind nbclient starts for itself
    from jupyter_core.utils import run_sync

    with tempfile.TemporaryDirectory(prefix="gino-kernel-") as sockets:
        manager = AsyncKernelManager(kernel_name="python3", config=_kernel_config(sockets))
        run_sync(manager.start_kernel)(cwd=str(workdir))
        try:
            yield manager
        finally:
            run_sync(manager.shutdown_kernel)(now=True)


def run_cells(notebook, workdir: Path, timeout: int = 600, where: Path | str = "notebook",
              env: dict[str, str] | None = None, kernel=None) -> None:
    """Execute ``notebook`` (an nbformat node) in place in a fresh kernel started in ``workdir`` (with
    environment ``env``, default this process's), or in ``kernel`` (from ``shared_kernel``) after clearing
    its namespace. A failing cell is a one-line ``GinoError``.
    """
    import nbclient
    import nbformat

    if kernel is not None:
        notebook.cells.insert(0, nbformat.v4.new_code_cell(CLEAR_KERNEL))
    with tempfile.TemporaryDirectory(prefix="gino-kernel-") as sockets:
        client = nbclient.NotebookClient(notebook, timeout=timeout, kernel_name="python3", km=kernel,
                                         config=_kernel_config(sockets), record_timing=False,
                                         resources={"metadata": {"path": str(workdir)}})
        try:
            client.execute(**({"env": env} if env else {}))
        except nbclient.exceptions.CellExecutionError as exc:
            last = re.sub(r"\x1b\[[0-9;]*m", "", [line for line in str(exc).splitlines() if line.strip()][-1])
            raise GinoError(f"{where}: a cell failed: {last}") from None
        finally:
            if kernel is not None:
                notebook.cells.pop(0)
                if client.kc is not None:
                    client.kc.stop_channels()


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
