"""Claims of the article's and notebooks' survey and region chapters whose wording depends on the data: a
comparison, an extreme, a share hidden by disclosure control, or whether the data are synthetic."""

from __future__ import annotations

from analysis.presentation.formatting import sv_number
from analysis.report.claims.base import Rule, Stated, claim, synthetic_rule

REAL = Rule(r"(?<!först med de )verkliga (?:svar\w*|enkät\w*|data)", lambda v: not v["synthetic"],
            "the survey data are real")


@claim("region-larger-than-switzerland", "whether the study region's total area exceeds Switzerland's",
       rules=(Rule(r"mer än Schweiz", lambda v: v["area"] > v["switzerland"], "the area is larger"),))
def larger_than_switzerland(facts) -> Stated:
    from analysis.presentation.tables import SWITZERLAND_AREA_KM2

    facts_table = facts.region_facts().set_index("region_id")
    area = float(facts_table.loc[facts.area().study_id, "total_area_km2"])
    text = f", vilket är mer än Schweiz ({sv_number(SWITZERLAND_AREA_KM2)} km²)" if area > SWITZERLAND_AREA_KM2 else ""
    return Stated(text, {"area": area, "switzerland": SWITZERLAND_AREA_KM2})


@claim("region-older", "whether the study region's mean age and share aged 65 or more exceed every comparison region's",
       rules=(Rule(r"är högre i studieregionen än i samtliga", lambda v: v["older"], "both are higher than in every "
                                                                                     "comparison region"),
              Rule(r"inte genomgående är högre", lambda v: not v["older"], "not both higher than in every one")))
def older(facts) -> Stated:
    f = facts.region_facts().set_index("region_id")
    area = facts.area()
    study, others = f.loc[area.study_id], f.loc[area.comparison_ids]
    is_older = bool((study["mean_age"] > others["mean_age"]).all()
                    and (study["share_age_65_plus"] > others["share_age_65_plus"]).all())
    text = ("är högre i studieregionen än i samtliga jämförelseregioner" if is_older else
            "inte genomgående är högre i studieregionen än i jämförelseregionerna")
    return Stated(text, {"older": is_older})


@claim("sparsity-distance-model", "how the population-weighted distances relate to the survey's travel distances: "
       "the same residence model as the twin's (synthetic) or a model of its own (real)",
       rules=(synthetic_rule(), REAL))
def distance_model(facts) -> Stated:
    source = ("samma bostadsmodell som de syntetiska reseavstånden i @sec-clients" if facts.synthetic else
              "en bostadsmodell ur befolkningsrutnätet; reseavstånden i @sec-clients är de svarandes egna, verkliga "
              "uppgifter")
    return Stated(f"Avstånden inom kommunerna visas i @tbl-sparsity-municipalities; den befolkningsviktade medelvägen "
                  f"till centralorten räknas med {source}. @fig-sparsity-shares jämför andelen som bor utanför "
                  "tätort med andelen land utan invånare.", {})


def _aspects(facts):
    from analysis.innovation import climate

    return facts.memo("aspects", lambda: climate.aspect_shares(facts.survey("innovation_climate_2017"),
                                                               facts.codebook("innovation_climate_2017")))


@claim("innovation-gap-extremes", "the aspects with the largest and the smallest gap between importance and "
       "performance", rules=(Rule(r"störst för", lambda v: v["widest_gap"] == max(v["gaps"]), "the named aspect "
                                                                                           "has the largest gap"),
                             Rule(r"minst för", lambda v: v["narrowest_gap"] == min(v["gaps"]), "the named aspect "
                                                                                          "has the smallest gap")),
       constants=(95,))
def gap_extremes(facts) -> Stated:
    aspects = _aspects(facts)
    widest, narrowest = aspects.loc[aspects["gap"].idxmax()], aspects.loc[aspects["gap"].idxmin()]

    def gap(row):
        return (f"{sv_number(row['gap'] * 100)}, 95 % KI {sv_number(row['gap_low'] * 100)} till "
                f"{sv_number(row['gap_high'] * 100)}")
    text = (f"Gapet mellan viktighet och bedömning, räknat på dem som besvarat båda frågorna, är störst för "
            f"{widest['label'].lower()} ({gap(widest)} procentenheter) och minst för {narrowest['label'].lower()} "
            f"({gap(narrowest)} procentenheter)")
    return Stated(text, {"gaps": aspects["gap"].tolist(), "widest_gap": widest["gap"], "narrowest_gap": narrowest["gap"],
                         "shown": [100 * widest[c] for c in ("gap", "gap_low", "gap_high")]
                         + [100 * narrowest[c] for c in ("gap", "gap_low", "gap_high")]})


