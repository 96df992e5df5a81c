"""Wiring of the build steps into an incremental workflow (pydoit).

A step reruns only when the content (md5) of one of its inputs, or of the Python
source it runs, has changed; a second ``build`` with nothing changed does no work.
The task state lives in ``data/.state`` and is not an analysis output. Steps import their
heavy dependencies (pandas, geopandas, statsmodels) inside ``run()``, so deciding that nothing
needs to run does not pay for importing them.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from pathlib import Path
from types import ModuleType

from doit.cmd_base import ModuleTaskLoader
from doit.doit_cmd import DoitMain

from analysis.core import paths
from analysis.core.errors import GinoError
from analysis.core.files import write_text
from analysis.steps import (
    disclosure, kolada, kolada_details, kolada_region, kolada_surveys, kolada_values, municipalities, population_grid, region_facts,
    survey_figures, surveys,
)

STEPS: dict[str, ModuleType] = {
    "municipalities": municipalities,
    "population_grid": population_grid,
    "region_facts": region_facts,
    "surveys": surveys,
    "kolada_values": kolada_values,
    "kolada": kolada,
    "survey_figures": survey_figures,
    "kolada_surveys": kolada_surveys,
    "kolada_region": kolada_region,
    "kolada_details": kolada_details,
    "disclosure": disclosure,
}


def source_files(module_name: str, seen: set[str] | None = None) -> list[Path]:
    """The source file of ``module_name`` and of every ``analysis`` module it imports, transitively."""
    seen = set() if seen is None else seen
    if module_name in seen:
        return []
    seen.add(module_name)
    origin = _module_path(module_name)
    if origin is None:
        return []
    files = [origin]
    for name in _imported_names(origin):
        files += source_files(name, seen)
    return sorted(set(files))


# Import statements, found without parsing the file: ``from analysis… import …`` (with its parenthesised or
# continued name list) and ``import …``, anywhere (indented lazy imports included). A match inside a string
# only adds a dependency (a step reruns more often, never less); tests/pipeline/test_build.py checks that
# it finds every module ``ast`` finds in analysis/.
_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(analysis[\w.]*)[ \t]+import[ \t]+(\([^)]*\)|[^\n]*(?:\\\n[^\n]*)*)"
                     r"|import[ \t]+([^\n]*))", re.MULTILINE)


@functools.cache
def _imported_names(origin: Path) -> tuple[str, ...]:
    """The ``analysis`` names a source file imports (scanned once per process: every step shares modules)."""
    names: list[str] = []
    # comments first: one may hold a parenthesis inside a parenthesised import list
    text = re.sub(r"#[^\n]*", "", origin.read_text(encoding="utf-8")).replace(";", "\n")
    for module, imported, plain in _IMPORT.findall(text):
        if module:
            listed = [re.sub(r"#[^\n]*", "", part).strip(" \t\n\\()").split(" as ")[0].strip()
                      for part in re.sub(r"#[^\n]*", "", imported).split(",")]
            names += [module] + [f"{module}.{a}" for a in listed if a]
        else:
            names += [a.split(" as ")[0].strip() for a in re.sub(r"#.*", "", plain).split(",")
                      if a.strip().startswith("analysis")]
    return tuple(names)


def _module_path(module_name: str) -> Path | None:
    """The file of an ``analysis`` module, found on disk without importing it (None for a non-module name)."""
    base = paths.ROOT.joinpath(*module_name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


class _Reporter:
    """Reports each step to a callback and keeps the user-facing error of a failed step.

    doit instantiates the reporter itself, so the callback and error list are bound on a subclass.
    """

    on_event: Callable[[str, str], None] = staticmethod(lambda name, event: None)
    errors: list[BaseException]

    def __init__(self, outstream, options): ...

    def initialize(self, tasks, selected_tasks): ...
    def get_status(self, task): ...
    def teardown_task(self, task): ...
    def skip_ignore(self, task): ...
    def add_success(self, task): self.on_event(task.name, "done")
    def execute_task(self, task): self.on_event(task.name, "running")
    def skip_uptodate(self, task): self.on_event(task.name, "up to date")
    def cleanup_error(self, exception): self.errors.append(exception)
    def runtime_error(self, msg): self.errors.append(GinoError(msg.strip().splitlines()[-1]))
    def complete_run(self): ...

    def add_failure(self, task, fail):
        self.on_event(task.name, "failed")
        if not self.errors:
            self.errors.append(GinoError(fail.get_msg().strip().splitlines()[-1]))


def _action(step: ModuleType, errors: list[BaseException]):
    def run_step():
        try:
            step.run()
        except Exception as exc:  # kept for run_build to re-raise; doit only records the failure
            errors.append(exc)
            raise
    return run_step


def _task(name: str, step: ModuleType, errors: list[BaseException]) -> dict:
    return {
        "name": name,
        "actions": [_action(step, errors)],
        "file_dep": [str(p) for p in [*step.inputs(), *source_files(step.__name__)]],
        "targets": [str(p) for p in step.outputs()],
        "clean": True,
        "verbosity": 0,
    }


def _forget_state_after_a_crash() -> None:
    """Discard the step state when the previous build did not finish, so every step reruns.

    doit saves its state only when a run ends and rewrites the file in place: a build killed
    mid-way may leave the file truncated, or leave outputs that a step rewrote without the state
    recording it (reverting the inputs would then make stale outputs look current).
    """
    state, marker = paths.state_dir() / "doit.json", paths.state_dir() / "build-in-progress"
    if marker.exists() or not _readable_json(state):
        state.unlink(missing_ok=True)
    write_text(marker, "a build started and has not finished\n")


def _readable_json(path: Path) -> bool:
    if not path.exists():
        return True
    try:
        json.loads(path.read_text(encoding="utf-8"))
        return True
    except (ValueError, UnicodeDecodeError):
        return False


def run_build(on_event: Callable[[str, str], None] | None = None, force: bool = False) -> None:
    """Run every out-of-date step in dependency order; re-raise the first step's error (user errors are GinoError)."""
    paths.state_dir().mkdir(parents=True, exist_ok=True)
    paths.processed_dir().mkdir(parents=True, exist_ok=True)
    _forget_state_after_a_crash()
    errors: list[BaseException] = []

    tasks = [_task(name, step, errors) for name, step in STEPS.items()]  # errors in inputs() surface here

    def task_build():
        yield from tasks

    reporter = type("Reporter", (_Reporter,), {"errors": errors})
    if on_event:
        reporter.on_event = staticmethod(on_event)
    config = {
        "dep_file": str(paths.state_dir() / "doit.json"),
        "backend": "json",
        "check_file_uptodate": "md5",
        "reporter": reporter,
        "verbosity": 0,
    }
    loader = ModuleTaskLoader({"task_build": task_build, "DOIT_CONFIG": config})
    args = ["run", "--always-execute"] if force else ["run"]
    code = DoitMain(loader, extra_config={"GLOBAL": config}).run(args)
    (paths.state_dir() / "build-in-progress").unlink(missing_ok=True)  # doit has saved its state
    if code != 0:
        if errors:
            raise errors[0]
        raise GinoError(f"build failed (doit exit code {code})")
