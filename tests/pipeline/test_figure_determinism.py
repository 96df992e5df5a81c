"""Two renderings of the same figure from the same data give the same bytes, without timestamps or paths.

Every figure function the notebooks call is built twice from the built (synthetic) data, each time
reading the processed files anew, and saved to PNG and SVG in memory. What matplotlib writes besides
the image:

- PNG: a ``tEXt`` chunk ``Software`` = "Matplotlib version<x.y.z>, https://matplotlib.org/" (no time:
  matplotlib writes no ``tIME`` chunk and no creation date). The notebooks' inline backend and Quarto
  save PNG with these default metadata, so the test keeps them.
- SVG: ``dc:type``, ``dc:format``, ``dc:creator`` and ``dc:date``. The date is the time of saving (to the
  microsecond) unless ``metadata={"Date": None}`` or ``SOURCE_DATE_EPOCH`` is set, and no rcParam turns
  it off; ``plots.apply_style`` sets ``svg.hashsalt`` so the element ids are fixed. The test saves SVG
  with ``Date: None`` and checks separately that the date is the only difference with the defaults.

Then one notebook (04-sparsity: the static maps, the sparsity chart and the interactive map) is
executed twice as the executed copies are made (nbclient without timing metadata): the two notebooks
must be the same bytes (an object shown by its default repr would differ in its memory address), and
the PNG outputs of its ``fig-`` cells carry no stamp.
"""

from __future__ import annotations

import base64
import datetime
import io
import re
import struct
import zlib
from collections.abc import Callable

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import nbclient  # noqa: E402
import nbformat  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from analysis.client_surveys import figures as client_figures, indicators as client_survey  # noqa: E402
from analysis.ideas import inventory as ideas, figures as ideas_figures
from analysis.innovation import climate as innovation, figures as innovation_figures
from analysis.sparsity import maps, measures as sparsity
from analysis.core import paths
from analysis.presentation import plots
from analysis.report import processed
from analysis.core.settings import load_settings, reference_year  # noqa: E402
from conftest import ROOT  # noqa: E402

NOTEBOOK = ROOT / "notebooks" / "04-sparsity.ipynb"
OPTION = re.compile(r"^#\|\s*([\w-]+):\s*(.*)$", re.MULTILINE)
CALL = re.compile(r"\b(innovation_figures|client_figures|maps|ideas_figures)\.(\w+)\(|\b(idea_count_figure)\(")
NOT_FIGURES = {"maps.municipality_layer", "maps.interactive_map"}  # a table helper; a folium (HTML) map


# ------------------------------------------------------------------ the figures, as the notebooks make them

def _innovation():
    frame, codebook = processed.survey("innovation_climate_2017"), processed.codebook("innovation_climate_2017")
    return frame, codebook, innovation.aspect_shares(frame, codebook)


def _client():
    return processed.survey("client_survey_2018"), processed.survey("client_survey_2019"), \
        processed.codebook("client_survey_2018")


def _sparsity():
    from analysis.report.feedback_jobs import detour_factor
    from analysis.report.study_context import load_study_area

    area = load_study_area()
    municipalities, tatorter = processed.municipalities(), processed.tatorter()
    layer = maps.municipality_layer(processed.municipality_shapes(), municipalities, area.map_codes)
    cells = processed.population_grid(reference_year(load_settings().grid_reference_layer))
    return dict(municipalities=municipalities, tatorter=tatorter, study=area.study_codes, layer=layer,
                detour=detour_factor(), cells=cells, counties=processed.counties(), area=area)


def gap():
    return innovation_figures.gap_figure(_innovation()[2])


def paired_gap():
    return innovation_figures.paired_gap_figure(_innovation()[2])


def importance_performance():
    return innovation_figures.importance_performance_figure(innovation.importance_performance(_innovation()[2]))


def statements():
    frame, codebook, _ = _innovation()
    return innovation_figures.statements_figure(innovation.statement_shares(frame, codebook, "culture"),
                                                innovation.statement_shares(frame, codebook, "organisation"))


def indicators_by_year():
    years = client_survey.compare_years(*_client())
    return client_figures.indicators_by_year(years[years["sample"] == "all"])


def form_by_distance():
    survey_2018, _, codebook = _client()
    return client_figures.form_by_distance(client_survey.distance_by_form(survey_2018), codebook)


