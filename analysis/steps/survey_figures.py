"""Step: every figure the report publishes about the surveys, reproduced from the processed survey data."""

from __future__ import annotations

from pathlib import Path


from analysis.core import paths
from analysis.survey_data import scope as survey_scope
from analysis.survey_data.codebooks import DATASETS, codebook_dir
from analysis.core.settings import survey_settings_path

PUBLISHED = "survey_figures.csv"


def inputs() -> list[Path]:
    return [*(paths.processed(f"{d}.parquet") for d in DATASETS), paths.published_dir() / PUBLISHED,
            *sorted(codebook_dir().glob("*.yaml")), paths.processed("kolada_poster_rules.csv"),
            *survey_scope.inputs(), survey_settings_path()]


def outputs() -> list[Path]:
    return [paths.processed("published_survey_figures_comparison.csv"), paths.processed(SUMMARY)]


# How many figures are reproduced, in conflict with Kolada or differing: what the data notices say. A file of its own,
# which changes only when a count does, so a changed answer does not re-execute every notebook that shows a notice.
SUMMARY = "published_survey_figures_summary.json"


def run() -> None:
    import pandas as pd

    from analysis.core.files import write_csv, write_json
    from analysis.survey_data.published import compare_published_surveys, read_published_survey_figures

    codebooks = survey_scope.scoped_codebooks()  # on real data: the configured regions' municipalities
    frames = {d: pd.read_parquet(paths.processed(f"{d}.parquet")) for d in DATASETS}
    source = frames[DATASETS[0]]["data_source"].iloc[0]
    published = read_published_survey_figures(paths.published_dir() / PUBLISHED, set(DATASETS))
    comparison = compare_published_surveys(published, frames, codebooks, data_source=source,
                                           file=paths.published_dir() / PUBLISHED)
    # A figure that no Kolada-consistent data can reproduce under its stated rule is a conflict between
    # the two published sources, shown as such by the check rather than counted as a failure of the data.
    from analysis.survey_data.kolada_reconcile import stored_rule_conflicts

    rules = pd.read_csv(paths.processed("kolada_poster_rules.csv"))
    conflicts = stored_rule_conflicts(rules)
    comparison["kolada_conflict"] = comparison["figure_id"].map(conflicts).fillna("")
    write_csv(paths.processed("published_survey_figures_comparison.csv"), comparison)
    passed = comparison["passed"].astype(str).str.lower().eq("true")
    conflict = comparison["kolada_conflict"].ne("") & ~passed
    write_json(paths.processed(SUMMARY), {"data_source": source, "total": len(comparison),
                                          "reproduced": int(passed.sum()), "conflicts": int(conflict.sum()),
                                          "other": int((~passed & ~conflict).sum())})
