"""The bad-input report (docs/bad-inputs.md): every malformed input the suite tries ends in one line per
problem, and the committed report shows the messages the code gives today.

When a message changes, regenerate the report: ``.venv/bin/python tools/bad_inputs.py``.
"""

from __future__ import annotations

import importlib.util
import sys

import pytest

from conftest import ROOT


def load_tool():
    if "bad_inputs" not in sys.modules:
        spec = importlib.util.spec_from_file_location("bad_inputs", ROOT / "tools" / "bad_inputs.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules["bad_inputs"] = module
        spec.loader.exec_module(module)
    return sys.modules["bad_inputs"]


@pytest.fixture(scope="module")
def tool():
    return load_tool()


@pytest.fixture(scope="module")
def outcomes(tool):
    return tool.collect()


def test_at_least_40_distinct_cases(outcomes):
    names = [(o.case.category, o.case.case) for o in outcomes]
    assert len(names) == len(set(names)), "two cases share a category and name"
    assert len(set(names)) >= 40
    assert len({o.problems for o in outcomes}) >= 40, "fewer than 40 distinct messages"


def test_every_survey_corpus_file_is_in_the_report(outcomes):
    corpus = {p.name for p in (ROOT / "tests" / "fixtures" / "surveys" / "malformed").iterdir()}
    assert corpus <= {o.case.case.strip("`") for o in outcomes if o.case.category == "survey export"}


def test_every_export_accident_is_in_the_report(outcomes):
    exports = {p.name for p in (ROOT / "tests" / "fixtures" / "surveys" / "exports").iterdir()}
    assert exports == {o.case.case.strip("`") for o in outcomes
                       if o.case.category == "survey export (real-format accidents)"}


def test_the_tool_is_a_package_of_short_modules():
    """Its cases by the input they break, the runner and the report writer, each module at most 300 lines."""
    modules = sorted((ROOT / "tools" / "bad_input_report").glob("*.py"))
    assert {p.stem for p in modules} >= {"base", "public_snapshots", "surveys", "configuration", "services", "runner",
                                          "report"}
    for path in [*modules, ROOT / "tools" / "bad_inputs.py"]:
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 300, path


def test_every_awkward_export_and_config_case_is_in_the_report(outcomes):
    awkward = {p.name for p in (ROOT / "tests" / "fixtures" / "surveys" / "awkward").iterdir()}
    shown = {o.case.case.strip("`") for o in outcomes if o.case.category == "survey export (layout and format)"}
    assert awkward == shown
    assert sum(o.case.category == "configuration YAML" for o in outcomes) >= 20


def test_every_case_is_a_one_line_per_problem_gino_error(outcomes):
    failures = []
    for o in outcomes:
        where = f"{o.case.category} / {o.case.case}"
        if not o.error:
            failures.append(f"{where}: no error was raised")
        elif not o.gino:
            failures.append(f"{where}: {o.error} is not a GinoError (the user sees a traceback):\n{o.problems[0]}")
        elif not o.one_line or not o.problems:
            failures.append(f"{where}: a problem spans several lines: {o.problems!r}")
        elif any("Traceback" in p for p in o.problems):
            failures.append(f"{where}: a traceback in the message: {o.problems!r}")
    assert not failures, "\n".join(failures)


def test_messages_do_not_leak_temporary_paths_or_ports(outcomes):
    for o in outcomes:
        for problem in o.problems:
            assert "gino-bad-inputs-" not in problem and "gino-test-committed-" not in problem, problem
            assert not any(f"{host}:{d}" in problem for host in ("localhost", "127.0.0.1") for d in "0123456789")


def test_committed_report_is_current(tool, outcomes):
    assert tool.REPORT.is_file(), "docs/bad-inputs.md is missing: run .venv/bin/python tools/bad_inputs.py"
    committed = tool.REPORT.read_text(encoding="utf-8")
    assert committed == tool.render(outcomes), (
        "docs/bad-inputs.md is out of date (a message or a case changed): run .venv/bin/python tools/bad_inputs.py"
    )
