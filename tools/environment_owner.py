"""Check that an environment runs this clone's code: `make venv` calls it (every make target that runs Python
does) as ``VENV/bin/python -P tools/environment_owner.py CLONE VENV``.

`make venv` installs ``analysis`` in the environment as an editable package pointing at the clone that ran it.
In any other clone sharing that environment (``GINO_VENV`` exported in a shell profile, or ``make VENV=DIR``
from two clones), the commands started in the clone's root import its own ``analysis/``, but the Jupyter kernels
of the notebooks and of Quarto, which start in ``notebooks/`` or ``reports/``, import the other clone's: a report
made from two versions of the code, or ``No module named 'analysis'`` once that clone is deleted. ``-P`` keeps
the working directory and this script's folder off ``sys.path``, as in such a kernel; ``PYTHONPATH`` still counts
(the tests' and benchmarks' copies of the repository set it to the copy).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path


def imported_from() -> Path | None:
    """The directory ``import analysis`` would load outside the clone's root, or None when it would fail."""
    try:
        spec = importlib.util.find_spec("analysis")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.origin or not Path(spec.origin).is_file():
        return None
    return Path(spec.origin).resolve().parent


def main(clone: str, venv: str) -> int:
    found = imported_from()
    if found == Path(clone).resolve() / "analysis":
        return 0
    remake = "make venv" if venv == ".venv" else f"make VENV={venv} venv"
    source = f"from {found.parent}" if found else "from nowhere (not installed, or its clone is gone)"
    print(f"error: the environment {venv} imports analysis {source}, not from this clone ({clone}): it was "
          f"installed for another clone. Give each clone its own environment (make VENV=DIR ...), or reinstall "
          f"this one for this clone: rm {venv}/.installed && {remake}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
