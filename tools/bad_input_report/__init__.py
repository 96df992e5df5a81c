"""The bad-input report: every malformed input the test suite tries, with the message a user sees.

    .venv/bin/python tools/bad_inputs.py          # rewrites docs/bad-inputs.md

Each case builds one bad file (or starts a local HTTP server, or points at a closed port) in a
fresh temporary directory and calls the same reader a ``gino`` command calls. The message lines
are those of the ``GinoError`` it raises, i.e. what the command line prints after ``error: ``;
nothing here is copied from the tests' expected strings. Where the tests keep their bad inputs
in tables (the survey corpora, ``@pytest.mark.parametrize`` lists) or in helpers, they are
imported from the test modules, so a case added there appears here too.

Paths are shown as the messages show them, with the temporary directory replaced by ``<tmp>``
and local ports by ``<port>``, so the report is the same on every run.
``tests/pipeline/test_bad_input_report.py`` checks that the committed report is current.

The package: ``base`` (a case, its outcome, shared helpers), the case tables by the input they break
(``public_snapshots``, ``surveys``, ``configuration``, ``services``), ``runner`` (every case in its own
directory) and ``report`` (the Markdown table).
"""

from bad_input_report.base import REPORT, BadInput, Outcome
from bad_input_report.report import main, render
from bad_input_report.runner import all_cases, collect, run_case

__all__ = ["REPORT", "BadInput", "Outcome", "all_cases", "collect", "main", "render", "run_case"]
