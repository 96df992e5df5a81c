"""Claims about disclosure control (issue 21's sentences): the article's methods paragraphs, the feedback
documents' notes on what is shown and why, the respondents they give or withhold, and the posters' headings
and footers.

Their conditions are read from the build's publication plan (``disclosure_plan.json``), the output checkers'
summary (``output_checks.csv``: every published cell with its status and reason) and Kolada's raw values: a
municipality said to have "färre än 5" respondents or answers "Kolada redovisar inte" has no value in Kolada,
a region said to leave out those Kolada does not publish leaves them out, and no merged row is published.
"""

from __future__ import annotations

import pandas as pd

from analysis.report.claims.base import Rule, Stated, claim
from analysis.report.claims.kolada_more import SURVEY_YEARS

INDICATOR_SURVEYS = tuple(f"client_survey_{y}" for y in SURVEY_YEARS)


# --- facts ---------------------------------------------------------------------------------------------------


def _checks(facts) -> pd.DataFrame:
    from analysis.core import paths

    return facts.memo("output_checks", lambda: pd.read_csv(paths.processed("output_checks.csv"), dtype=str,
                                                            keep_default_na=False))


def kolada_values(facts) -> pd.DataFrame:
    from analysis.core import paths

    return facts.memo("kolada_values", lambda: pd.read_parquet(paths.processed("kolada_values.parquet")))


def kolada_respondents(facts) -> set[tuple[str, int]]:
    """(municipality, year) with a number of respondents (U30901, both genders) in Kolada."""
    from analysis.public_data.kolada import RESPONDENTS_KPI

    def load():
        values = kolada_values(facts)
        part = values[(values["kpi_id"] == RESPONDENTS_KPI) & (values["gender"] == "T") & values["value"].notna()]
        return {(str(c), int(y)) for c, y in zip(part["kommun_kod"], part["year"])}
    return facts.memo("kolada_respondents", load)


def kolada_items(facts) -> set[tuple[str, int, str]]:
    """(municipality, year, codebook variable) with a value of the item in Kolada."""
    def load():
        table = facts.kolada("indicators")
        return {(str(c), int(y), v) for c, y, v in zip(table["kommun_kod"], table["year"], table["variable"])}
    return facts.memo("kolada_items", load)


def survey_year(survey: str) -> int:
    return int(survey.rsplit("_", 1)[1])


def plan_facts(facts) -> dict:
    """What the plan and the output checkers' summary say, as the claims' values use it."""
    def load():
        plan = facts.plan()
        respondents, items = kolada_respondents(facts), kolada_items(facts)
        checks = _checks(facts)
        hidden = checks[checks["status"] == "hidden"]
        # a municipality in a regional figure must be one Kolada publishes (the item, or the respondents)
        outside = []
        for survey, variables in plan.region.items():
            if survey not in INDICATOR_SURVEYS:
                continue
            year = survey_year(survey)
            for variable, codes in variables.items():
                for code in codes:
                    published = (code, year) in respondents if variable in ("respondents", "travel_distance",
                                                                           "preferred_meeting") \
                        else (code, year, variable) in items
                    if not published:
                        outside.append((survey, variable, code))
        # the client surveys' regional figures are over the municipalities whose own figure is shown
        same = all(sorted(plan.region.get(s, {}).get(v, [])) == sorted(codes)
                   for s, by_variable in plan.indicators.items() for v, codes in by_variable.items())
        # "för få svar (Kolada redovisar inte)" only where Kolada has no value
        kolada_reasons = [(s, v, c) for key, r in plan.reasons.items() if r == "kolada"
                          for s, v, c in [key.split("|")] if s in INDICATOR_SURVEYS]
        wrong_kolada = [(s, v, c) for s, v, c in kolada_reasons
                        if ((c, survey_year(s)) in respondents if v == "respondents" else (c, survey_year(s), v) in items)]
        return {"merged_rows": sum(len(v) for v in plan.merged_rows.values()),
                "region_outside_kolada": outside, "region_is_shown": same,
                "hidden_without_reason": int((hidden["reason"].str.strip() == "").sum()),
                "hidden": len(hidden), "shown": int((checks["status"] == "shown").sum()),
                "audited_surveys": sorted(checks["survey"].unique()),
                "kolada_reason_with_value": wrong_kolada}
    return facts.memo("plan_facts", load)


def number_word(n: int) -> str:
    from analysis.report.disclosure_text import WORDS

    return WORDS.get(n, str(n))


def small_agrees(m, v) -> bool:
    """A stated upper end of the protected counts is the threshold − 1."""
    return int(m[1]) == v["threshold"] - 1


def audited(v) -> bool:
    """The build's audit ran over every survey (the disclosure step writes its outputs only without a breach)."""
    return len(v["audited_surveys"]) >= 3


AUDIT = "the build's disclosure audit ran over all three surveys and found no breach (output_checks.csv)"
REGION_KOLADA = "every municipality in a regional figure has Kolada's value (item or respondents) for that year"
KOLADA_REASON = "every figure said to be withheld by Kolada has no value in Kolada"


