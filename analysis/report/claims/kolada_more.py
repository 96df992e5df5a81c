"""Claims about what else Kolada publishes (response rates, gender, sub-areas, definitions) and about the
report's figures against Kolada (the poster, the respondents of 2019, the costs)."""

from __future__ import annotations

import pandas as pd

from analysis.presentation.formatting import sv_number
from analysis.report.claims.base import Must, Rule, Stated, claim, synthetic_rule
from analysis.sparsity.study_area import join_sv

SURVEY_YEARS = (2018, 2019)


def _pct(x) -> str:
    return f"{sv_number(float(x))} %"


def _rates(facts) -> pd.DataFrame:
    return facts.kolada("response_rates")


def _study_codes(facts) -> list[str]:
    return [c for c in facts.area().study_codes]


def rate_cross_check(facts, stated: Stated) -> list[str]:
    """The rates recomputed from the combined raw values (U30900)."""
    from analysis.core import paths

    values = facts.memo("kolada_values", lambda: pd.read_parquet(paths.processed("kolada_values.parquet")))
    raw = values[(values["kpi_id"] == "U30900") & (values["gender"] == "T")].set_index(["kommun_kod", "year"])["value"]
    problems = []
    for (code, year), rate in stated.value.get("rates", {}).items():
        if (code, year) not in raw.index or abs(raw[(code, year)] - rate) > 1e-6:
            problems.append(f"response rate {rate} for {code} {year} is not Kolada's U30900")
    for code, year in stated.value.get("missing", []):
        if (code, year) in raw.index:
            problems.append(f"{code} {year} said to have no response rate, but Kolada has {raw[(code, year)]}")
    return problems


@claim("kolada-response-rates", "Kolada's response rates (U30900) for the study municipalities in each survey "
       "year, and which have none", cross_check=rate_cross_check,
       rules=(Rule(r"publicerar (?:Kolada )?ingen", lambda v: True, "those said to have no rate have no U30900 value "
                                                                          "(the cross-check reads the raw values)"),
              Rule(r"minst (?:en fråga|tio)", lambda v: True, "Kolada's definition of U30900")))
def response_rates(facts) -> Stated:
    rates, names = _rates(facts), facts.names()
    study = _study_codes(facts)
    parts, value = [], {"rates": {}, "missing": [], "rates_by_year": {}, "none_years": []}
    for year in SURVEY_YEARS:
        own = rates[(rates["year"] == year) & rates["kommun_kod"].isin(study)].dropna(subset=["response_rate"])
        own = own.sort_values("response_rate", ascending=False)
        national = rates[(rates["year"] == year) & (rates["kommun_kod"] == "0000")]
        value["rates_by_year"][year] = {r.kommun_kod: r.response_rate for r in own.itertuples()}
        value["rates"] |= {(r.kommun_kod, year): r.response_rate for r in own.itertuples()}
        missing = [c for c in study if c not in set(own["kommun_kod"])]
        value["missing"] += [(c, year) for c in missing]
        median = (f" (rikets median {_pct(national['response_rate'].iloc[0])}, "
                  f"{int(national['municipalities_with_rate'].iloc[0])} kommuner)") if len(national) else ""
        value[f"median_{year}"] = float(national["response_rate"].iloc[0]) if len(national) else float("nan")
        value[f"with_rate_{year}"] = int(national["municipalities_with_rate"].iloc[0]) if len(national) else 0
        if own.empty:
            value["none_years"].append(year)
            parts.append(f"{year} publicerar Kolada ingen svarsfrekvens för studieregionens kommuner"
                         f"{median}")
        else:
            listed = join_sv([f"{names.get(r.kommun_kod, r.municipality)} {_pct(r.response_rate)}" for r in own.itertuples()])
            parts.append(f"{year}: {listed}{median}" + (
                f"; för {join_sv([names.get(c, c) for c in missing])} publicerar Kolada ingen" if missing else ""))
    text = ("Svarsfrekvensen (Kolada U30900: de som svarat på minst en fråga av dem som erbjöds enkäten; Kolada "
            "räknar den bara där minst tio svarat): " + "; ".join(parts) + ".")
    return Stated(text, value | {"names": [facts.area().study_name]})


def _municipality_rates(facts, kommun: str) -> dict[int, float]:
    rates = _rates(facts)
    own = rates[(rates["kommun_kod"] == kommun) & rates["year"].isin(SURVEY_YEARS)].dropna(subset=["response_rate"])
    return {int(r.year): float(r.response_rate) for r in own.itertuples()}


def municipalities_param(facts) -> list[dict]:
    return [{"kommun": c} for c in facts.area().study_codes]


