"""Every file location the project reads or writes, in one place.

The repository root is found from this file's location. ``GINO_DATA_DIR`` moves
``data/`` elsewhere (tests build into temporary directories this way) and
``GINO_MIRROR`` names the offline mirror that ``fetch`` copies public snapshots from.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def data_dir() -> Path:
    return Path(os.environ.get("GINO_DATA_DIR", ROOT / "data"))


def raw_dir() -> Path:
    return data_dir() / "raw"


def processed_dir() -> Path:
    return data_dir() / "processed"


def published_dir() -> Path:
    """Figures published in the GINO report, stored as data with their source."""
    return raw_dir() / "published"


def config_dir() -> Path:
    return Path(os.environ.get("GINO_CONFIG_DIR", ROOT / "config"))


def state_dir() -> Path:
    """Build bookkeeping (the workflow's content hashes); never an analysis output."""
    return data_dir() / ".state"


def raw(relative: str | Path) -> Path:
    return raw_dir() / relative


def processed(relative: str | Path) -> Path:
    """A processed output's path. While a notebook is executed for the report, each name asked for is
    logged to ``GINO_READ_LOG``, so that only the notebooks reading a changed file are re-executed."""
    log = os.environ.get("GINO_READ_LOG")
    if log:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{Path(relative).as_posix()}\n")
    return processed_dir() / relative


def default_mirror() -> Path | None:
    """The mirror directory from ``GINO_MIRROR``, or None when unset."""
    value = os.environ.get("GINO_MIRROR")
    return Path(value) if value else None


def export_committed(dest: Path, *folders: str) -> Path:
    """Write what git's HEAD holds of ``folders`` (``"config"``, ``"data"``) below ``dest``, whatever the
    working copy holds now: the tests and benchmarks build from the committed configuration, codebooks and
    published figures, never from a researcher's edits (``source: real``, a codebook alias). Outside a git
    checkout the working tree's files are copied instead."""
    import io
    import shutil
    import subprocess
    import tarfile

    dest.mkdir(parents=True, exist_ok=True)
    try:
        archive = subprocess.run(["git", "archive", "--format=tar", "HEAD", "--", *folders], cwd=ROOT,
                                 capture_output=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        for folder in folders:
            shutil.copytree(ROOT / folder, dest / folder, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("processed", ".state", "private", "__pycache__"))
        return dest
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(dest, filter="data")
    return dest


def copy_committed_data(dest: Path) -> Path:
    """Seed a fresh data directory with what git holds of ``data/``: catalog entries, published
    figures, codebooks and the synthetic twin (tests and benchmarks build in such copies). The files
    come from the last commit (``export_committed``), not from the working copy."""
    import shutil
    import tempfile

    with tempfile.TemporaryDirectory(prefix="gino-committed-") as tmp:
        src = export_committed(Path(tmp), "data") / "data"
        for path in src.rglob("*"):
            rel = path.relative_to(src)
            committed_dir = rel.parts[:2] in (("raw", "published"), ("raw", "codebooks"), ("raw", "synthetic"))
            if path.is_file() and (path.name.endswith(".meta.yaml") or committed_dir):
                target = dest / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, target)
    (dest / "processed").mkdir(parents=True, exist_ok=True)
    return dest


def copy_repository(dest: Path, venv: str = "link") -> Path:
    """A copy of the working tree as git would hold it (tracked and untracked-but-not-ignored files,
    modification times kept, so make sees the environment as current), made a git repository of its
    own, with the repository's ``.venv`` in it: tests and benchmarks render in such copies.

    ``venv``: ``"link"``, a symbolic link to it (quick; Quarto does not follow it); ``"tree"``, a
    ``link_tree`` of it, which Quarto walks as it walks a user's ``.venv`` (docs/report.md); ``"none"``,
    no ``.venv`` (run make with ``GINO_VENV`` set)."""
    import shutil
    import subprocess

    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout.split("\0")
    for name in filter(None, listed):
        if (ROOT / name).is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, dest / name)
    if venv == "link":
        (dest / ".venv").symlink_to(ROOT / ".venv")
    elif venv == "tree":
        link_tree(ROOT / ".venv", dest / ".venv")
    elif venv != "none":
        raise ValueError(f"venv: 'link', 'tree' or 'none', not {venv!r}")
    for command in (["init", "-q"], ["add", "-A"],
                    ["-c", "user.name=copy", "-c", "user.email=copy@example.org", "commit", "-q", "--no-verify",
                     "-m", "copy"]):
        subprocess.run(["git", *command], cwd=dest, check=True, capture_output=True)
    return dest


def link_tree(source: Path, dest: Path) -> Path:
    """``source``'s directories made anew at ``dest`` with hard links to its files (symbolic links across
    file systems): a copy of an environment in seconds, whose files are replaced, never written in place."""
    import shutil
    import subprocess

    if subprocess.run(["cp", "-al", source, dest], capture_output=True).returncode:
        shutil.rmtree(dest, ignore_errors=True)
        subprocess.run(["cp", "-as", source, dest], check=True)
    return dest
