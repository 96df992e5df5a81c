"""Claims as code: every claim evaluated on three data sets (the synthetic twin, real-format exports with the
twin's answers perturbed, and the second study region) with its conditions, numbers and cross-checks; the
register and the documents' literal prose kept honest; and each statement issue 22 found wrong shown to fail."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analysis.report.claims import CLAIMS, Stated, check
from analysis.report.claims.facts import Facts
from conftest import CONFIG, DATA, ROOT, clone_built, gino

SYNTHETIC = DATA / "raw" / "synthetic"  # the committed twin
REAL = {"innovation_climate_2017": "private/innovation_2017.csv", "client_survey_2018": "private/client_2018.csv",
        "client_survey_2019": "private/client_2019.csv"}
KEEP = {"respondent_id", "kommun", "year", "role", "sex"}  # identifiers and groups stay; answers are shuffled


def real_format(built: Path, root: Path) -> tuple[Path, Path]:
    """The twin written out as real exports (``source: real``) with every answer column shuffled across the
    respondents (seeded) and ten innovation-survey respondents fewer: the anchoring to Kolada and some of the
    report's figures do not hold any more."""
    config = root / "config"
    data = clone_built(built, root / "data", config=config)  # steps rerun only for what the real exports change
    (data / "raw" / "private").mkdir()
    rng = np.random.default_rng(22)
    for dataset, relative in REAL.items():
        frame = pd.read_csv(SYNTHETIC / f"{dataset}_synthetic.csv", dtype=str, keep_default_na=False)
        for column in [c for c in frame.columns if c not in KEEP]:
            frame[column] = rng.permutation(frame[column].to_numpy())
        if dataset == "innovation_climate_2017":
            frame = frame.iloc[:-10]  # another round: ten fewer respondents, so published counts differ too
        frame.to_csv(data / "raw" / relative, index=False)
    (config / "surveys.yaml").write_text("source: real\nreal:\n" + "".join(f"  {d}: {f}\n" for d, f in REAL.items()),
                                         encoding="utf-8")
    gino("build", data_dir=data, extra_env={"GINO_CONFIG_DIR": str(config)})
    return data, config


@pytest.fixture(scope="module")
def data_sets(built, forte, tmp_path_factory) -> dict[str, Facts]:
    real_data, real_config = real_format(built, tmp_path_factory.mktemp("claims-real"))
    return {"twin": Facts(built, CONFIG), "real": Facts(real_data, real_config),
            "second region": Facts(forte["data"], forte["config"])}


def evaluate(facts: Facts) -> tuple[dict[tuple, Stated], list[str]]:
    stated, problems = {}, []
    for claim_id, c in CLAIMS.items():
        for params in c.parameter_sets(facts):
            try:
                s = c.evaluate(facts, **params)
            except Exception as exc:  # a claim that cannot be evaluated on a data set is a failure
                problems.append(f"{claim_id} {params}: {type(exc).__name__}: {exc}")
                continue
            stated[(claim_id, tuple(params.items()))] = s
            problems += [f"{p} {params or ''}" for p in check(c, s, facts)]
    return stated, problems


@pytest.fixture(scope="module")
def evaluated(data_sets) -> dict[str, tuple[dict[tuple, Stated], list[str]]]:
    """Every claim on every data set, evaluated once for the tests below (about 10 s a data set)."""
    return {name: evaluate(facts) for name, facts in data_sets.items()}


@pytest.mark.parametrize("name", ["twin", "real", "second region"])
def test_every_claim_follows_from_the_data(evaluated, name):
    stated, problems = evaluated[name]
    assert problems == [], "\n".join(problems)
    assert {claim_id for claim_id, _ in stated} == set(CLAIMS)


