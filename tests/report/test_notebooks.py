"""Every notebook executes with a Jupyter kernel on the built (synthetic) data, without errors or warnings,
and follows the conventions the report's embeds rely on."""

from __future__ import annotations

import re

import nbformat
import pytest

from conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
OPTION = re.compile(r"^#\|\s*([\w-]+):\s*(.*)$", re.MULTILINE)
MEMORY_ADDRESS = re.compile(r"<[\w.]+ (?:object )?at 0x[0-9a-f]+>")


def options(cell) -> dict[str, str]:
    return dict(OPTION.findall(cell.source))


def test_notebooks_are_numbered_in_reading_order():
    names = [p.name for p in NOTEBOOKS]
    assert len(names) >= 5
    assert all(re.fullmatch(r"\d\d-[a-z0-9-]+\.ipynb", n) for n in names), names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_is_committed_clean_and_labelled(path):
    nb = nbformat.read(path, as_version=4)
    assert nb.cells[0].cell_type == "raw" and "enabled: true" in nb.cells[0].source, "front matter first"
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert not cell.outputs and cell.execution_count is None, f"{path.name} is committed with outputs"
        opts = options(cell)
        label = opts.get("label", "")
        if label.startswith("fig-"):
            assert opts.get("fig-cap") and opts.get("fig-alt"), f"{path.name}: {label} needs fig-cap and fig-alt"
        if label.startswith("tbl-"):
            assert opts.get("tbl-cap"), f"{path.name}: {label} needs tbl-cap"
        assert "to_csv(" not in cell.source and "to_parquet(" not in cell.source and "savefig(" not in cell.source, \
            f"{path.name} writes a file"


def test_labels_are_unique_across_notebooks():
    labels = [options(c).get("label") for p in NOTEBOOKS for c in nbformat.read(p, as_version=4).cells
              if c.cell_type == "code" and options(c).get("label")]
    assert len(labels) == len(set(labels)), sorted(l for l in labels if labels.count(l) > 1)


# The survey answers each notebook's results depend on. A changed answer re-executes exactly the notebooks
# that read its survey (analysis/report/executed_notebooks.py), so nothing else may read the answers:
# the data notices take the source and the municipalities from survey_source.json.
ANSWERS_READ = {
    "01-data": {"innovation_climate_2017", "client_survey_2018", "client_survey_2019"},
    "02-innovation-climate": {"innovation_climate_2017"},
    "03-client-surveys": {"client_survey_2018", "client_survey_2019"},
}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_executes_without_errors_or_warnings(path, reported):
    """The notebook as ``gino report`` executed it on the twin (once per session, the ``reported`` fixture in
    conftest.py: a fresh kernel per notebook, ``PYTHONWARNINGS=default``, the processed files it read recorded
    in the executed copy's input stamp)."""
    assert path.name in reported["executed"], f"gino {reported['command']} did not execute {path.name}"
    nb, reads = reported["executed"][path.name]["notebook"], reported["executed"][path.name]["reads"]
    assert all(c.execution_count for c in nb.cells if c.cell_type == "code" and c.source.strip()), "not executed"
    surveys_read = {name.removesuffix(".parquet") for name in reads
                    if name.startswith(("innovation_climate_", "client_survey_"))}
    assert surveys_read == ANSWERS_READ.get(path.stem, set()), f"{path.name} reads the answers of {surveys_read}"
    stderr = [o["text"] for c in nb.cells if c.cell_type == "code" for o in c.outputs
              if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    assert not stderr, f"{path.name} wrote to stderr:\n" + "\n".join(stderr)
    # Two executions must give the same bytes (analysis/report/executed_notebooks.py); an object shown
    # by its default repr carries its memory address, which differs on every run.
    addresses = MEMORY_ADDRESS.findall(nbformat.writes(nb))
    assert not addresses, f"{path.name} shows an object by its memory address: {addresses[:3]}"
    # every table the notebook prints is registered for the disclosure audit (analysis.report.registry)
    from analysis.report.feedback_documents import markdown_tables
    from analysis.report.registry import TABLES

    unregistered = {label for label, _, _ in markdown_tables(nb)} - set(TABLES[path.stem])
    assert not unregistered, f"{path.name} publishes tables the disclosure audit has not seen: {unregistered}"
    labelled = [c for c in nb.cells if c.cell_type == "code" and options(c).get("label", "").startswith("fig-")]
    for cell in labelled:
        images = [o for o in cell.outputs if "image/png" in o.get("data", {})]
        assert len(images) == 1, f"{path.name}: {options(cell)['label']} shows {len(images)} figures"


def test_a_shared_kernel_keeps_imports_but_no_names_between_notebooks(tmp_path):
    """The feedback documents run one after another in one kernel (as Quarto's daemon runs them): a name the
    first defined must not reach the second, a module it imported stays imported, and the cells are as given."""
    from analysis.core.errors import GinoError
    from analysis.report.notebooks import run_cells, shared_kernel

    first = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys, json\nleft_over = 1")])
    second = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import sys\nprint('json' in sys.modules)")])
    third = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("left_over")])
    with shared_kernel(tmp_path) as kernel:
        run_cells(first, tmp_path, kernel=kernel)
        run_cells(second, tmp_path, kernel=kernel)
        with pytest.raises(GinoError, match="NameError: name 'left_over' is not defined"):
            run_cells(third, tmp_path, where="third", kernel=kernel)
    assert [c.source for c in second.cells] == ["import sys\nprint('json' in sys.modules)"]
    assert second.cells[0].outputs[0]["text"] == "True\n"
