"""Pipeline settings from ``config/pipeline.yaml``."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from analysis import paths
from analysis.errors import InputError
from analysis.files import read_yaml


@dataclass(frozen=True)
class Settings:
    population_snapshot: str
    grid_layers: tuple[str, ...]
    grid_reference_layer: str
    grid_nearest_max_m: float


def settings_path() -> Path:
    return paths.config_dir() / "pipeline.yaml"


def load_settings(path: Path | None = None) -> Settings:
    path = path or settings_path()
    doc = read_yaml(path, "pipeline settings file")
    try:
        s = Settings(
            population_snapshot=str(doc["population_snapshot"]),
            grid_layers=tuple(str(x) for x in doc["grid_layers"]),
            grid_reference_layer=str(doc["grid_reference_layer"]),
            grid_nearest_max_m=float(doc["grid_nearest_max_m"]),
        )
    except KeyError as exc:
        raise InputError(path, f"a setting named {exc.args[0]!r}") from None
    if s.grid_reference_layer not in s.grid_layers:
        raise InputError(path, f"one of grid_layers {list(s.grid_layers)}", column="grid_reference_layer",
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
    from analysis.codebooks import DATASETS

    path = path or survey_settings_path()
    doc = read_yaml(path, "survey settings file")
    source = str(doc.get("source", ""))
    if source not in SURVEY_SOURCES:
        raise InputError(path, f"one of {', '.join(SURVEY_SOURCES)}", column="source", value=source)
    if source == "synthetic":
        return SurveySettings(source, {d: paths.raw(synthetic_file(d)) for d in DATASETS})
    real = doc.get("real") or {}
    files = {}
    for dataset in DATASETS:
        if not real.get(dataset):
            raise InputError(path, f"a file for {dataset} under 'real'", column=f"real.{dataset}")
        files[dataset] = paths.raw(real[dataset])  # an absolute path stays absolute
    return SurveySettings(source, files)