def test_the_data_sets_differ_where_the_claims_should(data_sets, evaluated):
    twin, real = evaluated["twin"][0], evaluated["real"][0]
    assert data_sets["real"].synthetic is False and data_sets["twin"].synthetic is True
    for claim_id in ("data-notice", "figures-reproduced", "clients-distance-form", "methods-survey-data",
                     "kolada-poster-twin", "sparsity-distance-model", "limitations-source"):
        assert twin[(claim_id, ())].text != real[(claim_id, ())].text, claim_id
        assert "syntetisk" not in real[(claim_id, ())].text.lower().replace(
            "visar de val den syntetiska tvillingen gör", ""), claim_id   # the twin's reconciliation table, named
    agreement = real[("twin-kolada-agreement", ())].value
    assert agreement["agree"] < agreement["total"]   # the shuffled answers no longer give Kolada's values
    assert twin[("twin-kolada-agreement", ())].text == "144 av 144 kommunvärden stämmer med Kolada"
    counts = real[("check-summary", ())].value
    assert counts["reproduced"] + counts["differing"] + counts["conflicts"] == counts["figures"]
    assert counts["differing"] > 0 and len(real[("check-summary", ())].text.splitlines()) == 3   # facts, surveys, Kolada


def test_the_register_is_current_and_complete():
    from analysis.report.claims.register import register_markdown, uses

    where = uses(ROOT)
    assert sorted(set(CLAIMS) - set(where)) == [], "claims that no document or command renders"
    assert sorted(set(where) - set(CLAIMS)) == [], "documents render claims that are not registered"
    register = ROOT / "docs" / "generated" / "claims.md"
    assert register.read_text(encoding="utf-8") == register_markdown(ROOT), \
        "docs/generated/claims.md is out of date: run .venv/bin/python tools/claims_register.py"


def test_no_literal_sentence_states_a_number_or_a_qualifier_without_a_reason():
    from analysis.report.claims.prose import stale, unexplained

    new = unexplained(ROOT)
    assert new == [], ("sentences with a number or a qualifier that come from no claim (make them claims, or list "
                       "them with a reason in analysis/report/claims/literal_sentences.yaml):\n"
                       + "\n".join(f"{s.document}: {s.text}" for s in new))
    assert stale(ROOT) == [], "literal_sentences.yaml lists sentences no document has any more"


def test_the_prose_check_catches_a_new_unexplained_sentence(tmp_path):
    from analysis.report.claims.prose import literal_sentences, unexplained

    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "index.qmd").write_text(
        "---\ntitle: x\n---\n\nDe flesta kommuner ligger över medianen. `{python} say(\"kolada-headline\")`\n\n"
        "Vi redovisar i @tbl-x.\n", encoding="utf-8")
    assert [s.text for s in literal_sentences(tmp_path)] == ["De flesta kommuner ligger över medianen.", "Vi redovisar i @tbl-x."]
    assert [s.text for s in unexplained(tmp_path)] == ["De flesta kommuner ligger över medianen."]


# --- each statement the issue found wrong, shown to fail the claims test -----------------------------------

def fails(claim_id: str, facts: Facts, old, **params) -> list[str]:
    """The problems the claims test finds when ``old`` (the wording or logic before issue 22) renders the claim."""
    c = dataclasses.replace(CLAIMS[claim_id], function=old)
    return check(c, c.evaluate(facts, **params), facts)


def test_zero_of_144_fails(data_sets):
    """The methods chapter compared a boolean column with the text 'True': '(0 av 144 kommunvärden stämmer)'."""
    from analysis.core import paths

    facts = data_sets["twin"]

    def old(f):
        table = pd.read_csv(Path(f.data_dir) / paths.processed_dir().relative_to(paths.data_dir())
                            / "kolada_survey_comparison.csv")
        agree = int(table["passed"].eq("True").sum())
        return Stated(f"{agree} av {len(table)} kommunvärden stämmer med Kolada", {"agree": agree, "total": len(table)})
    problems = fails("twin-kolada-agreement", facts, old)
    assert any("0 stated, gino check counts 144" in p for p in problems), problems


def old_headline(facts, group):
    """The chapter's headline before issue 22: unweighted means only, no uncertainty."""
    groups = facts.kolada("groups")
    part = groups[(groups["group"] == group) & groups["year"].isin([2018, 2019])]
    d = part["difference_from_median"]
    text = (f"2018–2019: {group} ligger över rikets median i {int((d > 0).sum())} och under i {int((d < 0).sum())} av "
            f"{len(part)} indikator-år (skillnader {d.min():.1f} till {d.max():.1f} procentenheter, medianpercentil "
            f"{part['percentile'].median():.0f}).".replace(".", ",", 2))
    new = CLAIMS["kolada-headline"].evaluate(facts, group=group).value
    return Stated(text, new)


