"""Time `make report` as a user runs it: cold, with nothing changed, and after one survey answer changed.

Runs in a temporary copy of the repository with a private data directory, so nothing in the working
tree is written. Needs Quarto on PATH. The copy's ``.venv`` is a directory tree like a user's (of links
to the repository's files): Quarto walks it, as it walks every file under the project.

    .venv/bin/python benchmarks/report.py [--repeat N] [--log DIR] [--venv-outside]

Targets (issue 24, 2 cores): cold `make report` after a build <= 35 s; after one survey answer changed
<= 25 s, re-executing only the notebooks whose results depend on the answers; nothing changed <= 5 s.
The machine's load average is printed beside every figure (the machine is shared): a loaded machine
slows every figure. So is the CPU time (user + system) of every process the command waited for: on a
quiet machine the wall time is about that, less what ran two at a time (the notebooks' kernels). ``--log DIR`` keeps each run's output with the seconds since its start on every line,
to see where the time goes. ``--venv-outside``: the copy has no ``.venv`` and make runs with ``GINO_VENV``
set to a copy of the repository's environment beside it, as after `make VENV=DIR report` (docs/report.md).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.core.paths import copy_repository, link_tree  # noqa: E402
from common import without_make_settings  # noqa: E402

EXECUTED = re.compile(r"^\s+executed\s+(notebooks/\S+)", re.MULTILINE)
KEPT = re.compile(r"^\s+kept\s+(?:all )?(\d+) executed notebook", re.MULTILINE)
TARGETS = {"cold": 35.0, "unchanged": 5.0, "answer": 25.0}


@dataclass
class Run:
    wall: float
    cpu: float  # user + system seconds of every process the command waited for (kernels kept alive excluded)
    load: str   # the load average when it started
    output: str  # each line led by the seconds since the start


def make(target: str, root: Path, env: dict) -> Run:
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    proc = subprocess.Popen(["make", target], cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, bufsize=1)
    lines = [f"{time.perf_counter() - started:7.1f} {line}" for line in proc.stdout]
    returncode = proc.wait()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    output = "".join(lines)
    if returncode != 0:
        sys.exit(f"make {target} failed ({returncode}):\n{output[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(wall, cpu, load, output)


def describe(name: str, run: Run, target: float) -> str:
    text = re.sub(r"^ *\d+\.\d ", "", run.output, flags=re.MULTILINE)
    executed, kept = EXECUTED.findall(text), sum(int(n) for n in KEPT.findall(text))
    quarto = "Quarto not run (current)" if "Quarto was not run" in text else "Quarto ran"
    warnings = sum(1 for line in text.splitlines() if "WARNING" in line or "Kernel is running" in line)
    return (f"| {name} | {run.wall:.1f} s | {run.cpu:.1f} s | {run.load} | ≤ {target:g} s | "
            f"{'yes' if run.wall <= target else 'no'} | executed: "
            f"{', '.join(Path(p).stem for p in executed) or 'none'}; kept: {kept}; {quarto}; "
            f"warning lines: {warnings} |")


def change_one_answer(data: Path) -> None:
    """A legal change: the first respondent of 2018 who prefers the social office (1) prefers the telephone
    (3) instead. The meeting form is synthetic and anchored to nothing, so every check still passes;
    client_survey_2018.parquet (and the survey metadata) change."""
    survey = data / "raw" / "synthetic" / "client_survey_2018_synthetic.csv"
    lines = survey.read_text(encoding="utf-8").splitlines(keepends=True)
    first = next(i for i, line in enumerate(lines[1:], 1) if line.rstrip("\n").endswith(",1"))
    lines[first] = lines[first].rstrip("\n")[:-1] + "3\n"
    survey.write_text("".join(lines), encoding="utf-8")


def run_once(run: int, log_dir: Path | None, venv_outside: bool) -> list[str]:
    tmp = Path(tempfile.mkdtemp(prefix="gino-report-bench-"))
    try:
        root = copy_repository(tmp / "repo", venv="none" if venv_outside else "tree")
        data = tmp / "data"
        env = {**without_make_settings(os.environ), "GINO_DATA_DIR": str(data), "PYTHONPATH": str(root),
               "GINO_MIRROR": os.environ.get("GINO_MIRROR", str(ROOT.parent / "shared" / "data"))}
        if venv_outside:  # a copy of the environment, so that no make in the copy can replace the repository's
            env["GINO_VENV"] = str(link_tree(ROOT / ".venv", tmp / "venv"))
        env.pop("QUARTO_PYTHON", None)  # the Makefile sets it to the project's Python
        shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("processed", ".state", "private"))
        (data / "processed").mkdir(exist_ok=True)
        make("build", root, env)
        rows = []
        for key, name in (("cold", "cold `make report` after a build"), ("unchanged", "`make report`, nothing changed"),
                          ("answer", "`make report` after one answer in the 2018 survey file changed")):
            if key == "answer":
                change_one_answer(data)
            result = make("report", root, env)
            rows.append(describe(f"{name} (run {run})", result, TARGETS[key]))
            if log_dir is not None:
                (log_dir / f"run{run}-{key}.log").write_text(result.output, encoding="utf-8")
        return rows
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="measure every figure this many times (default 1)")
    parser.add_argument("--log", type=Path, help="keep each run's timed output in this directory")
    parser.add_argument("--venv-outside", action="store_true",
                        help="the environment outside the copy (make VENV=...), not linked into it")
    args = parser.parse_args()
    if shutil.which("quarto") is None:
        print("quarto is not on PATH: nothing to measure")
        return 1
    version = subprocess.run(["quarto", "--version"], capture_output=True, text=True).stdout.strip()
    if args.log is not None:
        args.log.mkdir(parents=True, exist_ok=True)
    rows = ["| measurement | wall | CPU | load average (1, 5, 15 min) | target (wall) | met | what ran |",
            "|---|---|---|---|---|---|---|"]
    for run in range(1, args.repeat + 1):
        rows += run_once(run, args.log, args.venv_outside)
    where = "outside the project (VENV)" if args.venv_outside else "inside the project (.venv)"
    print(f"Quarto {version}, {os.cpu_count()} cores, the environment {where}")
    print("\n".join(rows))
    return 0


if __name__ == "__main__":
    sys.exit(main())
