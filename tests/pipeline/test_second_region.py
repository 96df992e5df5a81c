"""A second study region in another county, made by editing config/regions.yaml only: the Forte project's
municipalities in Göteborgsregionen and Jönköping County (the seeds name the project, not the six
municipalities; the six here are an illustration). The region chapter (notebook 04, the article's region
prose, the feedback documents' region parts) must name and draw only the configured regions, and explain
that the population grid (Västerbotten and Norrbotten in the mirror) does not cover them."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import nbclient
import nbformat
import pandas as pd
import pytest

from conftest import ROOT, clone_built, gino, relocate_state

FORTE = {"1440": "Ale", "1441": "Lerum", "1482": "Kungälv", "0662": "Gislaved", "0682": "Nässjö", "0685": "Vetlanda"}
REGIONS_YAML = """
study_region: forte
comparisons: [goteborgsregionen, jonkoping, vastra_gotaland, sweden]
reference_town: "1480"
regions:
  forte:
    name: Forte-kommunerna
    kommuner: ["1440", "1441", "1482", "0662", "0682", "0685"]
  goteborgsregionen:
    name: Göteborgsregionen
    kommuner: ["1384", "1401", "1402", "1407", "1415", "1419", "1440", "1441", "1462", "1480", "1481", "1482", "1489"]
  jonkoping:
    name: Jönköpings län
    lan: ["06"]
  vastra_gotaland:
    name: Västra Götalands län
    lan: ["14"]
  sweden:
    name: Sverige
    all: true
