"""Step: the region against the country on Kolada's real client-survey results (IFO total, 2016–2022)."""

from __future__ import annotations

from pathlib import Path

from analysis.core import paths
from analysis.survey_data.codebooks import codebook_dir

OUTPUTS = ("kolada_indicators.csv", "kolada_national_distribution.csv", "kolada_groups.csv", "kolada_trends.csv",
           "kolada_ifo_costs.csv")
GROUPS = {"Region 10": "G122469"}   # Kolada's own group; the GINO eight come from the 2018 codebook
STUDY = "GINO-kommunerna"


def inputs() -> list[Path]:
    return [paths.raw("kolada/brukarbedomning_ifo_kommun_2016_2022.csv"), paths.raw("kolada/kommungrupper.csv"),
            paths.raw("kolada/ifo_nyckeltal_region10_2014_2022.csv"), codebook_dir() / "client_survey_2018.yaml"]


def outputs() -> list[Path]:
    return [paths.processed(name) for name in OUTPUTS]


def run() -> None:
    from analysis.client_surveys import kolada_region as kr
    from analysis.public_data.catalog import snapshot
    from analysis.survey_data.codebooks import load_codebook
    from analysis.core.files import write_csv
    from analysis.public_data.kolada import read_groups, read_kpi_values
    from analysis.client_surveys.kolada_context import cost_against_country

    values = read_kpi_values(snapshot("kolada_client_survey").path)
    groups = read_groups(snapshot("kolada_municipality_groups").path)
    members = {name: sorted(groups.loc[groups["group_id"] == gid, "kommun_kod"]) for name, gid in GROUPS.items()}
    members[STUDY] = sorted(load_codebook("client_survey_2018").municipalities)
    indicators = kr.indicator_values(values)
    distribution = kr.national_distribution(indicators)
    summary = kr.position(kr.group_summary(indicators, members), indicators, distribution)
    write_csv(paths.processed("kolada_indicators.csv"), indicators.round(6))
    write_csv(paths.processed("kolada_national_distribution.csv"), distribution.round(6))
    write_csv(paths.processed("kolada_groups.csv"), summary.round(6))
    write_csv(paths.processed("kolada_trends.csv"), kr.trends(indicators, members["Region 10"], distribution).round(6))
    context = read_kpi_values(snapshot("kolada_ifo_region10").path)
    write_csv(paths.processed("kolada_ifo_costs.csv"), cost_against_country(context, members["Region 10"]).round(6))
