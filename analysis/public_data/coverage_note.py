"""The build's one-line note when the study region lies outside the population grid's coverage.

Standard library only, so that ``gino build`` with nothing to do stays fast.
"""

from __future__ import annotations

import csv

from analysis.core import paths


def grid_note() -> str | None:
    """The note (see ``analysis.sparsity.study_area.grid_missing_line``), or None when the grid covers the study region
    or the build has not written its outputs yet."""
    from analysis.core.files import read_yaml
    from analysis.public_data.regions import config_path

    members_path, coverage_path = paths.processed("region_members.csv"), paths.processed("population_grid_coverage.csv")
    if not (members_path.exists() and coverage_path.exists()):
        return None
    study = str(read_yaml(config_path(), "region configuration file").get("study_region", ""))
    with members_path.open(encoding="utf-8", newline="") as f:
        codes = sorted(r["kommun_kod"] for r in csv.DictReader(f) if r["region_id"] == study)
    with coverage_path.open(encoding="utf-8", newline="") as f:
        covered = sorted(r["lan_kod"] for r in csv.DictReader(f))
    outside = [c for c in codes if c[:2] not in covered]
    if not outside:
        return None
    return (f"note: the population grid covers län {', '.join(covered)} only; study region '{study}' has "
            f"{len(outside)} of its {len(codes)} municipalities outside it (län {', '.join(sorted({c[:2] for c in outside}))}): "
            f"populated cells, empty land and population-weighted distances are left out; to add them, put a grid "
            f"snapshot with its catalog entry (kind: population_grid, coverage_lan) in data/raw/grid/ and rebuild")
