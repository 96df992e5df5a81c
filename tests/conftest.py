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

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
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
# pytest-xdist's workers read the configuration the controlling process exported (they inherit its environment):
# the session's builds, made once per run by one worker (``once_per_run``), record this directory by its path.
_SHARED_CONFIG = os.environ.get("GINO_TEST_CONFIG_DIR") if os.environ.get("PYTEST_XDIST_WORKER") else None
CONFIG = Path(_SHARED_CONFIG) if _SHARED_CONFIG else _test_config_dir(COMMITTED)
os.environ["GINO_TEST_CONFIG_DIR"] = str(CONFIG)
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


def relocate_state(data: Path, moves: dict[Path, Path]) -> None:
    """Make a copied data directory's build state name the copy's files.

    doit records every input of a step by its absolute path (``.state/doit.json``), so a copy of a built
    directory looks unbuilt to ``gino build`` and reruns every step. Renaming the recorded paths of each moved
    directory (the data directory itself, a copied configuration, a copied repository) makes the copy exactly
    as current as the original: a step reruns only when an input's content changed in the copy.
    """
    state = data / ".state" / "doit.json"
    if not state.is_file():
        return
    prefixes = [(str(old) + os.sep, str(new) + os.sep) for old, new in moves.items()]

    def moved(name: str) -> str:
        for old, new in prefixes:
            if name.startswith(old):
                return new + name[len(old):]
        return name

    tasks = json.loads(state.read_text(encoding="utf-8"))
    for name, record in tasks.items():
        tasks[name] = {moved(key): ([moved(p) for p in value] if key == "deps:" else value)
                       for key, value in record.items()}
    state.write_text(json.dumps(tasks), encoding="utf-8")


def clone_built(source: Path, dest: Path, config: Path | None = None, root: Path | None = None) -> Path:
    """A copy of the built data directory ``source`` at ``dest`` (modification times kept), current for
    ``gino build`` as ``source`` was: with a copy of its configuration at ``config`` (copied here from the
    session's ``CONFIG`` when given and missing) and a copy of the repository at ``root`` (made by the caller).
    Tests that change a built directory change such a copy; the session's builds stay read-only."""
    shutil.copytree(source, dest, symlinks=True)
    moves = {source: dest}
    if config is not None:
        if not config.exists():
            shutil.copytree(CONFIG, config)
        moves[CONFIG] = config
    if root is not None:
        moves[ROOT] = root
    relocate_state(dest, moves)
    return dest


