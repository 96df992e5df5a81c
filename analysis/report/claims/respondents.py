"""Claims about disclosure in the documents' lines on respondents: how many answered in a municipality (or why the
number is not given), the posters' footers and headings, the decks' lines, and the notebooks' notes on which
municipalities their tables show. Their conditions are read as in ``disclosure.py``."""

from __future__ import annotations

import re

from analysis.report.claims.base import Rule, Stated, claim, synthetic_rule
from analysis.report.claims.disclosure import (
    AUDIT, INDICATOR_SURVEYS, REGION_KOLADA, audited, kolada_items, kolada_respondents, kolada_values, number_word,
    plan_facts, small_agrees, survey_year,
)
from analysis.report.claims.kolada_more import SURVEY_YEARS, municipalities_param


def _respondents_phrase(facts, survey: str, kommun: str) -> tuple[str, dict]:
    from analysis.feedback import comparison
    from analysis.feedback.tables import respondents_text

    plan = facts.plan()
    n = comparison.respondents(facts.survey(survey), facts.codebook(survey), kommun, plan)
    reason = plan.reason(survey, "respondents", kommun)
    return respondents_text(n, reason), {"n": n, "reason": "" if n is not None else reason}


def _respondents_rules():
    def year_of(m, v):
        """The year a phrase is about: the one after it, or the only survey of the claim."""
        return int(m[m.re.groups]) if m[m.re.groups] else next(iter(v["counts"]))

    def withheld(m, v):
        year = year_of(m, v)
        return (int(m[1]) == v["threshold"] and v["reasons"].get(year) == "kolada"
                and year not in v["kolada_respondents"])

    return (Rule(r"färre än (\d+) \(Kolada redovisar inte antalet\)(?: (\d{4}))?", lambda v: True,
                 "the municipality's respondents that year are withheld by Kolada (no U30901 value)", agrees=withheld),
            Rule(r"ingen \(kommunen deltog inte\)(?: (\d{4}))?", lambda v: True,
                 "the municipality has no respondent in that survey",
                 agrees=lambda m, v: v["counts"][year_of(m, v)] == 0))


@claim("feedback-respondents", "how many answered the client surveys in the municipality, or why the number is not "
       "given: Kolada withholds it (fewer than five), it is hidden, or the municipality did not take part",
       params=municipalities_param, rules=_respondents_rules())
def feedback_respondents(facts, kommun: str) -> Stated:
    from analysis.core.disclosure import THRESHOLD

    name = facts.names().get(kommun, kommun)
    phrases, counts, reasons = {}, {}, {}
    for year in SURVEY_YEARS:
        phrases[year], v = _respondents_phrase(facts, f"client_survey_{year}", kommun)
        counts[year], reasons[year] = v["n"], v["reason"]
    first, second = SURVEY_YEARS
    text = f"I {name} svarade {phrases[first]} {first} och {phrases[second]} {second}."
    published = [y for y in SURVEY_YEARS if (kommun, y) in kolada_respondents(facts)]
    return Stated(text, {"counts": counts, "reasons": reasons, "threshold": THRESHOLD,
                         "kolada_respondents": published, "names": [name]})


@claim("feedback-climate-respondents", "how many answered the innovation survey in the municipality (or why the "
       "number is not given), of the region's respondents", params=municipalities_param, rules=_respondents_rules())
def feedback_climate_respondents(facts, kommun: str) -> Stated:
    from analysis.core.disclosure import THRESHOLD
    from analysis.presentation.formatting import sv_number

    name = facts.names().get(kommun, kommun)
    phrase, v = _respondents_phrase(facts, "innovation_climate_2017", kommun)
    total = len(facts.survey("innovation_climate_2017"))
    return Stated(f"I {name} svarade {phrase}, av {sv_number(total)} i hela regionen.",
                  {"counts": {"climate": v["n"]}, "reasons": {}, "threshold": THRESHOLD, "kolada_respondents": [],
                   "total": total, "names": [name]})


# --- the posters ---------------------------------------------------------------------------------------------


def poster_params(facts) -> list[dict]:
    return [{"kommun": k, "ar": y} for y in SURVEY_YEARS for k in (None, *facts.area().study_codes)]


