"""The public snapshots checked against each other and against SCB's published national total, when the build
(``steps/municipalities.py``) and ``gino check`` read them. The checks are ``analysis.public_data.consistency``'s."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from analysis.core import paths
from analysis.core.errors import ManyInputErrors, display_path

if TYPE_CHECKING:  # the build's steps import pandas only when they run
    import pandas as pd


def national_population_path() -> Path:
    """SCB's published national population totals, stored as data with their source."""
    return paths.published_dir() / "scb_national_population.csv"


def check_consistency(population: pd.DataFrame, population_date: str, population_file: Path, land_use: pd.DataFrame,
                      areas: pd.DataFrame, land_use_file: Path, areas_file: Path) -> None:
    """Every failed check one line, all at once (the areas file's own columns are checked by its reader)."""
    from analysis.public_data.consistency import land_area_problems, population_problems
    from analysis.public_data.sources import read_national_population

    national = read_national_population(national_population_path())
    column = f"folkmangd_{population_date.replace('-', '_')}"
    problems = population_problems(population, population_date, population_file, column, national,
                                   national_population_path())
    problems += land_area_problems(land_use, areas, land_use_file, display_path(areas_file))
    if problems:
        raise ManyInputErrors(problems)
