"""Command-line interface: ``gino`` or ``python -m analysis``.

User mistakes and bad inputs end with one line per problem on stderr and exit code 1;
only a bug in the code itself shows a traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from analysis.core import paths
from analysis.core.errors import GinoError, ManyInputErrors

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="GINO analysis pipeline: fetch raw public data, build processed data, check against the report.")
# Piped output (CI logs, `make report | tee`) gets a fixed width so tables are not cut at 80 columns.
out = Console(highlight=False, soft_wrap=True, width=None if sys.stdout.isatty() else 140)
err = Console(stderr=True, highlight=False)

MirrorOption = Annotated[Optional[Path], typer.Option(
    "--mirror", help="Offline mirror directory holding the public snapshots (default: $GINO_MIRROR).")]


@app.command()
def fetch(mirror: MirrorOption = None) -> None:
    """Copy the catalogued public snapshots into data/raw from an offline mirror and verify their checksums."""
    from analysis.public_data.fetch import fetch_all

    results = []
    fetch_all(mirror or paths.default_mirror(), progress=results.append)
    copied = [r.id for r in results if r.action != "present"]
    out.print(f"fetch: {len(results)} snapshots present and verified in {paths.raw_dir()}"
              + (f" ({len(copied)} copied from the mirror: {', '.join(copied)})" if copied else ""))


@app.command("fetch-scb")
def fetch_scb(
    year: Annotated[int, typer.Option(help="Population on 31 December of this year.")],
    base_url: Annotated[Optional[str], typer.Option(help="PxWebApi 2.0 base URL (default: SCB's).")] = None,
) -> None:
    """Download population by kommun, age and sex from SCB's PxWebApi and write it as a raw snapshot."""
    from analysis.public_data import pxweb

    client = pxweb.PxWebClient(base_url or pxweb.DEFAULT_BASE_URL)
    df = pxweb.fetch_population(year, client, progress=lambda done, total: out.print(f"  batch {done}/{total}"))
    dest = pxweb.write_population_snapshot(df, year, paths.raw_dir(),
                                           source_url=pxweb.population_data_url(year, client.base_url))
    out.print(f"fetch-scb: wrote {dest}; set population_snapshot: population_{year} in config/pipeline.yaml to use it")


@app.command("fetch-kolada")
def fetch_kolada(
    year: Annotated[int, typer.Option(help="Survey year of the client-survey key figures.")],
    base_url: Annotated[Optional[str], typer.Option(help="Kolada API v3 base URL (default: Kolada's).")] = None,
) -> None:
    """Download one year of the IFO client-survey key figures (IFO total and sub-areas, T/K/M) from Kolada's
    API v3 and write it as a raw snapshot with its catalog entry; the next build reads it."""
    from analysis.public_data import kolada_api

    client = kolada_api.KoladaClient(base_url or kolada_api.DEFAULT_BASE_URL)
    frame = kolada_api.fetch_values(client, year)
    dest = kolada_api.write_snapshot(frame, year, paths.raw_dir(), kolada_api.data_url(client.base_url, year))
    out.print(f"fetch-kolada: wrote {dest} ({frame['municipality_id'].nunique()} municipalities, "
              f"{frame['kpi_id'].nunique()} KPIs); the next 'gino build' reads it through its catalog entry")


def _print_step(name: str, event: str, started: dict[str, float], verbose: bool = False) -> None:
    """One line per build step that ran (when it ends); with ``verbose`` also when it starts and for current steps."""
    if ":" not in name:
        return  # the group task that only collects the steps
    step = name.split(":", 1)[1]
    if event == "running":
        started[step] = time.perf_counter()
        if verbose:
            out.print(f"  running     {step} …")
    elif event == "done":
        out.print(f"  done        {step} ({time.perf_counter() - started.get(step, time.perf_counter()):.1f} s)")
    elif event != "up to date" or verbose:
        out.print(f"  {event:<11} {step}")


