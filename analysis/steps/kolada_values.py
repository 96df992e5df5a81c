"""Step: Kolada's client-survey values from every catalogued snapshot (``kind: kolada_client_survey``), each
year from the newest snapshot that holds it, validated once for the steps that read them; and which snapshot
supplied each year."""

from __future__ import annotations

from pathlib import Path

from analysis.core import paths
from analysis.public_data import kolada_snapshots

OUTPUTS = ("kolada_values.parquet", "kolada_snapshots.csv")


def inputs() -> list[Path]:
    return kolada_snapshots.input_paths()


def outputs() -> list[Path]:
    return [paths.processed(name) for name in OUTPUTS]


def run() -> None:
    import pandas as pd

    from analysis.core.files import atomic_path, write_csv

    values = kolada_snapshots.client_survey_values()
    sources = kolada_snapshots.year_sources(kolada_snapshots.client_survey_snapshots())
    with atomic_path(paths.processed("kolada_values.parquet")) as tmp:
        values.to_parquet(tmp, index=False, compression="zstd")
    write_csv(paths.processed("kolada_snapshots.csv"), pd.DataFrame(
        [{"year": year, "snapshot": s.id, "file": s.file, "access_date": str(s.meta.get("access_date", "")),
          "values": int((values["year"] == year).sum())} for year, s in sources.items()]))
