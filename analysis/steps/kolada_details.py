"""Step: what else Kolada publishes about the client survey in the region: response rates (U30900), the split
by gender, the sub-areas of IFO, and each item's positive answers as Kolada defines them against the codebook."""

from __future__ import annotations

from pathlib import Path

from analysis.core import paths
from analysis.survey_data.codebooks import codebook_dir

OUTPUTS = ("kolada_response_rates.csv", "kolada_gender.csv", "kolada_areas.csv", "kolada_definitions.csv")


def inputs() -> list[Path]:
    return [paths.processed("kolada_values.parquet"), paths.raw("kolada/kommungrupper.csv"), paths.processed("compared_regions.csv"),
            paths.raw("kolada/kpi_definitioner_ifo.csv"), codebook_dir() / "client_survey_2018.yaml"]


def outputs() -> list[Path]:
    return [paths.processed(name) for name in OUTPUTS]


def run() -> None:
    import pandas as pd

    from analysis.client_surveys import kolada_coverage as coverage
    from analysis.client_surveys.indicators import POSITIVE
    from analysis.client_surveys.kolada_definitions import definition_check
    from analysis.core.files import write_csv
    from analysis.public_data.catalog import snapshot
    from analysis.public_data.kolada import read_kpi_definitions
    from analysis.steps.kolada_region import group_members
    from analysis.survey_data.codebooks import load_codebook

    values = pd.read_parquet(paths.processed("kolada_values.parquet"))
    members, _ = group_members()
    region = sorted(set().union(*members.values()))
    write_csv(paths.processed("kolada_response_rates.csv"), coverage.response_rates(values, region).round(6))
    write_csv(paths.processed("kolada_gender.csv"), coverage.gender_values(values, region).round(6))
    write_csv(paths.processed("kolada_areas.csv"), coverage.area_values(values, region).round(6))
    definitions = read_kpi_definitions(snapshot("kolada_kpi_definitions").path)
    write_csv(paths.processed("kolada_definitions.csv"),
              definition_check(definitions, load_codebook("client_survey_2018"), POSITIVE))
