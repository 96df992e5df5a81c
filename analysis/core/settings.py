"""Pipeline settings from ``config/pipeline.yaml``."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from analysis.core import paths
from analysis.core.errors import InputError, ManyInputErrors, format_problem


DATASETS = ("innovation_climate_2017", "client_survey_2018", "client_survey_2019")


@dataclass(frozen=True)
class Settings:
    population_snapshot: str
    grid_layers: tuple[str, ...]
    grid_reference_layer: str
    grid_nearest_max_m: float


def settings_path() -> Path:
    return paths.config_dir() / "pipeline.yaml"


def load_settings(path: Path | None = None) -> Settings:
    """The pipeline settings (schema: ``analysis.core.config_schema.PipelineFile``)."""
    from analysis.core.config_schema import PipelineFile, validated

    path = path or settings_path()
    doc = validated(path, PipelineFile, "pipeline settings file")
    s = Settings(population_snapshot=doc.population_snapshot, grid_layers=tuple(doc.grid_layers),
                 grid_reference_layer=doc.grid_reference_layer, grid_nearest_max_m=float(doc.grid_nearest_max_m))
    if s.grid_reference_layer not in s.grid_layers:
        raise InputError(path, f"one of grid_layers {list(s.grid_layers)}", key="grid_reference_layer",
                         value=s.grid_reference_layer)
    return s


SURVEY_SOURCES = ("synthetic", "real")
SYNTHETIC_DIR = "synthetic"


def synthetic_file(dataset: str) -> str:
    """Path of a data set's synthetic twin file, relative to ``data/raw``."""
    return f"{SYNTHETIC_DIR}/{dataset}_synthetic.csv"


@dataclass(frozen=True)
class SurveySettings:
    source: str
    files: dict[str, Path]  # data set -> export file

    @property
    def is_synthetic(self) -> bool:
        return self.source == "synthetic"


def survey_settings_path() -> Path:
    return paths.config_dir() / "surveys.yaml"


def load_survey_settings(path: Path | None = None) -> SurveySettings:
    """Which survey files the build reads: the synthetic twin or the real exports named in the config."""
    from analysis.core.config_schema import SurveysFile, validated

    path = path or survey_settings_path()
    doc = validated(path, SurveysFile, "survey settings file")
    if doc.source == "synthetic":
        return SurveySettings(doc.source, {d: paths.raw(synthetic_file(d)) for d in DATASETS})
    real = doc.real or {}
    missing = [d for d in DATASETS if not real.get(d)]
    if missing:
        raise ManyInputErrors([format_problem(path, f"a file for {d} under 'real' (source: real reads every "
                                                    "survey from its real export)", key=f"real.{d}")
                               for d in missing])
    problems = [line for d in DATASETS if (line := _path_problem(path, d, real[d]))]
    if problems:
        raise ManyInputErrors(problems)
    # relative to data/raw; an absolute path, or one from the home directory (~/…), stays as it is
    files = {d: paths.raw(Path(real[d]).expanduser()) for d in DATASETS}
    return SurveySettings(doc.source, files)


def _path_problem(path: Path, dataset: str, text: str) -> str | None:
    """A Windows path (backslashes, a drive letter) on a system whose paths use '/': one line saying so."""
    backslash = chr(92)
    if os.sep == backslash or not (backslash in text or re.match(r"[A-Za-z]:", text)):
        return None
    name = re.split(r"[/\\]", text)[-1]
    if re.match(r"[A-Za-z]:", text) or text.startswith(backslash * 2):
        fix = f"this is a path on a Windows computer: copy the file into data/raw/private/ and write private/{name}"
    else:
        fix = f"this is written with Windows' backslashes: write {text.replace(backslash, '/')!r}"
    return format_problem(path, f"a path with '/' between folders, relative to data/raw/ or absolute; {fix}",
                          key=f"real.{dataset}", value=text)


def reference_year(grid_layer: str) -> int:
    """The year of a grid layer name from ``config/pipeline.yaml``: ``'pop_1km_2018' -> 2018``."""
    years = re.findall(r"\d{4}", grid_layer)
    if not years:
        raise ValueError(f"no four-digit year in grid layer name {grid_layer!r}")
    return int(years[-1])
