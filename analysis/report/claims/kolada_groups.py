"""Claims of the Kolada chapter about groups of municipalities against the country and the rural
municipalities: the headline (both weightings, with the permutation distribution of same-size groups),
the two largest municipalities, the intervals per municipality, the respondents and the years with values."""

from __future__ import annotations

import numpy as np
import pandas as pd

from analysis.presentation.formatting import sv_number
from analysis.report.claims.base import Must, Rule, Stated, claim
from analysis.sparsity.study_area import join_sv

COUNT_ABOVE = r"över (?:rikets |gruppens )?median(?:en)? i \d+ av \d+"


def joint(facts) -> pd.DataFrame:
    from analysis.client_surveys.kolada_groups import with_holm

    return facts.memo("group_joint", lambda: with_holm(facts.kolada("group_joint")))


def groups(facts) -> list[dict]:
    return [{"group": g} for g in joint(facts)["group"].unique()]


def study_group(facts) -> str:
    return facts.regions().study.name


def _p(p: float) -> str:
    return sv_number(p, 2) if p >= 0.01 else "< 0,01"


HEADLINE_RULES = (
    Rule(COUNT_ABOVE, lambda v: True, "a count of indicator-years above the median (recomputed by the cross-check)"),
    Rule(r"beror på viktningen", lambda v: v["differ"], "the unweighted and the weighted means lie on different "
                                                         "sides of the median in most indicator-years"),
    Rule(r"samma håll", lambda v: not v["differ"], "both weightings lie on the same side in most indicator-years"),
    Rule(r"ingen av (?:dem|skillnaderna) är säker", lambda v: min(v["p_holm"]) >= 0.05,
         "every Holm-adjusted permutation p of the mean differences is at least 0,05"),
    Rule(r"minst en av dem är tydlig", lambda v: min(v["p_holm"]) < 0.05,
         "some Holm-adjusted permutation p is below 0,05"),
)
HEADLINE_MUSTS = (
    Must(r"permutations-p", lambda v: True, "a count above the median comes with its uncertainty"),
    Must(r"viktat", lambda v: True, "the respondent-weighted mean is always given beside Kolada's unweighted one"),
    Must(r"beror på viktningen", lambda v: v["differ"], "the direction depends on the weighting"),
)


def headline_cross_check(facts, stated: Stated) -> list[str]:
    """The counts recomputed from the indicators and the national medians, without the group tables."""
    v = stated.value
    members = dict(_members(facts))[v["group"]]
    ind = facts.kolada("indicators")
    median = facts.kolada("national_distribution").set_index(["variable", "year"])["median"]
    above = {"unweighted": 0, "weighted": 0}
    for (variable, year), cell in ind[ind["year"].isin(v["years"]) & ind["kommun_kod"].isin(members)].groupby(
            ["variable", "year"]):
        m = median[(variable, year)]
        above["unweighted"] += cell["value"].mean() > m
        weighted = cell.dropna(subset=["respondents"])
        above["weighted"] += np.average(weighted["value"], weights=weighted["respondents"]) > m
    return [f"{kind} count {v[f'above_{kind[0]}']} but {above[kind]} recomputed from the indicators"
            for kind in above if v[f"above_{kind[0]}"] != above[kind]]


def _members(facts) -> list[tuple[str, list[str]]]:
    """The groups as the build compares them (``compared_regions.csv``, ``steps.kolada_region.group_members``):
    the study region first, then each comparison region of named municipalities, with their member codes."""
    def load():
        import pandas as pd

        from analysis.core import paths

        table = pd.read_csv(paths.processed("compared_regions.csv"), dtype=str)
        return [(name, sorted(part["kommun_kod"])) for name, part in table.groupby("region_name", sort=False)]
    return facts.memo("group_members", load)


def members(facts=None) -> list[tuple[str, list[str]]]:
    """The compared groups and their member codes (study region first), for notebooks and documents."""
    from analysis.report.claims.facts import current_facts

    return _members(facts or current_facts())


def group_names(facts) -> list[str]:
    return [name for name, _ in _members(facts)] + list(joint(facts)["reference"].unique())