# --- the article's methods paragraphs --------------------------------------------------------------------------


@claim("disclosure-methods", "the methods chapter's paragraphs on disclosure control: the threat model, what is "
       "protected, the audit, and how many municipality figures the client surveys show",
       constants=(1,),
       rules=(Rule(r"allt projektet\s+publicerar\s+–[^–]+–|alla offentliga källor|framför allt", lambda v: True,
                   "the threat model's scope (docs/disclosure/threat-model.md)"),
              Rule(r"villkor\s+över\s+heltal", lambda v: True, "the audit's method (integer programming)"),
              Rule(r"för varje skyddad uppgift jämförs", audited, AUDIT),
              Rule(r"i en säker miljö", lambda v: True, "who the checkers' summary is for (not a statement on data)"),
              Rule(r"varje antal mellan 1 och (\d+)", lambda v: True,
                   "the protected counts are 1 to the threshold − 1",
                   agrees=small_agrees),
              Rule(r"att alla i\s+en grupp svarat lika", lambda v: True, "a unanimous group is protected (the rule)"),
              Rule(r"färre än (fem|\d+)", lambda v: True, "Kolada withholds fewer than the threshold",
                   agrees=lambda m, v: m[1] in ("fem" if v["threshold"] == 5 else "", str(v["threshold"]))),
              Rule(r"säkrare än Kolada", lambda v: True,
                   "the audit's criterion: nothing narrower than Kolada's range"),
              Rule(r"allt som publiceras|allt offentligt", audited, AUDIT),
              Rule(r"ett antal mellan 1 och (\d+)", audited, AUDIT, agrees=small_agrees),
              Rule(r"Kommuner som Kolada inte redovisar ingår inte i regionens siffror",
                   lambda v: not v["region_outside_kolada"], REGION_KOLADA),
              Rule(r"ingen\s+sammanslagen rad publiceras", lambda v: v["merged_rows"] == 0,
                   "the plan prints no merged row"),
              Rule(r"gäller därför de kommuner vars egen siffra redovisas", lambda v: v["region_is_shown"],
                   "each indicator's regional figure is over exactly the municipalities shown for it"),
              Rule(r"står som \"–\" med (?:sitt skäl|skälet)", lambda v: v["hidden_without_reason"] == 0,
                   "every hidden cell has its reason (output_checks.csv)"),
              Rule(r"varje\s+publicerad tabell och cell", audited, AUDIT)))
def disclosure_methods(facts) -> Stated:
    from analysis.core.disclosure import THRESHOLD
    from analysis.report.disclosure_text import methods, shown_figures

    plan = facts.plan()
    shown, asked = shown_figures(plan)
    return Stated(methods(THRESHOLD, plan), plan_facts(facts) | {"threshold": THRESHOLD, "small": THRESHOLD - 1,
                                                                "shown_figures": shown,
                                                                "asked": asked})


# --- the municipality report ---------------------------------------------------------------------------------


@claim("feedback-disclosure", "when the municipality report shows the municipality's own figures",
       constants=(1,),
       rules=(Rule(r"allt annat som projektet publicerar", audited, AUDIT),
              Rule(r"ett antal mellan 1 och (\d+)", audited, AUDIT, agrees=small_agrees),
              Rule(r"mot regionens resultat", lambda v: v["region_is_shown"],
                   "the region's figure is over the municipalities shown")))
def feedback_disclosure(facts) -> Stated:
    from analysis.core.disclosure import THRESHOLD
    from analysis.feedback.tables import disclosure_sentence

    return Stated(disclosure_sentence(), plan_facts(facts) | {"threshold": THRESHOLD, "small": THRESHOLD - 1})


@claim("feedback-about", "the municipality report's closing note on how the figures are protected and where the "
       "response rate stands", constants=(1,),
       rules=(Rule(r"Alla siffror räknas fram av projektets pipeline", lambda v: True,
                   "every figure of the documents is computed by the build"),
              Rule(r"allt som publiceras", audited, AUDIT),
              Rule(r"inget antal mellan 1 och (\d+) och inga likadana svar från alla", audited, AUDIT,
                   agrees=small_agrees),
              Rule(r"Regionens siffror gäller de kommuner som redovisas, så att ingen dold kommun",
                   lambda v: v["region_is_shown"] and not v["region_outside_kolada"],
                   "each regional figure is over the municipalities shown, all of them published by Kolada"),
              Rule(r"där Kolada publicerar den", lambda v: True, "the response rate stands in the Kolada section "
                                                                 "(claim response-rate)")))
def feedback_about(facts) -> Stated:
    from analysis.core.disclosure import THRESHOLD
    from analysis.feedback.tables import about_sentence

    return Stated(about_sentence(), plan_facts(facts) | {"threshold": THRESHOLD, "small": THRESHOLD - 1})
