"""Regions from ``config/regions.yaml``: which municipalities each region contains, and their roles.

Keys of ``config/regions.yaml`` (each documented there too):

* ``regions``: id -> {name, description?, and one of kommuner: [4-digit codes], lan: [2-digit codes], all: true}.
* ``study_region``: the region the report is about (a region id).
* ``comparisons``: region ids shown beside the study region in tables and prose.
* ``map_extent`` (optional): region ids whose municipalities, together, the maps show. Default: every
  municipality of the counties (län) the study region lies in.
* ``reference_town`` (optional): the kommun code whose centre (its most populous tätort) distances are
  measured to, the regional centre. Default: the most populous kommun of the map extent.
* ``survey_regions`` (optional): survey data set -> region id whose municipalities a real survey export of
  that data set may contain. Default: the study region. The synthetic twin always holds the municipalities
  of its codebook (the GINO study's), whatever is configured here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from analysis.core import paths
from analysis.core.errors import InputError

if TYPE_CHECKING:  # pandas is imported where frames are made: the no-op build imports neither pandas nor numpy
    import pandas as pd


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
            import pandas as pd

            return pd.Series(True, index=kommun_codes.index)
        return kommun_codes.isin(self.kommuner) | kommun_codes.str[:2].isin(self.lan)


@dataclass(frozen=True)
class RegionConfig:
    study_region: str
    comparisons: tuple[str, ...]
    regions: dict[str, Region] = field(default_factory=dict)
    map_extent: tuple[str, ...] = ()          # region ids; empty: the counties of the study region
    reference_town: str | None = None         # kommun code; None: the most populous kommun of the map extent
    survey_regions: dict[str, str] = field(default_factory=dict)  # data set -> region id; default the study region

    @property
    def study(self) -> Region:
        return self.regions[self.study_region]

    def survey_region(self, dataset: str) -> Region:
        """The region whose municipalities a real export of ``dataset`` may contain."""
        return self.regions[self.survey_regions.get(dataset, self.study_region)]


def config_path() -> Path:
    return paths.config_dir() / "regions.yaml"


def _region(path: Path, rid: str, spec, known_kommuner: set[str] | None) -> Region:
    if not isinstance(spec, dict) or "name" not in spec:
        raise InputError(path, "a mapping with at least 'name'", key=f"regions.{rid}")
    kommuner = tuple(str(k) for k in spec.get("kommuner", []))
    lan = tuple(str(k) for k in spec.get("lan", []))
    for code in kommuner:
        if len(code) != 4 or not code.isdigit() or (known_kommuner is not None and code not in known_kommuner):
            raise InputError(path, "a known 4-digit kommun code (quote it: \"2425\")",
                             key=f"regions.{rid}.kommuner", value=code)
    for code in lan:
        if len(code) != 2 or not code.isdigit():
            raise InputError(path, "a 2-digit län code such as \"24\"", key=f"regions.{rid}.lan", value=code)
    if not (kommuner or lan or spec.get("all")):
        raise InputError(path, "one of 'kommuner', 'lan' or 'all: true'", key=f"regions.{rid}")
    for code in lan:
        if known_kommuner is not None and not any(k.startswith(code) for k in known_kommuner):
            raise InputError(path, "a län code with at least one kommun", key=f"regions.{rid}.lan", value=code)
    return Region(rid, str(spec["name"]), kommuner, lan, bool(spec.get("all", False)), str(spec.get("description", "")))


def parse_regions(doc: dict, path: Path, known_kommuner: set[str] | None = None) -> RegionConfig:
    """A :class:`RegionConfig` from a parsed YAML document; every mistake is a one-line ``InputError``."""
    regions = {rid: _region(path, rid, spec, known_kommuner) for rid, spec in (doc.get("regions") or {}).items()}
    have = f"a region defined under 'regions' (have: {', '.join(regions)})"
    study = str(doc.get("study_region", ""))
    comparisons = tuple(str(c) for c in doc.get("comparisons", []))
    for rid in (study, *comparisons):
        if rid not in regions:
            raise InputError(path, have, key="study_region" if rid == study else "comparisons", value=rid)
    extent = doc.get("map_extent") or []
    if not isinstance(extent, list):
        raise InputError(path, "a list of region ids", key="map_extent", value=extent)
    for rid in map(str, extent):
        if rid not in regions:
            raise InputError(path, have, key="map_extent", value=rid)
    outside = _outside(regions[study], [regions[str(r)] for r in extent], known_kommuner)
    if extent and outside:
        raise InputError(path, f"regions that contain the study region {study!r}, but its "
                               f"{', '.join(outside[:4])}{', …' if len(outside) > 4 else ''} lie outside them (the maps "
                               "would show other counties than the study's): add the study region to map_extent, or "
                               "delete map_extent to show the counties the study region lies in",
                         key="map_extent", value=", ".join(map(str, extent)))
    town = doc.get("reference_town")
    if town is not None:
        town = str(town)
        if len(town) != 4 or not town.isdigit() or (known_kommuner is not None and town not in known_kommuner):
            raise InputError(path, "a known 4-digit kommun code whose centre distances are measured to (\"2480\")",
                             key="reference_town", value=town)
    surveys = doc.get("survey_regions") or {}
    if not isinstance(surveys, dict):
        raise InputError(path, "a mapping of survey data set to region id", key="survey_regions", value=surveys)
    for dataset, rid in surveys.items():
        if str(rid) not in regions:
            raise InputError(path, have, key=f"survey_regions.{dataset}", value=rid)
    return RegionConfig(study, comparisons, regions, tuple(map(str, extent)), town,
                        {str(d): str(r) for d, r in surveys.items()})


def _outside(study: Region, extent: list[Region], known: set[str] | None) -> list[str]:
    """The parts of the study region (kommun codes, län codes, 'all') that no region of the map extent covers."""
    if any(r.all for r in extent):
        return []
    kommuner = {k for r in extent for k in r.kommuner}
    lan = {code for r in extent for code in r.lan}
    if study.all:
        return ["municipalities (all of Sweden)"]
    outside = [f"kommun {k}" for k in study.kommuner if k not in kommuner and k[:2] not in lan]
    for code in study.lan:
        members = {k for k in known or () if k.startswith(code)}
        if code not in lan and not (members and members <= kommuner):
            outside.append(f"län {code}")
    return outside


def load_regions(path: Path | None = None, known_kommuner: set[str] | None = None) -> RegionConfig:
    """Parse and check the region configuration: its schema first (``analysis.core.config_schema.RegionsFile``:
    types, unknown or duplicate keys, quoted booleans), then the meaning of its ids and codes."""
    from analysis.core.config_schema import RegionsFile, validated

    path = path or config_path()
    doc = validated(path, RegionsFile, "region configuration file")
    return parse_regions(doc.model_dump(), path, known_kommuner)


def membership(config: RegionConfig, kommun_codes: pd.Series) -> pd.DataFrame:
    """Long table (region_id, region_name, kommun_kod) of every configured region's members."""
    import pandas as pd

    rows = []
    codes = kommun_codes.sort_values().reset_index(drop=True)
    for region in config.regions.values():
        for code in codes[region.members(codes)]:
            rows.append((region.id, region.name, code))
    return pd.DataFrame(rows, columns=["region_id", "region_name", "kommun_kod"])


