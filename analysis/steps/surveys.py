"""Step: the three survey exports (synthetic twin or real files, per config/surveys.yaml), validated and typed.

Every problem in every file is reported before anything is written; each output carries a
``data_source`` column ("synthetic" or "real") so no table can lose track of what it holds.
"""

from __future__ import annotations

from pathlib import Path

from analysis import paths
from analysis.codebooks import DATASETS, codebook_dir, load_codebooks
from analysis.settings import load_survey_settings, survey_settings_path


def inputs() -> list[Path]:
    from analysis import survey_scope

    settings = load_survey_settings()
    return [survey_settings_path(), *sorted(codebook_dir().glob("*.yaml")), *settings.files.values(),
            *survey_scope.inputs()]


def outputs() -> list[Path]:
    return [*(paths.processed(f"{d}.parquet") for d in DATASETS), paths.processed("surveys.meta.json")]


def run() -> None:
    from analysis.errors import GinoError, ManyInputErrors
    from analysis.files import atomic_path, sha256_file, write_json
    from analysis.synthetic import NOTICE
    from analysis.survey_scope import scoped_codebook
    from analysis.surveys import load_survey

    settings = load_survey_settings()
    frames, problems = {}, []
    missing = [file for file in settings.files.values() if not file.is_file()]
    # Real exports may hold the municipalities of the configured regions; the twin those of its codebook.
    try:
        codebooks = {d: scoped_codebook(c, settings.source) for d, c in load_codebooks().items()}
    except GinoError as exc:  # a missing export is the likelier mistake: say that first
        problems = [_missing_message(file) for file in missing] + [str(exc)]
        raise ManyInputErrors(problems) from None
    for dataset, file in settings.files.items():
        try:
            frames[dataset] = load_survey(file, codebooks[dataset]).assign(data_source=settings.source)
        except ManyInputErrors as exc:
            problems += exc.problems
        except GinoError as exc:
            problems.append(str(exc))
    if problems:
        raise ManyInputErrors(problems)
    for dataset, frame in frames.items():
        with atomic_path(paths.processed(f"{dataset}.parquet")) as tmp:
            frame.to_parquet(tmp, index=False, compression="zstd")
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


def _missing_message(file: Path) -> str:
    """The reader's own one-line message for an export that does not exist."""
    from analysis.errors import GinoError
    from analysis.survey_files import read_export

    try:
        read_export(file)
    except GinoError as exc:
        return str(exc)
    return f"{file}: expected an existing survey export"
