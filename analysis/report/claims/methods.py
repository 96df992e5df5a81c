"""Claims of the methods and limitations sections and of the client-survey notebook's assumptions, whose wording
depends on whether the survey data are the synthetic twin or the real exports."""

from __future__ import annotations

from analysis.report.claims.base import SOURCE_WORDS, Rule, Stated, claim, synthetic_rule
from analysis.report.claims.chapters import HIDDEN_RULES, REAL, hidden_cells, hidden_phrase, hidden_value
from analysis.report.claims.surveys import figure_counts


@claim("methods-survey-data", "the methods section's account of the survey data: the twin, how many published "
       "figures it reproduces and how it agrees with Kolada (synthetic); the real exports and their agreement (real)",
       rules=(Rule(SOURCE_WORDS.pattern, lambda v: v["synthetic"] or v["twin_table_note"],
                   "the twin is described on synthetic data, or (real data) only as the author of the reconciliation "
                   "table the section embeds"), REAL,
              Rule(r"med de verkliga filerna byter", lambda v: True,
                   "how to switch to the real exports (true on either source)"),
              Rule(r"de övriga \d+ strider", lambda v: v["other"] == 0 and v["conflicts"] > 0,
                   "every figure not reproduced is a conflict with Kolada"),
              Rule(r"alla \d+ kommunvärden stämmer", lambda v: v["agree"] == v["total_kolada"],
                   "every municipality value agrees"),
              Rule(r"återger (?:varje|alla|rapportens publicerade)", lambda v: v["reproduced"] == v["total"],
                   "every published figure is reproduced")),
       constants=(1, 4))
def survey_data(facts) -> Stated:
    v = figure_counts(facts)
    comparison = facts.kolada_comparison()
    v |= {"agree": int(comparison["passed"].sum()), "total_kolada": len(comparison)}
    agree = (f"alla {v['agree']} kommunvärden stämmer" if v["agree"] == len(comparison) else
             f"{v['agree']} av {len(comparison)} kommunvärden stämmer")
    if facts.synthetic:
        text = (f"Enkäternas mikrodata är inte offentliga. Som standard analyseras därför en syntetisk tvilling: påhittade "
                f"svar som återger {v['reproduced']} av de {v['total']} siffror projektrapporten publicerar om enkäterna"
                + (f"; de övriga {v['conflicts']} strider mot Koladas publicerade värden och visas som konflikter "
                   "(@sec-kolada)" if v["other"] == 0 and v["conflicts"] else "") +
                ". Där siffrorna inte kan gälla samtidigt med heltal svarande, eller nämnaren inte publiceras, väljs den "
                "rimligaste lösningen och valet dokumenteras (@tbl-data-reconciliations). Brukarenkäterna 2018 och 2019 "
                "är förankrade i Koladas verkliga resultat: lika många svarande per kommun som Kolada anger och, per "
                f"kommun och fråga, ett antal positiva av svarande som ger Koladas värde exakt ({agree}); kommuner utan "
                "värden i Kolada har fått 1–4 svarande (ett dokumenterat val i `config/synthetic.yaml`). Sambanden "
                "mellan frågor, kommuner och roller är konstruerade i tvillingen, liksom svaren om reseavstånd och "
                "mötesform; reseavstånden bygger där på var människor bor enligt befolkningsrutnätet och en "
                "omvägsfaktor på vägnätet [@ballou2002]. En forskare med de verkliga filerna byter källa i "
                "`config/surveys.yaml`.")
    else:
        text = ("Den här versionen bygger på studiens verkliga enkätfiler (`config/surveys.yaml`); bara aggregerade "
                f"resultat redovisas. Av de {v['total']} siffror projektrapporten publicerar om enkäterna återger de "
                f"verkliga svaren {v['reproduced']}. Brukarenkäterna jämförs med Koladas publicerade resultat per kommun "
                f"och fråga: {agree}. @tbl-data-reconciliations visar de val den syntetiska tvillingen gör, den som "
                "analyseras när de verkliga filerna inte används; de gäller inte svaren här.")
    return Stated(text, v | {"agree_total": len(comparison), "twin_table_note": not facts.synthetic})


