"""Check that an environment runs this clone's code. `make` runs it before it uses or replaces an environment,
from ``notebooks/`` (where a notebook's kernel starts): ``cd ./notebooks && VENV/bin/python -P
../tools/environment_owner.py VENV``.

`make venv` installs ``analysis`` in the environment as an editable package pointing at the clone that ran it.
In another clone sharing that environment (``GINO_VENV`` exported in a shell profile, or ``make VENV=DIR`` from
two clones), ``python -m analysis`` started in the clone's root (what make runs) imports its own ``analysis/``,
but the Jupyter kernels of the notebooks and of Quarto, which start in ``notebooks/`` or ``reports/``, and the
environment's ``gino`` command import the other clone's: a report made from two versions of the code, or
``No module named 'analysis'`` once that clone is gone. ``-P`` keeps this script's folder off ``sys.path``;
``PYTHONPATH`` counts, as in a kernel (the tests' and benchmarks' copies of the repository set it to the copy).
"""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

CLONE = Path(__file__).resolve().parents[1]
DOCS = 'docs/report.md, "One environment per clone"'


def imported_from() -> Path | None:
    """The directory ``import analysis`` would load here, or None when it would fail."""
    try:
        spec = importlib.util.find_spec("analysis")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not Path(spec.origin).is_file():
        return None
    return Path(spec.origin).resolve().parent


def python_path_entry(package_dir: Path) -> str | None:
    """The ``PYTHONPATH`` entry (as written; empty means the working directory) that holds ``package_dir``."""
    for entry in os.environ.get("PYTHONPATH", "").split(os.pathsep):
        if Path(entry or ".").resolve() == package_dir.parent:
            return entry
    return None


def problem(found: Path | None, venv: str) -> str | None:
    """The one-line error for ``import analysis`` loading ``found`` in this clone, or None when it is this clone's."""
    if found == CLONE / "analysis":
        return None
    remake = f"rm {venv}/.installed && " + ("make venv" if venv == ".venv" else f"make VENV={venv} venv")
    if found is None:
        return (f"error: the environment {venv} cannot import analysis (its editable install points at a clone "
                f"that was moved or deleted, or there is none): reinstall it for this clone ({CLONE}): {remake}")
    entry = python_path_entry(found)
    if entry is not None:
        return (f"error: PYTHONPATH (entry {entry!r}) makes Python import analysis from {found.parent}, not from "
                f"this clone ({CLONE}), so the notebooks' kernels would run that code: unset PYTHONPATH, or put "
                f"{CLONE} first")
    if found.parent.name in ("site-packages", "dist-packages"):
        return (f"error: the environment {venv} holds a copy of analysis installed without -e ({found}), not "
                f"this clone's code ({CLONE}): reinstall it for this clone: {remake}")
    return (f"error: the environment {venv} was installed for the clone in {found.parent} (its editable install "
            f"of analysis points there), not for this one ({CLONE}), so the notebooks' and Quarto's kernels would "
            f"run that clone's code: give each clone its own environment (make VENV=DIR ..., or GINO_VENV=DIR), "
            f"or reinstall this one for this clone: {remake} ({DOCS})")


def main(venv: str) -> int:
    message = problem(imported_from(), venv)
    if message:
        print(message, file=sys.stderr)
    return 1 if message else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
