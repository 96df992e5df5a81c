"""Claims about the GINO report's figures against Kolada (the poster, the respondents of 2019) and about the
IFO costs."""

from __future__ import annotations

from analysis.report.claims.base import Must, Rule, Stated, claim, synthetic_rule


@claim("kolada-poster", "the 2018 poster's six statements against Kolada under each tested rule",
       rules=(Rule(r"ligger utanför allt", lambda v: v["stated_misses"] > 0, "some statement is inconsistent under "
                                                                               "the report's own rule"),
              Rule(r"alla sex blir förenliga", lambda v: v["any_all"], "some tested rule makes all six consistent"),
              Rule(r"ingen prövad regel", lambda v: not v["any_all"], "no tested rule makes all six consistent"),
              Rule(r"minst \d+ svar utan", lambda v: True, "the smallest number of answers without a position "
                                                          "the rule needs (from the rule table)")))
def poster(facts) -> Stated:
    from analysis.client_surveys.kolada_tables import poster_sentence

    summary, rules = facts.kolada("poster_rule_summary"), facts.kolada("poster_rules")
    stated = rules[(rules["rule"] == "avrundning") & ~rules["consistent"]]
    text = poster_sentence(summary, rules)
    return Stated(text, {"stated_misses": len(stated), "any_all": bool(summary["all_consistent"].any()),
                         "gaps": stated["gap_pp"].tolist(), "consistent": summary["consistent"].tolist(),
                         "statements": summary["statements"].tolist(),
                         "non_substantive": rules["min_non_substantive"].dropna().tolist()})


@claim("kolada-poster-twin", "what the survey data do with the poster's conflicts with Kolada: the twin follows "
       "Kolada (synthetic), the real answers are compared with Kolada (real)",
       rules=(synthetic_rule(), Rule(r"verkliga svaren", lambda v: not v["synthetic"], "the survey data are real"),
              Rule(r"alla", lambda v: v["agree"] == v["total"], "every municipality value agrees with Kolada")))
def poster_twin(facts) -> Stated:
    if facts.synthetic:  # (the twin's agreement is not read here: a changed answer need not re-execute notebook 06)
        text = ("Den syntetiska tvillingen följer Kolada och visar därför konflikterna i stället för att tvinga fram "
                "affischens siffror.")
        return Stated(text, {})
    comparison = facts.kolada_comparison()
    agree, total = int(comparison["passed"].sum()), len(comparison)
    text = (f"De verkliga svaren stämmer med Kolada i {agree} av {total} kommunvärden" +
            (" (alla)" if agree == total else "") + "; affischens konflikter med Kolada gäller också dem.")
    return Stated(text, {"agree": agree, "total": total})


@claim("kolada-more-respondents", "the report's 'more answered in 2019' against Kolada's respondents, for all "
       "municipalities of each round and for those of both rounds",
       rules=(Rule(r"stämmer med rapporten", lambda v: v["all_more"], "Kolada allows more respondents in 2019 over all "
                                                                   "municipalities of each round"),
              Rule(r"färre", lambda v: v["same_fewer"], "the municipalities of both rounds had fewer in 2019 under "
                                                        "every count Kolada allows"),
              Rule(r"fler även", lambda v: v["same_more"], "the municipalities of both rounds had more in 2019"),
              Rule(r"\bfler\b", lambda v: True, "the report's statement, quoted"),
              Rule(r"bara med", lambda v: v["all_more"] and not v["same_more"], "the statement holds with the added "
                                                                                "municipalities only")),
       musts=(Must(r"färre", lambda v: v["same_fewer"], "the municipalities of both rounds had fewer in 2019"),))
def more_respondents(facts) -> Stated:
    import re

    facts_table = facts.kolada("published_facts").set_index("figure_id")
    if "cs2019_more_respondents" not in facts_table.index:
        return Stated("")
    pattern = re.compile(r"(\d{4}): (\d+)–(\d+) svarande, (\d{4}): (\d+)–(\d+)")
    y, lo, hi, y0, lo0, hi0 = map(int, pattern.search(facts_table.loc["cs2019_more_respondents", "kolada"]).groups())
    _, c_lo, c_hi, _, c_lo0, c_hi0 = map(int, pattern.search(
        facts_table.loc["cs2019_more_respondents_same_municipalities", "kolada"]).groups())
    n_common = int(re.search(r"i de (\d+) kommuner", facts_table.loc["cs2019_more_respondents_same_municipalities",
                                                                     "statement"])[1])
    value = {"all_more": lo > hi0, "same_fewer": c_hi < c_lo0, "same_more": c_lo > c_hi0, "numbers": [
        y, lo, hi, y0, lo0, hi0, c_lo, c_hi, c_lo0, c_hi0, n_common]}
    text = (f"Rapporten skriver att fler besvarade enkäten {y}. Enligt Kolada (U30901) svarade {lo}–{hi} personer {y} "
            f"mot {lo0}–{hi0} {y0}" + (", vilket stämmer med rapporten" if value["all_more"] else "") + "; ")
    if value["same_fewer"]:
        text += (f"men i de {n_common} kommuner som deltog båda åren svarade {c_lo}–{c_hi} {y} mot {c_lo0}–{c_hi0} {y0}, "
                 f"alltså färre: påståendet håller bara med de kommuner som tillkom {y}.")
    elif value["same_more"]:
        text += f"i de {n_common} kommuner som deltog båda åren svarade fler även utan de tillkomna ({c_lo}–{c_hi})."
    else:
        text += f"i de {n_common} kommuner som deltog båda åren svarade {c_lo}–{c_hi} {y} mot {c_lo0}–{c_hi0} {y0}."
    return Stated(text, value)


@claim("kolada-costs", "how much the net IFO cost per inhabitant swings from year to year against the country, and "
       "the rank correlation of swing with size",
       rules=(Rule(r"är tydligt: mindre kommuner svänger mer", lambda v: v["p"] < 0.05 and v["rho"] < 0,
                   "permutation p below 0,05 with a negative correlation"),
              Rule(r"är tydligt: större kommuner svänger mer", lambda v: v["p"] < 0.05 and v["rho"] > 0,
                   "permutation p below 0,05 with a positive correlation"),
              Rule(r"pekar mot att mindre kommuner svänger mer", lambda v: v["p"] >= 0.05 and v["rho"] < 0,
                   "a negative correlation that is not significant"),
              Rule(r"pekar mot att större kommuner svänger mer", lambda v: v["p"] >= 0.05 and v["rho"] > 0,
                   "a positive correlation that is not significant"),
              Rule(r"räcker inte", lambda v: v["p"] >= 0.05, "permutation p at least 0,05")))
def costs(facts) -> Stated:
    from analysis.client_surveys.kolada_context import swing_test
    from analysis.client_surveys.kolada_tables import ifo_cost_sentence

    table = facts.kolada("ifo_costs")
    if (table["kommun_kod"] != "0000").sum() < 3:
        return Stated("Koladas kostnadsuppgifter i ögonblicksbilden gäller Region 10:s kommuner och riket, inte "
                      "studieregionens kommuner.", {"p": 1.0, "rho": 0.0,
                                                                 "names": ["Region 10", facts.area().study_name]})
    test = facts.memo("swing_test", lambda: swing_test(table))
    part = table[table["kommun_kod"] != "0000"]
    return Stated(ifo_cost_sentence(table, test), {
        "p": test["p"], "rho": test["rho"], "municipalities": test["municipalities"],
        "swing": part["mean_yearly_change"].tolist(), "country": table.loc[table["kommun_kod"] == "0000",
                                                                           "mean_yearly_change"].tolist()})