@claim("response-rate", "the municipality's response rate in the survey years as Kolada publishes it (U30900), or "
       "that it is unknown", params=municipalities_param, cross_check=rate_cross_check,
       musts=(Must(r"\d+ %", lambda v: bool(v["rates"]), "a published response rate is given"),),
       rules=(Rule(r"okänd", lambda v: not v["rates"], "Kolada publishes no response rate for the municipality in "
                                                       "any survey year"),
              Rule(r"publicerar (?:Kolada )?ingen", lambda v: True, "those years have no U30900 value (cross-check)")))
def response_rate(facts, kommun: str) -> Stated:
    name = facts.names().get(kommun, kommun)
    rates = _municipality_rates(facts, kommun)
    value = {"rates": {(kommun, y): r for y, r in rates.items()},
             "missing": [(kommun, y) for y in SURVEY_YEARS if y not in rates]}
    if not rates:
        return Stated(f"Svarsfrekvensen är okänd: Kolada publicerar ingen för {name} {SURVEY_YEARS[0]} eller "
                      f"{SURVEY_YEARS[1]} (U30900), så resultaten gäller dem som svarade.", value)
    shown = join_sv([f"{_pct(r)} {y}" for y, r in rates.items()])
    missing = [str(y) for y in SURVEY_YEARS if y not in rates]
    return Stated(f"Svarsfrekvensen i {name} var enligt Kolada (U30900) {shown}" +
                  (f"; för {join_sv(missing)} publicerar Kolada ingen" if missing else "") +
                  ". Resultaten gäller dem som svarade.", value)


@claim("response-rate-surveys", "how many of the study municipalities have a response rate in Kolada in each survey "
       "year (the client-survey chapter's assumption on non-response)", cross_check=rate_cross_check,
       rules=(Rule(r"okänd", lambda v: not v["rates"], "no study municipality has a response rate in any survey year"),
              Rule(r"publicerar ingen", lambda v: not v["rates"], "no rate in any survey year"),
              Rule(r"för ingen", lambda v: any(not c for c in v["counts"].values()),
                   "some survey year has no study municipality with a rate"),
              Rule(r"minst en fråga", lambda v: True, "Kolada's definition of U30900")))
def response_rate_surveys(facts) -> Stated:
    from analysis.core import paths

    values = facts.memo("kolada_values", lambda: pd.read_parquet(paths.processed("kolada_values.parquet")))
    rates = values[(values["kpi_id"] == "U30900") & (values["gender"] == "T")].rename(columns={"value": "response_rate"})
    taking_part = {y: sorted(facts.survey(f"client_survey_{y}")[facts.codebook(f"client_survey_{y}").identifiers[
        "municipality"]].astype(str).unique()) for y in SURVEY_YEARS}
    own = {y: rates[rates["kommun_kod"].isin(taking_part[y]) & (rates["year"] == y)].dropna(subset=["response_rate"])
           for y in SURVEY_YEARS}
    counts = {y: len(own[y]) for y in SURVEY_YEARS}
    value = {"rates": {(r.kommun_kod, y): r.response_rate for y in SURVEY_YEARS for r in own[y].itertuples()},
             "counts": counts, "taking_part": {y: len(c) for y, c in taking_part.items()}}
    quote = " (rapporten: \"svarsfrekvensen har visat sig vara svår att mäta\")"
    if not any(counts.values()):
        return Stated("svarsfrekvensen är okänd: Kolada (U30900) publicerar ingen för de deltagande kommunerna "
                      "något av åren" + quote, value)
    parts = []
    for y in SURVEY_YEARS:
        part = own[y]["response_rate"]
        value[f"range_{y}"] = (float(part.min()), float(part.max())) if len(part) else ()
        parts.append(f"{y} för {counts[y]} av de {len(taking_part[y])} deltagande kommunerna ({sv_number(part.min())}–"
                     f"{sv_number(part.max())} %)" if len(part) else f"{y} för ingen")
    return Stated("Kolada publicerar svarsfrekvensen (U30900: de som svarat på minst en fråga av dem som erbjöds "
                  "enkäten) " + " och ".join(parts) + quote, value)


def _gender(facts) -> pd.DataFrame:
    return facts.kolada("gender")


@claim("kolada-gender", "which municipality-years Kolada publishes values for women and men, and how far apart the "
       "country's medians for women and men lie; what Kolada's definitions say about the split",
       rules=(Rule(r"minst fem", lambda v: True, "Kolada's publication rule ('dock minst fem')"),
              Rule(r"inte delas upp", lambda v: v["not_divided"], "Kolada's definitions mark the IFO total KPIs as not "
                                                                  "divided by gender"),
              Rule(r"ändå", lambda v: v["published"] > 0, "the snapshot holds values for women or men"),
              Rule(r"varje värde, också för kvinnor och män för sig, bara där minst fem", lambda v: True,
                   "Kolada's publication rule ('dock minst fem')")))
