"""Claims about the survey data as a whole: how many published figures the data reproduce, the twin against
Kolada, the data notice, and the sentences whose wording depends on whether the data are synthetic."""

from __future__ import annotations

from analysis.report.claims.base import Must, Rule, Stated, claim, synthetic_rule


def figure_counts(facts) -> dict:
    """The counts of the published survey figures (``published_survey_figures_summary.json``)."""
    from analysis.report import processed

    v = facts.memo("figures_summary", processed.survey_figures_summary)
    return {k: v[k] for k in ("total", "reproduced", "conflicts", "other")} | {"synthetic": facts.synthetic}


def figures_cross_check(facts, stated: Stated) -> list[str]:
    """The counts as ``gino check`` finds them in the full comparison table (its own code)."""
    from analysis.report.checks import survey_comparison_failures

    comparison = facts.survey_comparison()
    v, problems = stated.value, []
    if v["reproduced"] != int(comparison["passed"].sum()) or v["total"] != len(comparison):
        problems.append(f"{v['reproduced']} of {v['total']} stated, the comparison has "
                        f"{int(comparison['passed'].sum())} of {len(comparison)}")
    other = len(survey_comparison_failures(comparison.assign(passed=lambda f: f["passed"].map(str))))
    if v["other"] != other:
        problems.append(f"{v['other']} figures stated as differing for other reasons than Kolada, gino check counts {other}")
    return problems


FIGURE_RULES = (
    Rule(r"återger (?:varje|alla|rapportens publicerade)|alla", lambda v: v["reproduced"] == v["total"],
         "every published figure is reproduced"),
    Rule(r"övriga \d+ är affischpåståenden", lambda v: v["other"] == 0 and v["conflicts"] > 0,
         "every figure not reproduced is a poster statement Kolada rules out"),
    Rule(r"verkliga svar\w*", lambda v: not v["synthetic"], "the survey data are real"),
    Rule(r"inga data", lambda v: v["conflicts"] > 0, "the Kolada reconciliation rules them out"),
    Rule(r"under rapportens egen avrundning", lambda v: True, "the report's rounding rule (a definition)"),
)


@claim("figures-reproduced", "how many of the GINO report's published survey figures the survey data reproduce, "
       "and why the others are not", rules=FIGURE_RULES, cross_check=figures_cross_check)
def figures_reproduced(facts) -> Stated:
    v = figure_counts(facts)
    text = (f"Av de {v['total']} siffror som projektrapporten publicerar om enkäterna återges {v['reproduced']}"
            + (" av de verkliga svaren" if not v["synthetic"] else "") + "; jämförelsen finns i anteckningsboken 01-data.")
    if v["other"] == 0 and v["conflicts"]:
        text += (f" Övriga {v['conflicts']} är affischpåståenden som inga data förenliga med Koladas publicerade "
                 "brukarresultat kan ge under rapportens egen avrundning (@sec-kolada).")
    elif v["other"]:
        text += (f" {v['other']} återges inte" + (f" och {v['conflicts']} är affischpåståenden som strider mot Koladas "
                                                   "publicerade brukarresultat (@sec-kolada)" if v["conflicts"] else "")
                 + "; verkliga svar kan gälla en annan omgång eller region än rapportens.")
    return Stated(text, v | {"names": ["01-data"]})


@claim("figures-reproduced-short", "the same count in one line (a table's footnote, the docs)",
       rules=FIGURE_RULES, cross_check=figures_cross_check)
def figures_reproduced_short(facts) -> Stated:
    v = figure_counts(facts)
    text = f"{v['reproduced']} av {v['total']} publicerade siffror återges"
    if v["conflicts"]:
        text += f"; {v['conflicts']} strider mot Koladas publicerade värden"
    if v["other"]:
        text += f"; {v['other']} återges inte av dessa data"
    return Stated(text + ".", v)


def agreement_cross_check(facts, stated: Stated) -> list[str]:
    """The agreement as ``gino check`` counts it."""
    from analysis.client_surveys.kolada_check import kolada_failures

    comparison = facts.kolada_comparison()
    agree = len(comparison) - len(kolada_failures(comparison))
    return [] if stated.value["agree"] == agree else [f"{stated.value['agree']} stated, gino check counts {agree}"]


@claim("twin-kolada-agreement", "how many municipality values (respondents and seven shares per municipality and "
       "round) of the survey data agree with Kolada", cross_check=agreement_cross_check,
       rules=(Rule(r"alla", lambda v: v["agree"] == v["total"], "every value agrees"),))
def twin_kolada_agreement(facts) -> Stated:
    comparison = facts.kolada_comparison()
    agree, total = int(comparison["passed"].sum()), len(comparison)
    return Stated(f"{agree} av {total} kommunvärden stämmer med Kolada", {"agree": agree, "total": total})


