"""Swedish tables and sentences about Kolada: the municipalities' changes over time, the 2018 poster
tested against Kolada, and the chapter's headline. Tables in, tables or text out; no file I/O."""

from __future__ import annotations

import pandas as pd

from analysis.presentation.formatting import sv_number
from analysis.client_surveys.kolada_region import LABELS

RULE_NAMES = {
    "avrundning": "Rapportens läsning: andel av sakliga svar, avrundad",
    "trunkering": "Andel av sakliga svar, nedtrunkerad",
    "vet_inte_i_namnaren": "'Vet inte' och blanka i nämnaren, avrundad",
    "vet_inte_trunkering": "'Vet inte' och blanka i nämnaren, nedtrunkerad",
}
SHORT = {"avrundning": "avrundning", "trunkering": "nedtrunkering", "vet_inte_i_namnaren": "'vet inte' i nämnaren",
         "vet_inte_trunkering": "'vet inte' i nämnaren och nedtrunkering"}
STATEMENT_NAMES = {"contact_ease": "få kontakt", "information_ease": "förstå informationen",
                   "shows_understanding": "visar förståelse", "asks_views": "frågar efter synpunkter",
                   "situation_improved": "situationen förbättras", "overall_satisfaction": "nöjda som helhet"}


def rule_name(rule: str) -> str:
    base, _, alternative = rule.partition("+")
    return RULE_NAMES[base] + ("; 'synpunkter' = påverka hjälp (U30451)" if alternative else "")


def trend_table(trends: pd.DataFrame) -> pd.DataFrame:
    """Each municipality's change from its first to its last year with a value, beside the national median's."""
    rows = []
    for r in trends.sort_values(["municipality", "variable"]).itertuples(index=False):
        interval = (f" ({sv_number(r.change_low, 1)} till {sv_number(r.change_high, 1)})"
                    if pd.notna(r.change_low) else "")
        rows.append({"Kommun": r.municipality, "Indikator": LABELS[r.variable], "År med värde": r.years,
                     "Första (%)": sv_number(r.first, 1), "Sista (%)": sv_number(r.last, 1),
                     "Förändring, procentenheter (95 % KI)": sv_number(r.change, 1) + interval,
                     "Rikets median, förändring": sv_number(r.national_median_change, 1)})
    return pd.DataFrame(rows)


def poster_rule_table(summary: pd.DataFrame) -> pd.DataFrame:
    """Per candidate rule: how many of the poster's six statements Kolada allows, and the conflicts."""
    return pd.DataFrame({
        "Regel": [rule_name(r) for r in summary["rule"]],
        "Förenliga med Kolada": [f"{c} av {n}" for c, n in zip(summary["consistent"], summary["statements"])],
        "Konflikter (möjlig regional andel enligt Kolada)": [
            c.replace(".", ",") if isinstance(c, str) and c else "–" for c in summary["conflicts"]],
    })


def poster_statement_table(consistency: pd.DataFrame) -> pd.DataFrame:
    """Per poster statement: the published 'N av 10', the Kolada item, the regional share Kolada allows,
    and under which rules the statement fits (ja/nej)."""
    stated = consistency[~consistency["rule"].str.contains(r"\+")]
    rows = []
    for figure_id, g in stated.groupby("figure_id", sort=False):
        first = g.iloc[0]
        row = {"Påstående": STATEMENT_NAMES.get(first["variable"], first["variable"]), "Affischen": first["published"],
               "Kolada": first["kpi_id"],
               "Möjlig regional andel (%)": f"{sv_number(first['reachable_min_pct'], 1)}–"
                                            f"{sv_number(first['reachable_max_pct'], 1)}"}
        for r in g.itertuples(index=False):
            row[RULE_NAMES[r.rule]] = "ja" if r.consistent else f"nej ({sv_number(r.gap_pp, 1)})"
        rows.append(row)
    return pd.DataFrame(rows)