def remote_by_distance():
    survey_2018 = _client()[0]
    model = client_survey.remote_preference_model(survey_2018)
    return client_figures.remote_by_distance(client_survey.predicted_remote(model, np.linspace(0, 150, 151)),
                                             client_survey.remote_share_by_band(survey_2018))


def density_map():
    s = _sparsity()
    return maps.density_map(s["layer"], s["study"], context=s["counties"])


def tatort_map():
    s = _sparsity()
    distances = sparsity.tatort_distances(s["tatorter"], s["study"], s["detour"], s["area"].reference_kommun)
    far = tuple(distances.loc[distances["km_to_centre"] > 20, "tatortskod"])
    return maps.tatort_map(s["layer"], s["tatorter"], s["study"], context=s["counties"], label_codes=far)


def population_grid_map():
    s = _sparsity()
    return maps.population_grid_map(s["layer"], s["cells"], s["study"], context=s["counties"])


def sparsity_chart():
    s = _sparsity()
    return maps.sparsity_chart(sparsity.sparsity_table(s["municipalities"], s["cells"], s["tatorter"], s["study"],
                                                       s["detour"], s["area"].reference_kommun))


def idea_count():
    return ideas_figures.idea_count_figure(ideas.idea_counts(ideas.read_ideas(paths.published_dir() / "ideas.csv")))


# builder -> the figure function it calls ("module.function", as the notebooks spell it)
FIGURES: dict[str, tuple[Callable, str]] = {
    "gap_figure": (gap, "innovation_figures.gap_figure"),
    "paired_gap_figure": (paired_gap, "innovation_figures.paired_gap_figure"),
    "importance_performance_figure": (importance_performance, "innovation_figures.importance_performance_figure"),
    "statements_figure": (statements, "innovation_figures.statements_figure"),
    "indicators_by_year": (indicators_by_year, "client_figures.indicators_by_year"),
    "form_by_distance": (form_by_distance, "client_figures.form_by_distance"),
    "remote_by_distance": (remote_by_distance, "client_figures.remote_by_distance"),
    "density_map": (density_map, "maps.density_map"),
    "tatort_map": (tatort_map, "maps.tatort_map"),
    "population_grid_map": (population_grid_map, "maps.population_grid_map"),
    "sparsity_chart": (sparsity_chart, "maps.sparsity_chart"),
    "idea_count_figure": (idea_count, "ideas_figures.idea_count_figure"),
}


# ------------------------------------------------------------------ helpers

def render(build: Callable, **svg_options) -> tuple[bytes, bytes]:
    """PNG (default metadata, as the inline backend and Quarto write it) and SVG bytes of a fresh figure."""
    fig = build()
    try:
        png, svg = io.BytesIO(), io.BytesIO()
        fig.savefig(png, format="png")
        fig.savefig(svg, format="svg", **svg_options)
        return png.getvalue(), svg.getvalue()
    finally:
        plt.close(fig)


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, pos = [], 8
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunks.append((kind, data[pos + 8:pos + 8 + length]))
        pos += 12 + length
    return chunks


def png_text(data: bytes) -> dict[str, str]:
    """The PNG's text chunks (tEXt, zTXt, iTXt) as key -> value."""
    texts = {}
    for kind, body in png_chunks(data):
        if kind == b"tEXt":
            key, value = body.split(b"\0", 1)
        elif kind == b"zTXt":
            key, rest = body.split(b"\0", 1)
            value = zlib.decompress(rest[1:])
        elif kind == b"iTXt":
            key, rest = body.split(b"\0", 1)
            value = rest[2:].split(b"\0", 2)[2]
            value = zlib.decompress(value) if rest[0] else value
        else:
            continue
        texts[key.decode("latin-1")] = value.decode("utf-8", "replace")
    return texts


def dates_of_today() -> list[bytes]:
    today = datetime.date.today()
    return [today.strftime(f).encode() for f in ("%Y-%m-%d", "%Y%m%d", "%Y/%m/%d", "%d/%m/%Y", "%Y:%m:%d")]


def assert_no_stamp(data: bytes, what: str, forbidden_paths: list[str]) -> None:
    for path in forbidden_paths:
        assert path.encode() not in data, f"{what} contains the absolute path {path}"
    for date in dates_of_today():
        assert date not in data, f"{what} contains today's date {date.decode()}"


