"""The disclosure audit: the attacker knows Kolada; one planted leak per route is caught; the twin's plan is safe."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.core.feasible import Choice, Infeasible, Linear, Space
from analysis.report import attacker, inversion, ledger
from analysis.report import unknowns as u
from analysis.survey_data.codebooks import load_codebook

CLIENT = load_codebook("client_survey_2018")
CLIMATE = load_codebook("innovation_climate_2017")
D = "client_survey_2018"
MALA, SORSELE, LYCKSELE, NORSJO = "2418", "2422", "2481", "2417"
VARIABLE = "contact_ease"


def truth(sizes: dict, cells: dict) -> dict:
    """A client-survey truth: ``sizes`` per municipality, ``cells[m] = (positive, other, dont_know)`` for one item
    (the rest of each municipality blank); every other unknown zero."""
    out = {k: 0 for k in u.upper_bounds(D, CLIENT, 1)}
    for m, n in sizes.items():
        out[("n", D, m)] = n
        for variable, c in u.items(D, CLIENT).items():
            out[("x", D, variable, m, "blank")] = n
        for cell, value in zip(("positive", "other", "dont_know"), cells.get(m, (0, 0, 0))):
            out[("x", D, VARIABLE, m, cell)] = value
        out[("x", D, VARIABLE, m, "blank")] = n - sum(cells.get(m, (0, 0, 0)))
    return out


def size(m):
    return u.size_terms(D, CLIENT, [m])


def cells(m, *names):
    return u.cell_terms(D, CLIENT, VARIABLE, names, [m])


KOLADA = [  # Kolada publishes Malå (6 respondents; contact 4/6 or 6/9 — here 4 of 6) and Lycksele; Sorsele had 1–4
    Linear(size(MALA), 6, 6, "Kolada: Malå U30901"), Choice((cells(MALA, "positive"), cells(MALA, "positive", "other")),
                                                            ((4, 6),), "Kolada: Malå U30447"),
    Linear(size(LYCKSELE), 10, 10, "Kolada: Lycksele U30901"),
    Choice((cells(LYCKSELE, "positive"), cells(LYCKSELE, "positive", "other")), ((5, 10),), "Kolada: Lycksele U30447"),
    Linear(size(SORSELE), 1, 4, "Kolada: Sorsele not published (1–4 respondents)"),
    *(Linear(size(m), 0, 0, "did not take part") for m in CLIENT.municipalities if m not in (MALA, LYCKSELE, SORSELE)),
]
TRUTH = truth({MALA: 6, LYCKSELE: 10, SORSELE: 3}, {MALA: (4, 2, 0), LYCKSELE: (5, 5, 0), SORSELE: (0, 3, 0)})


def breaches(project: list, public: list = KOLADA, truth_: dict = TRUTH) -> set:
    audit = attacker.Audit({D: CLIENT}, truth_, public, project, threshold=5, largest={D: 40})
    found = audit.run()
    return set(zip(found["group"], found["item"], found["cell"], found["kind"]))


def test_nothing_published_nothing_breached():
    assert breaches([]) == set()


def test_route_merged_row_minus_a_public_part():
    """Malå and Sorsele merged (9) beside Kolada's 6 for Malå: Sorsele's 3, narrower than Kolada's 1–4."""
    assert (SORSELE, "respondents", "n", "narrowed") in breaches([Linear(size(MALA) + size(SORSELE), 9, 9, "merged row")])


def test_route_total_minus_public_parts():
    total = size(MALA) + size(SORSELE) + size(LYCKSELE)
    assert (SORSELE, "respondents", "n", "narrowed") in breaches([Linear(total, 19, 19, "total respondents")])
    assert breaches([ledger.count(total, 19, "rounded total", base=10)]) == set(), "rounded to tens it says nothing"


def test_route_share_times_n():
    """A regional share printed with its n (Malå + Sorsele, 4 of 9 positive) beside Kolada's 4 of 6 for Malå:
    Sorsele's three 'other' answers, and at least three respondents (Kolada: 1–4). Not its unanimity: a
    fourth respondent could have said "vet inte"."""
    k, n = (u.cell_terms(D, CLIENT, VARIABLE, cs, [MALA, SORSELE]) for cs in (("positive",), ("positive", "other")))
    found = breaches(ledger.printed(k, n, 4, 9, "region share with n"))
    assert found == {(SORSELE, VARIABLE, "other", "count"), (SORSELE, "respondents", "n", "narrowed")}


def test_route_inverted_interval():
    """A share whose rounded percentage alone allows two counts, but whose Wilson interval allows only one."""
    n = next(m for m in range(5, 200) if any(len({a for a in range(m + 1) if round(100 * a / m) == round(100 * k / m)}) > 1
                                             and len(inversion.printed_counts(k, m)) == 1 for k in range(m + 1)))
    k = next(a for a in range(n + 1) if len({b for b in range(n + 1) if round(100 * b / n) == round(100 * a / n)}) > 1
             and len(inversion.printed_counts(a, n)) == 1)
    assert inversion.printed_counts(k, n) == (k,)  # the interval pins what the share alone does not
    space = Space({"k": n}, ledger.printed((("k", 1),), (("n", 1),), k, n, "printed")[1:])
    assert space.range((("k", 1),)) == (k, k)


