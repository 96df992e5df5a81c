"""The README and the pages under docs/: short README, no dead links, no orphan page, CI runs the README's test command."""

from __future__ import annotations

import re
import sys
import unicodedata
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
DOC_FILES = [README, ROOT / "DATA-LICENSES.md", ROOT / "benchmarks" / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
README_MAX_LINES = 200

LINK = re.compile(r"(?<!!)\[[^\]\n]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)
INLINE_CODE = re.compile(r"`[^`\n]*`")


def prose(text: str) -> str:
    """The text without code blocks and inline code, where brackets are not links."""
    return INLINE_CODE.sub("", FENCE.sub("", text))


def heading_slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[`*_]", "", heading.strip().lower())
    text = "".join(ch for ch in text if ch in " -" or unicodedata.category(ch)[0] in "LN")
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    headings = re.findall(r"^#{1,6} (.+)$", FENCE.sub("", path.read_text(encoding="utf-8")), re.M)
    return {heading_slug(h) for h in headings}


def links(path: Path) -> list[str]:
    return LINK.findall(prose(path.read_text(encoding="utf-8")))


def dead_links(path: Path) -> list[str]:
    dead = []
    for target in links(path):
        if re.match(r"[a-z]+:", target):  # https:, mailto: — not checked offline
            continue
        file_part, _, anchor = target.partition("#")
        linked = (path.parent / file_part).resolve() if file_part else path
        if not linked.exists():
            dead.append(f"{path.relative_to(ROOT)}: {target} (no such file)")
        elif anchor and linked.suffix == ".md" and anchor not in anchors(linked):
            dead.append(f"{path.relative_to(ROOT)}: {target} (no heading with that anchor)")
    return dead


def test_readme_is_short():
    lines = README.read_text(encoding="utf-8").count("\n")
    assert lines <= README_MAX_LINES, f"README.md has {lines} lines; keep it to {README_MAX_LINES} and move detail to docs/"


@pytest.mark.parametrize("path", DOC_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_dead_links(path):
    assert dead_links(path) == []


def test_every_docs_page_is_linked_from_the_readme():
    linked = {(ROOT / t.partition("#")[0]).resolve() for t in links(README) if not re.match(r"[a-z]+:", t)}
    orphans = [p.name for p in sorted((ROOT / "docs").glob("*.md")) if p.resolve() not in linked]
    assert orphans == [], f"docs pages not linked from README.md: {orphans}"


def test_the_link_checker_finds_a_dead_link(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    (tmp_path / "b.md").write_text("# Där vi är\n", encoding="utf-8")
    page = tmp_path / "a.md"
    page.write_text("[ok](b.md#där-vi-är) [bad](c.md) [anchor](b.md#nowhere) `[code](x.md)`\n", encoding="utf-8")
    assert dead_links(page) == ["a.md: c.md (no such file)", "a.md: b.md#nowhere (no heading with that anchor)"]


def test_ci_runs_the_readme_test_command():
    readme_command = re.search(r"^(make test)\b", README.read_text(encoding="utf-8"), re.M)
    assert readme_command, "README.md shows no `make test` line"
    ci_commands = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
                   if line.strip() and not line.lstrip().startswith(("#", "set ", "cd ", "export "))]
    assert ci_commands == [readme_command.group(1)]


NUMBER_WORDS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten".split())}
NOTEBOOKS_STATED = re.compile(r"\b(zero|one|two|three|four|five|six|seven|eight|nine|ten|\d+) notebooks\b", re.I)


def stated_notebook_counts(paths: list[Path]) -> list[tuple[str, int]]:
    """Every "N notebooks" the README and the docs state, except those marked as a measurement of the past."""
    out = []
    for path in paths:
        for line in prose(path.read_text(encoding="utf-8")).splitlines():
            for m in NOTEBOOKS_STATED.finditer(line):
                if line[m.end():m.end() + 20].startswith(" (measured before"):
                    continue
                word = m[1].lower()
                out.append((str(path.relative_to(ROOT)), NUMBER_WORDS[word] if word in NUMBER_WORDS else int(word)))
    return out


def test_the_number_of_notebooks_the_docs_state_is_the_number_there_is():
    """The README's and the docs' "six notebooks" follow notebooks/ (docs/generated/outputs.md lists them)."""
    there = len(list((ROOT / "notebooks").glob("*.ipynb")))
    stated = stated_notebook_counts([*DOC_FILES, *sorted((ROOT / "docs").glob("*/*.md"))])
    assert stated, "no page states how many notebooks there are"
    assert [s for s in stated if s[1] != there] == [], f"notebooks/ holds {there} notebooks"


def test_the_notebook_count_check_catches_a_wrong_count(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    page = tmp_path / "a.md"
    page.write_text("told by five notebooks; executing all five notebooks (measured before 06) `2 notebooks`\n",
                    encoding="utf-8")
    assert stated_notebook_counts([page]) == [("a.md", 5)]


def test_the_readme_states_the_verified_quarto_range():
    """README names the oldest and newest Quarto the render was verified on (render.QUARTO_VERIFIED)."""
    from analysis.report.render import QUARTO_VERIFIED

    text = " ".join(README.read_text(encoding="utf-8").split())
    assert f"Quarto {QUARTO_VERIFIED[0]} to {QUARTO_VERIFIED[1]}" in text