def _poster(facts, kommun, ar) -> dict:
    from analysis.feedback import comparison

    def load():
        survey = f"client_survey_{ar}"
        frame, codebook, plan = facts.survey(survey), facts.codebook(survey), facts.plan()
        statements = comparison.poster_statements(frame, codebook, plan, kommun)
        counted, municipalities, left_out = comparison.respondents_total(frame, codebook, plan)
        took_part = kommun is not None and kommun in set(frame[codebook.identifiers["municipality"]].astype(str))
        reasons = [plan.reason(survey, v, kommun) if kommun else "" for v in statements["variable"]]
        regional = comparison.regional_indicators(frame, codebook, plan)
        return {"statements": statements, "counted": counted, "municipalities": municipalities,
                "left_out": left_out, "took_part": took_part, "reasons": reasons,
                "taking_part": frame[codebook.identifiers["municipality"]].nunique(),
                # the region's figures the poster states: over how many municipalities each is
                "regional_municipalities": [int(m) for v, m in zip(regional["variable"], regional["municipalities"])
                                            if v in set(statements["variable"])]}
    return facts.memo(("poster", kommun, ar), load)


def _names_withheld(m, v) -> bool:
    named = {n.strip() for n in re.split(r",| och ", m[1])}
    return int(m[2]) == v["threshold"] and named == set(v["left_out"]) and named <= set(v["withheld_names"])


@claim("poster-footer", "the poster's thanks (the respondents counted: those of the municipalities Kolada publishes) "
       "and, on a municipality's poster, why some statements give the region's figure",
       params=poster_params,
       rules=(Rule(r"Tack till alla som svarade", lambda v: True, "a greeting to every respondent"),
              Rule(r"i ([^,.(]+?) färre än (\d+) \(de räknas inte här", lambda v: True,
                   "the named municipalities are those left out, and Kolada has no respondents for them that year",
                   agrees=_names_withheld),
              Rule(r"för få (?:för att visas för sig )?\(Kolada redovisar dem inte\)",
                   lambda v: v["kolada_statements"] > 0 and not v["kolada_reason_with_value"],
                   "some statement gives the region's figure because Kolada withholds the municipality's item, and "
                   "Kolada has no value for each such item"),
              Rule(r"döljs (?:siffrorna för .+? )?av röjandeskyddet", lambda v: v["hidden_statements"] > 0,
                   "some statement's own figure is hidden by the audit"),
              Rule(r"för varje påstående", lambda v: v["regional_statements"] == v["statements"],
                   "every statement gives the region's figure"),
              Rule(r"deltog inte i enkäten", lambda v: not v["took_part"], "the municipality has no respondent"),
              synthetic_rule()))
def poster_footer(facts, kommun, ar) -> Stated:
    from analysis.core.disclosure import THRESHOLD
    from analysis.feedback.tables import poster_region_note, thanks_sentence

    p = _poster(facts, kommun, ar)
    name = facts.names().get(kommun, kommun) if kommun else None
    text = thanks_sentence(p["counted"], p["municipalities"], p["left_out"], ar)
    sources = p["statements"]["source"].tolist()
    if name and not p["took_part"]:
        text += f" {name} deltog inte i enkäten {ar}, så affischen visar de kommuner som deltog."
    elif name:
        text += poster_region_note(name, sources, p["reasons"])
    text += (" Brukarenkäten (syntetisk tvilling av GINO-projektets enkät)." if facts.synthetic
             else f" Brukarenkäten, {facts.regions().study.name}.")
    codebook = facts.codebook(f"client_survey_{ar}")
    code_of = {v: k for k, v in codebook.municipalities.items()}
    respondents, items = kolada_respondents(facts), kolada_items(facts)
    withheld = [n for n in p["left_out"] if (code_of.get(n, n), ar) not in respondents]
    regional = [(s, r, v) for s, r, v in zip(sources, p["reasons"], p["statements"]["variable"]) if s == "regionen"]
    kolada = [v for s, r, v in regional if r == "kolada"]
    return Stated(text, {"counted": p["counted"], "municipalities": p["municipalities"], "left_out": p["left_out"],
                         "withheld_names": withheld, "threshold": THRESHOLD, "took_part": p["took_part"],
                         "statements": len(sources), "regional_statements": len(regional),
                         "kolada_statements": len(kolada),
                         "kolada_reason_with_value": [v for v in kolada if (kommun, ar, v) in items],
                         "hidden_statements": sum(r == "hidden" for _, r, _ in regional),
                         "names": [facts.regions().study.name]})  # a region name may hold digits


@claim("poster-heading", "the region poster's subheading: over how many municipalities the region's figures are, "
       "of those that took part", params=poster_params,
       rules=(Rule(r"de kommuner vars siffror kan redovisas", lambda v: v["region_is_shown"],
                   "the regional figures are over the municipalities shown"),
              Rule(r"Inga av affischens påståenden", lambda v: not v["municipalities"],
                   "the plan shows no municipality for any statement")))
