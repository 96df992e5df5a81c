"""The Quarto project is checked without Quarto: its render list exists and the article's code runs."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import yaml

from conftest import ROOT

CELL = re.compile(r"```\{python\}\n(.*?)```", re.DOTALL)
INLINE = re.compile(r"`\{python\} ([^`]+)`")


def test_quarto_project_lists_existing_documents():
    """The render list names the article, which embeds the executed copy of every notebook (made before each
    render); Quarto renders each embedded notebook as its notebook view."""
    from analysis.report.documents import EMBED
    from analysis.report.project import read_project

    project = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    assert project["lang"] == "sv"
    # anchored at the project's root: Quarto searches an unanchored glob in every directory under it (docs/report.md)
    assert project["project"]["resources"] and all(glob.startswith("/") for glob in project["project"]["resources"])
    checked = read_project(ROOT)
    assert checked.problems == []
    assert [p.name for p in checked.documents] == ["index.qmd"]
    article = (ROOT / "reports" / "index.qmd").read_text(encoding="utf-8")
    embedded = {match["path"] for match in EMBED.finditer(article)}
    assert embedded == {f"notebooks/{p.name}" for p in (ROOT / "notebooks").glob("*.ipynb")}
    front = yaml.safe_load(article.split("---")[1])
    views = {view["notebook"]: view.get("download-url") for view in front["notebook-view"]}
    assert views == {path: path.removeprefix("notebooks/") for path in embedded}  # the executed copy, downloaded


def test_article_cells_and_inline_expressions_execute(built, tmp_path):
    """Every code cell and inline expression of the article, run in order with a Python kernel's semantics."""
    article = (ROOT / "reports" / "index.qmd").read_text(encoding="utf-8")
    cells = CELL.findall(article)
    inline = INLINE.findall(article)
    assert cells and inline
    script = "\n".join(cells) + "\n" + "\n".join(f"print(getattr({expr}, 'data', None))" for expr in inline)
    (tmp_path / "article.py").write_text(script, encoding="utf-8")
    proc = subprocess.run([sys.executable, str(tmp_path / "article.py")], cwd=ROOT / "reports",
                          env={**os.environ, "GINO_DATA_DIR": str(built)}, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    printed = proc.stdout.splitlines()
    assert "None" not in printed, "every inline expression must give Markdown, or Quarto prints quotes"
    assert "41\u00a0956" in printed and "39\u00a0653" in printed and "Sorsele" in printed


def test_every_document_admits_exactly_the_quarto_releases_it_was_verified_on():
    """`quarto-required` in the project and in each feedback document is the verified range, oldest to
    newest; the Typst in every document uses no Quarto callout (Quarto 1.6 makes one download a package)."""
    from analysis.presentation import display
    from analysis.report import feedback_jobs, render

    assert render.QUARTO_REQUIRED == f">={render.QUARTO_VERIFIED[0]} <={render.QUARTO_VERIFIED[1]}"
    project = yaml.safe_load((ROOT / "_quarto.yml").read_text(encoding="utf-8"))
    required = [project["quarto-required"]]
    for document in feedback_jobs.DOCUMENTS:
        front = yaml.safe_load(document.path.read_text(encoding="utf-8").split("---\n")[1])
        required.append(front["quarto-required"])
    assert required == [render.QUARTO_REQUIRED] * 4
    for markdown in (display.report_notice(True), display.report_notice(False), display.notice("important", "T", "x")):
        typst_part, other_part = markdown.split('::: {.content-hidden when-format="typst"}')
        assert ".callout" not in typst_part and "#gino-notice(" in typst_part and ".callout-" in other_part
    sources = [(ROOT / "reports" / "index.qmd").read_text(encoding="utf-8"),
               *(d.path.read_text(encoding="utf-8") for d in feedback_jobs.DOCUMENTS)]
    assert not any(".callout" in text for text in sources), "a callout in a Typst document: use display.notice"


def test_no_document_cell_ends_in_a_bare_value():
    """A cell whose last line is a value gives an execute_result, which Quarto's HTML stamps with the kernel's
    execution count (``data-execution_count``). Quarto keeps a document's kernel between renders (``daemon`` in
    _quarto.yml): the article's from one render to the next, a feedback document's from one municipality to the
    next, so the count, and with it the HTML, would depend on what ran before. Values are shown with ``show(...)``."""
    import ast

    documents = [ROOT / "reports" / "index.qmd", *sorted((ROOT / "reports" / "feedback").glob("*.qmd"))]
    bare = []
    for document in documents:
        for cell in CELL.findall(document.read_text(encoding="utf-8")):
            body = ast.parse(cell).body
            last = body[-1] if body else None
            call = last.value if isinstance(last, ast.Expr) else None
            if call is not None and not (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                                         and call.func.id in {"show", "print", "display"}):
                bare.append(f"{document.relative_to(ROOT)}: {ast.unparse(last)[:70]}")
    assert len(documents) >= 4
    assert bare == [], "end these cells with show(...):\n" + "\n".join(bare)