@claim("innovation-ipa-example", "how many aspects lie within one percentage point of the mean importance, and the "
       "aspect with the largest gap: its observed quadrant and how far its importance lies from the mean",
       rules=(Rule(r"största gapet av alla", lambda v: v["gap"] == v["max_gap"], "it has the largest gap"),
              Rule(r"under medelvärdet", lambda v: v["below"], "its importance is below the mean"),
              Rule(r"över medelvärdet", lambda v: not v["below"], "its importance is at or above the mean"),
              Rule(r"mindre än en procentenhet", lambda v: True, "the count of such aspects (in the value)"),
              Rule(r"\d+ av \d+ aspekter", lambda v: True, "the count (in the value)")), constants=(1, 83, 100))
def ipa_example(facts) -> Stated:
    from analysis.innovation import climate

    ipa = climate.importance_performance(_aspects(facts))
    mean = ipa.attrs["mean_importance"]
    near = int(((ipa["importance_share"] - mean).abs() < 0.01).sum())
    row = ipa.loc[ipa["gap"].idxmax()]
    distance = 100 * (row["importance_share"] - mean)
    below = bool(distance < 0)
    text = (f"Direkt skattad viktighet samlas nära toppen (i rapportens tabell 1 83–100 %), så {near} av {len(ipa)} "
            f"aspekter ligger mindre än en procentenhet från medelviktigheten. {row['label'].capitalize()}, med det "
            f"största gapet av alla, hamnar i *{row['quadrant']}* eftersom dess viktighet ligger "
            f"{sv_number(abs(distance), 1)} procentenheter {'under' if below else 'över'} medelvärdet"
            + (", och ett enda svar kan flytta den." if abs(distance) < 2 else "."))
    return Stated(text, {"gap": row["gap"], "max_gap": ipa["gap"].max(), "below": below, "distance": distance,
                         "near": near, "aspects": len(ipa)})


@claim("innovation-constructed", "whether the relation between a person's ratings is constructed (synthetic) or a "
       "result (real)", rules=(synthetic_rule(), REAL, Rule(r"först med de verkliga svaren", lambda v: v["synthetic"],
                                                             "said only of synthetic data")))
def constructed(facts) -> Stated:
    if facts.synthetic:
        return Stated("**Sambandet mellan en persons bedömning och viktighetssvar är konstruerat i syntetiska data**; "
                      "resultaten här säger något först med de verkliga svaren.", {})
    return Stated("Med de verkliga svaren är sambandet mellan en persons bedömning och viktighetssvar ett resultat om de "
                  "svarande, med de förbehåll som står ovan.", {})


@claim("clients-distance-form", "the main test of distance × meeting form, and whether the association is built into "
       "the data (synthetic) or a result (real)",
       rules=(synthetic_rule(), REAL, Rule(r"under respektive minst 20 km", lambda v: True,
                                           "the collapsed table's definition (the codebook's band limit)")))
def distance_form(facts) -> Stated:
    from analysis.client_surveys import indicators
    from analysis.presentation import display

    test = facts.memo("distance_test", lambda: indicators.distance_form_test(facts.travel_2018()))
    main = test.loc["collapsed"]
    text = (f"I den sammanslagna tabellen (under respektive minst 20 km, på plats respektive på distans) ger "
            f"{display.TESTS.get(main['test'], main['test'])} p {'' if main['p'] < 0.001 else '= '}"
            f"{display.p_value(main['p'])} och Cramérs V "
            f"{sv_number(main['cramers_v'], 2)} (@tbl-client-distance-form-test). ")
    text += ("Sambandet är inbyggt i de syntetiska data och visar metoden, inte ett fynd." if facts.synthetic else
             "Med de verkliga svaren är det ett resultat, beskrivande och inte orsaksmässigt.")
    return Stated(text, {"p": float(main["p"]), "v": float(main["cramers_v"]), "km": 20,
                         "p_bound": 0.001 if main["p"] < 0.001 else float("nan")})


def hidden_cells(facts, dataset: str = "client_survey_2018") -> tuple[dict[str, int], int]:
    """The municipality × indicator cells not shown, by the plan's reason ("kolada": Kolada publishes no value;
    "hidden": the audit hides it), and all such cells of the municipalities that took part."""
    from analysis.client_surveys import indicators

    table = facts.memo(("by_municipality", dataset), lambda: indicators.indicators_by_municipality(
        facts.survey(dataset), facts.codebook(dataset), facts.plan()))
    own = table[table["municipality"].isin(set(facts.codebook(dataset).municipalities.values()))]
    hidden = own[own["suppressed"]]
    return {str(k): int(v) for k, v in hidden["reason"].value_counts().sort_index().items()}, len(own)


def hidden_phrase(by_reason: dict[str, int]) -> str:
    """Why the hidden cells are hidden, in words: "12 för att Kolada inte redovisar dem (färre än fem svar) och 5
    för att röjandeskyddet döljer dem"."""
    from analysis.core.disclosure import THRESHOLD
    from analysis.sparsity.study_area import join_sv

    words = {"kolada": f"för att Kolada inte redovisar dem (färre än {THRESHOLD} svar)",
             "hidden": "för att röjandeskyddet döljer dem",
             "small": f"för att färre än {THRESHOLD} svarade", "absent": "för att kommunen inte deltog"}
    return join_sv([f"{n} {words[reason]}" for reason, n in by_reason.items() if n])