@claim("limitations-source", "the limitation the survey data carry: invented answers whose relations are constructed "
       "(synthetic), or the study's own answers (real)",
       rules=(synthetic_rule(), REAL, Rule(r"alla samband", lambda v: v["synthetic"], "the data are synthetic")))
def limitations_source(facts) -> Stated:
    if facts.synthetic:
        return Stated("Enkätsiffrorna i denna version bygger på syntetiska data. Syntetiska data återger bara det "
                      "projektrapporten och Kolada publicerat; alla samband är konstruerade.", {})
    return Stated("Enkätsiffrorna i denna version bygger på verkliga data från studiens enkätfiler; samband och "
                  "skillnader är resultat om de svarande, med de förbehåll som följer.", {})


@claim("limitations-small", "the respondents of the surveys and how much of the municipality results disclosure "
       "control hides", rules=(Rule(r"de flesta kommunresultat", lambda v: v["hidden"] > v["cells"] / 2,
                                    "more than half of the 2018 municipality cells are hidden"), *HIDDEN_RULES))
def limitations_small(facts) -> Stated:
    from analysis.feedback.comparison import respondents_total

    innovation = len(facts.survey("innovation_climate_2017"))
    # the municipalities Kolada publishes: a total over all would give the withheld ones by subtraction
    clients = respondents_total(facts.survey("client_survey_2018"), facts.codebook("client_survey_2018"),
                                facts.plan())[0]
    by_reason, cells = hidden_cells(facts)
    value = hidden_value(by_reason, cells)
    text = (f"Underlagen är små: {innovation} svar på innovationsenkäten och {clients} på brukarenkäten 2018 (i de "
            f"kommuner Kolada redovisar), så intervallen är breda, och {value['hidden']} av brukarenkätens {cells} "
            "andelar per kommun och indikator 2018 visas inte"
            + (" (de flesta kommunresultat)" if value["hidden"] > cells / 2 else "")
            + (f": {hidden_phrase(by_reason)}" if value["hidden"] else "") + ".")
    return Stated(text, {"innovation": innovation, "clients": clients} | value)


@claim("clients-synthetic-assumption", "the client-survey notebook's assumption on the data: what the twin reproduces "
       "and what is invented (synthetic), or that tests are results (real)",
       rules=(synthetic_rule(), REAL, Rule(r"exakt de siffror", lambda v: v["reproduced"] == v["total"],
                                            "every published figure is reproduced"),
              Rule(r"allt annat", lambda v: v["synthetic"], "everything beyond the published figures is assumed "
                                                           "in the twin")))
def clients_assumption(facts) -> Stated:
    v = figure_counts(facts)
    if facts.synthetic:
        return Stated(f"**Syntetiska data** (standard): tvillingen återger {v['reproduced']} av de {v['total']} siffror "
                      "som rapporten publicerar om enkäterna" + (f" (de övriga {v['conflicts']} strider mot Kolada)"
                                                                 if v["conflicts"] else "") +
                      ", men allt annat – 2019 års svar utöver Koladas värden, sambanden mellan frågor, skillnader mellan "
                      "kommuner och sambandet mellan avstånd och mötesform – är antaganden i `config/synthetic.yaml`. "
                      "Test och modeller nedan visar då de inbyggda sambanden, inte fynd om GINO-kommunernas klienter.", v)
    return Stated("**Verkliga data**: svaren är studiens egna; test och modeller nedan är resultat om de svarande, "
                  "beskrivande och inte orsaksmässiga.", v)


def _published_shares_2019() -> int:
    from analysis.core import paths
    from analysis.survey_data.published import read_published_survey_figures

    figures = read_published_survey_figures(paths.published_dir() / "survey_figures.csv")
    return int(((figures["dataset"] == "client_survey_2019") & figures["rule"].isin(["percent", "of_ten"])).sum())


@claim("clients-years-synthetic", "what the 2019 answers are: Kolada's values and invented beyond them (synthetic) "
       "or the study's own (real)",
       rules=(synthetic_rule(), REAL, Rule(r"inga andelar", lambda v: v["shares_2019"] == 0,
                                            "the report publishes no share for 2019"),
              Rule(r"allt utöver", lambda v: v["synthetic"], "said of the twin")))