"""
GINO_MUNICIPALITIES = {"2417": "Norsjö", "2418": "Malå", "2421": "Storuman", "2422": "Sorsele", "2425": "Dorotea",
                       "2462": "Vilhelmina", "2463": "Åsele", "2481": "Lycksele", "2505": "Arvidsjaur",
                       "2506": "Arjeplog"}
FORBIDDEN = re.compile("|".join(["GINO", "Västerbotten", "Region 10", "Region 8", "Umeå", "Norrbotten",
                                 *GINO_MUNICIPALITIES.values()]))
OPTION = re.compile(r"^#\|\s*([\w-]+):\s*(.*)$", re.MULTILINE)


# The second region's build is the session's ``forte`` fixture (tests/conftest.py), shared with test_claims.py.


@pytest.fixture(scope="module")
def sparsity_notebook(forte):
    """Notebook 04 executed on the second region, with a last cell reporting what the maps hold."""
    nb = nbformat.read(ROOT / "notebooks" / "04-sparsity.ipynb", as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(
        "print('MAPPED', ','.join(sorted(layer['kommun_kod'])))\n"
        "print('STUDY', ','.join(study_codes))\n"
        "print('TATORTER', ','.join(sorted(tatorter[tatorter['kommun_kod'].isin(layer['kommun_kod'])]['kommun_kod'].unique())))"))
    with pytest.MonkeyPatch.context() as patch:
        for key, value in forte["env"].items():
            patch.setenv(key, value)
        nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    return nb


def _label(cell) -> str:
    return dict(OPTION.findall(cell.source)).get("label", "")


def _texts(cell) -> list[str]:
    out = []
    for o in cell.outputs:
        if o.get("output_type") == "stream":
            out.append(o["text"])
        for kind in ("text/markdown", "text/html", "text/plain"):
            if kind in o.get("data", {}):
                out.append(o["data"][kind])
    return out


def test_the_build_says_in_one_line_that_the_grid_does_not_cover_the_study_region(forte):
    notes = [line for line in forte["build"].splitlines() if "population grid" in line]
    assert len(notes) == 1, forte["build"]
    assert notes[0].startswith("note: the population grid covers län 24, 25 only; study region 'forte'")
    assert "06, 14" in notes[0] and "data/raw/grid/" in notes[0]
    coverage = pd.read_csv(forte["data"] / "processed" / "population_grid_coverage.csv", dtype=str)
    assert coverage["lan_kod"].tolist() == ["24", "25"]


def test_the_published_gino_facts_are_still_compared_on_ginos_own_regions(forte):
    comparison = pd.read_csv(forte["data"] / "processed" / "published_region_facts_comparison.csv")
    assert comparison["passed"].all()
    facts = pd.read_csv(forte["data"] / "processed" / "region_facts.csv", dtype={"region_id": str})
    assert facts["region_id"].tolist() == ["forte", "goteborgsregionen", "jonkoping", "vastra_gotaland", "sweden"]


def test_no_caption_alt_text_table_or_map_of_the_region_chapter_names_or_draws_gino(sparsity_notebook):
    nb = sparsity_notebook
    stdout = "".join(o["text"] for o in nb.cells[-1].outputs if o.get("output_type") == "stream")
    mapped = dict(line.split(" ", 1) for line in stdout.strip().splitlines())
    drawn = set(mapped["MAPPED"].split(","))
    assert set(FORTE) <= drawn and not drawn & set(GINO_MUNICIPALITIES)
    assert {code[:2] for code in drawn} == {"06", "14"}  # the counties around the study region
    assert mapped["STUDY"].split(",") == sorted(FORTE)   # the thick outlines
    assert not set(mapped["TATORTER"].split(",")) & set(GINO_MUNICIPALITIES)
    for cell in nb.cells[1:-1]:
        if cell.cell_type != "code":
            assert not FORBIDDEN.search(cell.source), cell.source
            continue
        options = dict(OPTION.findall(cell.source))
        for key in ("fig-cap", "fig-alt", "tbl-cap"):
            assert not FORBIDDEN.search(options.get(key, "")), (options["label"], key)
        for text in _texts(cell):
            if "Syntetiska data." in text:  # the data notice: the twin is GINO's and says so
                continue
            assert not FORBIDDEN.search(text), (_label(cell), FORBIDDEN.search(text).group(), text[:300])


def test_the_region_chapter_names_the_configured_regions(sparsity_notebook):
    shown = "\n".join(t for c in sparsity_notebook.cells if c.cell_type == "code" for t in _texts(c))
    for name in ("Forte-kommunerna", "Göteborgsregionen", "Jönköpings län", "Västra Götalands län", "Göteborg"):
        assert name in shown
    distances = next(c for c in sparsity_notebook.cells if _label(c) == "tbl-sparsity-distances")
    assert "Till Göteborg, väg (km)" in _texts(distances)[0]
    assert all(name in _texts(distances)[0] for name in FORTE.values())


def test_the_grid_less_case_is_explained_and_nothing_else_shown_in_its_place(sparsity_notebook):
    cells = {_label(c): c for c in sparsity_notebook.cells if c.cell_type == "code" and _label(c)}
    shown = "\n".join(t for c in sparsity_notebook.cells if c.cell_type == "code" for t in _texts(c))
    assert "Befolkningsrutnätet" in shown and "täcker inte Jönköpings län och Västra Götalands län" in shown
    assert "katalogpost" in shown and "kind: population_grid" in shown and "ingen kod" in shown
    grid = cells["fig-sparsity-grid"]
    assert not [o for o in grid.outputs if "image/png" in o.get("data", {})]
    assert "täcker inte Forte-kommunerna" in "".join(_texts(grid))
    for label in ("fig-sparsity-density", "fig-sparsity-tatorter", "fig-sparsity-shares"):
        assert len([o for o in cells[label].outputs if "image/png" in o.get("data", {})]) == 1, label
    table = _texts(cells["tbl-sparsity-municipalities"])[0]
    assert "utan invånare" not in table and "Medelavstånd" not in table and "Andel utanför tätort" in table
    assert "utan invånare" not in _texts(cells["tbl-sparsity-regions"])[0]


def test_the_article_follows_the_configuration(forte, tmp_path):
    article = (ROOT / "reports" / "index.qmd").read_text(encoding="utf-8")
    cells = re.findall(r"```\{python\}\n(.*?)```", article, re.DOTALL)
    inline = re.findall(r"`\{python\} ([^`]+)`", article)
    script = "\n".join(cells) + "\n" + "\n".join(f"print(getattr({expr}, 'data', None))" for expr in inline)
    (tmp_path / "article.py").write_text(script, encoding="utf-8")
    proc = subprocess.run([sys.executable, str(tmp_path / "article.py")], cwd=ROOT / "reports",
                          env={**os.environ, **forte["env"]}, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "Enkäterna gäller GINO-kommunerna, inte Forte-kommunerna" in out  # the survey chapters' twin
    assert "Det här kapitlet bygger på den syntetiska tvillingen" in out
    assert "Regionkapitlet (@sec-region) beskriver den studieregion som är vald i config/regions.yaml" in out
    assert "Befolkningsrutnätet" in out and "@fig-sparsity-grid" not in out
    assert "39 697" not in out and "mer än Schweiz" not in out  # GINO's quote and claim are GINO's, not here
    assert "Jönköpings län och Västra Götalands län" in out


def test_a_feedback_report_for_a_second_region_municipality(forte, monkeypatch):
    from analysis.report import feedback_documents as documents
    from analysis.report import feedback_jobs

    for key, value in forte["env"].items():
        monkeypatch.setenv(key, value)
    assert feedback_jobs.municipalities() == dict(sorted(FORTE.items()))
    kommun = next(d for d in documents.DOCUMENTS if d.stem == "kommun")
    nb = documents.execute(kommun, "1440")
    texts = {_label(c): "\n".join(_texts(c)) for c in nb.cells if c.cell_type == "code"}
    assert "Enkäterna gäller GINO-kommunerna, inte Forte-kommunerna" in texts["notice"]
    assert "Befolkningsrutnätet" in texts["grid-coverage"]
    facts = texts["tbl-kommun-fakta"]
    assert "Från centralorten till Göteborg" in facts and "Forte-kommunerna" in facts
    assert not FORBIDDEN.search(facts) and "utan bofasta" not in facts
    for label in ("fig-kommun-karta", "fig-kommun-gleshet"):
        cell = next(c for c in nb.cells if _label(c) == label)
        options = dict(OPTION.findall(cell.source))
        assert not FORBIDDEN.search(options["fig-cap"] + options["fig-alt"]), label
    assert "ingen (kommunen deltog inte)" in texts["client-intro"]


def test_real_exports_may_hold_the_configured_municipalities_not_the_codebooks_alone(forte, tmp_path):
    """A researcher's own exports for the Forte municipalities build; a code outside them is one line."""
    config = tmp_path / "config"
    shutil.copytree(forte["config"], config)
    data = clone_built(forte["data"], tmp_path / "data")
    relocate_state(data, {forte["config"]: config})
    private = data / "raw" / "private"
    private.mkdir()
    forte_codes = sorted(FORTE)
    for dataset in ("innovation_climate_2017", "client_survey_2018", "client_survey_2019"):
        frame = pd.read_csv(data / "raw" / "synthetic" / f"{dataset}_synthetic.csv", dtype=str)
        gino_codes = sorted(frame["kommun"].unique())
        frame["kommun"] = frame["kommun"].map({c: forte_codes[i % 6] for i, c in enumerate(gino_codes)})
        frame.to_csv(private / f"{dataset}.csv", index=False)
    (config / "surveys.yaml").write_text(
        "source: real\nreal:\n" + "".join(f"  {d}: private/{d}.csv\n" for d in
                                          ("innovation_climate_2017", "client_survey_2018", "client_survey_2019")),
        encoding="utf-8")
    env = {"GINO_CONFIG_DIR": str(config)}
    gino("build", data_dir=data, extra_env=env)
    built = pd.read_parquet(data / "processed" / "client_survey_2018.parquet")
    assert set(built["kommun"]) == set(FORTE)

    bad = pd.read_csv(private / "client_survey_2018.csv", dtype=str)
    bad.loc[0, "kommun"] = "2425"  # a GINO municipality: in the codebook, not in the configured region
    bad.to_csv(private / "client_survey_2018.csv", index=False)
    proc = gino("build", data_dir=data, check=False, extra_env=env)
    assert proc.returncode == 1
    errors = [line for line in proc.stderr.splitlines() if "2425" in line]
    assert len(errors) == 1 and "row 2" in errors[0] and "1440 Ale" in errors[0], proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.skipif(shutil.which("quarto") is None,
                    reason="quarto is not on PATH; the render is checked where Quarto is installed")
