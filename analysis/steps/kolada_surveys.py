"""Step: the processed client surveys (synthetic twin or real) against Kolada's published results."""

from __future__ import annotations

from pathlib import Path

from analysis.core import paths
from analysis.survey_data.codebooks import codebook_dir

CLIENT_SURVEYS = ("client_survey_2018", "client_survey_2019")


def inputs() -> list[Path]:
    return [*(paths.processed(f"{d}.parquet") for d in CLIENT_SURVEYS),
            paths.processed("kolada_values.parquet"),
            *sorted(codebook_dir().glob("client_survey_*.yaml"))]


def outputs() -> list[Path]:
    return [paths.processed("kolada_survey_comparison.csv")]


def run() -> None:
    import pandas as pd

    from analysis.survey_data.codebooks import load_codebooks
    from analysis.core.files import write_csv
    from analysis.public_data.kolada import client_survey_values
    from analysis.client_surveys.kolada_check import compare_with_kolada

    values = pd.read_parquet(paths.processed("kolada_values.parquet"))
    names = dict(zip(values["kommun_kod"], values["municipality"]))
    codebooks = load_codebooks()
    parts = []
    for dataset in CLIENT_SURVEYS:
        frame = pd.read_parquet(paths.processed(f"{dataset}.parquet"))
        codebook = codebooks[dataset]
        parts.append(compare_with_kolada(frame, codebook, client_survey_values(values, codebook.years[0]), names)
                     .assign(data_source=frame["data_source"].iloc[0] if len(frame) else ""))
    write_csv(paths.processed("kolada_survey_comparison.csv"), pd.concat(parts, ignore_index=True))
