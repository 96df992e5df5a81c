"""Step: the disclosure audit over everything published and public; the plan every document follows.

Outputs: ``disclosure_plan.json`` (what each document shows, read by the notebooks and the feedback
documents), ``disclosure_audit.csv`` (every hidden client-survey answer cell with the range an outsider can
derive from everything published and Kolada), ``output_checks.csv`` and ``output_checks.json`` (the output
checkers' summary, the latter in ACRO's results layout). The build fails with one line per breach.
"""

from __future__ import annotations

from pathlib import Path

from analysis.core import paths
from analysis.core.settings import survey_settings_path
from analysis.survey_data import scope as survey_scope
from analysis.survey_data.codebooks import DATASETS, codebook_dir

OUTPUTS = ("disclosure_plan.json", "disclosure_audit.csv", "output_checks.csv", "output_checks.json")


def inputs() -> list[Path]:
    return [*(paths.processed(f"{d}.parquet") for d in DATASETS), paths.config_dir() / "disclosure.yaml",
            *sorted(codebook_dir().glob("*.yaml")), *survey_scope.inputs(), survey_settings_path(),
            paths.published_dir() / "survey_figures.csv", paths.processed("kolada_pairs.csv"),
            paths.processed("published_survey_figures_comparison.csv")]


def outputs() -> list[Path]:
    return [paths.processed(name) for name in OUTPUTS]


def run() -> None:
    import pandas as pd

    from analysis.core import disclosure
    from analysis.core.errors import ManyInputErrors
    from analysis.core.files import write_csv, write_text
    from analysis.report import checker_summary
    from analysis.report.audit import breach_lines, run_audit
    from analysis.survey_data.published import read_published_survey_figures

    frames = {d: pd.read_parquet(paths.processed(f"{d}.parquet")) for d in DATASETS}
    codebooks = survey_scope.scoped_codebooks()  # real data: configured municipalities
    figures = read_published_survey_figures(paths.published_dir() / "survey_figures.csv")
    pairs = pd.read_csv(paths.processed("kolada_pairs.csv"), dtype={"kommun_kod": str})
    comparison = figures.merge(pd.read_csv(paths.processed("published_survey_figures_comparison.csv"), dtype=str)
                               [["figure_id", "computed", "numerator", "denominator", "passed"]], on="figure_id")
    try:
        result = run_audit(frames, codebooks, figures, pairs, disclosure.THRESHOLD, comparison)
    except RuntimeError as exc:
        raise ManyInputErrors([str(exc)]) from None
    if len(result.breaches):
        raise ManyInputErrors(breach_lines(result.audits, disclosure.THRESHOLD))
    write_text(paths.processed("disclosure_plan.json"), result.plan.to_json() + "\n")
    ranges = pd.DataFrame([(*k, *v) for k, v in sorted(result.ranges.items())],
                          columns=["survey", "item", "municipality", "cell", "derivable_low", "derivable_high"])
    write_csv(paths.processed("disclosure_audit.csv"), ranges.assign(threshold=disclosure.THRESHOLD))
    write_csv(paths.processed("output_checks.csv"), result.summary)
    write_text(paths.processed("output_checks.json"), checker_summary.acro_results(result.summary) + "\n")