@app.command()
def build(force: Annotated[bool, typer.Option(help="Rerun every step even if up to date.")] = False,
          verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Also a line when each step starts, and for the steps that are current.")] = False) -> None:
    """Run the pipeline: every step whose inputs or code changed since the last build."""
    from analysis.workflow import run_build

    _check_config()
    started: dict[str, float] = {}
    t0 = time.perf_counter()
    run_build(lambda n, e: _print_step(n, e, started, verbose), force=force)
    ran = f"{len(started)} step{'' if len(started) == 1 else 's'} ran" if started else "nothing to do"
    out.print(f"build: {ran}; data/processed is current ({time.perf_counter() - t0:.1f} s)")
    _print_grid_note()


def _print_grid_note() -> None:
    from analysis.public_data.coverage_note import grid_note

    note = grid_note()
    if note:
        out.print(note)


@app.command()
def check(details: Annotated[bool, typer.Option(
        "--details", help="Also print every compared figure in full (tables of region facts, survey figures, Kolada).")] = False) -> None:
    """Verify and validate every raw snapshot, build, and compare with the figures the report and Kolada publish."""
    _check(details, built=False)


def _check(details: bool, built: bool) -> None:
    """``check``; ``built``: the build has just run in this process (as in ``report``), so it is not run again."""
    from analysis.client_surveys.kolada_check import kolada_failures
    from analysis.report.check_summary import summarise
    from analysis.report.checks import load_comparison, load_kolada_comparison, load_survey_comparison, validate_raw
    from analysis.report.claims import claim_text
    from analysis.workflow import run_build

    if not built:
        _check_config()
    raw = validate_raw()
    if not built:
        run_build()
        _print_grid_note()
    kolada = load_kolada_comparison()
    summary = summarise(raw, load_comparison(), load_survey_comparison(), kolada, kolada_failures(kolada))
    for title, text in summary.details if details else ():
        out.print(f"\n{title}\n{text}\n", markup=False, overflow="ignore", crop=False)
    # The stages' lines after the first are the claim check-summary (the same function, checked like a number:
    # its counts agree with each other and with the tables; tests/report/test_claims.py).
    for line in [summary.lines[0], *claim_text("check-summary").splitlines()]:
        out.print(f"  {line}", markup=False)
    if summary.failures:
        raise ManyInputErrors(summary.failures)
    out.print("check: passed" + ("" if details else " ('gino check --details' prints every compared figure)"))


@app.command()
def synthesize() -> None:
    """Regenerate the synthetic survey twin in data/raw/synthetic (needs 'gino build' of the public data)."""
    from analysis.survey_data.synthetic import write_twin

    _check_config()
    for path in write_twin():
        out.print(f"  wrote       {path.relative_to(paths.data_dir())}")
    out.print("synthesize: synthetic twin written; it matches Kolada and reproduces every published survey figure "
              "that Kolada allows (the others are listed in data/raw/synthetic/manifest.yaml)")


def _check_config() -> None:
    """Every configuration file against its schema, all problems at once, before any step reads one."""
    from analysis.core.config_schema import check_config_dir

    check_config_dir(paths.config_dir())


@app.command()
def prerender() -> None:
    """Quarto's pre-render step (after the build): execute the notebooks whose inputs changed into
    reports/notebooks/, and drop the article's frozen results when data or code changed."""
    from analysis.report.render import prerender as run_prerender

    run_prerender(out.print)


@app.command()
def report(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print Quarto's own output as it renders.")] = False) -> None:
    """Build, check, execute the changed notebooks and render the Quarto report (skipped when provably current)."""
    from analysis.report import render
    from analysis.report.report_check import check_project

    build(force=False, verbose=False)
    _check(details=False, built=True)
    problems = check_project(paths.ROOT)
    if problems:
        raise ManyInputErrors(problems)
    out.print("report: documents checked (embeds, cross-references, citations, captions and alt text resolve)")
    render.render_report(out.print, verbose=verbose)


@app.command("feedback")
def feedback_command(
    workers: Annotated[int, typer.Option(help="Documents executed at a time when Quarto is not installed.")] = 2,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Print Quarto's own output as it renders.")] = False,
) -> None:
    """Make every municipality's report, the waiting-room posters and the slide decks (reports/feedback/).

    With Quarto: render each document for each municipality of the study region (and the region) into
    its own file in _site/reports/feedback/. Without Quarto: execute them all and check that every table
    they print is registered with the disclosure audit and shows no municipality figure its plan hides.
    """
    import os

    from analysis.report import feedback_documents, feedback_jobs, render, report_check

    build(force=False, verbose=False)  # includes the disclosure audit of every published table, the feedback tables too
    report = report_check.check_documents([d.path for d in feedback_jobs.DOCUMENTS])
    if report.problems:
        raise ManyInputErrors(report.problems)
    jobs = feedback_jobs.jobs()
    quarto = shutil.which("quarto")
    if quarto is None:
        problems = []
        for result in feedback_documents.execute_all(workers):
            who = f"{result.name} ({result.kommun})" if result.kommun else result.name
            out.print(f"  {'executed' if not result.problems else 'FAILED':<11} {result.stem}.qmd for {who} "
                      f"({result.seconds:.1f} s, {len(result.tables)} tables)")
            problems += result.problems
        if problems:
            raise ManyInputErrors(problems)
        executed = len({(job.document.stem, job.kommun) for job in jobs})
        out.print(f"feedback: {executed} documents executed and checked (every table registered with the disclosure "
                  f"audit, no figure its plan hides); Quarto is not installed, so the {len(jobs)} files were not rendered "
                  f"({render.QUARTO_INSTALL} and run 'gino feedback' again)")
        return
    env = feedback_jobs.render_environment({**os.environ, "QUARTO_PYTHON": sys.executable})
    if not verbose:
        out.print(f"feedback: rendering {len(jobs)} files with Quarto (its output: "
                  f"{render.render_log().relative_to(paths.ROOT)})")
    for number, job in enumerate(jobs):
        started = time.time()
        render.run_quarto([quarto, *job.quarto_args()], job.workdir, env, out.print, verbose, append=number > 0)
        out.print(f"  rendered    {feedback_jobs.collect(job, started).relative_to(paths.ROOT)}")
    out.print(f"feedback: {len(jobs)} files in {feedback_jobs.OUTPUT_DIR.relative_to(paths.ROOT)}")


def main() -> None:
    # Typer handles usage errors itself (exit 2); our own errors propagate to here.
    try:
        app(prog_name="gino")
    except ManyInputErrors as exc:
        for line in exc.problems:
            err.print(f"error: {line}", markup=False, soft_wrap=True)
        sys.exit(1)
    except GinoError as exc:
        err.print(f"error: {exc}", markup=False, soft_wrap=True)
        sys.exit(1)
    except subprocess.CalledProcessError as exc:
        err.print(f"error: '{' '.join(map(str, exc.cmd))}' failed with exit code {exc.returncode}", markup=False)
        sys.exit(exc.returncode or 1)
    except KeyboardInterrupt:
        err.print("error: interrupted; processed outputs are written atomically, so nothing is half-written",
                  markup=False)
        sys.exit(130)
    except MemoryError:
        err.print("error: out of memory; close other programs or use a machine with more memory", markup=False)
        sys.exit(1)
    except OSError as exc:  # permissions, a full disk, a path that is a directory: the user's environment
        where = f"{exc.filename}: " if exc.filename else ""
        err.print(f"error: {where}{exc.strerror or exc}", markup=False, soft_wrap=True)
        sys.exit(1)
    except Exception as exc:  # a bug: still one line for the user, the traceback on request
        if os.environ.get("GINO_DEBUG"):
            raise
        err.print(f"error: internal error ({exc.__class__.__name__}: {str(exc).splitlines()[0] if str(exc) else ''}); "
                  "this is a bug in gino, not in your input; rerun with GINO_DEBUG=1 to see the traceback and "
                  "report it", markup=False, soft_wrap=True)
        sys.exit(2)