def test_the_unweighted_headline_without_uncertainty_fails(data_sets):
    facts = data_sets["twin"]
    group = facts.regions().study.name
    problems = "\n".join(fails("kolada-headline", facts, old_headline, group=group))
    assert "permutations-p" in problems and "beror på viktningen" in problems, problems


def test_unknown_response_rate_fails_where_kolada_publishes_one(data_sets):
    facts = data_sets["twin"]
    old = lambda f, kommun: Stated("Svarsfrekvensen är okänd, så resultaten gäller dem som svarade.",  # noqa: E731
                                   CLAIMS["response-rate"].evaluate(f, kommun=kommun).value)
    problems = fails("response-rate", facts, old, kommun="2425")  # Dorotea: 86 % in 2019 (U30900)
    assert any("'okänd'" in p for p in problems) and any("published response rate is given" in p for p in problems)
    assert fails("response-rate", facts, old, kommun="2462") == []    # Vilhelmina: Kolada has none, so it holds


def test_more_respondents_without_the_same_municipalities_fails(data_sets):
    facts = data_sets["twin"]
    old = lambda f: Stated("Det var fler som besvarade 2019 års enkät; det stämmer med rapporten.",  # noqa: E731
                           CLAIMS["kolada-more-respondents"].evaluate(f).value)
    problems = fails("kolada-more-respondents", facts, old)
    assert any("färre" in p for p in problems), problems


def test_often_thirty_to_forty_fails(data_sets):
    facts = data_sets["twin"]
    old = lambda f: Stated("Underlagen är små, så intervallen per kommun är ofta 30–40 procentenheter breda.",  # noqa: E731
                           CLAIMS["kolada-interval-widths"].evaluate(f).value)
    problems = "\n".join(fails("kolada-interval-widths", facts, old))
    value = CLAIMS["kolada-interval-widths"].evaluate(facts).value
    assert value["intervals"] == 23 and round(value["median"]) == 26 and round(23 * value["share_30_40"]) == 4
    assert "'ofta'" in problems and "'30'" in problems and "i median" in problems, problems


def test_every_published_figure_reproduced_fails(data_sets):
    facts = data_sets["twin"]
    old_notice = lambda f: Stated(  # noqa: E731
        "**Syntetiska data.** Enkätsiffrorna kommer från projektets syntetiska tvilling: påhittade svar som återger "
        "rapportens publicerade siffror men inte är GINO-studiens svar.", CLAIMS["data-notice"].evaluate(f).value)
    problems = "\n".join(fails("data-notice", facts, old_notice))
    assert "every published figure is reproduced" in problems and "says how many" in problems, problems
    old_methods = lambda f: Stated(  # noqa: E731
        "Som standard analyseras därför en syntetisk tvilling: påhittade svar som återger varje siffra "
        "projektrapporten publicerar om enkäterna.", CLAIMS["methods-survey-data"].evaluate(f).value)
    assert any("every published figure" in p for p in fails("methods-survey-data", facts, old_methods))


def test_the_contradictory_check_lines_fail(data_sets):
    """On real exports `gino check` ended with '43 of 61 … differ' and then '60 of 61 … reproduced'."""
    facts = data_sets["real"]
    value = CLAIMS["check-summary"].evaluate(facts).value
    old = lambda f: Stated(  # noqa: E731
        f"check: {value['differing']} of {value['figures']} published GINO survey figures and 0 of {value['kolada']} "
        "Kolada values differ on the real survey data\ncheck: all 12 published region facts reproduced within their "
        f"stated tolerance; {value['figures'] - value['conflicts']} of {value['figures']} published survey figures "
        "reproduced on real survey data", value)
    problems = "\n".join(fails("check-summary", facts, old))
    assert "count of passed figures" in problems, problems


