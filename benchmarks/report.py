"""Time `make report` as a user runs it: cold, with nothing changed, and after one survey file changed.

Runs in a temporary copy of the repository (its .venv linked to the repository's) with a private
data directory, so nothing in the working tree is written. Needs Quarto on PATH.

    .venv/bin/python benchmarks/report.py

Targets (2 cores): cold `make report` after a build, nothing frozen, <= 90 s, each notebook executed
at most once; `make report` with nothing changed <= 10 s; after one processed file changes, only
the notebooks that read it are executed again.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from analysis.core.paths import copy_repository  # noqa: E402

EXECUTED = re.compile(r"^\s+executed\s+(notebooks/\S+)", re.MULTILINE)
KEPT = re.compile(r"^\s+kept\s+(notebooks/\S+)", re.MULTILINE)


def make(target: str, root: Path, env: dict) -> tuple[float, str]:
    started = time.perf_counter()
    proc = subprocess.run(["make", target], cwd=root, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"make {target} failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    return wall, proc.stdout + proc.stderr


def describe(name: str, wall: float, output: str, target: str) -> str:
    executed, kept = EXECUTED.findall(output), KEPT.findall(output)
    quarto = "Quarto not run (current)" if "Quarto was not run" in output else "Quarto ran"
    warnings = sum(1 for line in output.splitlines() if "WARNING" in line or "Kernel is running" in line)
    return (f"| {name} | {wall:.1f} s | {target} | executed: {', '.join(Path(p).stem for p in executed) or 'none'};"
            f" kept: {len(kept)}; {quarto}; warning lines: {warnings} |")


def main() -> int:
    if shutil.which("quarto") is None:
        print("quarto is not on PATH: nothing to measure")
        return 1
    tmp = Path(tempfile.mkdtemp(prefix="gino-report-bench-"))
    try:
        root = copy_repository(tmp / "repo")
        data = tmp / "data"
        env = {**os.environ, "GINO_DATA_DIR": str(data), "PYTHONPATH": str(root),
               "GINO_MIRROR": os.environ.get("GINO_MIRROR", str(ROOT.parent / "shared" / "data"))}
        env.pop("QUARTO_PYTHON", None)  # the Makefile sets it to the project's Python
        shutil.copytree(ROOT / "data", data, ignore=shutil.ignore_patterns("processed", ".state", "private"))
        (data / "processed").mkdir(exist_ok=True)
        make("build", root, env)
        rows = ["| measurement | wall | target | what ran |", "|---|---|---|---|"]
        rows.append(describe("cold `make report` after a build", *make("report", root, env), "≤ 90 s"))
        rows.append(describe("`make report`, nothing changed", *make("report", root, env), "≤ 10 s"))
        # A legal change: the first respondent of 2018 who prefers the social office (1) prefers the
        # telephone (3) instead. The meeting form is synthetic and anchored to nothing, so every check
        # still passes; client_survey_2018.parquet (and the survey metadata) change.
        survey = data / "raw" / "synthetic" / "client_survey_2018_synthetic.csv"
        lines = survey.read_text(encoding="utf-8").splitlines(keepends=True)
        first = next(i for i, line in enumerate(lines[1:], 1) if line.rstrip("\n").endswith(",1"))
        lines[first] = lines[first].rstrip("\n")[:-1] + "3\n"
        survey.write_text("".join(lines), encoding="utf-8")
        rows.append(describe("`make report` after one answer in the 2018 survey file changed",
                             *make("report", root, env), "only the notebooks that read it"))
        print("\n".join(rows))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
