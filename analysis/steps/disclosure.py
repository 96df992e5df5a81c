"""Step: audit every published sub-group table for cells with fewer respondents than the threshold."""

from __future__ import annotations

from pathlib import Path

from analysis.core import paths
from analysis.survey_data import scope as survey_scope
from analysis.survey_data.codebooks import DATASETS, codebook_dir
from analysis.core.settings import survey_settings_path


def inputs() -> list[Path]:
    return [*(paths.processed(f"{d}.parquet") for d in DATASETS), paths.config_dir() / "disclosure.yaml",
            *sorted(codebook_dir().glob("*.yaml")), *survey_scope.inputs(), survey_settings_path()]


def outputs() -> list[Path]:
    return [paths.processed("disclosure_audit.csv")]


def run() -> None:
    import pandas as pd

    from analysis.core import disclosure
    from analysis.core.errors import ManyInputErrors
    from analysis.core.files import write_csv
    from analysis.report.publications import audit, published_cells

    frames = {d: pd.read_parquet(paths.processed(f"{d}.parquet")) for d in DATASETS}
    cells = published_cells(frames, survey_scope.scoped_codebooks())  # real data: configured municipalities
    violations = audit(cells, disclosure.THRESHOLD)
    if len(violations):
        raise ManyInputErrors([
            f"disclosure: table '{r.table}', group '{r.group}', cell '{r.cell}' would publish n = {r.n}; "
            + (f"expected 0 or at least {disclosure.THRESHOLD} respondents" if r.problem == "small" else
               "expected the group's answers in at least two cells (all in one tells every member's answer)")
            for r in violations.itertuples(index=False)])
    write_csv(paths.processed("disclosure_audit.csv"), cells.assign(threshold=disclosure.THRESHOLD))