@claim("kolada-headline", "the group's unweighted (Kolada) and respondent-weighted position against the country's "
       "median over the survey years, with random same-size groups as the uncertainty",
       rules=HEADLINE_RULES, musts=HEADLINE_MUSTS, params=groups, constants=(95,),
       cross_check=lambda facts, stated: headline_cross_check(facts, stated))
def headline(facts, group: str) -> Stated:
    r = joint(facts).set_index(["group", "reference"]).loc[(group, "Riket")]
    years = [int(y) for y in str(r["years"]).split(", ")]
    n, au, aw = int(r["cells"]), int(r["above_unweighted"]), int(r["above_weighted"])
    side = lambda above, below: (above > below) - (below > above)  # noqa: E731
    differ = side(au, int(r["below_unweighted"])) != side(aw, int(r["below_weighted"]))
    p_holm = (float(r["p_mean_unweighted_holm"]), float(r["p_mean_weighted_holm"]))
    text = (f"För {group} ligger det ovägda medlet (Koladas definition av ett gruppvärde) över rikets median i {au} "
            f"av {n} indikator-år {years[0]}–{years[-1]}, " +
            (f"men det viktade medlet (efter antalet svarande) i {aw} av {n}: riktningen beror på viktningen. "
             if differ else f"och det viktade medlet (efter antalet svarande) i {aw} av {n}: båda pekar åt samma håll. ") +
            f"Slumpvis dragna grupper av lika många kommuner ligger i median över rikets median i "
            f"{sv_number(r['null_above_median_unweighted'])} av {n} (95 % av dem i "
            f"{sv_number(r['null_above_low_unweighted'])}–{sv_number(r['null_above_high_unweighted'])}), viktat i "
            f"{sv_number(r['null_above_median_weighted'])} ({sv_number(r['null_above_low_weighted'])}–"
            f"{sv_number(r['null_above_high_weighted'])}), så antalet säger lite: permutations-p "
            f"{_p(r['p_above_unweighted'])} ovägt och {_p(r['p_above_weighted'])} viktat. Medelskillnaden mot rikets "
            f"median är {sv_number(r['mean_difference_unweighted'], 1)} procentenheter ovägt och "
            f"{sv_number(r['mean_difference_weighted'], 1)} viktat (permutations-p efter Holms korrektion "
            f"{_p(p_holm[0])} och {_p(p_holm[1])}); " +
            ("ingen av skillnaderna är säker." if min(p_holm) >= 0.05 else "minst en av dem är tydlig."))
    return Stated(text, {"group": group, "years": years, "cells": n, "above_u": au, "above_w": aw,
                         "differ": differ, "p_holm": p_holm, "names": group_names(facts),
                         **{k: r[k] for k in r.index if k not in ("group", "years")}})


@claim("kolada-largest", "the two municipalities with most respondents in the first survey year: their share of "
       "the group's respondents and on how many questions they lie below the country's median",
       rules=(Rule(r"under rikets median i \d+", lambda v: True, "counts (recomputed from the indicators)"),
              Rule(r"ligger båda under", lambda v: v["below"][0] == v["below"][1] and v["items"][0] == v["items"][1],
                   "the two counts are equal"),
              Rule(r"drar ner", lambda v: v["pulls_down"], "the weighted mean is below the unweighted one in most "
                                                            "of that year's questions"),
              Rule(r"väger tungt", lambda v: not v["pulls_down"], "the weighted mean is not below the unweighted in "
                                                                   "most questions")))
