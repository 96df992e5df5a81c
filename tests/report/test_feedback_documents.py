"""The parameterised feedback documents: executed for every municipality without Quarto, the tables
they publish read back and checked against the disclosure rule and against the library, and rendered
where Quarto is installed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time

import nbformat
import pandas as pd
import pytest

from analysis.presentation import display
from analysis.report import feedback_documents as documents
from analysis.report import feedback_jobs
from analysis.report import report_check
from conftest import ROOT

STUDY = {"2417": "Norsjö", "2418": "Malå", "2421": "Storuman", "2422": "Sorsele", "2425": "Dorotea",
         "2462": "Vilhelmina", "2463": "Åsele", "2481": "Lycksele"}


@pytest.fixture(scope="module")
def executed(built):
    """Every document for every municipality (and the region), as ``gino feedback`` runs them without Quarto."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GINO_DATA_DIR", str(built))
        patch.setenv("PYTHONWARNINGS", "default")
        return {(r.stem, r.kommun): r for r in documents.execute_all(workers=2)}


@pytest.fixture
def on_twin(built, monkeypatch):
    monkeypatch.setenv("GINO_DATA_DIR", str(built))
    return built


def table(result, label):
    return next((header, rows) for lab, header, rows in result.tables if lab == label)


def test_every_document_executes_for_every_municipality_without_a_problem(executed):
    expected = {("kommun", code) for code in STUDY} | {(stem, code) for stem in ("affisch", "bildspel")
                                                       for code in [None, *STUDY]}
    assert set(executed) == expected
    problems = [p for r in executed.values() for p in r.problems]
    assert not problems, "\n".join(problems)
    for code, name in STUDY.items():
        report = executed[("kommun", code)]
        assert [label for label, _, _ in report.tables] == [  # the real Kolada tables before the synthetic ones
            "tbl-kommun-fakta", "tbl-kommun-kolada-2018", "tbl-kommun-kolada-2019", "tbl-kommun-kolada-ar",
            "tbl-kommun-brukare", "tbl-kommun-skillnad", "tbl-kommun-resor", "tbl-kommun-klimat"]
        assert any(f"**{name} kommun** (kommunkod {code})" in text for text in report.markdown)
        notice = next(text for text in report.markdown if "callout-warning" in text)  # the synthetic-data notice
        assert "## Syntetiska enkätdata" in notice and "#gino-synthetic.update(true)" in notice


def test_the_report_shows_the_library_tables_for_every_municipality(executed, on_twin):
    """What each document published is what ``analysis.feedback.comparison`` computed for that municipality (whose
    tables the disclosure step audits, the rest of the region included)."""
    from analysis.feedback import comparison as feedback, tables as feedback_tables
    from analysis.report import processed

    plan = processed.disclosure_plan()
    for code, name in STUDY.items():
        years = {y: feedback.indicator_comparison(processed.survey(f"client_survey_{y}"),
                                                  processed.codebook(f"client_survey_{y}"), code, plan) for y in (2018, 2019)}
        expected = feedback_tables.indicator_table(years, name, {2018: 8, 2019: 10})
        header, rows = table(executed[("kommun", code)], "tbl-kommun-brukare")
        assert header == list(expected.columns)
        assert rows == expected.astype(str).values.tolist(), name


def test_where_kolada_withholds_the_report_says_so_and_shows_what_kolada_publishes(executed):
    header, rows = table(executed[("kommun", "2422")], "tbl-kommun-brukare")
    assert header[1:3] == ["Sorsele 2018", "Regionen 2018"]
    assert {row[1] for row in rows} == {"för få svar (Kolada redovisar inte)"}  # 3 respondents: Kolada publishes nothing
    assert all(re.match(r"\d+\s?% \(\d+–\d+\), n = \d+, \d kommuner", row[2]) for row in rows)  # the region instead
    assert any("För få svar (Kolada redovisar inte)" in text for text in executed[("kommun", "2422")].markdown)
    # Vilhelmina 2019 (42 respondents, every value in Kolada): its own results, not "för få svar"
    header, rows = table(executed[("kommun", "2462")], "tbl-kommun-brukare")
    assert all(re.match(r"\d+\s?% \(\d+–\d+\), n = \d+$", row[3]) for row in rows), rows
    assert not any("för få" in cell for row in rows for cell in row)


