"""A guard that keeps real survey microdata out of git.

Rules for files tracked by git (or staged for a commit):

* nothing under ``data/raw/private/``;
* spreadsheet and statistics-package files (.xlsx, .xls, .sav, .dta, .por) only under
  ``tests/fixtures/`` (small hand-made test files);
* any table whose header has a respondent-id column (as the codebooks name it) must have
  only synthetic ids, which start with ``syn-``; the twin and every test file do.

Run ``python -m analysis.survey_data.guard`` (checks ``git ls-files``) or ``--staged`` (the pre-commit
hook in ``.githooks/``); the test suite runs the same check.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from analysis.core import paths

SYNTHETIC_PREFIX = "syn-"
BINARY_SUFFIXES = (".xlsx", ".xls", ".sav", ".dta", ".por")
TABLE_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".sav")
FIXTURES = ("tests", "fixtures")


def respondent_columns() -> set[str]:
    from analysis.survey_data.codebooks import load_codebooks, normalise

    names = set()
    for codebook in load_codebooks().values():
        v = codebook.variable(codebook.identifiers["respondent"])
        names |= {normalise(a) for a in (v.name, *v.aliases)}
    return names


def repository_root(start: Path | None = None) -> Path:
    """The top of the git work tree containing ``start`` (default: the current directory)."""
    out = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=start, capture_output=True, text=True,
                         check=True).stdout
    return Path(out.strip())


def tracked_files(root: Path | None = None, staged: bool = False) -> list[Path]:
    """Files in git (or staged for the next commit) in the repository at ``root`` (default: this one)."""
    root = root or repository_root(paths.ROOT)
    args = ["git", "diff", "--cached", "--name-only", "--diff-filter=ACMR"] if staged else ["git", "ls-files"]
    out = subprocess.run(args, cwd=root, capture_output=True, text=True, check=True).stdout
    return [root / line for line in out.splitlines() if line]


def violations(files: list[Path], root: Path | None = None) -> list[str]:
    """One line per file that may hold real microdata."""
    from analysis.survey_data.codebooks import normalise
    from analysis.survey_data.export_files import read_export

    root = root or repository_root(paths.ROOT)
    id_columns = respondent_columns()
    problems = []
    for path in files:
        rel = path.relative_to(root)
        suffix = path.suffix.lower()
        if rel.parts[:3] == ("data", "raw", "private"):
            problems.append(f"{rel}: real survey data must stay in data/raw/private/, which git ignores")
            continue
        if suffix in BINARY_SUFFIXES and rel.parts[:2] != FIXTURES:
            problems.append(f"{rel}: {suffix} files are allowed in git only as test fixtures under tests/fixtures/")
            continue
        if suffix not in TABLE_SUFFIXES or not path.exists():
            continue
        try:
            cells = read_export(path).cells
        except Exception:  # unreadable or malformed test fixtures hold no respondents to check
            continue
        for column in cells.columns:
            if normalise(column) in id_columns:
                ids = cells[column].str.strip()
                real = ids[(ids != "") & ~ids.str.startswith(SYNTHETIC_PREFIX)]
                if len(real):
                    problems.append(f"{rel}, row {real.index[0]}, column {column!r}: a respondent id without the "
                                    f"'{SYNTHETIC_PREFIX}' prefix of synthetic data; real microdata must not be "
                                    "committed")
    return problems


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    root = repository_root()  # the repository the hook runs in, which may be another clone
    try:
        problems = violations(tracked_files(root, staged="--staged" in argv), root)
    except ModuleNotFoundError as missing:  # the hook ran with a Python outside the project's environment
        print(f"error: the guard against committing real survey data needs the project's environment "
              f"(no module {missing.name!r} in {sys.executable}); run 'make venv' in {root}, then commit again",
              file=sys.stderr)
        return 1
    for line in problems:
        print(f"error: {line}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
