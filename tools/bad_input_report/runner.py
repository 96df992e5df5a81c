"""Running every case, each in a fresh temporary directory from the repository root (messages show paths
relative to it), and keeping what the user would see."""

from __future__ import annotations

import logging
import os
import re
import tempfile
import traceback
import warnings
from pathlib import Path

from bad_input_report.base import ENVIRONMENT, ROOT, BadInput, Context, Outcome


def all_cases() -> list[BadInput]:
    from bad_input_report.configuration import config_file_cases, other_config_cases
    from bad_input_report.public_snapshots import raw_snapshot_cases
    from bad_input_report.services import catalog_cases, pxweb_cases
    from bad_input_report.surveys import (awkward_corpus_cases, export_corpus_cases, survey_config_cases,
                                          survey_corpus_cases)

    return [*raw_snapshot_cases(), *survey_corpus_cases(), *awkward_corpus_cases(), *export_corpus_cases(),
            *survey_config_cases(), *config_file_cases(), *other_config_cases(), *catalog_cases(), *pxweb_cases()]


PORT = re.compile(r"\b(localhost|127\.0\.0\.1):\d+")


def normalise(line: str, directory: Path) -> str:
    from conftest import COMMITTED

    for prefix in {str(directory.resolve()), str(directory)}:
        line = line.replace(prefix, "<tmp>")
    line = line.replace(str(COMMITTED), "<committed>")
    return PORT.sub(r"\1:<port>", line)


def run_case(case: BadInput, directory: Path, servers: dict) -> Outcome:
    from analysis.core.errors import GinoError, ManyInputErrors

    try:
        case.run(Context(directory, servers))
    except ManyInputErrors as exc:
        problems = list(exc.problems)
        one_line = str(exc) == "\n".join(problems) and not any("\n" in p or "\r" in p for p in problems)
        return Outcome(case, type(exc).__name__, True, tuple(normalise(p, directory) for p in problems), one_line)
    except GinoError as exc:
        message = str(exc)
        one_line = "\n" not in message and "\r" not in message
        return Outcome(case, type(exc).__name__, True, (normalise(message, directory),), one_line)
    except Exception as exc:  # a crash: the user would see this traceback
        lines = traceback.format_exception(exc)
        return Outcome(case, type(exc).__name__, False, (normalise("".join(lines), directory),), False)
    return Outcome(case, "", False, (), True)


def collect() -> list[Outcome]:
    """Run every case from the repository root (messages show paths relative to it), each in its own directory."""
    cwd = os.getcwd()
    # config/ and data/ as committed (tests/conftest.py): the report must not depend on the user's settings or codebooks
    from conftest import CONFIG, DATA

    saved = {k: os.environ.pop(k) for k in ENVIRONMENT if k in os.environ}
    os.environ["GINO_CONFIG_DIR"], os.environ["GINO_DATA_DIR"] = str(CONFIG), str(DATA)
    servers: dict = {}
    outcomes = []
    server_log = logging.getLogger("werkzeug")
    level = server_log.level
    try:
        os.chdir(ROOT)
        server_log.setLevel(logging.ERROR)  # the local server's access log is noise here
        with tempfile.TemporaryDirectory(prefix="gino-bad-inputs-") as tmp, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # e.g. pyogrio writing the layer without a CRS
            for number, case in enumerate(all_cases(), start=1):
                directory = Path(tmp) / f"case-{number:03d}"
                directory.mkdir()
                outcomes.append(run_case(case, directory, servers))
    finally:
        for server in servers.values():
            server.clear()
            server.stop()
        server_log.setLevel(level)
        os.chdir(cwd)
        os.environ.pop("GINO_CONFIG_DIR", None)
        os.environ.pop("GINO_DATA_DIR", None)
        os.environ.update(saved)
    return outcomes