def poster_heading(facts, kommun, ar) -> Stated:
    from analysis.feedback.tables import region_heading

    p = _poster(facts, kommun, ar)
    if not p["regional_municipalities"]:
        return Stated("Inga av affischens påståenden kan redovisas", {"municipalities": []})
    return Stated(region_heading(p["regional_municipalities"], p["taking_part"]),
                  {"municipalities": p["regional_municipalities"], "taking_part": p["taking_part"],
                   "region_is_shown": plan_facts(facts)["region_is_shown"]})


# --- the decks -------------------------------------------------------------------------------------------------


def deck_params(facts) -> list[dict]:
    return [{"kommun": k, "ar": y} for y in SURVEY_YEARS for k in ("", *facts.area().study_codes)]


@claim("deck-respondents", "a deck's line on a client survey's respondents: the municipality's (or why not given), "
       "or the region's counted over the municipalities Kolada publishes", params=deck_params,
       rules=(*_respondents_rules(),
              Rule(r"\(färre än (\d+) i ([^)]+)\)", lambda v: True,
                   "the named municipalities are left out and have no respondents in Kolada that year",
                   agrees=lambda m, v: int(m[1]) == v["threshold"]
                   and {n.strip() for n in m[2].split(" och ")} == set(v["left_out"]) <= set(v["withheld_names"]))))
def deck_respondents(facts, kommun: str, ar: int) -> Stated:
    from analysis.core.disclosure import THRESHOLD
    from analysis.presentation.formatting import sv_number

    survey = f"client_survey_{ar}"
    if kommun:
        name = facts.names().get(kommun, kommun)
        phrase, v = _respondents_phrase(facts, survey, kommun)
        return Stated(f"Brukarenkäten {ar}: {phrase} i {name}",
                      {"counts": {ar: v["n"]}, "reasons": {ar: v["reason"]}, "threshold": THRESHOLD,
                       "kolada_respondents": [ar] if (kommun, ar) in kolada_respondents(facts) else [],
                       "names": [name], "left_out": [], "withheld_names": []})
    p = _poster(facts, None, ar)
    code_of = {v: k for k, v in facts.codebook(survey).municipalities.items()}
    withheld = [n for n in p["left_out"] if (code_of.get(n, n), ar) not in kolada_respondents(facts)]
    text = (f"Brukarenkäten {ar}: {sv_number(p['counted'])} svarande i {p['municipalities']} kommuner"
            + (f" (färre än {THRESHOLD} i {' och '.join(p['left_out'])})" if p["left_out"] else ""))
    return Stated(text, {"counted": p["counted"], "municipalities": p["municipalities"], "threshold": THRESHOLD,
                         "left_out": p["left_out"], "withheld_names": withheld, "counts": {}, "reasons": {},
                         "kolada_respondents": []})


# --- the notebooks ---------------------------------------------------------------------------------------------


def _respondent_counts(facts) -> dict:
    """Per client survey: the municipalities whose respondents are shown, whether each count equals Kolada's
    U30901, and those not shown although Kolada publishes them."""
    from analysis.public_data.kolada import RESPONDENTS_KPI

    def load():
        plan, values = facts.plan(), kolada_values(facts)
        kolada = values[(values["kpi_id"] == RESPONDENTS_KPI) & (values["gender"] == "T")] \
            .set_index(["kommun_kod", "year"])["value"]
        out = {"shown": 0, "equal": 0, "different": [], "shown_without_kolada": []}
        for survey in INDICATOR_SURVEYS:
            frame, codebook = facts.survey(survey), facts.codebook(survey)
            counts = frame[codebook.identifiers["municipality"]].astype(str).value_counts()
            for code in plan.respondents.get(survey, []):
                out["shown"] += 1
                if (code, survey_year(survey)) not in kolada.index:
                    out["shown_without_kolada"].append((survey, code))
                elif int(counts.get(code, 0)) == int(kolada[(code, survey_year(survey))]):
                    out["equal"] += 1
                else:
                    out["different"].append((survey, code))
        return out
    return facts.memo("respondent_counts", load)


