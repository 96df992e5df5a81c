"""Regions from ``config/regions.yaml``: which municipalities each region contains."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from analysis import paths
from analysis.errors import InputError
from analysis.files import read_yaml


@dataclass(frozen=True)
class Region:
    id: str
    name: str
    kommuner: tuple[str, ...] = ()
    lan: tuple[str, ...] = ()
    all: bool = False
    description: str = ""

    def members(self, kommun_codes: pd.Series) -> pd.Series:
        """Boolean mask over ``kommun_codes`` (4-digit strings) for membership of this region."""
        if self.all:
            return pd.Series(True, index=kommun_codes.index)
        return kommun_codes.isin(self.kommuner) | kommun_codes.str[:2].isin(self.lan)


@dataclass(frozen=True)
class RegionConfig:
    study_region: str
    comparisons: tuple[str, ...]
    regions: dict[str, Region] = field(default_factory=dict)

    @property
    def study(self) -> Region:
        return self.regions[self.study_region]


def config_path() -> Path:
    return paths.config_dir() / "regions.yaml"


def load_regions(path: Path | None = None, known_kommuner: set[str] | None = None) -> RegionConfig:
    """Parse and check the region configuration; unknown codes are a one-line error."""
    path = path or config_path()
    doc = read_yaml(path, "region configuration file")
    regions: dict[str, Region] = {}
    for rid, spec in (doc.get("regions") or {}).items():
        if not isinstance(spec, dict) or "name" not in spec:
            raise InputError(path, "a mapping with at least 'name'", column=f"regions.{rid}")
        kommuner = tuple(str(k) for k in spec.get("kommuner", []))
        lan = tuple(str(k) for k in spec.get("lan", []))
        for code in kommuner:
            if len(code) != 4 or not code.isdigit() or (known_kommuner is not None and code not in known_kommuner):
                raise InputError(path, "a known 4-digit kommun code (quote it: \"2425\")",
                                 column=f"regions.{rid}.kommuner", value=code)
        for code in lan:
            if len(code) != 2 or not code.isdigit():
                raise InputError(path, "a 2-digit län code such as \"24\"", column=f"regions.{rid}.lan", value=code)
        if not (kommuner or lan or spec.get("all")):
            raise InputError(path, "one of 'kommuner', 'lan' or 'all: true'", column=f"regions.{rid}")
        for code in lan:
            if known_kommuner is not None and not any(k.startswith(code) for k in known_kommuner):
                raise InputError(path, "a län code with at least one kommun", column=f"regions.{rid}.lan", value=code)
        regions[rid] = Region(rid, str(spec["name"]), kommuner, lan, bool(spec.get("all", False)),
                              str(spec.get("description", "")))
    study = str(doc.get("study_region", ""))
    comparisons = tuple(str(c) for c in doc.get("comparisons", []))
    for rid in (study, *comparisons):
        if rid not in regions:
            raise InputError(path, f"a region defined under 'regions' (have: {', '.join(regions)})",
                             column="study_region" if rid == study else "comparisons", value=rid)
    return RegionConfig(study, comparisons, regions)


def membership(config: RegionConfig, kommun_codes: pd.Series) -> pd.DataFrame:
    """Long table (region_id, region_name, kommun_kod) of every configured region's members."""
    rows = []
    codes = kommun_codes.sort_values().reset_index(drop=True)
    for region in config.regions.values():
        for code in codes[region.members(codes)]:
            rows.append((region.id, region.name, code))
    return pd.DataFrame(rows, columns=["region_id", "region_name", "kommun_kod"])