def test_the_closing_notes_unknown_response_rate_fails(data_sets):
    """Issue 21's closing note said "Svarsfrekvensen är okänd" in every municipality's report."""
    facts = data_sets["twin"]
    old = lambda f: Stated(  # noqa: E731
        "Regionens siffror gäller de kommuner som redovisas, så att ingen dold kommun kan räknas fram som skillnad. "
        "Svarsfrekvensen är okänd, så resultaten gäller dem som svarade.", CLAIMS["feedback-about"].evaluate(f).value)
    assert any("'okänd'" in p for p in fails("feedback-about", facts, old)), fails("feedback-about", facts, old)


def test_too_few_where_kolada_publishes_the_count_fails(data_sets):
    """'Färre än 5 (Kolada redovisar inte antalet)' is said only where Kolada has no U30901 value."""
    facts = data_sets["twin"]
    new = CLAIMS["feedback-respondents"].evaluate(facts, kommun="2422").value   # Sorsele: none in Kolada 2018
    assert new["reasons"][2018] == "kolada" and 2018 not in new["kolada_respondents"]
    old = lambda f, kommun: Stated(  # noqa: E731
        "I Sorsele svarade färre än 5 (Kolada redovisar inte antalet) 2018 och färre än 5 (Kolada redovisar inte "
        "antalet) 2019.", CLAIMS["feedback-respondents"].evaluate(f, kommun=kommun).value)
    problems = fails("feedback-respondents", facts, old, kommun="2422")   # Kolada has Sorsele's 2019 respondents
    assert any("withheld by Kolada" in p for p in problems), problems


def test_a_region_with_a_municipality_kolada_withholds_fails(data_sets):
    """The methods chapter says the regional figures leave out the municipalities Kolada does not publish: a plan
    whose regional figure holds one fails the claim."""
    facts = data_sets["twin"]
    value = dict(CLAIMS["disclosure-methods"].evaluate(facts).value)
    assert value["region_outside_kolada"] == [] and value["merged_rows"] == 0
    text = CLAIMS["disclosure-methods"].evaluate(facts).text
    for changed in ({"region_outside_kolada": [("client_survey_2018", "contact_ease", "2422")]}, {"merged_rows": 1}):
        problems = check(CLAIMS["disclosure-methods"], Stated(text, value | changed), facts)
        assert problems and all("disclosure-methods" in p for p in problems), changed


@pytest.mark.parametrize("claim_id, old_text", [
    ("clients-distance-form", "Sambandet är inbyggt i de syntetiska data; med de verkliga svaren är det ett resultat."),
    ("sparsity-distance-model", "Den befolkningsviktade medelvägen räknas med samma bostadsmodell som de syntetiska "
                                "reseavstånden i @sec-clients."),
    ("kolada-poster-twin", "Den syntetiska tvillingen följer Kolada och visar därför konflikterna i stället för att "
                           "tvinga fram affischens siffror."),
])
def test_sentences_blind_to_the_data_source_fail_on_real_exports(data_sets, claim_id, old_text):
    facts = data_sets["real"]
    old = lambda f: Stated(old_text, CLAIMS[claim_id].evaluate(f).value)  # noqa: E731
    problems = fails(claim_id, facts, old)
    assert any("synthetic twin" in p for p in problems), problems
    assert fails(claim_id, data_sets["twin"], lambda f: Stated(old_text, CLAIMS[claim_id].evaluate(f).value)) \
        == [] or claim_id == "clients-distance-form"


def test_the_documentation_of_the_outputs_is_the_twins(built, monkeypatch):
    """docs/generated/outputs.md (figures reproduced, the notebooks, what the feedback documents show) is written from claims
    on the twin: it says what the build does, not what it once did."""
    from analysis.report.outputs_doc import outputs_markdown

    monkeypatch.setenv("GINO_DATA_DIR", str(built))
    assert (ROOT / "docs" / "generated" / "outputs.md").read_text(encoding="utf-8") == outputs_markdown(), \
        "docs/generated/outputs.md is out of date: run .venv/bin/python tools/claims_register.py after 'make build'"