@claim("respondents-as-kolada", "the data notebook's table of respondents: whether the client surveys' counts are "
       "Kolada's (U30901), that the municipalities Kolada withholds are not shown and no merged row is, and how the "
       "innovation survey's counts are audited",
       rules=(Rule(r"Brukarenkäternas antal är desamma som Kolada publicerar",
                   lambda v: v["equal"] == v["shown"] and not v["shown_without_kolada"],
                   "every shown client-survey count equals Kolada's U30901 for the municipality and year"),
              Rule(r"kommuner som Kolada inte redovisar \(färre än (fem|\d+) svarande\) redovisas inte",
                   lambda v: not v["shown_without_kolada"] and not v["kolada_reason_with_value"],
                   "no shown count lacks a Kolada value, and every count said to be withheld by Kolada has none",
                   agrees=lambda m, v: m[1] in ("fem" if v["threshold"] == 5 else "", str(v["threshold"]))),
              Rule(r"ingen sammanslagen rad visas", lambda v: v["merged_rows"] == 0 and not v["respondents_merged"],
                   "the plan prints no merged row"),
              Rule(r"inget litet antal kan räknas fram .* och allt annat som publiceras", audited, AUDIT),
              Rule(r"skiljer sig från Koladas för", lambda v: bool(v["different"]),
                   "some shown count differs from Kolada's")), constants=(20,))
def respondents_as_kolada(facts) -> Stated:
    from analysis.core.disclosure import THRESHOLD

    counts = _respondent_counts(facts)
    if counts["equal"] == counts["shown"] and not counts["shown_without_kolada"]:
        first = "Brukarenkäternas antal är desamma som Kolada publicerar (U30901)"
    else:
        first = (f"Brukarenkäternas antal skiljer sig från Koladas för {len(counts['different'])} av "
                 f"{counts['shown']} kommuner och år (U30901)")
    text = (f"{first}; kommuner som Kolada inte redovisar (färre än {number_word(THRESHOLD)} svarande) redovisas "
            "inte här heller, och ingen sammanslagen rad visas: den minus Koladas antal för de andra skulle ge den "
            "dolda kommunen. Innovationsenkätens antal visas där bygget prövat att inget litet antal kan räknas "
            "fram ur dem tillsammans med rapportens uppgifter (\"någon enstaka enkät\", \"uppemot 20\") och allt annat "
            "som publiceras.")
    plan = facts.plan()
    return Stated(text, plan_facts(facts) | counts | {
        "threshold": THRESHOLD, "respondents_merged": any(plan.respondents_merged.get(s) for s in INDICATOR_SURVEYS)})


@claim("clients-disclosure-note", "the client-survey notebook's note on which municipalities its table by "
       "municipality shows", constants=(1,),
       rules=(Rule(r"allt annat som\s+projektet publicerar", audited, AUDIT),
              Rule(r"ett antal mellan 1 och (\d+) eller att\s+alla svarat lika", audited, AUDIT,
                   agrees=small_agrees),
              Rule(r"heltalsprogrammering över allt publicerat", audited, AUDIT),
              Rule(r"Kommuner som Kolada inte redovisar \(färre än (fem|\d+) svar\) visas inte",
                   lambda v: not v["region_outside_kolada"] and not v["kolada_reason_with_value"], REGION_KOLADA,
                   agrees=lambda m, v: m[1] in ("fem" if v["threshold"] == 5 else "", str(v["threshold"]))),
              Rule(r"ingen sammanslagen rad visas", lambda v: v["merged_rows"] == 0, "the plan prints no merged row"),
              Rule(r"gäller därför de kommuner som redovisas", lambda v: v["region_is_shown"],
                   "each indicator's regional figure is over exactly the municipalities shown for it")))
def clients_disclosure_note(facts) -> Stated:
    from analysis.core.disclosure import THRESHOLD

    text = ("Röjandeskydd (rapportens metodavsnitt och `docs/disclosure/threat-model.md`): en kommun visas där "
            "dess siffra, tillsammans med allt annat som projektet publicerar och Koladas publicerade värden och "
            f"antal svarande, inte kan visa ett antal mellan 1 och {THRESHOLD - 1} eller att alla svarat lika utöver "
            "vad Kolada redan visar. Bygget prövar det med heltalsprogrammering över allt publicerat. Kommuner som "
            f"Kolada inte redovisar (färre än {number_word(THRESHOLD)} svar) visas inte, och ingen sammanslagen rad visas: "
            "en sådan rad minus Koladas värden för de andra kommunerna skulle ge den dolda kommunen. Regionens "
            "siffror (ovan) gäller därför de kommuner som redovisas.")
    return Stated(text, plan_facts(facts) | {"threshold": THRESHOLD, "small": THRESHOLD - 1})