def test_every_value_kolada_publishes_is_in_the_report(executed, on_twin):
    """Where the survey figure is hidden, the report's Kolada table gives Kolada's own value (with its KPI id)."""
    from analysis.report import processed

    indicators = processed.kolada("indicators")
    for code, name in STUDY.items():
        for year in (2018, 2019):
            _, rows = table(executed[("kommun", code)], f"tbl-kommun-kolada-{year}")
            published = indicators[(indicators["kommun_kod"] == code) & (indicators["year"] == year)]
            assert sum("%" in row[1] for row in rows) == len(published), (name, year)


def test_the_region_poster_keeps_the_report_posters_words(executed, on_twin):
    """Word for word after the number; the numbers are the region's under the audited plan."""
    from test_feedback import POSTER_2018

    from analysis.feedback import comparison as feedback
    from analysis.report import processed

    lines = "\n".join(executed[("affisch", None)].markdown)
    statements = feedback.poster_statements(processed.survey("client_survey_2018"),
                                            processed.codebook("client_survey_2018"), processed.disclosure_plan())
    for statement, of_ten in zip(POSTER_2018, statements["of_ten"]):
        _, rest = statement.split(" av 10 ", 1)
        assert f"- **{of_ten} av 10** {rest}" in lines


def test_each_report_shows_the_municipalitys_own_kolada_values(executed):
    """Kolada's published values, cited with KPI ids, beside the GINO municipalities and the country."""
    header, rows = table(executed[("kommun", "2425")], "tbl-kommun-kolada-2018")
    assert header == ["Fråga (Kolada-id)", "Kommunen", "GINO-kommunerna (Region 8): medel", "Riket (median)"]
    by_item = {row[0]: row for row in rows}
    assert by_item["Tydlig information (U30448)"][1] == "94\u00a0%"          # 94.117647 (16/17) in Kolada
    assert by_item["Visar förståelse (U30449)"][1] == "94\u00a0%"
    assert "(medel av 7 kommuner)" in by_item["Lätt att få kontakt (U30447)"][2]
    _, sorsele = table(executed[("kommun", "2422")], "tbl-kommun-kolada-2018")
    assert {row[1] for row in sorsele} == {"publiceras inte (färre än 5 svar)"}
    assert any("Kolada publicerar inga brukarresultat för Sorsele 2018" in text
               for text in executed[("kommun", "2422")].markdown)
    poster = "\n".join(executed[("affisch", "2425")].markdown)
    assert "Samma enkät i Kolada 2018: verkliga resultat för Dorotea" in poster and "U30453" in poster


def test_the_real_kolada_part_comes_first_and_carries_no_synthetic_header():
    """The PDF's running header is off (``gino-real-chapter``) from the top of a municipality's report to the end of
    its Kolada section, which comes before the synthetic survey chapters; those start on a page of their own with
    the header back on. The poster (one page) starts with Kolada, carries no running header and marks its synthetic
    part with the data notice's callout; the
    deck has a slide of the municipality's real Kolada results before the slides of the surveys."""
    from conftest import ROOT

    kommun = (ROOT / "reports/feedback/kommun.qmd").read_text(encoding="utf-8")
    order = [kommun.index(s) for s in ("#gino-real-chapter.update(true)", "label: notice", "## Kommunen i siffror",
                                       "## Verkliga brukarresultat i Kolada", "label: tbl-kommun-kolada-2018",
                                       "#gino-real-chapter.update(false)", "#pagebreak(weak: true)",
                                       "## Brukarenkäterna 2018 och 2019", "label: tbl-kommun-brukare")]
    assert order == sorted(order)
    poster = (ROOT / "reports/feedback/affisch.qmd").read_text(encoding="utf-8")
    order = [poster.index(s) for s in ("#gino-real-chapter.update(true)", "label: kolada", "label: notice",
                                       "running_header=False", "label: statements")]
    assert order == sorted(order) and "gino-real-chapter.update(false)" not in poster
    deck = (ROOT / "reports/feedback/bildspel.qmd").read_text(encoding="utf-8")
    assert deck.index("## Verkliga resultat i Kolada") < deck.index("## Om underlaget") < deck.index("## Så tyckte")