def poster_sentence(summary: pd.DataFrame, consistency: pd.DataFrame) -> str:
    """The reconciliation's outcome in one Swedish sentence (numbers from the tables)."""
    by_rule = summary.set_index("rule")
    stated = consistency[(consistency["rule"] == "avrundning") & ~consistency["consistent"]]
    misses = ", ".join(f"'{STATEMENT_NAMES[r.variable]}' ({sv_number(r.gap_pp, 1)} procentenheter)"
                       for r in stated.itertuples(index=False))
    base = [r for r, row in by_rule.iterrows() if row["all_consistent"] and "+" not in r]
    mapped = [r for r, row in by_rule.iterrows() if row["all_consistent"] and "+" in r
              and not by_rule.loc[r.split("+")[0], "all_consistent"]]
    first = by_rule.loc["avrundning"]
    text = (f"Med rapportens egen läsning är {first['consistent']} av {first['statements']} påståenden på affischen "
            f"2018 förenliga med Koladas publicerade värden; {misses} ligger utanför allt som Koladas värden och antal "
            f"svarande tillåter. Nedtrunkering i stället för avrundning gör {by_rule.loc['trunkering', 'consistent']} "
            f"av {first['statements']} förenliga")
    options = []
    if base:
        views = consistency[(consistency["rule"] == base[0]) & (consistency["variable"] == "asks_views")]
        need = f" (för 'frågar efter synpunkter' krävs då minst {int(views['min_non_substantive'].iloc[0])} " \
               "svar utan ställningstagande)" if len(views) and pd.notna(views["min_non_substantive"].iloc[0]) else ""
        options.append(f"om 'vet inte' och blanka räknas i nämnaren{need}")
    for r in mapped:
        options.append(f"med {SHORT[r.split('+')[0]]} om 'frågar efter synpunkter' avser Koladas "
                       "'påverka hjälp' (U30451)")
    return text + (f"; alla sex blir förenliga {' eller '.join(options)}." if options else
                   "; ingen prövad regel gör alla sex förenliga.")


def headline_sentence(positions: pd.DataFrame, groups: tuple[str, ...] = ("GINO-kommunerna", "Region 10"),
                      years: tuple[int, ...] = (2018, 2019)) -> str:
    """How the groups' unweighted means lie against the national median in ``years``."""
    from analysis.client_surveys.kolada_region import headline

    parts = []
    for group in groups:
        h = headline(positions, group, years)
        parts.append(f"{group} ligger över rikets median i {h['above_median']} och under i {h['below_median']} av "
                     f"{h['cells']} indikator-år (skillnader {sv_number(h['min_difference'], 1)} till "
                     f"{sv_number(h['max_difference'], 1)} procentenheter, medianpercentil "
                     f"{sv_number(h['median_percentile'], 0)})")
    return f"{years[0]}–{years[-1]}: " + "; ".join(parts) + "."


def ifo_cost_table(costs: pd.DataFrame) -> pd.DataFrame:
    """Net IFO cost per inhabitant against the country, smallest municipality first, Riket last."""
    order = costs.assign(_riket=costs["kommun_kod"] == "0000").sort_values(["_riket", "population"])
    return pd.DataFrame({
        "Kommun": order["municipality"], "Invånare": [sv_number(p) for p in order["population"]],
        "År": order["years"], "Nettokostnad IFO, kr/inv (medel)": [sv_number(c) for c in order["mean_cost"]],
        "Kvot mot riket (medel)": [sv_number(r, 2) for r in order["ratio_to_country"]],
        "Lägsta–högsta kvot": [f"{sv_number(a, 2)}–{sv_number(b, 2)}"
                               for a, b in zip(order["lowest_ratio"], order["highest_ratio"])],
        "Svängning per år": [sv_number(c, 2) for c in order["mean_yearly_change"]],
    })


def ifo_cost_sentence(costs: pd.DataFrame, test: dict) -> str:
    country = costs[costs["kommun_kod"] == "0000"].iloc[0]
    part = costs[costs["kommun_kod"] != "0000"]
    return (f"Nettokostnaden för IFO per invånare (Kolada N30005) svänger i regionens kommuner med i medel "
            f"{sv_number(part['mean_yearly_change'].min(), 2)}–{sv_number(part['mean_yearly_change'].max(), 2)} "
            f"av rikets nivå från ett år till nästa, mot {sv_number(country['mean_yearly_change'], 2)} för riket "
            f"självt. Sambandet mellan antal invånare och svängning (Spearmans rangkorrelation "
            f"{sv_number(test['rho'], 2)}, permutations-p {sv_number(test['p'], 3)}, {test['municipalities']} "
            "kommuner) " + ("är tydligt: mindre kommuner svänger mer." if test["p"] < 0.05 else
                            "pekar mot att mindre kommuner svänger mer, men tio kommuner räcker inte för att "
                            "belägga det."))


def published_facts_table(facts: pd.DataFrame) -> pd.DataFrame:
    """The report's other client-survey facts beside what Kolada's publication allows."""
    return pd.DataFrame({"Uppgift i rapporten": facts["statement"], "Kolada": facts["kolada"],
                         "Förenligt": facts["consistent"].map({True: "ja", False: "nej"})})
