"""The Quarto project file: ``_quarto.yml`` read, and its render list resolved to the committed sources
(the executed copies in ``reports/notebooks/`` are checked through ``notebooks/``).
"""

from __future__ import annotations

import glob
from dataclasses import dataclass
from pathlib import Path

import yaml

# --- The project file ----------------------------------------------------------------------------


@dataclass
class Project:
    config: dict
    documents: list[Path]
    problems: list[str]


# The pre-render step executes notebooks/X.ipynb into reports/notebooks/X.ipynb, which Quarto renders
# and embeds; the checks read the source, which exists before any render.
EXECUTED_COPIES, SOURCES = "reports/notebooks/", "notebooks/"


def source_of(path: Path, root: Path) -> Path:
    """The committed notebook behind an executed copy's path; any other path unchanged."""
    executed = (root / EXECUTED_COPIES).resolve()
    resolved = path.resolve()
    return root / SOURCES / resolved.name if resolved.parent == executed else path


def render_list(root: Path, entries: list, problems: list[str]) -> list[Path]:
    """The documents ``project.render`` names (globs expanded, ``!`` entries excluded), in order;
    executed notebook copies are named by their sources."""
    documents: list[Path] = []
    for entry in entries:
        entry = str(entry)
        if entry.startswith(EXECUTED_COPIES):
            entry = SOURCES + entry[len(EXECUTED_COPIES):]
        if entry.startswith("!"):
            excluded = {p.resolve() for p in map(Path, glob.glob(str(root / entry[1:]), recursive=True))}
            documents = [d for d in documents if d.resolve() not in excluded]
        elif glob.has_magic(entry):
            matches = sorted(Path(p) for p in glob.glob(str(root / entry), recursive=True))
            if not matches:
                problems.append(f"_quarto.yml: project.render pattern {entry} matches no file")
            documents += matches
        elif not (root / entry).is_file():
            problems.append(f"_quarto.yml: project.render names {entry}, which does not exist")
        else:
            documents.append(root / entry)
    return documents


def read_project(root: Path) -> Project:
    """``_quarto.yml`` and the documents it renders, with what is wrong with it."""
    problems: list[str] = []
    path = root / "_quarto.yml"
    if not path.is_file():
        return Project({}, [], ["_quarto.yml: no such file; this is not a Quarto project"])
    try:
        config = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark else ""
        return Project({}, [], [f"_quarto.yml{where}: not valid YAML ({getattr(exc, 'problem', None) or exc})"])
    if not isinstance(config, dict):
        return Project({}, [], ["_quarto.yml: not a YAML mapping"])
    project = config.get("project") if isinstance(config.get("project"), dict) else {}
    if not project.get("type"):
        problems.append("_quarto.yml: project.type is missing")
    entries = project.get("render")
    if not isinstance(entries, list) or not entries:
        problems.append("_quarto.yml: project.render is missing or empty (it lists the documents to render)")
        entries = []
    if config.get("lang") != "sv":
        problems.append(f"_quarto.yml: lang is {config.get('lang')!r}, expected 'sv' (the report is in Swedish)")
    return Project(config, render_list(root, entries, problems), problems)