def once_per_run(tmp_path_factory, name: str, make: Callable[[Path], dict]) -> dict:
    """What ``make(directory)`` returns (JSON), made once per test run in a directory of its own, however many
    pytest-xdist workers ask: the first makes it, the others wait on a file lock and read the result."""
    from filelock import FileLock

    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base  # the run's directory, shared by workers
    directory, result = root / name, root / f"{name}.json"
    with FileLock(str(root / f"{name}.lock")):
        if not result.is_file():
            shutil.rmtree(directory, ignore_errors=True)
            directory.mkdir()
            result.write_text(json.dumps(make(directory)), encoding="utf-8")
        return json.loads(result.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def built(tmp_path_factory, mirror) -> Path:
    """A data directory fetched from the mirror and built once for the whole run (read-only for tests: a test
    that changes it works on ``clone_built(built, ...)``)."""
    def make(directory: Path) -> dict:
        data = copy_committed_data(directory / "data")
        gino("fetch", "--mirror", str(mirror), data_dir=data)
        gino("build", data_dir=data)
        return {"data": str(data)}

    return Path(once_per_run(tmp_path_factory, "built", make)["data"])


@pytest.fixture(scope="session")
def forte(tmp_path_factory, mirror) -> dict:
    """The second study region (tests/pipeline/test_second_region.py), built once for the run (read-only): a data
    directory and a configuration directory whose regions.yaml names the Forte municipalities."""
    def make(directory: Path) -> dict:
        from test_second_region import REGIONS_YAML

        config = directory / "config"
        shutil.copytree(CONFIG, config)
        (config / "regions.yaml").write_text(REGIONS_YAML, encoding="utf-8")
        data = copy_committed_data(directory / "data")
        env = {"GINO_CONFIG_DIR": str(config)}
        gino("fetch", "--mirror", str(mirror), data_dir=data, extra_env=env)
        return {"data": str(data), "config": str(config), "build": gino("build", data_dir=data, extra_env=env).stdout}

    made = once_per_run(tmp_path_factory, "forte", make)
    return {"data": Path(made["data"]), "config": Path(made["config"]), "build": made["build"],
            "env": {"GINO_DATA_DIR": made["data"], "GINO_CONFIG_DIR": made["config"], "PYTHONWARNINGS": "default"}}


@pytest.fixture(scope="session")
def reported(built, tmp_path_factory) -> dict:
    """``gino report`` without Quarto, run once for the run in a copy of the repository (its executed notebooks go
    to the copy's reports/notebooks/) on a copy of the session's build: checked as a command by test_cli.py, and
    its executed notebooks (each notebook's only execution in the suite on the twin) by test_notebooks.py.

    The notebooks run with ``PYTHONWARNINGS=default``, so a warning shows up in their outputs. Where Quarto is on
    the restricted PATH too, the same execution is made by ``gino prerender`` (the report is rendered elsewhere)."""
    import nbformat

    search = str(Path(sys.executable).parent) + ":/usr/bin:/bin"
    command = "prerender" if shutil.which("quarto", path=search) else "report"

    def make(directory: Path) -> dict:
        root = paths.copy_repository(directory / "repo")
        data = clone_built(built, directory / "data", root=root)
        env = {"GINO_DATA_DIR": str(data), "PYTHONPATH": str(root), "PATH": search, "PYTHONWARNINGS": "default"}
        proc = subprocess.run([sys.executable, "-m", "analysis", command], cwd=root, env={**os.environ, **env},
                              capture_output=True, text=True)
        assert proc.returncode == 0, f"gino {command} failed:\n{proc.stdout}\n{proc.stderr}"
        return {"root": str(root), "env": env, "stdout": proc.stdout}

    made = once_per_run(tmp_path_factory, "report", make)
    root = Path(made["root"])
    executed = {}
    for path in sorted((root / "reports" / "notebooks").glob("*.ipynb")):
        stamp = json.loads(path.with_name(f".{path.stem}.inputs.json").read_text(encoding="utf-8"))
        executed[path.name] = {"notebook": nbformat.read(path, as_version=4), "reads": sorted(stamp["reads"])}
    return {"root": root, "env": {**os.environ, **made["env"]}, "command": command, "stdout": made["stdout"],
            "executed": executed}


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    """An empty-but-catalogued data directory for in-process tests."""
    data = copy_committed_data(tmp_path / "data")
    monkeypatch.setenv("GINO_DATA_DIR", str(data))
    return data


# The slowest test files, first: under pytest-xdist (``make test``) each file runs on one worker, handed out in
# collection order (with --no-loadscope-reorder), so these start at once, on both workers, and the many quick files
# fill in around them. The workers start with two files each: the faults' chain of killed builds (its fixture makes
# ``built``) and the second region (``forte``, made meanwhile), then the report (``reported``) and the feedback
# documents.
SLOWEST_FIRST = ("pipeline/test_faults.py", "pipeline/test_second_region.py", "pipeline/test_cli.py",
                 "report/test_feedback_documents.py", "pipeline/test_faults_state.py", "report/test_claims.py",
                 "pipeline/test_kolada_refresh.py", "pipeline/test_figure_determinism.py", "pipeline/test_build.py",
                 "report/test_notebooks.py")


def pytest_collection_modifyitems(config, items):
    if not os.environ.get("PYTEST_XDIST_WORKER"):
        return  # one process: the usual order

    def rank(item) -> int:
        relative = Path(str(item.fspath)).relative_to(ROOT / "tests").as_posix()
        return SLOWEST_FIRST.index(relative) if relative in SLOWEST_FIRST else len(SLOWEST_FIRST)

    items.sort(key=rank)  # stable: the order within a file is kept
