"""Reading configuration files, and atomic, deterministic writing of outputs.

Every output is written to a temporary file in the destination directory and moved
into place with ``os.replace``, so a reader (or a build killed half-way) sees either
the old complete file or the new complete file, never a truncated one.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import geopandas as gpd
    import pandas as pd


_UMASK = os.umask(0)
os.umask(_UMASK)


@contextlib.contextmanager
def atomic_path(dest: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; move it onto ``dest`` only if the block succeeds."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_UMASK)  # mkstemp creates 0600; outputs should be readable like any file
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        with open(tmp_path, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp_path, dest)
    finally:
        tmp_path.unlink(missing_ok=True)


def write_bytes(dest: str | Path, data: bytes) -> None:
    with atomic_path(dest) as tmp:
        tmp.write_bytes(data)


def write_text(dest: str | Path, text: str) -> None:
    write_bytes(dest, text.encode("utf-8"))


def write_json(dest: str | Path, obj: Any) -> None:
    write_text(dest, json.dumps(obj, ensure_ascii=False, indent=2, sort_keys=True) + "\n")


def write_csv(dest: str | Path, df: pd.DataFrame) -> None:
    """UTF-8 CSV with ``\\n`` line ends and shortest round-trip floats: same frame, same bytes."""
    write_text(dest, df.to_csv(index=False, lineterminator="\n"))


def write_geoparquet(dest: str | Path, gdf: gpd.GeoDataFrame) -> None:
    """GeoParquet without a pandas index; deterministic for identical frames and library versions."""
    with atomic_path(dest) as tmp:
        gdf.to_parquet(tmp, index=False, compression="zstd")


def read_yaml(path: Path, what: str) -> dict:
    """A YAML mapping; a missing, undecodable, malformed or pathological file is a one-line ``InputError``."""
    from analysis.core.config_yaml import load_yaml
    from analysis.core.errors import InputError

    doc = load_yaml(Path(path), what)
    if doc is None:
        return {}
    if not isinstance(doc, dict):
        raise InputError(path, f"a {what} holding a YAML mapping (key: value lines), but it holds a "
                               f"{type(doc).__name__}")
    return doc


def sha256_file(path: str | Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()