def test_route_two_documents_together():
    """Each document alone is safe; together they give Sorsele's answers."""
    region = ledger.printed(u.cell_terms(D, CLIENT, VARIABLE, ["positive"], [LYCKSELE, SORSELE]),
                            u.cell_terms(D, CLIENT, VARIABLE, ["positive", "other"], [LYCKSELE, SORSELE]), 5, 13,
                            "article: the region's share")
    public = [f for f in KOLADA if "Lycksele" not in f.source]  # here Kolada does not publish Lycksele's value
    truth_ = TRUTH
    own = [Linear(cells(LYCKSELE, "positive"), 5, 5, "report for Lycksele"),
           Linear(cells(LYCKSELE, "other"), 5, 5, "report for Lycksele")]
    assert not any(kind != "narrowed" and group == SORSELE for group, _, _, kind in breaches(region, public, truth_))
    assert breaches(own, public, truth_) == set()
    assert (SORSELE, VARIABLE, "other", "count") in breaches(region + own, public, truth_)


def test_kolada_alone_is_no_breach_of_the_project():
    """Kolada's own 100 % (unanimity of the substantive answers) and its pinned small cells are public: showing
    the same figure adds nothing the audit counts."""
    t = truth({MALA: 6, LYCKSELE: 10, SORSELE: 3}, {MALA: (6, 0, 0), LYCKSELE: (5, 5, 0), SORSELE: (0, 3, 0)})
    public = [Choice(f.exprs, ((5, 5), (6, 6)), f.source) if "Malå U30447" in f.source else f for f in KOLADA]
    shown = [Linear(cells(MALA, "positive"), 6, 6, "report"), Linear(cells(MALA, "other"), 0, 0, "report")]
    assert not {b for b in breaches(shown, public, t) if b[0] == MALA}


def test_one_of_two_municipalities_narrowed_to_one_or_two_respondents():
    """The innovation route: the report's fewest respondents per municipality (1–2) beside a merged row of two."""
    d = u.INNOVATION
    sizes = {m: 8 for m in CLIMATE.municipalities}
    sizes[SORSELE], sizes[MALA] = 1, 5
    t = {k: 0 for k in u.upper_bounds(d, CLIMATE, 1)}
    for m, n in sizes.items():
        t[("n", d, (m, "Medarbetare och ej angiven roll"))] = n
        for variable in u.items(d, CLIMATE):
            t[("x", d, variable, (m, "Medarbetare och ej angiven roll"), "blank")] = n
    every = [u.size_terms(d, CLIMATE, [m]) for m in CLIMATE.municipalities]
    from analysis.core.feasible import Either
    public = [*(Linear(e, 1, float("inf"), "took part") for e in every),
              Either(tuple((Linear(e, 1, 2),) for e in every), "report: fewest 1–2"),
              Linear(u.size_terms(d, CLIMATE), sum(sizes.values()), sum(sizes.values()), "report: total")]
    shown = [Linear(u.size_terms(d, CLIMATE, [m]), n, n, "shown") for m, n in sizes.items() if m not in (SORSELE, MALA)]
    audit = attacker.Audit({d: CLIMATE}, t, public, shown, threshold=5, largest={d: 80})
    found = audit.run()
    assert "one of two" in set(found["kind"]) and f"{SORSELE}+{MALA}" in set(found["group"])


def test_a_fact_the_true_data_break_is_an_error():
    with pytest.raises(Infeasible, match="break"):
        Space({"a": 9}, [Linear((("a", 1),), 5, 5, "wrong")], truth={"a": 3})


def test_the_twins_outputs_withstand_the_attacker(built):
    """The build chose a plan with no breach (it fails otherwise); audited again from scratch here."""
    from analysis.core.publication_plan import Plan
    from analysis.report import protection, processed, public_facts
    from analysis.survey_data.published import read_published_survey_figures

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GINO_DATA_DIR", str(built))
        frames = {d: processed.survey(d) for d in processed.SURVEYS}
        codebooks = {d: processed.codebook(d) for d in processed.SURVEYS}
        plan = Plan.from_json((built / "processed" / "disclosure_plan.json").read_text(encoding="utf-8"))
        figures = read_published_survey_figures(built / "raw" / "published" / "survey_figures.csv")
        pairs = pd.read_csv(built / "processed" / "kolada_pairs.csv", dtype={"kommun_kod": str})
        public = {d: public_facts.public_facts(d, codebooks[d], figures, pairs) for d in frames}
        audits = protection.audit_plan(frames, codebooks, public, plan, threshold=5)
    assert all(a.breaches.empty for a in audits), pd.concat([a.breaches for a in audits]).to_string()
    # Vilhelmina's 2019 results, which Kolada publishes, are shown; Sorsele 2018 (Kolada: fewer than five) is not
    assert all(plan.shown("client_survey_2019", v, "2462") for v in plan.indicators["client_survey_2019"])
    assert {plan.reason("client_survey_2018", v, SORSELE) for v in plan.indicators["client_survey_2018"]} == {"kolada"}
    checks = json.loads((built / "processed" / "output_checks.json").read_text(encoding="utf-8"))
    assert {r["status"] for r in checks["results"].values()} == {"pass"}


def test_the_methods_text_follows_the_threshold_and_the_plan():
    from analysis.core.publication_plan import Plan, reason_key
    from analysis.report import disclosure_text

    plan = Plan(indicators={D: {VARIABLE: [LYCKSELE]}}, reasons={reason_key(D, VARIABLE, MALA): "kolada",
                                                                   reason_key(D, VARIABLE, NORSJO): "absent"})
    text = disclosure_text.methods(5, plan)
    assert "mellan 1 och 4" in text and "(färre än fem)" in text and "1 av 2 kommunsiffror" in text
    assert "mellan 1 och 9" in disclosure_text.methods(10, plan)
