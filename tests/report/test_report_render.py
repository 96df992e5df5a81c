"""The whole Quarto project renders as a user renders it, where Quarto is installed.

The render runs in a temporary copy of the repository (made a git repository of its own), with the
project's environment and a private data directory: `quarto render` runs the pre-render step
(`make prerender`), executes the notebooks into reports/notebooks/, renders the article to HTML and PDF and the
notebooks' pages (their notebook views), and must leave every tracked file as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from analysis.core.paths import copy_repository
from analysis.report.documents import EMBED
from conftest import ROOT, mirror_dir

pytestmark = pytest.mark.skipif(shutil.which("quarto") is None,
                                reason="quarto is not on PATH; the report is rendered where Quarto is installed")

SECTIONS = ("Inledning", "Befolkningsmässigt små", "Innovationsklimatet", "Brukarenkäterna", "Idéinventeringen",
            "Data och metod", "Begränsningar", "Referenser")


# What a render writes (besides the processed data, which the pre-render step's build keeps current).
RENDER_OUTPUTS = ("_site", "_freeze", ".quarto", "reports/notebooks")


def render(root: Path) -> None:
    env = {**os.environ, "GINO_DATA_DIR": str(root.parent / "data"), "GINO_MIRROR": str(mirror_dir()),
           "QUARTO_PYTHON": sys.executable, "PYTHONPATH": str(root)}  # the copy's analysis/, not the editable install's
    proc = subprocess.run(["quarto", "render"], cwd=root, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-4000:]
    assert "Kernel is running over TCP" not in proc.stderr + proc.stdout


@pytest.fixture(scope="module")
def rendered(built, tmp_path_factory) -> Path:
    root = copy_repository(tmp_path_factory.mktemp("render") / "repo")
    shutil.copytree(built, root.parent / "data")
    render(root)
    return root


def outputs(root: Path) -> dict[str, str]:
    """sha256 of every file in the site and of every executed notebook (and its input stamp)."""
    import hashlib

    found = [p for name in ("_site", "reports/notebooks") for p in (root / name).rglob("*") if p.is_file()]
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in found}


def test_the_render_leaves_the_tracked_tree_clean(rendered):
    status = subprocess.run(["git", "status", "--porcelain"], cwd=rendered, capture_output=True, text=True).stdout
    assert status == "", status


def test_the_pdf_has_every_section_and_no_unresolved_reference(rendered):
    pdf = rendered / "_site" / "reports" / "index.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.count("\f")
    assert pages >= 15, f"{pages} pages: tables or sections are missing"
    assert "?@" not in text
    assert "{python}" not in text, "an inline expression printed as its code (Quarto does so when its output is empty)"
    for heading in SECTIONS:
        assert heading in text, heading
    assert text.count("Referenser") == 2, "the bibliography heading once, besides its line in the contents"


def test_the_html_has_every_embedded_figure_and_the_map(rendered):
    html = (rendered / "_site" / "reports" / "index.html").read_text(encoding="utf-8")
    article = (rendered / "reports" / "index.qmd").read_text(encoding="utf-8")
    labels = [label for match in EMBED.finditer(article) for label in (match["labels"] or "").split(",")]
    for label in (label for label in labels if label.startswith(("fig-", "tbl-"))):
        assert f'id="{label}"' in html, label
    assert '<iframe srcdoc="' in html and "Leaflet 1.9.4" in html and "Make this Notebook Trusted" not in html
    assert "41\u00a0956" in html or "41&nbsp;956" in html
    assert '<i class="bi bi-file-pdf"></i>PDF</a>' in html and ">Typst<" not in html  # the PDF named for readers
    assert "<h2>Anteckningsböcker</h2>" in html


def test_every_notebook_has_its_page_and_the_article_links_to_it(rendered):
    html = (rendered / "_site" / "reports" / "index.html").read_text(encoding="utf-8")
    for source in sorted((rendered / "notebooks").glob("*.ipynb")):
        page = rendered / "_site" / "reports" / "notebooks" / f"{source.stem}-preview.html"
        assert page.is_file(), page.name
        assert f'href="notebooks/{source.stem}-preview.html' in html, source.name
        assert "Tillbaka till artikel" in page.read_text(encoding="utf-8")
        download = page.parent / f"{source.stem}.ipynb"  # the executed notebook, offered for download
        assert f'download="{download.name}"' in page.read_text(encoding="utf-8")
        assert any(cell.get("outputs") for cell in json.loads(download.read_text(encoding="utf-8"))["cells"])


def test_a_second_render_from_scratch_gives_the_same_bytes(rendered):
    """Two renders of one commit: the same HTML, PDF, notebook pages, images and executed notebooks. (Last in
    this file: it renders the copy again; the outputs are the same, so the tests above hold either way.)"""
    first = outputs(rendered)
    assert any(name.endswith(".pdf") for name in first) and any(name.endswith(".ipynb") for name in first)
    for name in RENDER_OUTPUTS:
        shutil.rmtree(rendered / name, ignore_errors=True)
    render(rendered)
    second = outputs(rendered)
    assert sorted(second) == sorted(first)
    assert [name for name in first if first[name] != second[name]] == []
