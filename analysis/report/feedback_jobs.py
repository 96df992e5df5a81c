"""The feedback documents in ``reports/feedback/``: which to make, under which names, and how to run them.

Three parameterised Quarto documents, each with a ``#| tags: [parameters]`` cell setting ``kommun``:

* ``kommun.qmd``: one report per municipality of the configured study region, HTML and Typst PDF;
* ``affisch.qmd``: the waiting-room poster, A3 Typst PDF, for the region and for each municipality;
* ``bildspel.qmd``: a PowerPoint deck of the headline results, for the region and each municipality.

With Quarto, every job is one ``quarto render <doc> --to <format> -P kommun:<code> --output <name>``
(one format per call, so that each output gets its own name). The documents are not in the project's
render list (they need a parameter), so Quarto renders each on its own, without ``_quarto.yml``, and
writes the named file in the working directory; ``collect`` moves it to ``_site/reports/feedback/``.
Quarto needs ``papermill`` in the Python it runs (``QUARTO_PYTHON``) to inject the parameter. Without Quarto, ``execute`` runs a document's code as Quarto's Jupyter engine
would: the ``.qmd`` read into a notebook, the parameter injected after the parameters cell by
papermill, every cell run by a Jupyter kernel.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from analysis.core import paths
from analysis.core.errors import GinoError

FEEDBACK_DIR = paths.ROOT / "reports" / "feedback"


OUTPUT_DIR = paths.ROOT / "_site" / "reports" / "feedback"


EXTENSIONS = {"html": "html", "typst": "pdf", "pptx": "pptx"}


@dataclass(frozen=True)
class Document:
    stem: str
    formats: tuple[str, ...]
    for_region: bool  # also rendered without a municipality: the whole region

    @property
    def path(self) -> Path:
        return FEEDBACK_DIR / f"{self.stem}.qmd"


DOCUMENTS = (
    Document("kommun", ("html", "typst"), for_region=False),
    Document("affisch", ("typst",), for_region=True),
    Document("bildspel", ("pptx",), for_region=True),
)


@dataclass(frozen=True)
class Job:
    document: Document
    kommun: str | None  # None: the whole region
    name: str           # the municipality's or the region's name, for titles
    format: str

    @property
    def workdir(self) -> Path:
        return self.document.path.parent

    @property
    def output(self) -> str:
        """``kommun-2425-dorotea.html``, ``affisch-region.pdf``: distinct for every job, ASCII only."""
        who = f"{self.kommun}-{slug(self.name)}" if self.kommun else "region"
        return f"{self.document.stem}-{who}.{EXTENSIONS[self.format]}"

    def quarto_args(self) -> list[str]:
        """Arguments for ``quarto`` run in the document's folder (``workdir``): Quarto resolves the
        resources of a document rendered with ``--output`` against the working directory."""
        args = ["render", self.document.path.name, "--to", self.format, "--output", self.output,
                "-M", f"subtitle:{self.name}"]
        return args + (["-P", f"kommun:{self.kommun}"] if self.kommun else [])


def render_environment(base: dict[str, str], root: Path = paths.ROOT) -> dict[str, str]:
    """``base`` with ``SOURCE_DATE_EPOCH`` set (unless it already is) to the time of the checked-out commit,
    or without git to the newest modification time of the documents. pandoc stamps a deck's zip entries
    and document properties with that time instead of the time of the render, so two renders of one
    commit give the same bytes."""
    import subprocess

    if base.get("SOURCE_DATE_EPOCH"):
        return dict(base)
    proc = subprocess.run(["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True, text=True, check=False)
    stamp = proc.stdout.strip() if proc.returncode == 0 and proc.stdout.strip().isdigit() else \
        str(int(max(d.path.stat().st_mtime for d in DOCUMENTS)))
    return {**base, "SOURCE_DATE_EPOCH": stamp}


def collect(job: Job, started: float, workdir: Path | None = None, output_dir: Path | None = None) -> Path:
    """Move the file a render begun at ``started`` (``time.time()``) in ``workdir`` (the job's, the
    document's folder) wrote into ``output_dir`` (``OUTPUT_DIR``). Quarto writes ``--output`` relative to the working
    directory for a document rendered on its own; the
    document's folder and the output folder are looked at too, so a Quarto that places it there works
    the same. A file older than the render is a previous run's, not this one's."""
    import os

    workdir, output_dir = workdir or job.workdir, output_dir or OUTPUT_DIR
    target = output_dir / job.output
    for candidate in (workdir / job.output, job.document.path.parent / job.output, target):
        if candidate.is_file() and candidate.stat().st_mtime >= started - 1:
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(candidate, target)
            return target
    raise GinoError(f"quarto {' '.join(job.quarto_args())} reported success but wrote no {job.output} "
                    f"(looked in {workdir}, {job.document.path.parent} and {output_dir})")


def slug(name: str) -> str:
    """``'Åsele' -> 'asele'``: a file-name-safe form of a Swedish place name."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")


# --- what to make ----------------------------------------------------------------------------

def region_codes() -> list[str]:
    """The study region's municipality codes (``config/regions.yaml``), sorted."""
    from analysis.report import processed
    from analysis.sparsity import measures as sparsity
    from analysis.public_data.regions import load_regions

    return sparsity.region_codes(processed.region_members(), load_regions().study_region)


def municipalities() -> dict[str, str]:
    """Code -> name of every municipality of the configured study region."""
    from analysis.report import processed

    names = processed.municipalities().set_index("kommun_kod")["kommun_namn"]
    return {code: names[code] for code in region_codes()}


def detour_factor() -> float:
    """The road detour factor of the residence model (``config/synthetic.yaml``), used for road distances."""
    from analysis.core.files import read_yaml
    from analysis.survey_data.synthetic import synthetic_config_path

    return float(read_yaml(synthetic_config_path(), "synthetic-twin configuration")["client_survey_2018"]["detour_factor"])


def jobs() -> list[Job]:
    """Every render: each document for each municipality (and the region where it applies), each format."""
    from analysis.public_data.regions import load_regions

    region_name = load_regions().study.name
    out = []
    for document in DOCUMENTS:
        targets = ([(None, region_name)] if document.for_region else []) + \
                  [(code, name) for code, name in municipalities().items()]
        out += [Job(document, code, name, fmt) for code, name in targets for fmt in document.formats]
    return out