def largest(facts) -> Stated:
    group = study_group(facts)
    ind = facts.kolada("indicators")
    tests = facts.kolada("group_tests")
    year = int(tests["year"].min())
    members = dict(_members(facts))[group]
    part = ind[(ind["year"] == year) & ind["kommun_kod"].isin(members)]
    respondents = part.groupby("municipality")["respondents"].first().dropna().sort_values(ascending=False)
    if len(respondents) < 3:
        return Stated("")
    top = list(respondents.index[:2])
    share = 100 * respondents.iloc[:2].sum() / respondents.sum()
    median = facts.kolada("national_distribution").set_index(["variable", "year"])["median"]
    below = [int(sum(r.value < median[(r.variable, year)] for r in part[part["municipality"] == m].itertuples()))
             for m in top]
    items = [int((part["municipality"] == m).sum()) for m in top]
    own = tests[(tests["group"] == group) & (tests["reference"] == "Riket") & (tests["year"] == year)]
    pulls_down = int((own["weighted_mean"] < own["unweighted_mean"]).sum()) > len(own) / 2
    if below[0] == below[1] and items[0] == items[1]:
        position = f"ligger båda under rikets median i {below[0]} av {items[0]} frågor"
    elif items[0] == items[1]:
        position = f"ligger under rikets median i {below[0]} respektive {below[1]} av {items[0]} frågor"
    else:
        position = f"ligger under rikets median i {below[0]} av {items[0]} respektive {below[1]} av {items[1]} frågor"
    text = (f"{join_sv(top)} hade {sv_number(share)} % av svarandena i {group} {year} och {position}; "
            + ("därför drar de ner det viktade medlet." if pulls_down else "de väger tungt i det viktade medlet."))
    return Stated(text, {"share": share, "below": below, "items": items, "year": year, "pulls_down": pulls_down,
                         "names": group_names(facts)})


def shown_intervals(facts) -> pd.DataFrame:
    from analysis.client_surveys.kolada_figures import shown_intervals as shown

    years = sorted(facts.kolada("group_tests")["year"].unique())
    members = sorted(set().union(*dict(_members(facts)).values()))
    return shown(facts.kolada("indicators"), members, years)


def interval_cross_check(facts, stated: Stated) -> list[str]:
    """The widths read back from the municipality tables as displayed."""
    import re

    from analysis.client_surveys.kolada_figures import municipality_table

    members = sorted(set().union(*dict(_members(facts)).values()))
    widths = []
    for year in stated.value["years"]:
        for cell in municipality_table(facts.kolada("indicators"), members, year).to_numpy().ravel():
            m = re.search(r"; (\d+,\d)–(\d+,\d)\)", str(cell))
            if m:
                widths.append(float(m[2].replace(",", ".")) - float(m[1].replace(",", ".")))
    if len(widths) != stated.value["intervals"]:
        return [f"{stated.value['intervals']} intervals stated, {len(widths)} in the tables"]
    if widths and abs(np.median(widths) - stated.value["median"]) > 0.11:
        return [f"median width {stated.value['median']:.1f} stated, {np.median(widths):.1f} in the tables"]
    return []


@claim("kolada-interval-widths", "the widths of the intervals the municipality tables show",
       musts=(Must(r"i median \d", lambda v: v["intervals"] > 0, "the typical width is the median of the widths "
                                                                 "shown"),),
       rules=(Rule(r"\bofta\b", lambda v: v["share_30_40"] >= 0.5, "at least half of the intervals are 30–40 "
                                                                   "percentage points wide"),
              Rule(r"Inga intervall", lambda v: v["intervals"] == 0, "no interval can be shown")),
       cross_check=interval_cross_check)
def interval_widths(facts) -> Stated:
    shown = shown_intervals(facts)
    years = sorted(int(y) for y in facts.kolada("group_tests")["year"].unique())
    widths = (shown["ci_high"] - shown["ci_low"]).round(1)
    if widths.empty:
        return Stated("Inga intervall per kommun kan visas.", {"years": years, "intervals": 0, "median": np.nan,
                                                               "share_30_40": 0.0})
    value = {"years": years, "intervals": len(widths), "median": float(widths.median()), "min": float(widths.min()),
             "max": float(widths.max()), "share_30_40": float(widths.between(30, 40).mean())}
    text = (f"Intervallen per kommun som tabellerna kan visa ({value['intervals']} stycken {years[0]} och {years[-1]}) "
            f"är {sv_number(value['min'], 1)}–{sv_number(value['max'], 1)} procentenheter breda, i median "
            f"{sv_number(value['median'], 1)}.")
    return Stated(text, value)


@claim("kolada-respondents-range", "the smallest and largest number of respondents per municipality in the survey "
       "years (U30901)", rules=())