@claim("data-notice", "the notice at the top of every document: synthetic or real survey data, and how many "
       "published figures the twin reproduces", cross_check=lambda facts, stated: figures_cross_check(facts, stated)
       if stated.value.get("total") else [],
       musts=(Must(r"återger \d+ av", lambda v: v["synthetic"] and v.get("reproduced", 0) < v.get("total", 0),
                   "not every published figure is reproduced: the notice says how many are"),),
       rules=(synthetic_rule(), Rule(r"[Vv]erkliga enkätdata", lambda v: not v["synthetic"], "the data are real"),
              Rule(r"återger (?:varje|alla|rapportens publicerade)", lambda v: v["reproduced"] == v["total"],
                   "every published figure is reproduced"),
              Rule(r"strider mot Koladas verkliga", lambda v: v["conflicts"] > 0, "some figures conflict with Kolada")))
def data_notice(facts) -> Stated:
    from analysis.presentation import display

    if not facts.synthetic:
        return Stated(display.REAL_NOTICE, {"synthetic": False})
    v = figure_counts(facts)
    text = display.synthetic_notice(v["reproduced"], v["total"], v["conflicts"])
    return Stated(text, v)


@claim("data-notice-short", "the short notice of a slide", rules=(
    synthetic_rule(), Rule(r"[Vv]erkliga enkätdata", lambda v: not v["synthetic"], "the data are real"),
    Rule(r"strider mot Kolada", lambda v: v["conflicts"] > 0, "some figures conflict with Kolada")))
def data_notice_short(facts) -> Stated:
    from analysis.presentation import display

    if not facts.synthetic:
        return Stated(display.REAL_NOTICE, {"synthetic": False})
    v = figure_counts(facts)
    return Stated(display.synthetic_notice_short(v["reproduced"], v["total"], v["conflicts"]), v)


def summary_counts(facts) -> tuple[list[str], dict]:
    """The stages' lines of ``gino check`` after the raw snapshots (``check_summary.summarise``, the function the
    command prints) and the counts they follow from, counted here from the same tables."""
    from analysis.client_surveys.kolada_check import kolada_failures
    from analysis.report.check_summary import summarise
    from analysis.report.checks import comparison_failures, load_comparison

    def load():
        comparison = load_comparison()
        surveys = facts.survey_comparison().assign(passed=lambda f: f["passed"].map(str))
        kolada = facts.kolada_comparison().assign(passed=lambda f: f["passed"].map(str))
        failed = kolada_failures(kolada)
        passed = surveys["passed"].eq("True")
        conflicts = surveys["kolada_conflict"].ne("") & ~passed
        v = {"facts": len(comparison), "facts_reproduced": len(comparison) - len(comparison_failures(comparison)),
             "figures": len(surveys), "reproduced": int(passed.sum()), "conflicts": int(conflicts.sum()),
             "differing": int((~passed & ~conflicts).sum()), "kolada": len(kolada), "kolada_agree": len(kolada) - len(failed),
             "real": surveys["data_source"].iloc[0] == "real"}
        return summarise([], comparison, surveys, kolada, failed).lines[1:], v
    return facts.memo("check_summary", load)


def summary_cross_check(facts, stated: Stated) -> list[str]:
    """The three counts of the survey figures add up to all of them."""
    v = stated.value
    return [] if v["reproduced"] + v["differing"] + v["conflicts"] == v["figures"] else [
        f"{v['reproduced']} reproduced + {v['differing']} differing + {v['conflicts']} in conflict != {v['figures']}"]


@claim("check-summary", "the stages' lines of `gino check` (English): region facts, survey figures reproduced, in "
       "conflict with Kolada and differing, and Kolada values agreeing, each count agreeing with the tables",
       cross_check=summary_cross_check,
       rules=(Rule(r"(\d+) of \d+ published (?:in the GINO report|survey figures) reproduced", lambda v: True,
                   "the number reproduced is the count of passed figures (region facts: of the facts)",
                   agrees=lambda m, v: int(m[1]) in (v["reproduced"], v["facts_reproduced"])),
              Rule(r"survey figures: (\d+) of", lambda v: True, "the survey figures reproduced",
                   agrees=lambda m, v: int(m[1]) == v["reproduced"]),
              Rule(r"(\d+) conflict with Kolada", lambda v: True, "the count of figures Kolada rules out",
                   agrees=lambda m, v: int(m[1]) == v["conflicts"]),
              Rule(r"(\d+) differ\b", lambda v: True, "the count of figures neither reproduced nor ruled out by Kolada",
                   agrees=lambda m, v: int(m[1]) == v["differing"]),
              Rule(r"(\d+) of (\d+) published GINO survey figures and \d+ of \d+ Kolada values differ", lambda v: True,
                   "the number differing is the count of figures neither reproduced nor ruled out by Kolada",
                   agrees=lambda m, v: int(m[1]) == v["differing"]),
              Rule(r"REAL survey exports|differ on the real survey data|with real exports", lambda v: v["real"],
                   "the survey data are real")))
def check_summary(facts) -> Stated:
    lines, v = summary_counts(facts)
    text = "\n".join(lines)
    ids = sorted(set(re_ids(text)))
    return Stated(text, v | {"names": ["U30901", "U30447–U30453", *ids]})


def re_ids(text: str) -> list[str]:
    """Figure ids such as cs2018_information (names, not numbers)."""
    import re

    return re.findall(r"\b[a-z]+\d{4}_\w+", text)
