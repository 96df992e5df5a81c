"""Shared fixtures: a private copy of ``data/`` built from the offline mirror.

Tests never touch the repository's own ``data/``: each build runs with ``GINO_DATA_DIR``
pointing at a temporary directory that holds the committed catalog entries and published
figures, and the public snapshots are fetched from the mirror (``GINO_MIRROR``, by default
``../shared/data`` beside the repository).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis import paths

ROOT = Path(__file__).resolve().parent.parent


def mirror_dir() -> Path:
    return Path(os.environ.get("GINO_MIRROR", ROOT.parent / "shared" / "data")).resolve()


copy_committed_data = paths.copy_committed_data


def gino(*args: str, data_dir: Path, check: bool = True, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    """Run the CLI as a user would, with its own data directory."""
    env = {**os.environ, "GINO_DATA_DIR": str(data_dir), "COLUMNS": "120", **(extra_env or {})}
    proc = subprocess.run([sys.executable, "-m", "analysis", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if check and proc.returncode != 0:
        raise AssertionError(f"gino {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return proc


@pytest.fixture(scope="session")
def mirror() -> Path:
    path = mirror_dir()
    if not path.is_dir():
        pytest.skip(f"offline mirror not found at {path}; set GINO_MIRROR to the shared data directory")
    return path


@pytest.fixture(scope="session")
def built(tmp_path_factory, mirror) -> Path:
    """A data directory fetched from the mirror and built once for the whole session (read-only for tests)."""
    data = copy_committed_data(tmp_path_factory.mktemp("built") / "data")
    gino("fetch", "--mirror", str(mirror), data_dir=data)
    gino("build", data_dir=data)
    return data


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """An empty-but-catalogued data directory for in-process tests."""
    data = copy_committed_data(tmp_path / "data")
    monkeypatch.setenv("GINO_DATA_DIR", str(data))
    return data
