"""Presentation helpers for notebooks and the report: Swedish tables, the synthetic-data notice."""

from __future__ import annotations

import pandas as pd

from analysis.disclosure import ALL, MERGED, SUPPRESSED
from analysis.formatting import sv_number, sv_percent

SYNTHETIC_NOTICE = ("**Syntetiska data.** Enkätsiffrorna kommer från projektets syntetiska tvilling: påhittade svar "
                    "som återger rapportens publicerade siffror men inte är GINO-studiens svar. Samband mellan "
                    "frågor, kommuner och roller är konstruerade.")
REAL_NOTICE = "**Verkliga enkätdata** från studiens egna enkätfiler (endast aggregerade resultat redovisas)."
SURVEY_NAMES = {"innovation_climate_2017": "Innovationsenkäten 2017", "client_survey_2018": "Brukarenkäten 2018",
                "client_survey_2019": "Brukarenkäten 2019"}
DATA_SOURCES = {"synthetic": "syntetiska", "real": "verkliga"}
TESTS = {"chi-square": "chitvåtest", "Fisher exact": "Fishers exakta test",
         "Fisher–Freeman–Halton (permutation)": "Fisher–Freeman–Halton-test (permutation)"}
RULES = {"equal": "lika", "percent": "hela procent", "of_ten": "N av 10", "greater_than": "större än",
         "less_than": "mindre än", "between": "inom intervallet", "approx": "ungefär (med tolerans)",
         "just_below": "strax under"}


def data_notice(synthetic: bool, survey_chapter: bool = True):
    """The notice every survey output carries, as Markdown. In a survey chapter on the synthetic twin with a
    configured study region other than the twin's municipalities, it also says that the surveys are the GINO
    municipalities' (``analysis.study_area.twin_note``)."""
    from IPython.display import Markdown

    text = SYNTHETIC_NOTICE if synthetic else REAL_NOTICE
    if synthetic and survey_chapter:
        from analysis.study_area import survey_twin_note

        note = survey_twin_note()
        text += f"\n\n{note}" if note else ""
    return Markdown(text)


# The Typst PDFs' running header, in each Typst document's `include-in-header` (the header must be
# set before the title block: a `set page` rule in the body would start a new page). It shows only
# once a document has marked itself synthetic (``report_notice``), so real-data reports carry none.
TYPST_SYNTHETIC_HEADER = (
    '#let gino-synthetic = state("gino-synthetic", false)\n'
    '#set page(header: context if gino-synthetic.final() { align(right, text(size: 8pt, fill: rgb("#a00000"))'
    '[SYNTETISKA ENKÄTDATA – inte GINO-studiens svar]) })\n'
)


def report_notice(synthetic: bool) -> str:
    """Markdown for the top of the report (print it from a cell with ``output: asis``): a callout, and
    for synthetic data a raw Typst block (other formats skip it) that switches on the running header
    ``TYPST_SYNTHETIC_HEADER`` on every page of the PDF."""
    if not synthetic:
        return f"::: {{.callout-note}}\n## Verkliga enkätdata\n{REAL_NOTICE}\n:::\n"
    header = "```{=typst}\n#gino-synthetic.update(true)\n```\n"
    return f"{header}\n::: {{.callout-warning}}\n## Syntetiska enkätdata\n{SYNTHETIC_NOTICE}\n:::\n"


def share_ci(share, low, high, decimals: int = 0) -> str:
    """``0.71, 0.58, 0.81 -> '71 % (58–81)'``; a suppressed or missing share -> '–'."""
    if pd.isna(share):
        return SUPPRESSED
    return f"{sv_percent(share, decimals)} ({sv_number(low * 100, decimals)}–{sv_number(high * 100, decimals)})"


def swedish_text(values: pd.Series) -> pd.Series:
    """Text cells shown the Swedish way: decimal comma in numbers, 'ja'/'nej' for True/False."""
    import re

    return values.astype(str).map(lambda v: {"True": "ja", "False": "nej"}.get(v, re.sub(r"(?<=\d)\.(?=\d)", ",", v)))


def number_text(value) -> str:
    """A number held as text, shown the Swedish way (whole numbers with thousands spaces, else two
    decimals below 100 and none above); other text unchanged."""
    try:
        x = float(value)
    except (TypeError, ValueError):
        return swedish_text(pd.Series([value])).iloc[0]
    return sv_number(x, 0 if x == round(x) or abs(x) >= 100 else 2)


def count(n) -> str:
    return SUPPRESSED if pd.isna(n) else sv_number(int(n))


def p_value(p) -> str:
    """p-values the Swedish way, '< 0,001' below one in a thousand."""
    if pd.isna(p):
        return SUPPRESSED
    return "< 0,001" if p < 0.001 else sv_number(p, 3)


def markdown_table(table: pd.DataFrame, index: bool = False, footnote: str | None = None):
    """A table as Markdown output, which Quarto turns into a real table in HTML, Typst and Word."""
    from IPython.display import Markdown

    text = table.to_markdown(index=index, disable_numparse=True)
    return Markdown(text + (f"\n\n{footnote}" if footnote else ""))


def group_order(labels) -> list[str]:
    """Municipalities alphabetically, then the merged row, then the regional total, as present."""
    present = set(labels)
    return sorted(present - {MERGED, ALL}) + [label for label in (MERGED, ALL) if label in present]