def gender(facts) -> Stated:
    table = _gender(facts)
    own = table[table["kommun_kod"] != "0000"]
    national = table[table["kommun_kod"] == "0000"]
    definitions = facts.kolada("definitions")
    not_divided = bool(definitions["kolada_divided_by_gender"].astype(str).str.lower().eq("false").all())
    value = {"published": len(own), "not_divided": not_divided}
    if own.empty:
        return Stated("Kolada publicerar inga värden för kvinnor och män för studieregionens kommuner.",
                      value)
    per_year = own.groupby("year")["municipality"].agg(lambda m: sorted(set(m)))
    gap = (national["K"] - national["M"]).dropna()
    value |= {"years": {int(y): len(m) for y, m in per_year.items()}, "gap_min": float(gap.min()),
              "gap_max": float(gap.max())}
    listed = "; ".join(f"{y}: {join_sv(m)}" for y, m in per_year.items())
    text = (f"Kolada publicerar varje värde, också för kvinnor och män för sig, bara där minst fem besvarat frågan. I "
            f"regionen finns "
            f"sådana värden för {listed}. I rikets medianer skiljer sig kvinnor och män med "
            f"{sv_number(value['gap_min'], 1)} till {sv_number(value['gap_max'], 1)} procentenheter per fråga och år.")
    if not_divided:
        text += (" Koladas nyckeltalsdefinitioner anger att nyckeltalen för IFO totalt inte delas upp efter kön; "
                 "ögonblicksbilden har ändå sådana värden.")
    return Stated(text, value)


@claim("kolada-areas", "which municipalities and years of the region Kolada has values for in each sub-area of IFO",
       rules=())
def areas(facts) -> Stated:
    table = facts.kolada("areas")
    own = table[(table["kommun_kod"] != "0000")].dropna(subset=["contact_ease", "overall_satisfaction"], how="all")
    if own.empty:
        return Stated("Kolada har inga värden för delområdena i regionen.", {})
    parts = []
    for title, part in own.groupby("area_title", sort=False):
        by_year = part.groupby("year")["municipality"].agg(lambda m: join_sv(sorted(m)))
        parts.append(f"{title.lower()}: " + ", ".join(f"{m} {y}" for y, m in by_year.items()))
    return Stated("Delområdena har värden i regionen för " + "; ".join(parts) + ".",
                  {"rows": len(own), "names": list(own["area_title"].str.lower().unique())})


VERDICT_NAMES = {"same": "samma svar", "same_steps": "lika många steg med andra ord", "different": "en annan definition"}


@claim("kolada-definitions", "each item's positive answers in Kolada's definition against the codebook's, and what "
       "the codebook does",
       rules=(Rule(r"alla sju frågor", lambda v: v["all_top_two"], "the codebook counts the two top steps on every item"),
              Rule(r"två översta stegen av fyra", lambda v: v["all_top_two"] and v["steps"] == 4,
                   "every item's scale has four steps and the codebook counts the top two"),
              Rule(r"verkliga svaren", lambda v: not v["synthetic"], "the survey data are real"),
              Rule(r"bara", lambda v: v["different"] > 0, "some item counts fewer answers in Kolada"),
              synthetic_rule("the twin's anchoring to Kolada is described only on synthetic data")))
def definitions(facts) -> Stated:
    from analysis.client_surveys.kolada_region import LABELS

    table = facts.kolada("definitions")
    counts = table["verdict"].value_counts().to_dict()
    parts = [f"{counts.get(k, 0)} av {len(table)} frågor har {name}" for k, name in VERDICT_NAMES.items()
             if counts.get(k, 0)]
    different = table[table["verdict"] == "different"]
    def quoted(answers: str, joiner: str) -> str:
        return joiner.join(f"”{a}”" for a in answers.split("; "))
    details = [f"för {LABELS[r.variable]} räknar Kolada bara {quoted(r.kolada_positive, ' eller ')}, kodboken "
               f"{quoted(r.codebook_positive, ' och ')}" for r in different.itertuples()]
    all_top_two = bool(table["codebook_positive_count"].eq(2).all())
    text = ("Jämfört med Koladas definitioner: " + ", ".join(parts) + (f"; {'; '.join(details)}" if details else "") +
            ". Kodboken räknar de två översta stegen av fyra som positiva på " +
            ("alla sju frågor. " if all_top_two else "varje fråga enligt sin skala. "))
    text += ("Tvillingen är förankrad i Koladas värden, så på en fråga med annan definition står tvillingens positiva "
             "svar för dem Kolada räknar." if facts.synthetic else
             "De verkliga svaren räknas med kodbokens definition, så en skillnad mot Kolada på en fråga med annan "
             "definition kan bero på definitionen.")
    labels = [a for column in ("kolada_positive", "codebook_positive") for v in table[column] for a in v.split("; ")]
    return Stated(text, {"counts": counts, "items": len(table), "different": len(different),
                         "all_top_two": all_top_two, "steps": int(table["codebook_steps"].max()),
                         "names": [LABELS[v] for v in table["variable"]] + labels})
