"""The idea inventory ("popcornlapparna"): ideas from the project's first conference, as the report lists them.

The report sorts the ideas under three top-level headings and sub-headings; the published file
keeps one row per idea with its headings, its position under the sub-heading and its text as
printed. Counts and tables keep the published order of the headings (their order in the file).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from analysis.presentation.formatting import sv_number, sv_percent
from analysis.public_data.schemas import integer, matches, one_of, text_column, validate
from analysis.public_data.sources import as_int, read_csv_text

LEVEL1 = ("ORGANISATIONER", "VERKSAMHET", "BRUKARE")
NOT_EMPTY = r"(?s)\S.*"


def read_ideas(path: Path) -> pd.DataFrame:
    """The published ideas file, validated; ``position`` as int, everything else as text, in file order."""
    raw = read_csv_text(path)
    schema = pa.DataFrameSchema({
        "idea_id": text_column(matches(r"[a-z]+(-[a-z]+)*-\d{2}", "an id such as 'org-digitala-system-01'")),
        "level1": text_column(one_of(LEVEL1)),
        "level2": text_column(matches(NOT_EMPTY, "a sub-heading (not empty)")),
        "position": text_column(integer(1)),
        "text": text_column(matches(NOT_EMPTY, "the idea's text (not empty)")),
        "source": text_column(matches(NOT_EMPTY, "the report's section and page")),
    }, unique=["idea_id"], report_duplicates="all")
    validate(raw, schema, path)
    return raw.assign(position=as_int(raw["position"]))


def idea_counts(ideas: pd.DataFrame) -> pd.DataFrame:
    """Ideas per sub-heading (``n``, ``share`` of all ideas) and per top heading (``n_level1``, ``share_level1``)."""
    counts = ideas.groupby(["level1", "level2"], sort=False).size().rename("n").reset_index()
    counts["share"] = counts["n"] / len(ideas)
    counts["n_level1"] = counts.groupby("level1", sort=False)["n"].transform("sum")
    counts["share_level1"] = counts["n_level1"] / len(ideas)
    return counts


def idea_count_table(counts: pd.DataFrame) -> pd.DataFrame:
    """``idea_counts`` for presentation: a subtotal row per top heading and a grand total, Swedish numbers."""
    rows = []
    for level1, group in counts.groupby("level1", sort=False):
        rows += [(level1, r.level2, r.n, r.share) for r in group.itertuples()]
        rows.append((level1, "Hela området", group["n"].sum(), group["n"].sum() / counts["n"].sum()))
    rows.append(("Samtliga idéer", "", counts["n"].sum(), 1.0))
    return pd.DataFrame([(a, b, sv_number(int(n)), sv_percent(s)) for a, b, n, s in rows],
                        columns=["Område", "Underområde", "Antal idéer", "Andel av alla idéer"])


def idea_table(ideas: pd.DataFrame) -> pd.DataFrame:
    """Every idea under its headings, in the published order."""
    table = ideas[["level1", "level2", "text"]].reset_index(drop=True)
    return table.set_axis(["Område", "Underområde", "Idé"], axis=1)