def hidden_value(by_reason: dict[str, int], cells: int) -> dict:
    from analysis.core.disclosure import THRESHOLD

    return {"hidden": sum(by_reason.values()), "cells": cells, "kolada": by_reason.get("kolada", 0),
            "audit": by_reason.get("hidden", 0), "small": by_reason.get("small", 0), "threshold": THRESHOLD}


HIDDEN_RULES = (Rule(r"för att Kolada inte redovisar dem", lambda v: v["kolada"] > 0,
                     "some cells have no Kolada value"),
                Rule(r"färre än (\d+) svar", lambda v: v["kolada"] > 0 or v["small"] > 0,
                     "Kolada's (or the project's) publication rule, said of the cells it hides",
                     agrees=lambda m, v: int(m[1]) == v["threshold"]),
                Rule(r"för att röjandeskyddet döljer dem", lambda v: v["audit"] > 0,
                     "the audit hides some cells"))


@claim("clients-municipality-hidden", "how many of the municipality cells of the 2018 indicators are not shown, and why "
       "(Kolada publishes no value, or the disclosure audit hides them)",
       rules=(Rule(r"de flesta", lambda v: v["hidden"] > v["cells"] / 2, "more than half are hidden"), *HIDDEN_RULES))
def municipality_hidden(facts) -> Stated:
    by_reason, cells = hidden_cells(facts)
    value = hidden_value(by_reason, cells)
    text = (f"Per kommun (@tbl-client-municipality) är underlaget litet: {value['hidden']} av de {cells} andelarna per "
            "kommun och indikator visas inte" + (" (de flesta)" if value["hidden"] > cells / 2 else "")
            + (f", {hidden_phrase(by_reason)}" if value["hidden"] else "") + ".")
    return Stated(text, value)


@claim("clients-full-table-expected", "how many of the full distance × form table's expected counts are under five, "
       "which decides the test", rules=(Rule(r"under 5", lambda v: True, "Cochran's rule (a method)"),
                                       Rule(r"alla förväntade antal är minst 5", lambda v: v["small"] == 0,
                                            "every expected count is at least five")), constants=(5,))
def full_table_expected(facts) -> Stated:
    from analysis.client_surveys import indicators
    from analysis.core.stats import expected_counts
    from analysis.presentation import display

    table = indicators.distance_by_form(facts.travel_2018())
    expected = expected_counts(table.to_numpy())
    small, cells = int((expected < 5).sum()), int(expected.size)
    test = facts.memo("distance_test", lambda: indicators.distance_form_test(facts.travel_2018()))
    name = display.TESTS.get(test.loc["full", "test"], test.loc["full", "test"])
    text = (f"I hela tabellen är {small} av {cells} förväntade antal under 5, så {name} används där."
            if small else f"I hela tabellen är alla förväntade antal minst 5, så {name} används där.")
    return Stated(text, {"small": small, "cells": cells})


@claim("clients-uniform-bands", "the distance bands in which every respondent chose alike (the logit's curve rests on "
       "its form there)", rules=(Rule(r"har alla svarat likadant", lambda v: v["uniform"] > 0,
                                      "some band with answers has all of them alike"),
                                 Rule(r"modellens form mer än av data", lambda v: v["uniform"] > 0,
                                      "said only of such bands")))
def uniform_bands(facts) -> Stated:
    from analysis.client_surveys import indicators
    from analysis.presentation import display

    codebook = facts.codebook("client_survey_2018")
    observed = indicators.remote_share_by_band(facts.travel_2018())
    uniform = observed[(observed["n"] > 0) & ((observed["k"] == 0) | (observed["k"] == observed["n"]))]
    used = int(observed["n"].sum())
    text = f"Modellen bygger på {used} svarande som besvarat båda frågorna och valt en form på plats eller på distans."
    labels = [codebook.label("travel_distance", b) for b in uniform["band"]]
    if not uniform.empty:
        text += (f" I klasserna {' och '.join(labels)} ({display.count(uniform['n'].sum())} svarande) har alla svarat "
                 "likadant; där bestäms kurvan av modellens form mer än av data.")
    return Stated(text, {"used": used, "uniform": len(uniform), "n": int(uniform["n"].sum()), "names": labels})


@claim("twin-chapter-note", "the note of a survey chapter when the survey data are the twin and the configured study "
       "region is not the twin's municipalities", rules=(synthetic_rule(),))
def twin_chapter_note(facts) -> Stated:
    from analysis.report.study_context import survey_twin_note

    note = facts.memo("twin_note", survey_twin_note) if facts.synthetic else None
    if not note:
        return Stated("", {})
    return Stated(f"*Det här kapitlet bygger på den syntetiska tvillingen av GINO-studiens enkäter och gäller därför "
                  f"GINO-kommunerna, inte {facts.area().study_name}.*", {"names": [facts.area().study_name]})
