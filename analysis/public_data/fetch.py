"""Copy the catalogued raw snapshots from an offline mirror into ``data/raw``, verifying each."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from analysis.public_data.catalog import Snapshot, load_catalog
from analysis.core.errors import GinoError
from analysis.core.files import atomic_path, sha256_file


@dataclass(frozen=True)
class FetchResult:
    id: str
    path: Path
    action: str  # "copied" or "present"


def fetch_snapshot(entry: Snapshot, mirror: Path) -> FetchResult:
    """Bring one snapshot into ``data/raw``; a file already there must match its checksum."""
    dest = entry.path
    if dest.exists():
        entry.verify()
        return FetchResult(entry.id, dest, "present")
    source = mirror / entry.file
    if not source.is_file():
        raise GinoError(f"{source}: snapshot '{entry.id}' not found in mirror {mirror}")
    with atomic_path(dest) as tmp:
        shutil.copyfile(source, tmp)
        digest = sha256_file(tmp)
        if tmp.stat().st_size != entry.size or digest != entry.sha256:
            raise GinoError(
                f"{source}: checksum mismatch for snapshot '{entry.id}' "
                f"(expected sha256 {entry.sha256[:12]}…, got {digest[:12]}…); nothing was copied"
            )
    return FetchResult(entry.id, dest, "copied")


def fetch_all(mirror: Path | None, progress: Callable[[FetchResult], None] | None = None) -> list[FetchResult]:
    """Fetch every catalogued snapshot; stops at the first failure, leaving no partial file.

    The mirror is needed only when a snapshot is missing from ``data/raw``.
    """
    entries = list(load_catalog().values())
    if any(not e.path.exists() for e in entries):
        if mirror is None:
            raise GinoError("no mirror given: use --mirror DIR or set GINO_MIRROR (for example ../shared/data)")
        if not mirror.is_dir():
            raise GinoError(f"{mirror}: mirror directory does not exist (give --mirror DIR or set GINO_MIRROR)")
    results = []
    for entry in entries:
        result = fetch_snapshot(entry, mirror)
        results.append(result)
        if progress:
            progress(result)
    return results
