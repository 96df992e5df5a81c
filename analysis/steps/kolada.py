"""Step: the report's client-survey figures against Kolada's real published results.

Writes every (positive, answered) pair Kolada allows per year, municipality and item, the poster
statements tested under each candidate rule, a summary per rule, and the report's other
client-survey facts against Kolada.
"""

from __future__ import annotations

from pathlib import Path

from analysis.core import paths
from analysis.survey_data.codebooks import codebook_dir

CLIENT_SURVEYS = ("client_survey_2018", "client_survey_2019")
OUTPUTS = ("kolada_pairs.csv", "kolada_poster_rules.csv", "kolada_poster_rule_summary.csv",
           "kolada_published_facts.csv")


def inputs() -> list[Path]:
    return [paths.processed("kolada_values.parquet"),
            paths.published_dir() / "survey_figures.csv", *sorted(codebook_dir().glob("client_survey_*.yaml"))]


def outputs() -> list[Path]:
    return [paths.processed(name) for name in OUTPUTS]


def run() -> None:
    import pandas as pd

    from analysis.survey_data.codebooks import load_codebooks
    from analysis.core.files import write_csv
    from analysis.public_data.kolada import client_survey_values
    from analysis.public_data.kolada_pairs import candidate_pairs
    from analysis.survey_data.kolada_reconcile import (
        poster_consistency, poster_figures, published_facts_against_kolada, rule_summary,
    )
    from analysis.survey_data.published import read_published_survey_figures

    values = pd.read_parquet(paths.processed("kolada_values.parquet"))
    names = dict(zip(values["kommun_kod"], values["municipality"]))
    codebooks = load_codebooks()
    figures = read_published_survey_figures(paths.published_dir() / "survey_figures.csv", set(codebooks))
    study = {d: sorted(codebooks[d].municipalities) for d in CLIENT_SURVEYS}
    by_year = {int(d[-4:]): client_survey_values(values, int(d[-4:])) for d in CLIENT_SURVEYS}
    pairs = {d: candidate_pairs(by_year[int(d[-4:])], study[d], names, int(d[-4:])) for d in CLIENT_SURVEYS}
    consistency = poster_consistency(pairs["client_survey_2018"], poster_figures(figures))
    write_csv(paths.processed("kolada_pairs.csv"),
              pd.concat(pairs.values(), ignore_index=True).drop(columns="_pairs").round({"kolada_value": 6}))
    write_csv(paths.processed("kolada_poster_rules.csv"), consistency)
    write_csv(paths.processed("kolada_poster_rule_summary.csv"), rule_summary(consistency))
    write_csv(paths.processed("kolada_published_facts.csv"),
              published_facts_against_kolada(figures, by_year, study))
