"""The data claims are computed from: the build's outputs, read once per data set through ``report.processed``.

A :class:`Facts` reads the data directory and configuration it was made for (``GINO_DATA_DIR`` and
``GINO_CONFIG_DIR`` when it is made), so a test can evaluate every claim on several builds in one process.
``current_facts()`` is the documents' instance, made again when the build's outputs change (a kernel
that outlives a build, as Quarto's daemon does, never states old data).
"""

from __future__ import annotations

import functools
import os
from contextlib import contextmanager

import pandas as pd

from analysis.core import paths


@contextmanager
def _environment(data_dir: str, config_dir: str):
    saved = {k: os.environ.get(k) for k in ("GINO_DATA_DIR", "GINO_CONFIG_DIR")}
    os.environ["GINO_DATA_DIR"], os.environ["GINO_CONFIG_DIR"] = data_dir, config_dir
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class Facts:
    """Cached, read-only access to one build's outputs and configuration."""

    def __init__(self, data_dir=None, config_dir=None) -> None:
        self.data_dir = str(data_dir or paths.data_dir())
        self.config_dir = str(config_dir or paths.config_dir())
        self._cache: dict = {}

    def _get(self, key, load):
        if key not in self._cache:
            with _environment(self.data_dir, self.config_dir):
                self._cache[key] = load()
        return self._cache[key]

    # --- the build's outputs ---
    @property
    def synthetic(self) -> bool:
        from analysis.report import processed

        return self._get("synthetic", processed.is_synthetic)

    def kolada(self, name: str) -> pd.DataFrame:
        from analysis.report import processed

        return self._get(("kolada", name), lambda: processed.kolada(name))

    def survey(self, dataset: str) -> pd.DataFrame:
        from analysis.report import processed

        return self._get(("survey", dataset), lambda: processed.survey(dataset))

    def codebook(self, dataset: str):
        from analysis.report import processed

        return self._get(("codebook", dataset), lambda: processed.codebook(dataset))

    def survey_comparison(self) -> pd.DataFrame:
        """The published survey figures against the pipeline (``passed`` as booleans)."""
        from analysis.report import processed

        def load():
            frame = processed.published_survey_comparison()
            return frame.assign(passed=frame["passed"].map(as_bool))
        return self._get("survey_comparison", load)

    def kolada_comparison(self) -> pd.DataFrame:
        """Each municipality's survey values against Kolada's (``passed`` as booleans)."""
        def load():
            frame = pd.read_csv(paths.processed("kolada_survey_comparison.csv"), dtype=str, keep_default_na=False)
            return frame.assign(passed=frame["passed"].map(as_bool))
        return self._get("kolada_comparison", load)

    def municipalities(self) -> pd.DataFrame:
        from analysis.report import processed

        return self._get("municipalities", processed.municipalities)

    def names(self) -> pd.Series:
        return self.municipalities().set_index("kommun_kod")["kommun_namn"]

    def region_facts(self) -> pd.DataFrame:
        from analysis.report import processed

        return self._get("region_facts", processed.region_facts)

    def area(self):
        from analysis.report.study_context import load_study_area

        return self._get("area", load_study_area)

    def regions(self):
        from analysis.public_data.regions import load_regions

        return self._get("regions", load_regions)

    def plan(self):
        """The publication plan the build's disclosure audit chose (what every document shows)."""
        from analysis.report import processed

        return self._get("plan", processed.disclosure_plan)

    def travel_2018(self) -> pd.DataFrame:
        """The 2018 answers over the municipalities the plan's travel-distance figures are over (notebook 03)."""
        from analysis.client_surveys import planned

        return self._get("travel_2018", lambda: planned.in_region(
            self.survey("client_survey_2018"), self.codebook("client_survey_2018"), self.plan(), "travel_distance"))

    def memo(self, key, load):
        """Any other derived table, computed once per data set (``load`` runs with this data set's paths)."""
        return self._get(("memo", key), load)


def as_bool(value) -> bool:
    """A flag read back from a CSV: True/False, 'True'/'False', 'true', '1' (never the text compared)."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no", ""):
        return False
    raise ValueError(f"not a yes/no flag: {value!r}")


@functools.lru_cache(maxsize=4)
def _facts_for(data_dir: str, config_dir: str, stamp: tuple) -> Facts:
    return Facts(data_dir, config_dir)


def _stamp() -> tuple:
    """The processed files' names and modification times: changes whenever a build writes an output."""
    directory = paths.processed_dir()
    try:
        return tuple(sorted((e.name, e.stat().st_mtime_ns) for e in os.scandir(directory) if e.is_file()))
    except OSError:
        return ()


def current_facts() -> Facts:
    return _facts_for(str(paths.data_dir()), str(paths.config_dir()), _stamp())
