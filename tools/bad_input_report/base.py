"""What every bad-input case is made of: the case, its outcome, the directory and server it may use, and the
helpers the case tables share. The test modules are imported by name (``import test_bad_inputs``), as
pytest's default import mode makes them; in a pytest run the modules already imported are reused."""

from __future__ import annotations

import contextlib
import difflib
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for _path in (ROOT, ROOT / "tests", *sorted(p for p in (ROOT / "tests").iterdir()
                                           if p.is_dir() and p.name not in ("fixtures", "__pycache__"))):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

REPORT = ROOT / "docs" / "bad-inputs.md"
ENVIRONMENT = ("GINO_DATA_DIR", "GINO_CONFIG_DIR", "GINO_MIRROR")


@dataclass(frozen=True)
class BadInput:
    category: str
    case: str  # a short name
    input: str  # what is wrong with the input, as a user would describe the file
    run: Callable[[Context], object]  # builds the input in ``ctx.dir`` and calls the reader
    tested: bool = True  # False: the reader has the check but no test tries the input yet


@dataclass(frozen=True)
class Outcome:
    case: BadInput
    error: str  # the exception's class name; "" when nothing was raised
    gino: bool  # a GinoError (shown as message lines, not a traceback)
    problems: tuple[str, ...]  # one entry per problem, as the command line prints them (normalised)
    one_line: bool  # every problem is a single line, and str(error) is the problems joined by newlines

    @property
    def ok(self) -> bool:
        return self.gino and self.one_line and bool(self.problems)


class Context:
    """What a case may use: its own empty directory and a shared local HTTP server."""

    def __init__(self, directory: Path, servers: dict) -> None:
        self.dir = directory
        self._servers = servers
        self._cleared = False

    @property
    def server(self):
        """A pytest-httpserver ``HTTPServer``, started on first use, without the previous case's expectations."""
        if "http" not in self._servers:
            from pytest_httpserver import HTTPServer

            server = HTTPServer()
            server.start()
            self._servers["http"] = server
        server = self._servers["http"]
        if not self._cleared:
            server.clear()
            self._cleared = True
        return server


def params_of(test: Callable) -> list[tuple[str, dict]]:
    """``(id, arguments)`` for each entry of a test's ``@pytest.mark.parametrize`` table."""
    (mark,) = [m for m in getattr(test, "pytestmark", []) if m.name == "parametrize"]
    names, values = mark.args[0], mark.args[1]
    names = [n.strip() for n in names.split(",")] if isinstance(names, str) else list(names)
    ids = mark.kwargs.get("ids")
    out = []
    for i, value in enumerate(values):
        pid = None
        if hasattr(value, "marks") and hasattr(value, "values"):  # pytest.param(...)
            pid, value = value.id, value.values
        elif len(names) == 1:
            value = (value,)
        out.append((ids[i] if ids else pid or str(i + 1), dict(zip(names, value))))
    return out


def edit_of(before: str, after: str) -> str:
    """The changed lines of a text edit, as ``old → new``."""
    old, new = before.splitlines(), after.splitlines()
    removed, added = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, old, new).get_opcodes():
        if tag != "equal":
            removed += old[i1:i2]
            added += new[j1:j2]
    show = lambda lines: f"`{' / '.join(line.strip() for line in lines)}`" if lines else "nothing"  # noqa: E731
    return f"{show(removed)} → {show(added)}"


@contextlib.contextmanager
def environment(**values: str) -> Iterator[None]:
    before = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def copy_data(directory: Path) -> Path:
    from conftest import copy_committed_data

    return copy_committed_data(directory / "data")


