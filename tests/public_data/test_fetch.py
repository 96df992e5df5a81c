"""Fetching raw snapshots from an offline mirror: verified, atomic, never half-copied."""

from __future__ import annotations

import shutil

import pytest

from analysis.core import paths
from analysis.public_data.catalog import load_catalog
from analysis.core.errors import GinoError
from analysis.public_data.fetch import fetch_all, fetch_snapshot


def small_mirror(tmp_path, mirror, ids=("population_2019", "areas_2015")):
    """A mirror holding copies of a few real snapshots (the large grid is left out)."""
    dest = tmp_path / "mirror"
    for entry in load_catalog().values():
        if entry.id in ids:
            (dest / entry.file).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(mirror / entry.file, dest / entry.file)
    return dest


def test_catalog_entries_are_complete(data_dir):
    catalog = load_catalog()
    assert {"kommuner_boundaries", "lan_boundaries", "population_2019", "land_use_2015", "areas_2015",
            "tatorter_2020", "population_grid"} <= set(catalog)
    for entry in catalog.values():
        assert len(entry.sha256) == 64 and entry.size > 0
        for key in ("publisher", "url", "licence", "reference_date", "access_date", "table_id"):
            assert entry.meta[key], f"{entry.id} lacks {key}"


def test_fetch_copies_and_verifies(data_dir, mirror, tmp_path):
    entry = load_catalog()["population_2019"]
    result = fetch_snapshot(entry, small_mirror(tmp_path, mirror))
    assert result.action == "copied"
    entry.verify()
    again = fetch_snapshot(entry, small_mirror(tmp_path, mirror))
    assert again.action == "present"


def test_checksum_mismatch_leaves_nothing(data_dir, mirror, tmp_path):
    m = small_mirror(tmp_path, mirror)
    entry = load_catalog()["areas_2015"]
    with open(m / entry.file, "ab") as fh:
        fh.write(b"9999,Extra,x\n")
    with pytest.raises(GinoError, match="checksum mismatch for snapshot 'areas_2015'.*nothing was copied"):
        fetch_snapshot(entry, m)
    assert not entry.path.exists()
    assert not [p for p in entry.path.parent.iterdir() if p.name.endswith(".tmp")]


def test_missing_file_in_mirror(data_dir, mirror, tmp_path):
    m = small_mirror(tmp_path, mirror, ids=("areas_2015",))
    with pytest.raises(GinoError, match="snapshot 'kommuner_boundaries' not found in mirror"):
        fetch_all(m)


def test_missing_mirror_directory(data_dir, tmp_path):
    with pytest.raises(GinoError, match="mirror directory does not exist"):
        fetch_all(tmp_path / "nowhere")


def test_corrupt_file_already_in_raw_is_an_error(data_dir, mirror, tmp_path):
    entry = load_catalog()["areas_2015"]
    entry.path.parent.mkdir(parents=True, exist_ok=True)
    entry.path.write_text("kommun_kod\n2425\n")
    with pytest.raises(GinoError, match="checksum mismatch.*delete it and fetch again"):
        fetch_snapshot(entry, small_mirror(tmp_path, mirror))
    assert entry.path.read_text() == "kommun_kod\n2425\n"  # fetch never overwrites data/raw silently


def test_raw_snapshot_missing_is_a_clear_error(data_dir):
    entry = load_catalog()["population_grid"]
    with pytest.raises(GinoError, match="missing; run 'gino fetch"):
        entry.verify()


def test_paths_follow_data_dir(data_dir):
    assert paths.raw_dir() == data_dir / "raw"
    assert paths.processed("x.csv") == data_dir / "processed" / "x.csv"
