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


def trend_table(indicators: pd.DataFrame, distribution: pd.DataFrame, trends: pd.DataFrame,
                members: list[str]) -> pd.DataFrame:
    """Every year with a value, per member municipality (with values in two or more years) and indicator, and
    the country's median each year; the change from the first to the last year with Newcombe's interval where
    both years' counts are known and large enough to publish."""
    years = sorted(indicators["year"].unique())
    part = indicators[indicators["kommun_kod"].isin(members)]
    change = trends.set_index(["kommun_kod", "variable"])
    median = distribution.set_index(["variable", "year"])["median"]
    rows = []
    for variable, label in LABELS.items():
        for (code, name), g in part[part["variable"] == variable].groupby(["kommun_kod", "municipality"]):
            if g["year"].nunique() < 2:
                continue
            by_year = g.set_index("year")["value"]
            row = {"Indikator": label, "Kommun": name}
            row |= {str(y): sv_number(by_year[y], 0) if y in by_year.index else "–" for y in years}
            c = change.loc[(code, variable)] if (code, variable) in change.index else None
            row["Första–sista, procentenheter (95 % KI)"] = "–" if c is None else sv_number(c["change"], 1) + (
                f" ({sv_number(c['change_low'], 1)} till {sv_number(c['change_high'], 1)})"
                if pd.notna(c["change_low"]) else "")
            rows.append(row)
        row = {"Indikator": label, "Kommun": "Riket (median)"}
        row |= {str(y): sv_number(median[(variable, y)], 0) if (variable, y) in median.index else "–" for y in years}
        row["Första–sista, procentenheter (95 % KI)"] = ""
        rows.append(row)
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
    """The swing of the net IFO cost against the country, and its rank correlation with size; the direction
    follows the correlation's sign, "tydligt" its permutation p."""
    country = costs[costs["kommun_kod"] == "0000"].iloc[0]
    part = costs[costs["kommun_kod"] != "0000"]
    smaller = "mindre" if test["rho"] < 0 else "större"
    return (f"Nettokostnaden för IFO per invånare (Kolada N30005) svänger i regionens kommuner med i medel "
            f"{sv_number(part['mean_yearly_change'].min(), 2)}–{sv_number(part['mean_yearly_change'].max(), 2)} "
            f"av rikets nivå från ett år till nästa, mot {sv_number(country['mean_yearly_change'], 2)} för riket "
            f"självt. Sambandet mellan antal invånare och svängning (Spearmans rangkorrelation "
            f"{sv_number(test['rho'], 2)}, permutations-p {sv_number(test['p'], 3)}, {test['municipalities']} "
            "kommuner) " + (f"är tydligt: {smaller} kommuner svänger mer." if test["p"] < 0.05 else
                            f"pekar mot att {smaller} kommuner svänger mer, men {test['municipalities']} kommuner "
                            "räcker inte för att belägga det."))


def published_facts_table(facts: pd.DataFrame) -> pd.DataFrame:
    """The report's other client-survey facts beside what Kolada's publication allows."""
    return pd.DataFrame({"Uppgift i rapporten": facts["statement"], "Kolada": facts["kolada"],
                         "Förenligt": facts["consistent"].map({True: "ja", False: "nej"})})
