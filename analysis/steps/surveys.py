"""Step: the three survey exports (synthetic twin or real files, per config/surveys.yaml), validated and typed.

Every problem in every file is reported before anything is written; each output carries a
``data_source`` column ("synthetic" or "real") so no table can lose track of what it holds.
"""

from __future__ import annotations

import sys
from pathlib import Path

from analysis.core import paths
from analysis.survey_data.codebooks import DATASETS, codebook_dir, load_codebooks
from analysis.core.settings import load_survey_settings, survey_settings_path


def inputs() -> list[Path]:
    from analysis.survey_data import scope as survey_scope

    settings = load_survey_settings()
    # A missing export is reported by run(), all of them in one line, rather than by the workflow.
    return [survey_settings_path(), *sorted(codebook_dir().glob("*.yaml")),
            *(f for f in settings.files.values() if f.is_file()), *survey_scope.inputs()]


def outputs() -> list[Path]:
    return [*(paths.processed(f"{d}.parquet") for d in DATASETS), paths.processed("surveys.meta.json"),
            paths.processed("survey_source.json")]


def run() -> None:
    from analysis.core.errors import GinoError, ManyInputErrors, display_path
    from analysis.core.files import atomic_path, sha256_file, write_json
    from analysis.survey_data.synthetic import NOTICE
    from analysis.survey_data.scope import scoped_codebook
    from analysis.survey_data.loading import load_survey

    settings = load_survey_settings()
    missing = [f for f in settings.files.values() if not f.exists()]
    if missing:
        shown = ", ".join(str(display_path(f)) for f in missing)
        raise GinoError(f"{display_path(survey_settings_path())}: expected the configured survey exports "
                        f"(source: {settings.source}), but {len(missing)} of {len(settings.files)} are missing: {shown} "
                        "(put the files there, or correct the paths under 'real')")
    frames, problems, notes = {}, [], []
    # Real exports may hold the municipalities of the configured regions; the twin those of its codebook.
    codebooks = {d: scoped_codebook(c, settings.source) for d, c in load_codebooks().items()}
    for dataset, file in settings.files.items():
        try:
            frames[dataset] = load_survey(file, codebooks[dataset], notes=notes).assign(data_source=settings.source)
        except ManyInputErrors as exc:
            problems += exc.problems
        except GinoError as exc:
            problems.append(str(exc))
    if problems:
        raise ManyInputErrors(problems)
    for note in notes:  # information, not a problem (SPSS labels of codes no respondent has)
        sys.stderr.write(f"  note        {note}\n")
    for dataset, frame in frames.items():
        with atomic_path(paths.processed(f"{dataset}.parquet")) as tmp:
            frame.to_parquet(tmp, index=False, compression="zstd")
    # What every document's data notice needs (the source and which municipalities each survey holds), apart
    # from the file checksums: a changed answer then re-executes only the notebooks that read the answers
    # (analysis/report/executed_notebooks.py).
    write_json(paths.processed("survey_source.json"), {
        "data_source": settings.source,
        "municipalities": {d: sorted(frames[d][codebooks[d].identifiers["municipality"]].dropna().astype(str).unique())
                           for d in DATASETS},
    })
    write_json(paths.processed("surveys.meta.json"), {
        "data_source": settings.source,
        "notice": NOTICE if settings.is_synthetic else "Verkliga enkätdata från studiens egna enkätfiler (mikrodata, får ej spridas).",
        "files": {d: {"file": _shown(settings.files[d]), "sha256": sha256_file(settings.files[d]),
                      "respondents": len(frames[d])} for d in DATASETS},
    })


def _shown(path: Path) -> str:
    """The path relative to data/raw when it lies there: processed metadata holds no absolute paths."""
    try:
        return str(path.resolve().relative_to(paths.raw_dir().resolve()))
    except ValueError:
        return path.name
