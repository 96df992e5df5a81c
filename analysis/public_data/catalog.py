"""The catalog of raw public snapshots: one ``*.meta.yaml`` beside each file in ``data/raw``.

Each entry records publisher, title, table or layer id, official URL, reference date,
access date, licence, file name, size and sha256. The data files themselves are not
committed; ``fetch`` brings them from a mirror and verifies them against these entries.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analysis.core import paths
from analysis.core.errors import GinoError, InputError
from analysis.core.files import read_yaml, sha256_file

REQUIRED_KEYS = (
    "id", "publisher", "title", "table_id", "url", "reference_date",
    "access_date", "licence", "file", "size", "sha256",
)


@dataclass(frozen=True)
class Snapshot:
    """One raw public snapshot as described by its catalog entry."""

    id: str
    file: str
    size: int
    sha256: str
    meta: dict
    meta_path: Path

    @property
    def path(self) -> Path:
        return paths.raw(self.file)

    def verify(self) -> None:
        """Raise a one-line error unless the file exists with the catalogued size and sha256."""
        if not self.path.exists():
            raise GinoError(
                f"{self.path}: raw snapshot '{self.id}' is missing; run 'gino fetch --mirror DIR' first"
            )
        size = self.path.stat().st_size
        if size != self.size or sha256_file(self.path) != self.sha256:
            raise GinoError(
                f"{self.path}: checksum mismatch for snapshot '{self.id}' "
                f"(expected {self.size} bytes with sha256 {self.sha256[:12]}…); "
                "the file is corrupt or not the catalogued version: delete it and fetch again"
            )


def load_entry(meta_path: Path) -> Snapshot:
    meta = read_yaml(meta_path, "catalog entry")
    missing = [k for k in REQUIRED_KEYS if k not in meta]
    if missing:
        raise InputError(meta_path, f"every catalog key; missing: {', '.join(missing)}")
    return Snapshot(
        id=str(meta["id"]), file=str(meta["file"]), size=int(meta["size"]),
        sha256=str(meta["sha256"]).lower(), meta=meta, meta_path=meta_path,
    )


def load_catalog(raw_dir: Path | None = None) -> dict[str, Snapshot]:
    """All catalogued snapshots below ``raw_dir`` (default ``data/raw``), keyed by id."""
    raw_dir = raw_dir or paths.raw_dir()
    entries: dict[str, Snapshot] = {}
    for meta_path in sorted(raw_dir.rglob("*.meta.yaml")):
        if "private" in meta_path.relative_to(raw_dir).parts:
            continue
        entry = load_entry(meta_path)
        if entry.id in entries:
            raise InputError(meta_path, f"a unique snapshot id, but '{entry.id}' is also in {entries[entry.id].meta_path}")
        entries[entry.id] = entry
    return entries


def snapshot(snapshot_id: str) -> Snapshot:
    catalog = load_catalog()
    try:
        return catalog[snapshot_id]
    except KeyError:
        raise GinoError(
            f"{paths.raw_dir()}: no catalog entry with id '{snapshot_id}' (known: {', '.join(sorted(catalog))})"
        ) from None


GRID_KIND = "population_grid"


def grid_snapshots(catalog: dict[str, Snapshot] | None = None) -> list[Snapshot]:
    """Every population-grid snapshot (catalog entries with ``kind: population_grid``), sorted by id.

    Each entry names the counties it covers in ``coverage_lan`` (two-digit län codes); adding a grid
    for more counties is a new catalog entry and its file, no code.
    """
    catalog = catalog if catalog is not None else load_catalog()
    grids = [s for s in sorted(catalog.values(), key=lambda s: s.id) if s.meta.get("kind") == GRID_KIND]
    for s in grids:
        lan = s.meta.get("coverage_lan")
        if not isinstance(lan, list) or not lan or not all(len(str(c)) == 2 and str(c).isdigit() for c in lan):
            raise InputError(s.meta_path, "a list of two-digit län codes the grid covers, such as [\"24\", \"25\"]",
                             column="coverage_lan", value=lan)
    if not grids:
        raise GinoError(f"{paths.raw_dir()}: no catalog entry with 'kind: {GRID_KIND}' (the population grid)")
    return grids


def grid_coverage(grids: list[Snapshot]) -> list[str]:
    """The sorted län codes the grid snapshots cover together."""
    return sorted({str(c) for s in grids for c in s.meta["coverage_lan"]})


def write_new_snapshot(raw_dir: Path, relative: Path, csv_text: str, meta: dict) -> Path:
    """Write a downloaded table as ``raw_dir/relative`` with its catalog entry beside it (``meta`` plus
    file, size and sha256); never overwrites, since raw snapshots and their entries are immutable."""
    import yaml

    from analysis.core.files import write_text

    csv_path = Path(raw_dir) / relative
    meta_path = csv_path.with_name(csv_path.name.removesuffix(".csv") + ".meta.yaml")
    for existing in (csv_path, meta_path):
        if existing.exists():
            raise GinoError(f"{existing}: already exists; raw snapshots and their catalog entries are immutable, "
                            "remove both to replace them")
    write_text(csv_path, csv_text)
    described = {k: v for k, v in meta.items() if k != "via"}
    meta = {**described, "file": relative.as_posix(), "size": csv_path.stat().st_size,
            "sha256": sha256_file(csv_path), "via": meta["via"]}
    write_text(meta_path, yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=100))
    return csv_path
