"""The bad-input report: every malformed input the test suite tries, with the message a user sees.

    .venv/bin/python tools/bad_inputs.py          # rewrites docs/bad-inputs.md

The cases, the runner and the report writer are the package ``tools/bad_input_report/`` (see its
``__init__``); this script runs it. ``tests/pipeline/test_bad_input_report.py`` checks that the
committed report is current.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bad_input_report import REPORT, all_cases, collect, main, render  # noqa: E402

__all__ = ["REPORT", "all_cases", "collect", "main", "render"]

if __name__ == "__main__":
    main()
