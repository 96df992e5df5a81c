"""What the benchmark modules share: the repository's paths, units and how they are printed, the
results table (``record`` adds a row, ``table`` prints them all) and ``Bench``, which runs
``python -m analysis`` with the benchmark's own data and configuration directories."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from analysis.core import paths

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
GIB = 1 << 30
MIB = 1 << 20


# ---------------------------------------------------------------- printing and the results table

@dataclass
class Row:
    measurement: str
    value: str
    target: str = "—"
    met: str = "—"


ROWS: list[Row] = []
MISSES: list[str] = []  # keys of missed targets, profiled at the end (profiles.py)


def say(text: str = "") -> None:
    print(text, flush=True)


def record(measurement: str, value: str, target: str = "—", met: bool | None = None, miss_key: str | None = None):
    ROWS.append(Row(measurement, value, target, "—" if met is None else ("yes" if met else "no")))
    if met is False and miss_key:
        MISSES.append(miss_key)


def secs(x: float) -> str:
    return f"{x:.2f} s" if x < 100 else f"{x:.0f} s"


def mib(kib_or_bytes: float, kib: bool = False) -> str:
    b = kib_or_bytes * 1024 if kib else kib_or_bytes
    return f"{b / GIB:.2f} GiB" if b >= GIB else f"{b / MIB:.0f} MiB"


def spread(values: list[float]) -> str:
    return "" if len(values) < 2 else f" (min {min(values):.2f}, max {max(values):.2f}, n = {len(values)})"


def load_average() -> str:
    return ", ".join(f"{x:.2f}" for x in os.getloadavg())


def table() -> None:
    say()
    say(f"load average at the end (1, 5, 15 min): {load_average()}")
    say()
    say("## Results")
    say()
    say("| measurement | value | target | met |")
    say("|---|---|---|---|")
    for r in ROWS:
        say(f"| {r.measurement} | {r.value} | {r.target} | {r.met} |")
    missed = [r.measurement for r in ROWS if r.met == "no"]
    say()
    say(f"targets missed: {len(missed)}" + (f" ({'; '.join(missed)})" if missed else ""))


# ---------------------------------------------------------------- commands and data directories

def timed_run(cmd: list[str], **kwargs) -> tuple[subprocess.CompletedProcess, float]:
    """``subprocess.run(cmd, capture_output=True, text=True, **kwargs)`` and its wall time."""
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    return proc, time.perf_counter() - started


def last_line(text: str) -> str:
    return (text.strip().splitlines() or ["?"])[-1]


def default_mirror() -> Path:
    return Path(os.environ.get("GINO_MIRROR", ROOT.parent / "shared" / "data")).resolve()


copy_committed_data = paths.copy_committed_data


def fresh_copy(template: Path, dest: Path) -> Path:
    shutil.copytree(template, dest, symlinks=True)
    return dest


@dataclass
class Ran:
    wall: float
    stdout: str
    stderr: str

    @property
    def steps(self) -> list[str]:
        """The steps that ran: ``gino build`` prints ``  done  STEP (x s)`` for each, nothing for a current one."""
        return re.findall(r"^\s*done\s+(\S+)", self.stdout, flags=re.MULTILINE)

    @property
    def workflow(self) -> float:
        """The workflow's own time as ``gino build`` prints it (0.1 s resolution)."""
        m = re.search(r"^build: (?:\d+ steps? ran|nothing to do);.*\(([\d.]+) s\)\s*$", self.stdout, flags=re.MULTILINE)
        if m is None:
            raise RuntimeError(f"no 'build: … (x s)' line in the output of gino build:\n{self.stdout}")
        return float(m.group(1))


class Bench:
    """Runs ``python -m analysis`` with the benchmark's data and configuration directories."""

    def __init__(self, config: Path):
        self.config = config

    def env(self, data: Path, extra: dict | None = None) -> dict:
        return {**os.environ, "GINO_DATA_DIR": str(data), "GINO_CONFIG_DIR": str(self.config), **(extra or {})}

    def gino(self, data: Path, *args: str, python_args: tuple[str, ...] = (), env: dict | None = None) -> Ran:
        environment = {k: v for k, v in self.env(data, env).items() if v is not None}
        proc, wall = timed_run([PY, *python_args, "-m", "analysis", *args], cwd=ROOT, env=environment)
        if proc.returncode != 0:
            raise RuntimeError(f"gino {' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
        return Ran(wall, proc.stdout, proc.stderr)


def without_make_settings(environ: dict) -> dict:
    """The environment without what would choose another environment for the copy's make (an exported
    GINO_VENV, or a VENV passed down from a make that started this script)."""
    return {key: value for key, value in environ.items() if key not in ("GINO_VENV", "MAKEFLAGS", "MAKELEVEL")}