def test_quarto_renders_the_second_region(forte, tmp_path):
    """Rendered in a copy of the repository, so the working tree's site and executed notebooks stay as they are."""
    from analysis.core.paths import copy_repository

    root = copy_repository(tmp_path / "repo")
    env = {**os.environ, **forte["env"], "QUARTO_PYTHON": sys.executable, "PYTHONPATH": str(root)}
    proc = subprocess.run(["quarto", "render", "--to", "html"], cwd=root, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-4000:]
    chapter = (root / "_site" / "reports" / "notebooks" / "04-sparsity-preview.html").read_text(encoding="utf-8")
    assert "Forte-kommunerna" in chapter and "Befolkningsrutnätet" in chapter
    assert not re.search("|".join(GINO_MUNICIPALITIES.values()), chapter)
    article = (root / "_site" / "reports" / "index.html").read_text(encoding="utf-8")
    assert "Forte-kommunerna" in article and "Enkäterna gäller GINO-kommunerna" in article


@pytest.mark.parametrize("name", ["02-innovation-climate.ipynb", "03-client-surveys.ipynb"])
def test_survey_chapters_say_the_twin_covers_the_gino_municipalities(forte, name, monkeypatch):
    for key, value in forte["env"].items():
        monkeypatch.setenv(key, value)
    nb = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
    shown = "\n".join(t for c in nb.cells if c.cell_type == "code" for t in _texts(c))
    assert "Enkäterna gäller GINO-kommunerna, inte Forte-kommunerna" in shown
