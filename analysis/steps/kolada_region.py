"""Step: the region against the country on Kolada's real client-survey results (IFO total, every year)."""

from __future__ import annotations

from pathlib import Path

from analysis.core import paths

OUTPUTS = ("kolada_indicators.csv", "kolada_national_distribution.csv", "kolada_groups.csv", "kolada_trends.csv",
           "kolada_ifo_costs.csv", "kolada_group_tests.csv", "kolada_group_joint.csv")
REFERENCES = {"Riket": None, "Landsbygdskommuner (G92791)": "G92791"}  # Kolada's "Landsbygdskommun, ej nära större stad"
SURVEY_YEARS = (2018, 2019)  # the GINO rounds


def inputs() -> list[Path]:
    return [paths.processed("kolada_values.parquet"), paths.raw("kolada/kommungrupper.csv"),
            paths.raw("kolada/ifo_nyckeltal_region10_2014_2022.csv"), paths.processed("compared_regions.csv")]


def outputs() -> list[Path]:
    return [paths.processed(name) for name in OUTPUTS]


def group_members() -> tuple[dict[str, list[str]], dict[str, list[str] | None]]:
    """The groups compared (``compared_regions.csv``: the study region first, then each comparison region made
    of named municipalities, such as Region 10) and the references: the country and Kolada's rural
    municipalities (G92791)."""
    import pandas as pd

    from analysis.public_data.catalog import snapshot
    from analysis.public_data.kolada import read_groups

    table = pd.read_csv(paths.processed("compared_regions.csv"), dtype=str)
    members = {name: sorted(part["kommun_kod"]) for name, part in table.groupby("region_name", sort=False)}
    groups = read_groups(snapshot("kolada_municipality_groups").path)
    references = {name: (sorted(groups.loc[groups["group_id"] == gid, "kommun_kod"]) if gid else None)
                  for name, gid in REFERENCES.items()}
    return members, references


def run() -> None:
    import pandas as pd

    from analysis.client_surveys import kolada_groups, kolada_region as kr
    from analysis.public_data.catalog import snapshot
    from analysis.core.files import write_csv
    from analysis.public_data.kolada import read_kpi_values
    from analysis.client_surveys.kolada_context import cost_against_country

    values = pd.read_parquet(paths.processed("kolada_values.parquet"))
    members, references = group_members()
    indicators = kr.indicator_values(values)
    distribution = kr.national_distribution(indicators)
    summary = kr.position(kr.group_summary(indicators, members), indicators, distribution)
    write_csv(paths.processed("kolada_indicators.csv"), indicators.round(6))
    write_csv(paths.processed("kolada_national_distribution.csv"), distribution.round(6))
    write_csv(paths.processed("kolada_groups.csv"), summary.round(6))
    region = sorted(set().union(*members.values()))  # every municipality of the groups
    write_csv(paths.processed("kolada_trends.csv"), kr.trends(indicators, region, distribution).round(6))
    write_csv(paths.processed("kolada_group_tests.csv"),
              kolada_groups.cell_comparison(indicators, members, references, SURVEY_YEARS).round(6))
    write_csv(paths.processed("kolada_group_joint.csv"),
              kolada_groups.joint_comparison(indicators, members, references, SURVEY_YEARS).round(6))
    context = read_kpi_values(snapshot("kolada_ifo_region10").path)
    write_csv(paths.processed("kolada_ifo_costs.csv"), cost_against_country(context, region).round(6))
