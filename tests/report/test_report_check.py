"""The Quarto project check (analysis/report/report_check.py): the real project passes, and each check
catches its problem in a tiny hand-made project, with exactly the expected line."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from analysis.report import report_check
from analysis.report.report_check import check_project
from conftest import ROOT

QUARTO_YML = """\
project:
  type: default
  render:
    - reports/index.qmd
    - notebooks/01-a.ipynb
lang: sv
"""

ARTICLE = """\
---
title: "Liten rapport"
bibliography: references.bib
---

```{python}
#| label: setup
CONTACT = "user@example.org"  # an address in code is not a citation
```

# Inledning {#sec-intro}

Se @fig-a och @tbl-a samt @tbl-local [@martilla1977, s. 17]. Koden `@fig-x` och
`{python} CONTACT` är inga referenser, inte heller user@example.org. Enligt @newcombe1998.

{{< embed ../notebooks/01-a.ipynb#fig-a,tbl-a >}}

```{python}
#| label: tbl-local
#| tbl-cap: "En lokal tabell."
CONTACT
```

Mer i @sec-intro; @Tbl-local börjar en mening.
"""

BIB = """\
@article{martilla1977,
  title = {Importance-performance analysis},
  year = {1977}
}
@book{ newcombe1998 ,
  title = {Interval estimation},
  year = {1998}
}
"""

FRONT_MATTER = '---\ntitle: "A"\nexecute:\n  enabled: true\n---'
FIG_A = '#| label: fig-a\n#| fig-cap: "Figur A."\n#| fig-alt: "Ett stapeldiagram."\nplot()'
TBL_A = '#| label: tbl-a\n#| tbl-cap: "Tabell A."\ntable()'


def notebook_cells(front_matter: str = FRONT_MATTER, fig_a: str = FIG_A) -> list:
    return [new_raw_cell(front_matter),
            new_markdown_cell("Se @fig-a; skriv till `someone@example.org`."),
            new_code_cell(fig_a),
            new_code_cell(TBL_A),
            new_code_cell('ADDRESS = "user@example.org"')]


def write_notebook(path: Path, cells: list) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(new_notebook(cells=cells), path)


def make_project(root: Path, article: str = ARTICLE, quarto: str = QUARTO_YML, bib: str | None = BIB,
                 cells: list | None = None) -> Path:
    """A tiny project: _quarto.yml, reports/index.qmd, reports/references.bib and notebooks/01-a.ipynb."""
    (root / "reports").mkdir(parents=True)
    (root / "_quarto.yml").write_text(quarto, encoding="utf-8")
    (root / "reports" / "index.qmd").write_text(article, encoding="utf-8")
    if bib is not None:
        (root / "reports" / "references.bib").write_text(bib, encoding="utf-8")
    write_notebook(root / "notebooks" / "01-a.ipynb", notebook_cells() if cells is None else cells)
    return root


def line_of(text: str, needle: str) -> int:
    """The 1-based line of the first occurrence of ``needle`` in ``text``."""
    return text[:text.index(needle)].count("\n") + 1


LOCAL_TABLE_CELL = "```{python}\n#| label: tbl-local"


def with_paragraph(paragraph: str) -> str:
    return ARTICLE + "\n" + paragraph + "\n"


def test_the_real_project_renders_cleanly_as_far_as_can_be_checked_without_quarto():
    assert check_project(ROOT) == []


def test_a_correct_tiny_project_has_no_problems(tmp_path):
    assert check_project(make_project(tmp_path)) == []


def test_executed_copies_are_checked_through_their_sources_before_any_render(tmp_path):
    """The project renders the article alone; the notebooks it embeds are executed copies in reports/notebooks/
    (made by the pre-render step; a fresh clone has none yet), which Quarto renders as the notebooks' pages,
    so they are checked through their sources like documents."""
    quarto = QUARTO_YML.replace("    - notebooks/01-a.ipynb\n", "")
    article = ARTICLE.replace("../notebooks/01-a.ipynb#fig-a,tbl-a", "notebooks/01-a.ipynb#fig-a,tbl-a")
    root = make_project(tmp_path, article=article, quarto=quarto)
    assert not (root / "reports" / "notebooks").exists()
    assert check_project(root) == []
    (root / "reports" / "index.qmd").write_text(article.replace("#fig-a,tbl-a", "#fig-b"), encoding="utf-8")
    assert (f"reports/index.qmd, line {line_of(article, '{{< embed')}: embed notebooks/01-a.ipynb#fig-b: "
            "no cell labelled 'fig-b' in notebooks/01-a.ipynb") in check_project(root)
    cells = notebook_cells()
    cells[1] = new_markdown_cell("Se @fig-nope.")
    write_notebook(root / "notebooks" / "01-a.ipynb", cells)
    assert any(line.startswith("notebooks/01-a.ipynb") and "fig-nope" in line for line in check_project(root))


def test_success_and_failure_are_reported_like_a_command(tmp_path, capsys):
    assert report_check.main([str(make_project(tmp_path))]) == 0
    assert capsys.readouterr().out == ("report check: 2 documents, 1 embeds, 6 cross-references, 2 citations: "
                                       "all resolve\n")
    (tmp_path / "reports" / "references.bib").unlink()
    assert report_check.main([str(tmp_path)]) == 1
    assert capsys.readouterr().err == "error: reports/index.qmd: bibliography reports/references.bib does not exist\n"


def test_addresses_in_code_and_references_in_inline_code_are_not_references(tmp_path):
    doc = report_check.read_document(make_project(tmp_path) / "reports" / "index.qmd", tmp_path)
    keys = [key for key, _ in report_check.references(doc)]
    assert keys == ["fig-a", "tbl-a", "tbl-local", "martilla1977", "newcombe1998", "sec-intro",
                    "Tbl-local"]
    notebook = report_check.read_document(tmp_path / "notebooks" / "01-a.ipynb", tmp_path)
    assert [key for key, _ in report_check.references(notebook)] == ["fig-a"]


# --- _quarto.yml ---------------------------------------------------------------------------------


def test_a_missing_rendered_document_and_another_language_are_reported(tmp_path):
    quarto = QUARTO_YML.replace("lang: sv", "lang: en").replace(
        "    - notebooks/01-a.ipynb\n", "    - notebooks/01-a.ipynb\n    - notebooks/09-gone.ipynb\n")
    assert check_project(make_project(tmp_path, quarto=quarto)) == [
        "_quarto.yml: lang is 'en', expected 'sv' (the report is in Swedish)",
        "_quarto.yml: project.render names notebooks/09-gone.ipynb, which does not exist",
    ]


def test_a_project_without_type_or_render_list_is_reported(tmp_path):
    make_project(tmp_path, quarto="project:\n  output-dir: _site\nlang: sv\n")
    assert check_project(tmp_path) == [
        "_quarto.yml: project.type is missing",
        "_quarto.yml: project.render is missing or empty (it lists the documents to render)",
    ]


def test_an_unparsable_quarto_yml_is_reported_with_its_line(tmp_path):
    make_project(tmp_path, quarto="project:\n  type: default\n  render: [reports/index.qmd\nlang: sv\n")
    [problem] = check_project(tmp_path)
    assert problem.startswith("_quarto.yml, line 4: not valid YAML")


# --- Embeds --------------------------------------------------------------------------------------


def test_an_embed_of_a_missing_notebook(tmp_path):
    article = with_paragraph("{{< embed ../notebooks/09-missing.ipynb#fig-z >}}")
    assert check_project(make_project(tmp_path, article=article)) == [
        f"reports/index.qmd, line {line_of(article, '{{< embed ../notebooks/09')}: "
        "embed ../notebooks/09-missing.ipynb#fig-z: notebooks/09-missing.ipynb does not exist",
    ]


def test_an_embed_of_a_notebook_outside_the_render_list(tmp_path):
    article = with_paragraph("{{< embed ../notebooks/02-b.ipynb#fig-a >}}")
    make_project(tmp_path, article=article)
    write_notebook(tmp_path / "notebooks" / "02-b.ipynb", notebook_cells())
    assert check_project(tmp_path) == [
        f"reports/index.qmd, line {line_of(article, '{{< embed ../notebooks/02')}: "
        "embed ../notebooks/02-b.ipynb#fig-a: notebooks/02-b.ipynb is neither in project.render in _quarto.yml "
        "nor an executed copy in reports/notebooks/, so nothing executes it and the embed would be empty",
    ]


def test_an_embed_of_a_missing_label(tmp_path):
    article = ARTICLE.replace("#fig-a,tbl-a >}}", "#fig-a,tbl-a,fig-nope >}}")
    assert check_project(make_project(tmp_path, article=article)) == [
        f"reports/index.qmd, line {line_of(article, '{{< embed')}: "
        "embed ../notebooks/01-a.ipynb#fig-a,tbl-a,fig-nope: no cell labelled 'fig-nope' in notebooks/01-a.ipynb",
    ]


def test_an_embed_inside_code_is_not_an_embed(tmp_path):
    article = with_paragraph("```markdown\n{{< embed ../notebooks/09-missing.ipynb#fig-z >}}\n```")
    assert check_project(make_project(tmp_path, article=article)) == []


# --- Cross-references ----------------------------------------------------------------------------


def test_an_unresolved_figure_reference(tmp_path):
    article = with_paragraph("Se även @fig-nope.")
    assert check_project(make_project(tmp_path, article=article)) == [
        f"reports/index.qmd, line {line_of(article, '@fig-nope')}: "
        "@fig-nope: no cell labelled 'fig-nope' in this document, nor embedded into it",
    ]


def test_a_reference_to_a_notebook_label_that_is_not_embedded(tmp_path):
    article = ARTICLE.replace("#fig-a,tbl-a >}}", "#fig-a >}}")
    assert check_project(make_project(tmp_path, article=article)) == [
        f"reports/index.qmd, line {line_of(article, '@tbl-a')}: "
        "@tbl-a: no cell labelled 'tbl-a' in this document, nor embedded into it",
    ]


def test_an_unresolved_section_reference(tmp_path):
    article = with_paragraph("Se\n@sec-nope.")
    assert check_project(make_project(tmp_path, article=article)) == [
        f"reports/index.qmd, line {line_of(article, '@sec-nope')}: @sec-nope: no heading with id {{#sec-nope}} "
        "in this document",
    ]


def test_an_unresolved_reference_in_a_notebook(tmp_path):
    cells = notebook_cells()
    cells[1] = new_markdown_cell("Se @tbl-gone.")
    assert check_project(make_project(tmp_path, cells=cells)) == [
        "notebooks/01-a.ipynb, cell 2: @tbl-gone: no cell labelled 'tbl-gone' in this document, nor embedded into it",
    ]


def test_a_reference_in_a_caption_must_resolve_too(tmp_path):
    article = ARTICLE.replace('"En lokal tabell."', '"En lokal tabell, jämför @sec-gone."')
    assert check_project(make_project(tmp_path, article=article)) == [
        f"reports/index.qmd, line {line_of(article, LOCAL_TABLE_CELL)}: "
        "@sec-gone: no heading with id {#sec-gone} in this document",
    ]


# --- Citations -----------------------------------------------------------------------------------


def test_an_unknown_citation_key(tmp_path):
    article = with_paragraph("Som tidigare visats [@nobody2000; @martilla1977].")
    assert check_project(make_project(tmp_path, article=article)) == [
        f"reports/index.qmd, line {line_of(article, '@nobody2000')}: "
        "citation @nobody2000 is not in reports/references.bib",
    ]


def test_a_citation_without_bibliography(tmp_path):
    article = ARTICLE.replace("bibliography: references.bib\n", "")
    assert check_project(make_project(tmp_path, article=article, bib=None)) == [
        f"reports/index.qmd, line {line_of(article, '@martilla1977')}: "
        "@martilla1977 is cited but the document names no bibliography",
    ]


def test_a_missing_bibliography_file(tmp_path):
    assert check_project(make_project(tmp_path, bib=None)) == [
        "reports/index.qmd: bibliography reports/references.bib does not exist",
    ]


# --- Cell options and labels ---------------------------------------------------------------------


def test_a_figure_cell_without_alt_text(tmp_path):
    fig = FIG_A.replace('#| fig-alt: "Ett stapeldiagram."\n', "")
    assert check_project(make_project(tmp_path, cells=notebook_cells(fig_a=fig))) == [
        "notebooks/01-a.ipynb, cell 3: figure cell 'fig-a' has no fig-alt",
    ]


def test_a_table_cell_without_caption(tmp_path):
    article = ARTICLE.replace('#| tbl-cap: "En lokal tabell."\n', "")
    assert check_project(make_project(tmp_path, article=article)) == [
        f"reports/index.qmd, line {line_of(article, LOCAL_TABLE_CELL)}: "
        "table cell 'tbl-local' has no tbl-cap",
    ]


def test_a_duplicate_label(tmp_path):
    article = with_paragraph('```{python}\n#| label: tbl-local\n#| tbl-cap: "Igen."\nCONTACT\n```')
    first = line_of(article, LOCAL_TABLE_CELL)
    second = line_of(article, '#| tbl-cap: "Igen."') - 2
    assert check_project(make_project(tmp_path, article=article)) == [
        f"reports/index.qmd, line {second}: label 'tbl-local' is already defined (line {first})",
    ]


def test_a_label_embedded_twice(tmp_path):
    article = with_paragraph("{{< embed ../notebooks/01-a.ipynb#tbl-a >}}")
    assert check_project(make_project(tmp_path, article=article)) == [
        f"reports/index.qmd, line {line_of(article, '{{< embed ../notebooks/01-a.ipynb#tbl-a >}}')}: "
        "embed ../notebooks/01-a.ipynb#tbl-a: label 'tbl-a' is already defined in this document",
    ]


# --- Notebooks -----------------------------------------------------------------------------------


@pytest.mark.parametrize("front_matter", ['---\ntitle: "A"\n---', '---\nexecute:\n  enabled: false\n---', None])
def test_a_notebook_that_quarto_would_not_execute(tmp_path, front_matter):
    cells = notebook_cells(front_matter=front_matter or "")[0 if front_matter else 1:]
    assert check_project(make_project(tmp_path, cells=cells)) == [
        "notebooks/01-a.ipynb: the first cell must be raw front matter setting 'execute: enabled: true' "
        "(so that rendering the notebook on its own executes it)",
    ]


def test_a_notebook_committed_with_outputs(tmp_path):
    cells = notebook_cells()
    cells[2].outputs = [new_output("stream", name="stdout", text="1\n")]
    cells[3].execution_count = 4
    assert check_project(make_project(tmp_path, cells=cells)) == [
        "notebooks/01-a.ipynb: committed with outputs (cells 3, 4); clear them before committing",
    ]
