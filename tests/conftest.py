"""Shared fixtures: a private copy of ``data/`` built from the offline mirror.

Tests never touch the repository's own ``data/`` or ``config/``, and never read what a researcher
changed there: the session's configuration (``CONFIG``) and data directory (``DATA``: catalog entries,
published figures, codebooks, the synthetic twin) are exported from the last commit
(``paths.export_committed``), so ``source: real`` in config/surveys.yaml or an edited codebook leaves the
suite as it is. Each build runs with ``GINO_DATA_DIR`` pointing at a temporary directory seeded the same
way, and the public snapshots are fetched from the mirror (``GINO_MIRROR``, by default ``../shared/data``
beside the repository).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.core import paths

ROOT = Path(__file__).resolve().parent.parent
# The tests sit in one folder per package and import helpers from each other by module name
# (``from test_feedback import POSTER_2018``): every folder is importable, whichever ones pytest collects.
for _folder in sorted(p for p in (ROOT / "tests").iterdir() if p.is_dir() and p.name not in ("fixtures", "__pycache__")):
    if str(_folder) not in sys.path:
        sys.path.append(str(_folder))
DEFAULT_SURVEYS_YAML = """\
# The test suite's survey settings: always the synthetic twin, whatever config/surveys.yaml says.
source: synthetic
real:
  innovation_climate_2017: private/innovationsenkat_2017.xlsx
  client_survey_2018: private/brukarenkat_2018.csv
  client_survey_2019: private/brukarenkat_2019.sav
"""


def _committed_tree() -> Path:
    """config/ and data/ as the last commit holds them, for the whole session (removed at exit)."""
    import atexit
    import tempfile

    root = Path(tempfile.mkdtemp(prefix="gino-test-committed-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    return paths.export_committed(root, "config", "data")


def _test_config_dir(committed: Path) -> Path:
    """The committed config/, with the survey source reset to the synthetic twin.

    The suite must not depend on the user's working configuration (``source: real`` and private
    exports): every test, and every ``gino`` the tests start, reads this copy through GINO_CONFIG_DIR.
    """
    directory = committed / "config"
    (directory / "surveys.yaml").write_text(DEFAULT_SURVEYS_YAML, encoding="utf-8")
    return directory


COMMITTED = _committed_tree()
CONFIG = _test_config_dir(COMMITTED)
DATA = COMMITTED / "data"  # the committed data/: codebooks, published figures, the synthetic twin, catalog entries
os.environ["GINO_CONFIG_DIR"] = str(CONFIG)
os.environ["GINO_DATA_DIR"] = str(DATA)  # a test that names no data directory reads (and writes) this copy


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
