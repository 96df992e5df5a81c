"""What ``gino check`` says: one line per stage, every failure in full, the tables on request (``--details``)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd
from tabulate import tabulate


@dataclass
class CheckSummary:
    lines: list[str]
    failures: list[str]
    details: list[tuple[str, str]] = field(default_factory=list)  # (title, plain-text table)


def _passed(column: pd.Series) -> pd.Series:
    return column.astype(str).str.lower().eq("true")


def _table(frame: pd.DataFrame, columns: list[str]) -> str:
    """A plain-text table that is never cut: long cells stay whole, however wide the terminal."""
    return tabulate(frame[columns].astype(str).values.tolist(), headers=columns, tablefmt="simple",
                    disable_numparse=True)


def region_facts(comparison: pd.DataFrame) -> tuple[str, list[str]]:
    passed = _passed(comparison["passed"])
    failures = [f"published figure not reproduced: {r.figure_id}: published {r.published_value}, computed "
                f"{r.computed_value} ({r.comparison}, tolerance {r.tolerance or 0})"
                for r in comparison[~passed].itertuples(index=False)]
    return (f"region facts: {int(passed.sum())} of {len(comparison)} published in the GINO report reproduced "
            "within their stated tolerance"), failures


def survey_figures(surveys: pd.DataFrame) -> tuple[str, list[str]]:
    """The published survey figures: reproduced, in conflict with Kolada (shown, not forced), or failing.

    On real exports a figure that differs is information (another round or region), so nothing fails there;
    the twin must reproduce every figure that Kolada's public values allow.
    """
    source = surveys["data_source"].iloc[0] if len(surveys) else "synthetic"
    passed = _passed(surveys["passed"])
    conflict = surveys["kolada_conflict"].ne("") & ~passed
    differ = ~passed & ~conflict
    label = "the synthetic twin" if source == "synthetic" else "the REAL survey exports"
    line = f"survey figures: {int(passed.sum())} of {len(surveys)} published in the GINO report reproduced on {label}"
    if conflict.any():
        line += f"; {int(conflict.sum())} conflict with Kolada's published values ({', '.join(surveys.loc[conflict, 'figure_id'])})"
    if differ.any() and source == "real":
        line += (f"; {int(differ.sum())} differ, which is information, not an error, with real exports "
                 "(another round or region)")
    failures = [] if source == "real" else [
        f"published figure not reproduced: {r.figure_id}: published {r.published_value} ({r.rule}), computed "
        f"{r.computed} on {r.data_source} data" for r in surveys[differ].itertuples(index=False)]
    return line, failures


def kolada_values(kolada: pd.DataFrame, source: str, failed: list[str]) -> tuple[str, list[str]]:
    label = "the synthetic twin" if source == "synthetic" else "the REAL survey exports"
    line = (f"Kolada: {len(kolada) - len(failed)} of {len(kolada)} municipality values (U30901, U30447–U30453) "
            f"agree with {label}")
    if source == "real" and failed:
        return line + "; those that differ are information, not an error, with real exports", []
    return line, [f"disagrees with Kolada: {f}" for f in failed]


def summarise(raw_lines: list[str], comparison: pd.DataFrame, surveys: pd.DataFrame, kolada: pd.DataFrame,
              kolada_failed: list[str]) -> CheckSummary:
    """The check's lines (one per stage), its failures, and its tables for ``--details``."""
    source = surveys["data_source"].iloc[0] if len(surveys) else "synthetic"
    facts_line, facts_failures = region_facts(comparison)
    survey_line, survey_failures = survey_figures(surveys)
    kolada_line, kolada_failures = kolada_values(kolada, source, kolada_failed)
    lines = [f"raw snapshots: verified (size, sha256) and valid ({len(raw_lines)} tables and layers)", facts_line, survey_line, kolada_line]
    conflicts = surveys[surveys["kolada_conflict"].ne("") & ~_passed(surveys["passed"])]
    surveys = surveys.assign(ok=surveys["passed"].map(lambda p: "yes" if str(p) == "True" else "NO"))
    surveys.loc[conflicts.index, "ok"] = "conflict: Kolada"
    details = [
        ("Raw snapshots", "\n".join(raw_lines)),
        ("Published region facts (GINO report) against the pipeline",
         _table(comparison.assign(ok=comparison["passed"].map(lambda p: "yes" if str(p) == "True" else "NO")),
                ["figure_id", "published_value", "computed_value", "comparison", "tolerance", "ok"])),
        (f"Published survey figures (GINO report) against the pipeline, on {source} survey data",
         _table(surveys, ["figure_id", "published_value", "rule", "computed", "ok", "source"])),
        ("Conflicts with Kolada", "\n".join(f"{r.figure_id} ({r.published_value} av 10) {r.kolada_conflict}"
                                            for r in conflicts.itertuples(index=False)) or "none"),
        ("Municipality values against Kolada",
         _table(kolada.assign(ok=kolada["passed"].map(lambda p: "yes" if str(p) == "True" else "NO")),
                ["year", "kommun", "measure", "kpi_id", "kolada_value", "survey", "ok"])),
    ]
    return CheckSummary(lines, facts_failures + survey_failures + kolada_failures, details)