def test_a_municipal_poster_marks_the_regional_figures(executed, on_twin):
    from analysis.feedback import comparison as feedback, tables as feedback_tables
    from analysis.report import processed

    f, codebook = processed.survey("client_survey_2018"), processed.codebook("client_survey_2018")
    plan = processed.disclosure_plan()
    for code, name in STUDY.items():
        statements = feedback.poster_statements(f, codebook, plan, code)
        text = "\n".join(executed[("affisch", code)].markdown)
        reasons = [plan.reason("client_survey_2018", v, code) for v in statements["variable"]]
        assert feedback_tables.poster_region_note(name, statements["source"].tolist(), reasons) in text
        for row in statements.itertuples():
            assert f"**{row.of_ten} av 10**" in text


def test_the_check_reads_unregistered_tables_and_unplanned_figures_from_the_output():
    from analysis.core.publication_plan import Plan

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("#| label: tbl-kommun-brukare"),
                                         nbformat.v4.new_code_cell("#| label: tbl-new")])
    text = pd.DataFrame({"Indikator": ["a", "b"], "Malå 2018": ["60\u00a0% (23–88), n = 15", "dold (röjandeskydd)"],
                         "Regionen 2018": ["70\u00a0% (60–80), n = 100, 6 kommuner"] * 2})
    nb.cells[0].outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": display.markdown_table(text).data})]
    nb.cells[1].outputs = [nbformat.v4.new_output("display_data", data={"text/markdown": display.markdown_table(text).data})]
    plan = Plan(indicators={"client_survey_2018": {"contact_ease": []}})
    problems = documents.plan_problems(nb, "kommun", "2418", "Malå", plan, "kommun.qmd for Malå")
    assert problems == [
        "kommun.qmd for Malå: table tbl-kommun-brukare shows 1 of Malå's own figures; the disclosure plan shows 0",
        "kommun.qmd for Malå: table tbl-new is published but the disclosure audit has not registered it (add it to "
        "analysis.report.registry.TABLES and its facts to the ledger)"]
    plan.indicators["client_survey_2018"]["contact_ease"] = ["2418"]
    assert len(documents.plan_problems(nb, "kommun", "2418", "Malå", plan, "x")) == 1


def test_a_qmd_becomes_the_notebook_quarto_executes():
    path = documents.DOCUMENTS[0].path
    nb = documents.qmd_notebook(path)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert len(code) == path.read_text(encoding="utf-8").count("```{python}")
    assert code[0].metadata["tags"] == ["parameters"] and "kommun = " in code[0].source
    assert not any(c.source.startswith("---") for c in nb.cells)  # the front matter is Quarto's, not a cell
    assert all(c.metadata["tags"] == [] for c in code[1:])


def test_a_failing_cell_names_document_and_municipality(tmp_path, monkeypatch):
    broken = tmp_path / "kommun.qmd"
    broken.write_text('---\ntitle: x\n---\n\n```{python}\n#| tags: [parameters]\nkommun = ""\n```\n\n'
                      '```{python}\nraise ValueError(f"no data for {kommun}")\n```\n', encoding="utf-8")
    monkeypatch.setattr(feedback_jobs, "FEEDBACK_DIR", tmp_path)
    monkeypatch.setattr(documents.paths, "ROOT", tmp_path)
    result = documents.execute_and_check("kommun", "2425", "Dorotea", 5)
    assert result.problems == ["kommun.qmd for kommun 2425: a cell failed: ValueError: no data for 2425"]


