"""The figures the GINO report publishes about its surveys, and their reproduction from survey frames.

Each published figure names a measure on one data set (a count, a share of given answer
codes, the number of municipalities, …) and a rule saying how the report rounded or
phrased it. Shares are computed exactly (as fractions of whole respondents) and rounded
half up, as a person or a spreadsheet rounds, never half to even.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.survey_data.codebooks import Codebook
from analysis.core.errors import InputError
from analysis.public_data.schemas import matches, one_of, text_column, validate

RULES = ("equal", "percent", "of_ten", "greater_than", "less_than", "between")
MEASURES = ("respondents", "count", "missing", "answered", "share", "municipalities",
            "min_per_municipality", "max_per_municipality", "top_two", "respondents_more_than")


def read_published_survey_figures(path: Path, datasets: set[str] | None = None) -> pd.DataFrame:
    """The published survey figures file, validated (all cells as text)."""
    from analysis.public_data.sources import read_csv_text

    raw = read_csv_text(path)
    columns = {
        "figure_id": text_column(matches(r"[a-z0-9_]+", "a snake_case figure id")),
        "dataset": text_column(one_of(datasets) if datasets else matches(r"[a-z0-9_]+", "a data set name")),
        "description": text_column(),
        "published_value": text_column(matches(r"[0-9.;]+", "a number, or two numbers as 'low;high'")),
        "rule": text_column(one_of(RULES)),
        "measure": text_column(one_of(MEASURES)),
        "variable": text_column(),
        "codes": text_column(matches(r"(-?\d+(;-?\d+)*)?", "answer codes separated by ';', or nothing")),
        "interpretation": text_column(),
        "source": text_column(matches(r".+", "the report's table or section")),
    }
    validate(raw, pa.DataFrameSchema(columns, unique=["figure_id"], report_duplicates="all"), path)
    return raw


def round_half_up(x: Fraction) -> int:
    return int(x + Fraction(1, 2)) if x >= 0 else -round_half_up(-x)


def codes_of(text: str) -> list[int]:
    return [int(c) for c in str(text).split(";") if c != ""]


@dataclass(frozen=True)
class Share:
    """``k`` of ``n`` substantive answers; exact value as a fraction."""

    k: int
    n: int

    @property
    def value(self) -> Fraction:
        return Fraction(self.k, self.n) if self.n else Fraction(0)


def substantive(frame: pd.DataFrame, codebook: Codebook, variable: str) -> pd.Series:
    """Answers other than missing and "vet inte"."""
    scale = codebook.variable(variable).scale
    answers = frame[variable].dropna()
    return answers[~answers.isin(list(scale.dont_know))]


def share(frame: pd.DataFrame, codebook: Codebook, variable: str, codes: list[int]) -> Share:
    """How many of the substantive answers to ``variable`` fall in ``codes``."""
    answers = substantive(frame, codebook, variable)
    return Share(int(answers.isin(codes).sum()), int(len(answers)))


def measure(spec, frames: dict[str, pd.DataFrame], codebooks: dict[str, Codebook]):
    """The value of one published figure's measure: an int, a ``Share``, or text for ``top_two``."""
    frame, codebook = frames[spec.dataset], codebooks[spec.dataset]
    municipality = codebook.identifiers["municipality"]
    m, variable, codes = spec.measure, spec.variable, codes_of(spec.codes)
    if m == "respondents":
        return len(frame)
    if m == "count":
        return int(frame[variable].isin(codes).sum())
    if m == "missing":
        return int(frame[variable].isna().sum())
    if m == "answered":
        return int(frame[variable].notna().sum())
    if m == "share":
        return share(frame, codebook, variable, codes)
    if m == "municipalities":
        return int(frame[municipality].nunique())
    if m in ("min_per_municipality", "max_per_municipality"):
        counts = frame[municipality].value_counts()
        return int(counts.min() if m.startswith("min") else counts.max())
    if m == "top_two":
        counts = substantive(frame, codebook, variable).value_counts()
        top = counts.sort_values(ascending=False, kind="stable").head(2)
        tied = len(counts) > 2 and counts.iloc[2] == top.iloc[-1]
        return ";".join(str(c) for c in sorted(top.index)) + (" (tie for second place)" if tied else "")
    if m == "respondents_more_than":
        return len(frame) - len(frames[variable])
    raise ValueError(f"unknown measure {m}")


def passes(rule: str, published: str, computed) -> bool:
    """Whether ``computed`` reproduces ``published`` under the report's ``rule``."""
    exact = computed.value if isinstance(computed, Share) else computed
    if rule == "equal":
        return str(exact) == published
    if rule == "percent":
        return round_half_up(exact * 100) == int(published)
    if rule == "of_ten":
        return round_half_up(exact * 10) == int(published)
    if rule == "between":
        low, high = (Fraction(x) for x in published.split(";"))
        return low <= exact <= high
    value = Fraction(published)
    return exact > value if rule == "greater_than" else exact < value


def shown(computed) -> str:
    """The computed value as the comparison table shows it (a share as 'k/n = 0.4400')."""
    if isinstance(computed, Share):
        return f"{computed.k}/{computed.n} = {float(computed.value):.4f}"
    return str(computed)


SUBGROUP_MEASURES = ("min_per_municipality", "max_per_municipality")
WITHHELD = "redovisas inte (en kommuns antal under röjandegränsen)"


def disclosure_threshold() -> int:
    from analysis.core.disclosure import THRESHOLD

    return THRESHOLD


def compare_published_surveys(published: pd.DataFrame, frames: dict[str, pd.DataFrame],
                              codebooks: dict[str, Codebook], data_source: str,
                              file: str | Path = "published survey figures") -> pd.DataFrame:
    """Every published survey figure beside its reproduction from ``frames``, with a pass flag."""
    out = []
    for position, p in enumerate(published.itertuples(index=False)):
        try:
            computed = measure(p, frames, codebooks)
        except KeyError as exc:
            raise InputError(file, "a variable or data set the codebooks define", row=position + 2,
                             column="variable", value=str(exc.args[0])) from None
        text = shown(computed)
        if p.measure in SUBGROUP_MEASURES and computed < disclosure_threshold():
            text = WITHHELD  # one municipality's count of 1–4: the pass flag says no more than the report
        out.append({
            "figure_id": p.figure_id,
            "dataset": p.dataset,
            "description": p.description,
            "published_value": p.published_value,
            "rule": p.rule,
            "computed": text,
            "numerator": computed.k if isinstance(computed, Share) else None,
            "denominator": computed.n if isinstance(computed, Share) else None,
            "passed": passes(p.rule, p.published_value, computed),
            "interpretation": p.interpretation,
            "source": p.source,
            "data_source": data_source,
        })
    return pd.DataFrame(out).astype({"numerator": "Int64", "denominator": "Int64"})
