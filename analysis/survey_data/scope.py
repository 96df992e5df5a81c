"""Which municipalities a survey data set may hold: from the configured regions for real exports.

``config/regions.yaml`` names, per survey data set, the region whose municipalities a real export may
contain (``survey_regions``, default the study region). The synthetic twin keeps its codebook's list:
it reproduces the GINO study, whatever study region is configured.
"""

from __future__ import annotations

import csv
from pathlib import Path

from analysis.core import paths
from analysis.survey_data.codebooks import Codebook, with_municipalities


def inputs() -> list[Path]:
    """What the scope is read from, for the build steps' dependencies: nothing on the synthetic twin
    (its municipalities are its codebook's), so editing the regions does not rerun the survey steps."""
    from analysis.public_data.regions import config_path
    from analysis.core.settings import load_survey_settings

    if load_survey_settings().is_synthetic:
        return []
    return [config_path(), paths.processed("region_members.csv"), paths.processed("municipalities.csv")]


def configured_municipalities(dataset: str, known_names: dict[str, str] | None = None) -> dict[str, str]:
    """Code -> name of the municipalities of the region configured for ``dataset``.

    A region listed by kommun codes needs nothing built (names from the municipality table when built, else
    ``known_names``, else the code); a region given by counties or ``all`` is resolved through the build's
    region membership.
    """
    from analysis.public_data.regions import load_regions

    region = load_regions().survey_region(dataset)
    names = dict(known_names or {})
    if paths.processed("municipalities.csv").exists():
        with paths.processed("municipalities.csv").open(encoding="utf-8", newline="") as f:
            names |= {r["kommun_kod"]: r["kommun_namn"] for r in csv.DictReader(f)}
    if region.kommuner and not (region.lan or region.all):
        codes = sorted(region.kommuner)
    else:
        with paths.processed("region_members.csv").open(encoding="utf-8", newline="") as f:  # a build output
            codes = sorted(r["kommun_kod"] for r in csv.DictReader(f) if r["region_id"] == region.id)
    return {code: names.get(code, code) for code in codes}


def scoped_codebook(codebook: Codebook, source: str) -> Codebook:
    """The codebook as the build applies it: real data -> municipalities of the configured region;
    synthetic -> unchanged (the twin holds the GINO municipalities of the codebook)."""
    if source != "real":
        return codebook
    return with_municipalities(codebook, configured_municipalities(codebook.dataset, codebook.municipalities))


def scoped_codebooks() -> dict[str, Codebook]:
    """Every data set's codebook as the build applies it, for the configured survey source."""
    from analysis.survey_data.codebooks import load_codebooks
    from analysis.core.settings import load_survey_settings

    source = load_survey_settings().source
    return {dataset: scoped_codebook(codebook, source) for dataset, codebook in load_codebooks().items()}