def test_each_render_has_its_own_output(on_twin):
    jobs = documents.jobs()
    assert len(jobs) == 8 * 2 + 9 + 9
    assert len({job.output for job in jobs}) == len(jobs)
    dorotea = next(job for job in jobs if job.kommun == "2425" and job.format == "typst")
    assert dorotea.output == "kommun-2425-dorotea.pdf"
    assert dorotea.quarto_args() == ["render", "kommun.qmd", "--to", "typst", "--output",
                                     "kommun-2425-dorotea.pdf", "-M", "subtitle:Dorotea", "-P", "kommun:2425"]
    assert dorotea.workdir == ROOT / "reports" / "feedback"  # Quarto finds a document's resources from there
    region = next(job for job in jobs if job.document.stem == "affisch" and job.kommun is None)
    assert region.output == "affisch-region.pdf" and "-P" not in region.quarto_args()
    assert feedback_jobs.slug("Åsele") == "asele" and feedback_jobs.slug("Malå") == "mala"


def test_the_documents_pass_the_document_check():
    report = report_check.check_documents([d.path for d in documents.DOCUMENTS])
    assert report.problems == [] and report.documents == 3 and report.cross_references > 0
    for document in documents.DOCUMENTS:
        text = document.path.read_text(encoding="utf-8")
        assert text.count("#| tags: [parameters]") == 1, document.stem
        assert "freeze: false" in text, f"{document.stem}: frozen results would belong to another municipality"


