"""Discard Quarto's frozen results when the data or analysis code behind them change.

With ``execute: freeze: auto`` Quarto re-executes a document only when its own source changes.
The notebooks and the article read ``data/processed/`` and call code in ``analysis/`` (configured
by ``config/*.yaml``), so a rebuilt dataset or a fixed function would otherwise leave stale
numbers in the report. This guard, run before rendering, fingerprints those inputs and deletes
the frozen results of the executed documents whenever the fingerprint differs from the last run.
"""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from analysis.core import files, paths

FREEZE_DIR = "_freeze"
FINGERPRINT_FILE = "gino-data-fingerprint.txt"
# Quarto keeps frozen results per source directory: _freeze/<dir>/<document>/.
FROZEN_SOURCE_DIRS = ("notebooks", "reports")


def _visible_files(base: Path, pattern: str) -> list[Path]:
    """Files under ``base`` matching ``pattern``, without hidden files or files in hidden directories."""
    return [p for p in base.glob(pattern)
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(base).parts)]


def fingerprinted_files(root: Path, data_dir: Path) -> dict[str, Path]:
    """What the executed documents depend on besides their own source, by stable relative name."""
    named = {f"processed/{p.relative_to(data_dir / 'processed').as_posix()}": p
             for p in _visible_files(data_dir / "processed", "**/*")}
    named |= {p.relative_to(root).as_posix(): p for p in _visible_files(root, "analysis/**/*.py")}
    named |= {f"config/{p.name}": p for p in _visible_files(paths.config_dir(), "*.yaml")}
    return named


def data_fingerprint(root: Path = paths.ROOT, data_dir: Path | None = None) -> str:
    """sha256 over the sorted relative paths and contents' sha256 of processed data, analysis code and config."""
    data_dir = paths.data_dir() if data_dir is None else data_dir
    digest = hashlib.sha256()
    for name, path in sorted(fingerprinted_files(root, data_dir).items()):
        digest.update(f"{name}\0{files.sha256_file(path)}\n".encode())
    return digest.hexdigest()


def invalidate_stale_freeze(root: Path = paths.ROOT, data_dir: Path | None = None) -> bool:
    """Delete the frozen results of executed documents if their inputs changed; True if it did."""
    freeze = root / FREEZE_DIR
    stamp = freeze / FINGERPRINT_FILE
    current = data_fingerprint(root, data_dir)
    if stamp.is_file() and stamp.read_text(encoding="utf-8").strip() == current:
        return False
    for name in FROZEN_SOURCE_DIRS:
        if (freeze / name).exists():
            shutil.rmtree(freeze / name)  # a failure raises: the stamp must not vouch for stale results
    files.write_text(stamp, current + "\n")
    return True
