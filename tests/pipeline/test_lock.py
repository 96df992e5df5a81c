"""requirements.lock agrees with pyproject.toml: every requirement pinned within its range, hashed, nothing stale."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]
PROJECT_NAME = "gino-analysis (pyproject.toml)"


def locked(text: str) -> dict[str, tuple[str, int, set[str]]]:
    """Each locked package: its version, number of hashes, and what requires it (from uv's '# via' notes)."""
    packages: dict[str, tuple[str, int, set[str]]] = {}
    for block in re.split(r"\n(?=[A-Za-z0-9])", text.split("\n", 2)[2] if text.startswith("#") else text):
        head = re.match(r"([A-Za-z0-9._-]+)==([^\s;\\]+)", block)
        if not head:
            continue
        notes = [line.strip().lstrip("#").strip() for line in block.splitlines() if line.strip().startswith("#")]
        via = {note.removeprefix("via ").strip() for note in notes} - {"via", ""}
        packages[canonicalize_name(head.group(1))] = (head.group(2), block.count("--hash=sha256:"), via)
    return packages


def direct_requirements(pyproject: dict) -> list[Requirement]:
    project = pyproject["project"]
    return [Requirement(r) for r in [*project["dependencies"], *project["optional-dependencies"]["test"]]]


def disagreements(pyproject: dict, lock_text: str) -> list[str]:
    lock = locked(lock_text)
    problems = []
    wanted = set()
    for requirement in direct_requirements(pyproject):
        name = canonicalize_name(requirement.name)
        wanted.add(name)
        if name not in lock:
            problems.append(f"{requirement.name}: in pyproject.toml but not in requirements.lock")
        elif not requirement.specifier.contains(lock[name][0], prereleases=True):
            problems.append(f"{requirement.name}: pyproject.toml wants {requirement.specifier}, the lock pins {lock[name][0]}")
    for name, (version, hashes, via) in lock.items():
        if hashes == 0:
            problems.append(f"{name}=={version}: no hash in requirements.lock")
        if PROJECT_NAME in via and name not in wanted:
            problems.append(f"{name}: the lock still installs it for pyproject.toml, which no longer asks for it")
    return problems


def test_lock_agrees_with_pyproject():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    problems = disagreements(pyproject, (ROOT / "requirements.lock").read_text(encoding="utf-8"))
    assert problems == [], "run `make lock` after changing pyproject.toml:\n" + "\n".join(problems)


def test_the_agreement_check_can_fail():
    pyproject = {"project": {"dependencies": ["pandas>=3", "numpy>=1.26"], "optional-dependencies": {"test": []}}}
    lock = ("# header\n#    make lock\n"
            "pandas==2.3.3 \\\n    --hash=sha256:aa\n    # via gino-analysis (pyproject.toml)\n"
            "tabulate==0.9.0\n    # via gino-analysis (pyproject.toml)\n")
    assert disagreements(pyproject, lock) == [
        "pandas: pyproject.toml wants >=3, the lock pins 2.3.3",
        "numpy: in pyproject.toml but not in requirements.lock",
        "tabulate==0.9.0: no hash in requirements.lock",
        "tabulate: the lock still installs it for pyproject.toml, which no longer asks for it",
    ]


def test_the_lock_leaves_out_what_the_makefile_says_it_does():
    """`make lock` passes NOT_INSTALLED to uv as --no-emit-package (rfc3987-syntax costs every nbformat import 1.5 s)."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    left_out = re.search(r"^NOT_INSTALLED := (.+)$", makefile, re.MULTILINE).group(1).split()
    assert "rfc3987-syntax" in left_out
    assert "$(addprefix --no-emit-package ,$(NOT_INSTALLED))" in makefile
    lock = locked((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    assert [name for name in left_out if canonicalize_name(name) in lock] == []
