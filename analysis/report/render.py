"""Rendering the Quarto project: the pre-render step, and skipping Quarto when nothing changed.

``quarto render`` runs the project's pre-render step (``make prerender``: the incremental build,
then ``prerender`` here), renders the article and the notebook views of the executed copies it
embeds, and writes ``_site/``. Quarto itself takes several seconds even when every result is frozen,
so ``gino report`` records what a render was made from and what it wrote; when the inputs are
unchanged and every output is still as written, the render is provably current and Quarto is not
started.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

from analysis.report import executed_notebooks, freeze
from analysis.core import files, paths

SITE_DIR = paths.ROOT / "_site"
# The article's and notebooks' outputs; the feedback products (gino feedback) are made separately.
REPORT_OUTPUTS = ("reports/index.html", "reports/index.pdf")
# The Quarto releases the render was verified on, offline, oldest and newest (docs/report.md); every
# document's `quarto-required` says the same (a test keeps them equal).
QUARTO_VERIFIED = ("1.6.43", "1.10.18")
QUARTO_REQUIRED = f">={QUARTO_VERIFIED[0]} <={QUARTO_VERIFIED[1]}"
QUARTO_INSTALL = f"install Quarto {QUARTO_VERIFIED[0]} to {QUARTO_VERIFIED[1]} from https://quarto.org/docs/get-started/"
PRERENDERED_VARIABLE = "GINO_PRERENDERED"  # set by `gino report`, which has just run the pre-render step
RENDER_INPUTS = ("_quarto.yml", "reports/*.qmd", "reports/*.bib", "reports/*.csl", "reports/notebooks/*.ipynb")


def stamp_path() -> Path:
    return paths.state_dir() / "report-render.json"


def prerender(print_line: Callable[[str], None]) -> None:
    """Execute the notebooks whose inputs changed, and drop the article's frozen results if stale."""
    if os.environ.get(PRERENDERED_VARIABLE) == "1":
        print_line("pre-render: done by 'gino report' just before Quarto started")
        return
    executed_notebooks.report_progress(print_line)
    if freeze.invalidate_stale_freeze(paths.ROOT, paths.data_dir()):
        print_line("pre-render: processed data, code or config changed; the article's frozen results were dropped")


def quarto_version(quarto: str) -> str:
    return subprocess.run([quarto, "--version"], capture_output=True, text=True, check=False).stdout.strip()


def input_fingerprint(quarto_version_text: str) -> str:
    """sha256 over everything a render reads: project files, executed notebooks, code, config and data."""
    digest = hashlib.sha256(f"quarto {quarto_version_text}\n".encode())
    digest.update(f"shared {executed_notebooks.shared_fingerprint()}\n".encode())
    named = {p.relative_to(paths.ROOT).as_posix(): p for pattern in RENDER_INPUTS for p in paths.ROOT.glob(pattern)}
    named |= {f"processed/{p.relative_to(paths.processed_dir()).as_posix()}": p
              for p in paths.processed_dir().rglob("*") if p.is_file() and not p.name.startswith(".")}
    for name, path in sorted(named.items()):
        digest.update(f"{name}\0{files.sha256_file(path)}\n".encode())
    return digest.hexdigest()


def _site_outputs() -> dict[str, str]:
    """Hashes of the report's files in ``_site`` (the feedback products excluded)."""
    feedback = SITE_DIR / "reports" / "feedback"
    return {p.relative_to(SITE_DIR).as_posix(): files.sha256_file(p) for p in sorted(SITE_DIR.rglob("*"))
            if p.is_file() and feedback not in p.parents}


def is_current(fingerprint: str) -> bool:
    """True if the last render was made from these inputs and ``_site`` still holds exactly what it wrote."""
    try:
        recorded = json.loads(stamp_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    if not isinstance(recorded, dict) or recorded.get("inputs") != fingerprint:
        return False
    if not all((SITE_DIR / name).is_file() for name in REPORT_OUTPUTS):
        return False
    return recorded.get("outputs") == _site_outputs()


def record(fingerprint: str) -> None:
    files.write_json(stamp_path(), {"inputs": fingerprint, "outputs": _site_outputs()})


def forget() -> None:
    """A render is starting: until it finishes, nothing vouches for ``_site``."""
    stamp_path().unlink(missing_ok=True)


def render_log() -> Path:
    """Where Quarto's own output of the last render is kept (git-ignored)."""
    return paths.ROOT / ".quarto" / "gino-render.log"


def run_quarto(args: list[str], cwd: Path, env: dict, print_line: Callable[[str], None], verbose: bool = False,
               append: bool = False) -> None:
    """Run Quarto with its output in ``render_log()`` (``append``: after the earlier runs'), printed in full
    only when it fails (then ``CalledProcessError``); ``verbose``: its output as it comes."""
    if verbose:
        subprocess.run(args, cwd=cwd, env=env, check=True)
        return
    log_path = render_log()
    log_path.parent.mkdir(exist_ok=True)
    with log_path.open("a" if append else "w", encoding="utf-8") as log:
        start = log.tell()
        done = subprocess.run(args, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, check=False)
    if done.returncode:
        with log_path.open(encoding="utf-8", errors="replace") as log:
            log.seek(start)
            print_line(log.read().rstrip())
        raise subprocess.CalledProcessError(done.returncode, args)


def render_report(print_line: Callable[[str], None], verbose: bool = False) -> None:
    """After the build and the checks: the pre-render step, then ``quarto render`` unless the site is
    provably current; without Quarto, one line on installing it. Quarto's own output goes to
    ``render_log()`` and is printed in full only when the render fails (``verbose``: as it comes)."""
    import shutil
    import sys
    import time

    started = time.perf_counter()
    prerender(print_line)
    quarto = shutil.which("quarto")
    if quarto is None:
        print_line(f"report: pipeline done and notebooks executed into "
                   f"{executed_notebooks.EXECUTED_DIR.relative_to(paths.ROOT)}/; Quarto is not installed, so the "
                   f"report was not rendered ({QUARTO_INSTALL}, and run 'make report' or 'quarto render')")
        return
    fingerprint = input_fingerprint(quarto_version(quarto))
    if is_current(fingerprint):
        print_line("report: _site is current (nothing it was rendered from has changed); Quarto was not run")
        return
    forget()
    env = {**os.environ, "QUARTO_PYTHON": os.environ.get("QUARTO_PYTHON", sys.executable), PRERENDERED_VARIABLE: "1"}
    if not verbose:
        print_line(f"report: rendering with Quarto {quarto_version(quarto)} (its output: "
                   f"{render_log().relative_to(paths.ROOT)})")
    run_quarto([quarto, "render"], paths.ROOT, env, print_line, verbose)
    record(fingerprint)
    outputs = ", ".join(f"_site/{name}" for name in REPORT_OUTPUTS)
    print_line(f"report: rendered {outputs} and the notebooks' pages ({time.perf_counter() - started:.0f} s)")