@pytest.fixture
def on_built_data(built, monkeypatch):
    monkeypatch.setenv("GINO_DATA_DIR", str(built))
    with matplotlib.rc_context():
        plots.apply_style()
        yield built


# ------------------------------------------------------------------ tests

def test_every_figure_function_of_the_notebooks_is_covered():
    called = set()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            if cell.cell_type == "code":
                for module, name, bare in CALL.findall(cell.source):
                    called.add(f"ideas_figures.{bare}" if bare else f"{module}.{name}")
    assert called - NOT_FIGURES, "no figure calls found in the notebooks"
    assert called - NOT_FIGURES <= {name for _, name in FIGURES.values()}, "figure functions not tested here"


@pytest.mark.parametrize("name", list(FIGURES))
def test_figure_renders_to_identical_bytes(on_built_data, name):
    build = FIGURES[name][0]
    png1, svg1 = render(build, metadata={"Date": None})
    png2, svg2 = render(build, metadata={"Date": None})
    assert png1 == png2, f"{name}: two PNG renderings differ"
    assert svg1 == svg2, f"{name}: two SVG renderings differ"

    forbidden = [str(on_built_data), str(on_built_data.resolve()), str(ROOT)]
    assert_no_stamp(png1, f"{name}.png", forbidden)
    assert_no_stamp(svg1, f"{name}.svg", forbidden)
    kinds = {kind for kind, _ in png_chunks(png1)}
    assert b"tIME" not in kinds and b"eXIf" not in kinds, f"{name}.png carries a time stamp chunk"
    assert set(png_text(png1)) <= {"Software"}, png_text(png1)
    assert "<dc:date>" not in svg1.decode("utf-8")


def test_default_svg_metadata_differ_only_in_the_date(on_built_data):
    """With matplotlib's default metadata an SVG carries the time of saving: the only varying part."""
    _, svg1 = render(idea_count)
    _, svg2 = render(idea_count)
    date = re.compile(rb"\s*<dc:date>[^<]*</dc:date>")
    assert len(date.findall(svg1)) == 1
    assert date.sub(b"", svg1) == date.sub(b"", svg2)


def test_notebook_figures_are_identical_between_runs(built, monkeypatch):
    monkeypatch.setenv("GINO_DATA_DIR", str(built))
    runs, written = [], []
    for _ in range(2):
        nb = nbformat.read(NOTEBOOK, as_version=4)
        nbclient.NotebookClient(nb, timeout=600, kernel_name="python3", record_timing=False,
                                resources={"metadata": {"path": str(NOTEBOOK.parent)}}).execute()
        written.append(nbformat.writes(nb))
        figures = {}
        for cell in nb.cells:
            label = dict(OPTION.findall(cell.source)).get("label", "") if cell.cell_type == "code" else ""
            if label.startswith("fig-"):
                figures[label] = [o["data"]["image/png"] for o in cell.outputs if "image/png" in o.get("data", {})]
        runs.append(figures)
    first, second = runs
    assert written[0] == written[1], f"two executions of {NOTEBOOK.name} differ"
    assert len(first) >= 3 and all(len(images) == 1 for images in first.values()), first.keys()
    assert first.keys() == second.keys()
    for label in first:
        png = base64.b64decode(first[label][0])
        assert first[label] == second[label], f"{NOTEBOOK.name}: {label} differs between two executions"
        assert_no_stamp(png, f"{NOTEBOOK.name}: {label}", [str(built), str(ROOT)])
        assert set(png_text(png)) <= {"Software"}


def _html_of_interactive_map() -> str:
    s = _sparsity()
    return maps.interactive_map(s["layer"], s["tatorter"]).get_root().render()


def test_interactive_map_html_is_identical(on_built_data):
    assert _html_of_interactive_map() == _html_of_interactive_map()


def test_interactive_map_html_differs_only_in_element_ids(on_built_data):
    first, second = _html_of_interactive_map(), _html_of_interactive_map()
    ids = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")

    def numbered(html: str) -> str:
        seen: dict[str, str] = {}
        return ids.sub(lambda m: seen.setdefault(m.group(), f"id{len(seen)}"), html)

    assert numbered(first) == numbered(second)
    assert_no_stamp(first.encode(), "interactive map", [str(on_built_data), str(ROOT)])
