"""The freeze guard (analysis/report/freeze.py): frozen results go when the data or analysis code behind them change."""

from __future__ import annotations

from pathlib import Path

import pytest

from analysis.report import freeze
from analysis.core import paths
from analysis.report.freeze import data_fingerprint, invalidate_stale_freeze


@pytest.fixture
def project(tmp_path, monkeypatch) -> tuple[Path, Path]:
    """A root with analysis code, config (GINO_CONFIG_DIR) and frozen results, and a data directory with
    processed files."""
    root, data = tmp_path / "repo", tmp_path / "data"
    monkeypatch.setenv("GINO_CONFIG_DIR", str(root / "config"))
    for rel, text in {
        "analysis/__init__.py": "",
        "analysis/steps/facts.py": "X = 1\n",
        "config/regions.yaml": "study_region: gino\n",
        "_freeze/notebooks/02-x/execute-results/html.json": "{}",
        "_freeze/reports/index/execute-results/html.json": "{}",
        "_freeze/site_libs/quarto.js": "",
    }.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    (data / "processed" / "maps").mkdir(parents=True)
    (data / "processed" / "facts.csv").write_text("a,b\n1,2\n")
    (data / "processed" / "maps" / "grid.parquet").write_bytes(b"PAR1")
    (data / "processed" / ".gitkeep").write_text("")
    return root, data


def frozen(root: Path) -> dict[str, bool]:
    return {name: (root / "_freeze" / name).exists() for name in ("notebooks", "reports", "site_libs")}


def test_the_fingerprint_changes_with_processed_data(project):
    root, data = project
    before = data_fingerprint(root, data)
    (data / "processed" / "maps" / "grid.parquet").write_bytes(b"PAR2")
    assert data_fingerprint(root, data) != before


def test_the_fingerprint_changes_with_analysis_code_and_config(project):
    root, data = project
    before = data_fingerprint(root, data)
    (root / "analysis" / "steps" / "facts.py").write_text("X = 2\n")
    after_code = data_fingerprint(root, data)
    assert after_code != before
    (root / "config" / "regions.yaml").write_text("study_region: other\n")
    assert data_fingerprint(root, data) != after_code


def test_the_fingerprint_changes_when_a_file_is_added_or_renamed(project):
    root, data = project
    before = data_fingerprint(root, data)
    (data / "processed" / "facts.csv").rename(data / "processed" / "facts2.csv")
    renamed = data_fingerprint(root, data)
    assert renamed != before
    (data / "processed" / "new.csv").write_text("x\n")
    assert data_fingerprint(root, data) != renamed


def test_the_fingerprint_ignores_hidden_files_bytecode_and_where_data_lives(project, tmp_path):
    root, data = project
    before = data_fingerprint(root, data)
    (data / "processed" / ".facts.csv.1234.tmp").write_text("half-written")
    (root / "analysis" / "__pycache__").mkdir()
    (root / "analysis" / "__pycache__" / "freeze.cpython-311.pyc").write_bytes(b"\0")
    (root / "notes.py").write_text("not analysis code\n")
    assert data_fingerprint(root, data) == before
    moved = data.rename(tmp_path / "elsewhere")
    assert data_fingerprint(root, moved) == before


def test_the_first_run_invalidates_and_writes_the_fingerprint(project):
    root, data = project
    assert invalidate_stale_freeze(root, data) is True
    assert frozen(root) == {"notebooks": False, "reports": False, "site_libs": True}
    stamp = root / "_freeze" / "gino-data-fingerprint.txt"
    assert stamp.read_text().strip() == data_fingerprint(root, data)


def test_nothing_changed_keeps_the_frozen_results(project):
    root, data = project
    invalidate_stale_freeze(root, data)
    (root / "_freeze" / "notebooks" / "02-x").mkdir(parents=True)  # Quarto froze again after rendering
    (root / "_freeze" / "reports" / "index").mkdir(parents=True)
    assert invalidate_stale_freeze(root, data) is False
    assert frozen(root) == {"notebooks": True, "reports": True, "site_libs": True}


@pytest.mark.parametrize("change", ["data", "code"])
def test_a_change_deletes_the_frozen_results(project, change):
    root, data = project
    invalidate_stale_freeze(root, data)
    (root / "_freeze" / "notebooks" / "02-x").mkdir(parents=True)
    (root / "_freeze" / "reports" / "index").mkdir(parents=True)
    if change == "data":
        (data / "processed" / "facts.csv").write_text("a,b\n1,3\n")
    else:
        (root / "analysis" / "steps" / "facts.py").write_text("X = 3\n")
    assert invalidate_stale_freeze(root, data) is True
    assert frozen(root) == {"notebooks": False, "reports": False, "site_libs": True}
    assert invalidate_stale_freeze(root, data) is False


def test_the_prerender_step_says_whether_it_dropped_the_frozen_results(project, monkeypatch):
    from analysis.report import executed_notebooks, render

    root, data = project
    monkeypatch.setattr(paths, "ROOT", root)
    monkeypatch.setenv("GINO_DATA_DIR", str(data))
    monkeypatch.delenv(render.PRERENDERED_VARIABLE, raising=False)
    monkeypatch.setattr(executed_notebooks, "report_progress", lambda print_line: [])
    lines = []
    render.prerender(lines.append)
    assert any("frozen results were dropped" in line for line in lines)
    lines.clear()
    render.prerender(lines.append)
    assert lines == []
    monkeypatch.setenv(render.PRERENDERED_VARIABLE, "1")
    render.prerender(lines.append)
    assert lines == ["pre-render: done by 'gino report' just before Quarto started"]