def respondents_range(facts) -> Stated:
    ind = facts.kolada("indicators")
    years = sorted(int(y) for y in facts.kolada("group_tests")["year"].unique())
    members = sorted(set().union(*dict(_members(facts)).values()))
    r = ind[ind["year"].isin(years) & ind["kommun_kod"].isin(members)].groupby(["kommun_kod", "year"])["respondents"] \
        .first().dropna()
    if r.empty:
        return Stated("")
    return Stated(f"{int(r.min())}–{int(r.max())} svarande per kommun och år {years[0]} och {years[-1]}",
                  {"min": int(r.min()), "max": int(r.max()), "years": years})


@claim("kolada-years-with-values", "how many years each municipality of the groups has values in Kolada", rules=())
def years_with_values(facts) -> Stated:
    ind = facts.kolada("indicators")
    members = sorted(set().union(*dict(_members(facts)).values()))
    part = ind[ind["kommun_kod"].isin(members)]
    counts = part.groupby("municipality")["year"].nunique().sort_values(ascending=False)
    first, last = int(ind["year"].min()), int(ind["year"].max())
    listed = join_sv([f"{name} {n}" for name, n in counts.items()])
    return Stated(f"Antal år med värden {first}–{last} per kommun: {listed}",
                  {"counts": counts.to_dict(), "first": first, "last": last})


def _rural_overlap(facts, group: str) -> tuple[int, int]:
    """How many municipalities Kolada's rural group G92791 has, and how many of the group's belong to it."""
    from analysis.public_data.catalog import snapshot
    from analysis.public_data.kolada import read_groups

    def load():
        groups = read_groups(snapshot("kolada_municipality_groups").path)
        return set(groups.loc[groups["group_id"] == "G92791", "kommun_kod"])
    rural = facts.memo("rural_members", load)
    return len(rural), len(set(dict(_members(facts))[group]) & rural)


@claim("kolada-rural", "the study group against Kolada's rural municipalities (G92791): counts above the group's "
       "median for both weightings, with random same-size groups of rural municipalities",
       rules=(Rule(COUNT_ABOVE, lambda v: True, "a count (from the joint comparison)"),
              Rule(r"beror på viktningen", lambda v: v["differ"], "the weightings lie on different sides"),
              Rule(r"samma håll", lambda v: not v["differ"], "both weightings lie on the same side")),
       musts=(Must(r"permutations-p", lambda v: True, "a count above the median comes with its uncertainty"),),
       constants=(95,))
def rural(facts) -> Stated:
    group = study_group(facts)
    table = joint(facts).set_index(["group", "reference"])
    reference = next((r for g, r in table.index if g == group and r != "Riket"), None)
    if reference is None:
        return Stated("")
    r = table.loc[(group, reference)]
    tests = facts.kolada("group_tests")
    pool = int(tests.loc[(tests["reference"] == reference), "reference_municipalities"].max())
    n, au, aw = int(r["cells"]), int(r["above_unweighted"]), int(r["above_weighted"])
    differ = (au > n / 2) != (aw > n / 2)
    size, overlap = _rural_overlap(facts, group)
    text = (f"Mot Koladas grupp {reference}, {size} kommuner varav {overlap} i {group}, som mest {pool} med värde "
            f"ett år, ligger {group} över gruppens median i "
            f"{au} av {n} indikator-år ovägt och {aw} viktat" + (": riktningen beror på viktningen" if differ else
                                                                ", åt samma håll") +
            f". Slumpvis dragna grupper av lika många landsbygdskommuner ligger i median över gruppens median i "
            f"{sv_number(r['null_above_median_unweighted'])} av {n} (95 % av dem {sv_number(r['null_above_low_unweighted'])}–"
            f"{sv_number(r['null_above_high_unweighted'])}); permutations-p {_p(r['p_above_unweighted'])} ovägt och "
            f"{_p(r['p_above_weighted'])} viktat.")
    return Stated(text, {"pool": pool, "above_u": au, "above_w": aw, "cells": n, "differ": differ, "overlap": overlap, "size": size,
                         "names": group_names(facts),
                         **{k: r[k] for k in r.index if k not in ("years",)}})
