"""Claims of the feedback documents (one municipality each): Kolada's respondents, the width of the intervals,
the comparison with the other municipalities, and the slide's heading on the innovation climate."""

from __future__ import annotations

import pandas as pd

from analysis.presentation.formatting import sv_number
from analysis.report.claims.base import Rule, Stated, claim
from analysis.report.claims.kolada_more import SURVEY_YEARS, municipalities_param


@claim("feedback-kolada-respondents", "what Kolada publishes about the municipality's respondents in each survey year",
       params=municipalities_param,
       rules=(Rule(r"minst \d+ svarat", lambda v: True, "Kolada's publication rule"),
              Rule(r"inga brukarresultat", lambda v: any(n == 0 for n in v["items"].values()),
                   "some survey year has no published item"),
              Rule(r"färre än \d+ svarade", lambda v: any(n == 0 for n in v["items"].values()),
                   "Kolada's reason for publishing nothing")))
def kolada_respondents(facts, kommun: str) -> Stated:
    from analysis.client_surveys.kolada_feedback import respondents_sentence
    from analysis.public_data.kolada import PUBLICATION_THRESHOLD

    indicators = facts.kolada("indicators")
    name = facts.names().get(kommun, kommun)
    own = indicators[indicators["kommun_kod"] == kommun]
    items = {y: int((own["year"] == y).sum()) for y in SURVEY_YEARS}
    respondents = [int(r) for r in own.loc[own["year"].isin(SURVEY_YEARS), "respondents"].dropna().unique()]
    text = " ".join(respondents_sentence(indicators, kommun, name, y) for y in SURVEY_YEARS)
    return Stated(text, {"items": items, "respondents": respondents, "threshold": PUBLICATION_THRESHOLD,
                         "questions": 7})


def _comparisons(facts, kommun: str) -> dict[int, pd.DataFrame]:
    from analysis.feedback import comparison

    return facts.memo(("feedback", kommun), lambda: {
        y: comparison.indicator_comparison(facts.survey(f"client_survey_{y}"), facts.codebook(f"client_survey_{y}"),
                                           kommun, facts.plan()) for y in SURVEY_YEARS})


@claim("feedback-interval-width", "how wide the 95 % intervals of the region's and the municipality's shown shares "
       "are", params=municipalities_param, constants=(95,),
       rules=(Rule(r"alla deltagande kommuner tillsammans", lambda v: v["all_in"],
                   "every regional figure is over every municipality that took part"),
              Rule(r"för regionen \(de kommuner som redovisas\)", lambda v: not v["all_in"],
                   "some regional figure leaves out a municipality that took part"),
              Rule(r"där de visas", lambda v: v["own"] > 0, "some of the municipality's shares are shown"),
              Rule(r"inga egna", lambda v: v["own"] == 0, "none of the municipality's shares is shown")))
def interval_width(facts, kommun: str) -> Stated:
    tables = _comparisons(facts, kommun)
    region = pd.concat([100 * (t["ci_high"] - t["ci_low"]) for t in tables.values()])
    own = pd.concat([100 * (t["own_ci_high"] - t["own_ci_low"]) for t in tables.values()]).dropna()
    taking_part = {y: facts.survey(f"client_survey_{y}")[facts.codebook(f"client_survey_{y}").identifiers["municipality"]]
                   .nunique() for y in tables}
    all_in = all((t["municipalities"] == taking_part[y]).all() for y, t in tables.items())
    whom = "för alla deltagande kommuner tillsammans" if all_in else "för regionen (de kommuner som redovisas)"
    text = (f"Med så få svarande är intervallen breda: {whom} "
            f"{sv_number(region.min())}–{sv_number(region.max())} procentenheter")
    text += (f", för kommunens egna andelar {sv_number(own.min())}–{sv_number(own.max())} där de visas."
             if len(own) else "; kommunen har inga egna andelar som kan visas.")
    value = {"region": [region.min(), region.max()], "own": len(own), "all_in": all_in}
    if len(own):
        value["own_range"] = [own.min(), own.max()]
    return Stated(text, value)


@claim("feedback-differences", "what the comparison of the municipality with the other municipalities shows "
       "(Holm-adjusted over every planned comparison)", params=municipalities_param, constants=(0.05,),
       rules=(Rule(r"Ingen av .* andelar kan redovisas", lambda v: v["compared"] == 0, "no share can be shown"),
              Rule(r"Ingen skillnad är tydlig \(alla justerade", lambda v: v["compared"] > 0 and v["clear"] == 0,
                   "every adjusted p is at least 0,05"),
              Rule(r"Tydliga skillnader", lambda v: v["clear"] > 0, "some adjusted p is below 0,05"),
              Rule(r"flera jämförelser", lambda v: v["family"] > 1, "the family has more than one test"),
              Rule(r"över alla jämförelser som planerades i förväg \(varje indikator båda åren\)",
                   lambda v: v["family"] == 14, "the family fixed in advance: seven indicators in two years"),
              Rule(r"ingen jämförelse", lambda v: v["compared"] == 0, "no share can be shown")))
def differences(facts, kommun: str) -> Stated:
    from analysis.feedback import comparison
    from analysis.feedback.tables import difference_text

    table = comparison.differences_from_rest(_comparisons(facts, kommun))
    name = facts.names().get(kommun, kommun)
    clear = int((table["p_holm"] < 0.05).sum()) if len(table) else 0
    return Stated(difference_text(table, name), {"compared": len(table), "clear": clear,
                                                 "family": 7 * len(SURVEY_YEARS)})


@claim("climate-gap-title", "the slide's heading on the innovation climate: importance above performance on every "
       "aspect, or not", rules=(Rule(r"fungerar sämre", lambda v: v["positive"] == v["aspects"],
                                     "every aspect's share 'Viktigt' exceeds its share 'Bra'"),))
def climate_title(facts) -> Stated:
    from analysis.report.claims.chapters import _aspects

    aspects = _aspects(facts)
    positive = int((aspects["gap"] > 0).sum())
    text = ("Innovationsklimatet: viktigt, men fungerar sämre" if positive == len(aspects) else
            "Innovationsklimatet: viktighet och hur det fungerar i dag")
    return Stated(text, {"positive": positive, "aspects": len(aspects)})
