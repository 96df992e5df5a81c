"""The report itself (docs/bad-inputs.md): one table row per case with the message the user sees."""

from __future__ import annotations

import re
import sys

from bad_input_report.base import REPORT, ROOT, Outcome


def text(value: str) -> str:
    """Plain text for a Markdown table cell, shown literally."""
    for old, new in (("\\", "\\\\"), ("&", "&amp;"), ("<", "&lt;"), (">", "&gt;"), ("|", "\\|"), ("*", "\\*")):
        value = value.replace(old, new)
    return value


def code(value: str) -> str:
    """``value`` as inline code in a table cell: everything literal but the table's pipe."""
    value = value.replace("|", "\\|")
    fence = "``" if "`" in value else "`"
    return f"{fence} {value} {fence}" if fence == "``" or value.startswith(" ") or value.endswith(" ") \
        else f"{fence}{value}{fence}"


def describe(value: str) -> str:
    """A case's name or description: its `code` spans kept as code, the rest escaped as text."""
    parts = re.split(r"(`[^`]+`)", value)
    return "".join(code(p[1:-1]) if p.startswith("`") and p.endswith("`") else text(p) for p in parts)


def message(outcome: Outcome) -> str:
    if not outcome.error:
        return "**no error: the input was accepted**"
    if not outcome.gino:
        return f"**crash ({text(outcome.error)}), traceback:**<br>" + "<br>".join(
            code(line) for line in outcome.problems[0].splitlines() if line.strip())
    # A problem spread over several lines (a bug) is shown with ⏎ where its line breaks are.
    return "<br>".join(code(p.replace("\r", "").replace("\n", " ⏎ ")) for p in outcome.problems)


def render(outcomes: list[Outcome]) -> str:
    categories = list(dict.fromkeys(o.case.category for o in outcomes))
    untested = sum(not o.case.tested for o in outcomes)
    bad = [o for o in outcomes if not o.ok]
    lines = [
        "# Bad-input report",
        "",
        "Every malformed input the test suite tries — raw public snapshots, survey exports, codebooks and "
        "configuration files, the catalog and mirror, and SCB's PxWeb API — with the message the user sees. "
        "The command line prints each message line after `error: ` and exits with status 1.",
        "",
        "This file is generated; do not edit it. Regenerate it after changing a message or adding a case:",
        "",
        "```sh",
        ".venv/bin/python tools/bad_inputs.py",
        "```",
        "",
        "`tools/bad_inputs.py` (the package `tools/bad_input_report/`) builds each input in a temporary directory "
        "(shown as `<tmp>`; local ports as `<port>`) and runs it through the reader the `gino` commands call; the "
        "survey corpora are `tests/fixtures/surveys/malformed/`, `awkward/` and `exports/`. "
        "`tests/pipeline/test_bad_input_report.py` fails when this file is out of date. "
        "Cases marked † are checked by a reader but not yet tried by any test.",
        "",
        "| # | category | case | message shown to the user |",
        "|---:|---|---|---|",
    ]
    for number, o in enumerate(outcomes, start=1):
        name = describe(o.case.case) + ("&nbsp;†" if not o.case.tested else "")
        lines.append(f"| {number} | {text(o.case.category)} | **{name}**: {describe(o.case.input)} | {message(o)} |")
    lines += [
        "",
        f"{len(outcomes)} cases in {len(categories)} categories ({', '.join(categories)}); "
        f"{len(outcomes) - untested} tried by the test suite, {untested} marked †; "
        f"{sum(len(o.problems) for o in outcomes if o.gino)} message lines in all. "
        + (f"{len(bad)} case(s) did not end in a one-line-per-problem message: "
           + ", ".join(f"#{outcomes.index(o) + 1}" for o in bad) + "." if bad
           else "Every case ends in a one-line-per-problem message, without a traceback."),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    from bad_input_report.runner import collect

    outcomes = collect()
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text(render(outcomes), encoding="utf-8")
    bad = [o for o in outcomes if not o.ok]
    print(f"wrote {REPORT.relative_to(ROOT)}: {len(outcomes)} cases; {len(bad)} without a one-line message")
    for o in bad:
        print(f"  {o.case.category} / {o.case.case}: {o.error or 'no error'}", file=sys.stderr)


