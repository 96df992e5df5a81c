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