def years_note(facts) -> Stated:
    shares = facts.memo("shares_2019", _published_shares_2019)
    if facts.synthetic:
        return Stated("I de **syntetiska data** följer 2019 års andelar per kommun Koladas publicerade värden; rapporten "
                      "publicerar inga andelar för 2019, och allt utöver Koladas värden är påhittat.",
                      {"shares_2019": shares})
    return Stated("Rapporten publicerar inga andelar för 2019; de verkliga svaren 2019 jämförs med Kolada i "
                  "anteckningsboken 01-data.", {"shares_2019": shares, "names": ["01-data"]})


@claim("clients-travel-synthetic", "where the travel distances and meeting forms come from: the twin's residence "
       "model and an invented logit (synthetic), or the respondents (real)", rules=(synthetic_rule(), REAL))
def travel_note(facts) -> Stated:
    if facts.synthetic:
        return Stated("I de syntetiska data är reseavståndet ett vägavstånd (fågelvägen gånger en omvägsfaktor, se "
                      "`config/synthetic.yaml`) från en bostad dragen ur befolkningsrutnätet till kommunens centralort, "
                      "och mötesformen är dragen ur en multinomial logitmodell i avståndet med påhittade parametrar där "
                      "socialkontoret tappar och telefon och video vinner med avståndet. Sambandet nedan är alltså "
                      "inbyggt i tvillingen.", {})
    return Stated("Med de verkliga svaren är reseavstånd och mötesform de svarandes egna uppgifter; sambandet nedan är "
                  "ett resultat om dem, beskrivande och inte orsaksmässigt.", {})


@claim("poster-reproduced", "how many of the poster's 'N av 10' the table's computation reproduces (over the "
       "municipalities the plan's regional figures are over) and which not, and how many the computation over every "
       "respondent reproduces, as the poster counted",
       rules=(Rule(r"avvikelse", lambda v: v["differing"] > 0, "some poster value differs in the table"),
              Rule(r"kan inte redovisas: röjandeskyddet visar ingen kommun", lambda v: v["hidden"] > 0,
                   "some poster value has no figure in the table (the plan shows no municipality)"),
              Rule(r"affischen alla som deltog; över alla svarande", lambda v: bool(v["left_out"]),
                   "the table leaves out some participants (the poster counted all), so the count over every "
                   "respondent is given too")))
def poster_reproduced(facts) -> Stated:
    from analysis.client_surveys import indicators
    from analysis.core import paths
    from analysis.feedback.comparison import respondents_total
    from analysis.sparsity.study_area import join_sv
    from analysis.survey_data.published import read_published_survey_figures

    frame, codebook = facts.survey("client_survey_2018"), facts.codebook("client_survey_2018")
    published = read_published_survey_figures(paths.published_dir() / "survey_figures.csv")

    def reproduced(table):
        """The poster's values, those the table has no figure for (hidden), and those it computes otherwise."""
        on_poster = table.dropna(subset=["published_of_ten"])
        missing = on_poster["of_ten"].isna()
        shown = on_poster[~missing]
        return on_poster, on_poster[missing], shown[shown["of_ten"].astype(int) != shown["published_of_ten"].astype(int)]

    on_poster, hidden, differing = reproduced(indicators.headline_indicators(frame, codebook, published,
                                                                             plan=facts.plan()))
    left_out = respondents_total(frame, codebook, facts.plan())[2]
    value = {"reproduced": len(on_poster) - len(hidden) - len(differing), "poster": len(on_poster),
             "differing": len(differing), "hidden": len(hidden), "left_out": left_out}
    text = f"Beräkningen i tabellen återger {value['reproduced']} av affischens {len(on_poster)} värden"
    if len(hidden):
        text += f" ({len(hidden)} kan inte redovisas: röjandeskyddet visar ingen kommun)"
    if left_out:
        everyone, _, differing_all = reproduced(indicators.headline_indicators(frame, codebook, published))
        value["reproduced_all"] = len(everyone) - len(differing_all)
        text += (f". Tabellen räknar de kommuner Kolada redovisar (utan {join_sv(left_out)}), affischen alla som "
                 f"deltog; över alla svarande återger beräkningen {value['reproduced_all']} av {len(everyone)} "
                 "(så jämför `gino check`)")
    text += "." if differing.empty else f". Avvikelse i tabellen för: {', '.join(differing['label'])}."
    return Stated(text, value | {"names": list(differing["label"])})