def test_the_command_executes_and_checks_everything_without_quarto(on_twin, monkeypatch, capsys):
    """The command's wiring (execution itself is covered above): problems become one line each and exit 1."""
    from analysis import cli

    monkeypatch.setattr(cli.shutil, "which", lambda name: None)
    ok = [documents.Executed(job.document.stem, job.kommun, job.name, 1.0, [], [], []) for job in documents.jobs()]
    monkeypatch.setattr(documents, "execute_all", lambda workers: iter(ok))
    cli.feedback_command(workers=2)
    out = capsys.readouterr().out
    assert "feedback: 26 documents executed and checked" in out and "the 34 files were not rendered" in out

    leak = ["reports/feedback/kommun.qmd for Malå: table tbl-x, row 'a', column 'Malå 2018' shows '60 % (23–88), n = 5', "
            "a cell of fewer than 5 respondents"]
    proc = subprocess.run([sys.executable, "-c", "import sys; sys.argv = ['gino', 'feedback']; "
                           "from analysis import cli; from analysis.report import feedback_documents as d; import shutil; "
                           "shutil.which = lambda name: None; "
                           f"d.execute_all = lambda workers: iter([d.Executed('kommun', '2418', 'Malå', 1.0, [], [], {leak!r})]); "
                           "cli.main()"], cwd=ROOT, env={**os.environ}, capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines()[-1] == f"error: {leak[0]}"


@pytest.mark.skipif(shutil.which("quarto") is None,
                    reason="quarto is not on PATH; the feedback documents are rendered where Quarto is installed")
def test_quarto_renders_a_report_a_poster_and_a_deck(on_twin, tmp_path):
    """One of each kind, as `gino feedback` runs them: the municipality report (HTML and PDF), the A3
    poster on one page, and the slide deck; rendered twice, they are the same bytes (no render time
    in the PDF, the deck's zip entries or its properties)."""
    env = feedback_jobs.render_environment({**os.environ, "QUARTO_PYTHON": sys.executable})
    jobs = documents.jobs()
    chosen = [job for job in jobs if job.document.stem == "kommun" and job.kommun == "2425"]
    chosen += [next(job for job in jobs if job.document.stem == "affisch" and job.kommun == "2425"),
               next(job for job in jobs if job.document.stem == "bildspel" and job.kommun is None)]
    made = {}
    for round_ in ("first", "second"):
        for job in chosen:
            started = time.time()
            proc = subprocess.run(["quarto", *job.quarto_args()], cwd=job.workdir, env=env, capture_output=True, text=True)
            assert proc.returncode == 0, proc.stderr[-3000:]
            made[round_, job.output] = feedback_jobs.collect(job, started, output_dir=tmp_path / round_)
    for job in chosen:
        first = made["first", job.output]
        head = first.read_bytes()[:4]
        assert head == {"html": b"<!DO", "typst": b"%PDF", "pptx": b"PK\x03\x04"}[job.format], job.output
        if job.document.stem == "affisch":
            assert _pdf_pages(first) == 1, "the poster must fit one A3 page"
        assert first.read_bytes() == made["second", job.output].read_bytes(), f"two renders of {job.output} differ"


def _pdf_pages(path) -> int:
    proc = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.skip("pdfinfo (poppler-utils) is not installed to count the poster's pages")
    return int(next(line.split()[-1] for line in proc.stdout.splitlines() if line.startswith("Pages:")))


def test_the_typst_header_is_the_same_in_every_typst_document():
    """The running header is Typst in YAML, so it is written out in each document; all must match the one
    ``display.report_notice`` switches on."""
    import yaml

    from analysis.presentation import display

    project = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    headers = [project["format"]["typst"]["include-in-header"]["text"]]
    for stem in ("kommun", "affisch"):
        text = (feedback_jobs.FEEDBACK_DIR / f"{stem}.qmd").read_text(encoding="utf-8")
        front = yaml.safe_load(text.split("---\n")[1])
        headers.append(front["format"]["typst"]["include-in-header"]["text"])
    assert headers == [display.TYPST_HEADER] * 3
    assert "gino-synthetic.update(true)" in display.report_notice(True)
    assert "gino-synthetic" not in display.report_notice(False)


def test_a_rendered_file_is_collected_wherever_quarto_put_it(tmp_path, on_twin):
    job = next(job for job in documents.jobs() if job.kommun == "2425" and job.format == "html")
    site = tmp_path / "_site" / "reports" / "feedback"
    started = time.time()
    (tmp_path / job.output).write_text("<!DOCTYPE html>")
    assert feedback_jobs.collect(job, started, tmp_path, site) == site / "kommun-2425-dorotea.html"
    assert not (tmp_path / job.output).exists()
    with pytest.raises(documents.GinoError, match="reported success but wrote no kommun-2425-dorotea.html"):
        feedback_jobs.collect(job, time.time() + 60, tmp_path, site)  # only the last run's file is there


def test_every_slide_caption_fits_under_its_figure():
    """A deck's figure fills its slide; a caption longer than two lines of slide type (about 100
    characters) runs off the slide's foot (seen through LibreOffice)."""
    deck = (ROOT / "reports" / "feedback" / "bildspel.qmd").read_text(encoding="utf-8")
    captions = re.findall(r'^#\| fig-cap: "(.*)"$', deck, re.MULTILINE)
    assert captions
    for caption in captions:
        assert len(caption) <= 100, caption


def test_renders_are_stamped_with_the_commit_time_not_the_render_time(tmp_path):
    """pandoc writes SOURCE_DATE_EPOCH into a deck instead of the time of the render (see the render test)."""
    commit_time = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    assert feedback_jobs.render_environment({"PATH": "x"}) == {"PATH": "x", "SOURCE_DATE_EPOCH": commit_time}
    assert feedback_jobs.render_environment({"SOURCE_DATE_EPOCH": "5"})["SOURCE_DATE_EPOCH"] == "5"
    newest = max(int(d.path.stat().st_mtime) for d in feedback_jobs.DOCUMENTS)
    assert feedback_jobs.render_environment({}, root=tmp_path)["SOURCE_DATE_EPOCH"] == str(newest)  # no git there
