"""The study area and the survey notices, read from the built outputs (for notebooks and documents).

``analysis.sparsity.study_area`` computes the study area from frames it is given; this module hands it
the processed data, so the analysis packages below never read build outputs themselves.
"""

from __future__ import annotations

from analysis.presentation import display
from analysis.sparsity.study_area import SURVEYS, StudyArea, study_area, twin_note


def load_study_area() -> StudyArea:
    """:func:`study_area` from ``config/regions.yaml`` and the processed data."""
    from analysis.public_data.regions import load_regions
    from analysis.report import processed

    return study_area(load_regions(), processed.municipalities(), processed.tatorter(), processed.grid_coverage())


def survey_twin_note() -> str | None:
    """:func:`twin_note` for the configured study region and the built survey data (None on real data)."""
    from analysis.report import processed

    source = processed.survey_source()
    if source["data_source"] != "synthetic":
        return None
    names = processed.municipalities().set_index("kommun_kod")["kommun_namn"]
    twin_codes = set().union(*(source["municipalities"][d] for d in SURVEYS))
    return twin_note(load_study_area(), True, twin_codes, names)


def data_notice(synthetic: bool, survey_chapter: bool = True):
    """The notice every survey output carries, as Markdown (the claim ``data-notice``: synthetic or real, and
    how many published figures the twin reproduces). In a survey chapter on the synthetic twin with a
    configured study region other than the twin's municipalities, it also says that the surveys are the
    GINO municipalities'."""
    from IPython.display import Markdown

    text = notice_text()
    note = survey_twin_note() if synthetic and survey_chapter else None
    return Markdown(text + (f"\n\n{note}" if note else ""))


def notice_text() -> str:
    """The data notice's text on the current build (the claim ``data-notice``)."""
    from analysis.report.claims import claim_text

    return claim_text("data-notice")


def report_notice(short: bool = False, running_header: bool = True) -> str:
    """``display.report_notice`` with the data notice of the current build (callout and PDF header); ``short``:
    the notice of a slide or poster (the claim ``data-notice-short``)."""
    from analysis.report import processed
    from analysis.report.claims import claim_text

    text = claim_text("data-notice-short") if short else notice_text()
    return display.report_notice(processed.is_synthetic(), text, running_header)
