"""No undefined name in any Python file of the repository (pyflakes): code that no test runs, such as
the benchmarks and tools, fails here rather than at its next run (the national sparsity benchmark
once stopped with a NameError that way)."""

from __future__ import annotations

import io

from pyflakes import api, messages
from pyflakes.reporter import Reporter

from conftest import ROOT

FOLDERS = ("analysis", "benchmarks", "tools", "tests")
UNDEFINED = (messages.UndefinedName, messages.UndefinedLocal, messages.UndefinedExport)


class _Collect(Reporter):
    """Keeps the undefined names and anything pyflakes could not read; ignores the rest (unused imports …)."""

    def __init__(self) -> None:
        super().__init__(io.StringIO(), io.StringIO())
        self.found: list[str] = []

    def flake(self, message) -> None:
        if isinstance(message, UNDEFINED):
            self.found.append(str(message))

    def syntaxError(self, filename, msg, lineno, offset, text) -> None:  # noqa: N802 (pyflakes' name)
        self.found.append(f"{filename}:{lineno}: {msg}")

    def unexpectedError(self, filename, msg) -> None:  # noqa: N802 (pyflakes' name)
        self.found.append(f"{filename}: {msg}")


def undefined_names(*paths: str) -> list[str]:
    collect = _Collect()
    api.checkRecursive(list(paths), collect)
    return collect.found


def test_no_undefined_names():
    assert undefined_names(*(str(ROOT / folder) for folder in FOLDERS)) == []


def test_an_undefined_name_is_found(tmp_path):
    module = tmp_path / "module.py"
    module.write_text("def f():\n    return reference_year(1)\n", encoding="utf-8")
    assert [line.split(": ", 1)[1] for line in undefined_names(str(tmp_path))] == ["undefined name 'reference_year'"]
