"""Read-only access to the build's outputs for notebooks and the report (they never write data)."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd

from analysis.core import paths
from analysis.survey_data.codebooks import Codebook, load_codebook

KOMMUN = {"kommun_kod": str, "lan_kod": str, "kommun": str}
SURVEYS = ("innovation_climate_2017", "client_survey_2018", "client_survey_2019")


def _require(name: str):
    path = paths.processed(name)
    if not path.exists():
        from analysis.core.errors import GinoError

        raise GinoError(f"{path}: not built yet; run 'gino build' (or 'make build') first")
    return path


def survey(dataset: str) -> pd.DataFrame:
    """One validated row per respondent (answers as codes, see the codebook), with ``data_source``."""
    return pd.read_parquet(_require(f"{dataset}.parquet"))


def codebook(dataset: str) -> Codebook:
    """The data set's codebook as the build applied it (on real data, the configured regions' municipalities)."""
    from analysis.survey_data.scope import scoped_codebook

    return scoped_codebook(load_codebook(dataset), survey_source()["data_source"])


def survey_meta() -> dict:
    """Which survey data the build read ("synthetic" or "real"), with a notice and file checksums."""
    return json.loads(_require("surveys.meta.json").read_text(encoding="utf-8"))


def survey_source() -> dict:
    """The survey source ("synthetic" or "real") and each survey's municipality codes; changes with neither
    the answers nor the file checksums, so the data notices stay current when an answer changes."""
    return json.loads(_require("survey_source.json").read_text(encoding="utf-8"))


def is_synthetic() -> bool:
    """Whether the build read the synthetic twin."""
    return survey_source()["data_source"] == "synthetic"


def municipalities() -> pd.DataFrame:
    return pd.read_csv(_require("municipalities.csv"), dtype=KOMMUN)


def municipality_shapes() -> gpd.GeoDataFrame:
    return gpd.read_parquet(_require("municipalities.parquet"))


def counties() -> gpd.GeoDataFrame:
    return gpd.read_parquet(_require("counties.parquet"))


def tatorter() -> gpd.GeoDataFrame:
    return gpd.read_parquet(_require("tatorter.parquet"))


def population_grid(ref_year: int | None = None) -> gpd.GeoDataFrame:
    """Swedish 1 km cells with population and kommun; one reference year if given."""
    grid = gpd.read_parquet(_require("population_grid.parquet"))
    return grid if ref_year is None else grid[grid["ref_year"] == ref_year].reset_index(drop=True)


def region_members() -> pd.DataFrame:
    return pd.read_csv(_require("region_members.csv"), dtype=KOMMUN)


def region_facts() -> pd.DataFrame:
    return pd.read_csv(_require("region_facts.csv"))


def published_survey_comparison() -> pd.DataFrame:
    return pd.read_csv(_require("published_survey_figures_comparison.csv"), dtype=str, keep_default_na=False)


def survey_figures_summary() -> dict:
    """How many published survey figures the data reproduce, conflict with Kolada or differ (with the source)."""
    return json.loads(_require("published_survey_figures_summary.json").read_text(encoding="utf-8"))


def published_region_facts_comparison() -> pd.DataFrame:
    return pd.read_csv(_require("published_region_facts_comparison.csv"), dtype=str, keep_default_na=False)


def kolada(name: str) -> pd.DataFrame:
    """A processed Kolada table, e.g. ``kolada("groups")`` for ``kolada_groups.csv`` (real data, RKA/SKR)."""
    return pd.read_csv(_require(f"kolada_{name}.csv"), dtype={"kommun_kod": str})


def grid_coverage() -> list[str]:
    """The län codes the population-grid snapshots cover (``population_grid_coverage.csv``)."""
    return sorted(pd.read_csv(_require("population_grid_coverage.csv"), dtype={"lan_kod": str})["lan_kod"])


def disclosure_plan():
    """What every document shows and hides: the plan the build's disclosure audit chose."""
    from analysis.core.publication_plan import Plan

    return Plan.from_json(_require("disclosure_plan.json").read_text(encoding="utf-8"))
