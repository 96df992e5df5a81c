"""User-facing errors: one line naming the file, row, column and what was expected."""

from __future__ import annotations

from pathlib import Path


class GinoError(Exception):
    """An error caused by the user's input or environment, shown as one line without a traceback."""


class InputError(GinoError):
    """A malformed input file. ``str()`` gives ``file: row R, column C: value V; expected E``."""

    def __init__(
        self,
        file: str | Path,
        expected: str,
        *,
        row: int | None = None,
        column: str | None = None,
        value: object = None,
        key: str | None = None,
    ) -> None:
        self.file, self.row, self.column, self.value, self.expected = file, row, column, value, expected
        super().__init__(format_problem(file, expected, row=row, column=column, value=value, key=key))


def format_problem(
    file: str | Path,
    expected: str,
    *,
    row: int | None = None,
    column: str | None = None,
    value: object = None,
    key: str | None = None,
) -> str:
    """One line describing one problem in one input file.

    ``row`` is the 1-based line number in the file as a user sees it in an editor
    (the header is line 1), so the first data row of a CSV is row 2. ``key`` is the dotted
    path of a key in a YAML file (``regions.gino.kommuner``).
    """
    where = [str(display_path(file))]
    if row is not None:
        where.append(f"row {row}")
    if column is not None:
        where.append(f"column {column!r}")
    if key is not None:
        where.append(f"key {key!r}")
    got = "" if value is None else f"value {_shown(value)}; "
    return f"{', '.join(where)}: {got}expected {expected}"


class ManyInputErrors(GinoError):
    """Several problems found at once; ``str()`` lists every one, one per line."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def display_path(path: str | Path) -> str:
    """The path relative to the working directory when it lies below it, else as given."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


def _shown(value: object, limit: int = 80) -> str:
    """A value as a message shows it: its repr, cut short so one huge cell cannot flood the terminal."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