def region_kommuner(config: RegionConfig, region_id: str, kommun_codes: pd.Series) -> list[str]:
    """Sorted kommun codes of one configured region among ``kommun_codes``."""
    codes = kommun_codes.astype(str)
    return sorted(codes[config.regions[region_id].members(codes)])


def map_kommuner(config: RegionConfig, kommun_codes: pd.Series) -> list[str]:
    """The municipalities the maps show: the union of ``map_extent``'s regions, or else every municipality of
    the counties the study region lies in (always including the study region itself)."""
    codes = kommun_codes.astype(str)
    study = set(region_kommuner(config, config.study_region, codes))
    if config.map_extent:
        chosen = set().union(*(region_kommuner(config, rid, codes) for rid in config.map_extent))
    else:
        counties = {code[:2] for code in study}
        chosen = set(codes[codes.str[:2].isin(counties)])
    return sorted(chosen | study)


def reference_kommun(config: RegionConfig, municipalities: pd.DataFrame) -> str:
    """The kommun whose centre distances are measured to: ``reference_town``, or else the most populous
    municipality of the map extent (``municipalities``: kommun_kod, population)."""
    if config.reference_town is not None:
        return config.reference_town
    shown = municipalities[municipalities["kommun_kod"].isin(map_kommuner(config, municipalities["kommun_kod"]))]
    return str(shown.sort_values(["population", "kommun_kod"], ascending=[False, True])["kommun_kod"].iloc[0])


def counties_of(kommun_codes) -> list[str]:
    """The sorted county (län) codes of some kommun codes (the first two digits)."""
    return sorted({str(code)[:2] for code in kommun_codes})
