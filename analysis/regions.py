"""Regions from ``config/regions.yaml``: which municipalities each region contains."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from analysis import paths
from analysis.errors import InputError


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
    """Parse and check the region configuration (schema: ``analysis.config_schema.RegionsFile``)."""
    from analysis.config_schema import RegionsFile, validated

    path = path or config_path()
    doc = validated(path, RegionsFile, "region configuration file")
    regions: dict[str, Region] = {}
    for rid, spec in doc.regions.items():
        for code in spec.kommuner:
            if known_kommuner is not None and code not in known_kommuner:
                raise InputError(path, "a known 4-digit kommun code (quote it: \"2425\")",
                                 key=f"regions.{rid}.kommuner", value=code)
        if not (spec.kommuner or spec.lan or spec.all):
            raise InputError(path, "one of 'kommuner', 'lan' or 'all: true'", key=f"regions.{rid}")
        for code in spec.lan:
            if known_kommuner is not None and not any(k.startswith(code) for k in known_kommuner):
                raise InputError(path, "a län code with at least one kommun", key=f"regions.{rid}.lan", value=code)
        regions[rid] = Region(rid, spec.name, tuple(spec.kommuner), tuple(spec.lan), spec.all, spec.description)
    for rid in (doc.study_region, *doc.comparisons):
        if rid not in regions:
            raise InputError(path, f"a region defined under 'regions' (have: {', '.join(regions)})",
                             key="study_region" if rid == doc.study_region else "comparisons", value=rid)
    return RegionConfig(doc.study_region, tuple(doc.comparisons), regions)


def membership(config: RegionConfig, kommun_codes: pd.Series) -> pd.DataFrame:
    """Long table (region_id, region_name, kommun_kod) of every configured region's members."""
    rows = []
    codes = kommun_codes.sort_values().reset_index(drop=True)
    for region in config.regions.values():
        for code in codes[region.members(codes)]:
            rows.append((region.id, region.name, code))
    return pd.DataFrame(rows, columns=["region_id", "region_name", "kommun_kod"])
