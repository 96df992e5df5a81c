"""Kolada's client-survey values from every catalogued snapshot, found through the catalog.

A snapshot of Kolada's client-survey key figures is any catalog entry with ``kind: kolada_client_survey``:
the mirror's 2016–2022 file, and every year ``gino fetch-kolada --year Y`` adds (``years: [Y]``). No
build step names a file: the steps list these entries as their inputs and read the values through
:func:`client_survey_values`, so a new snapshot reaches every Kolada table, figure and sentence on the
next build.

Which snapshot supplies a year: the newest (``access_date``, then ``id``) among the entries whose
``years`` include it, and then all of that year's values come from it alone. A value Kolada has since
withdrawn (``isdeleted``; the API client never writes those) therefore disappears with the new snapshot
instead of surviving from an older one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from analysis.core.errors import InputError
from analysis.public_data.catalog import Snapshot, load_catalog

if TYPE_CHECKING:  # pandas is imported where frames are made: the no-op build imports neither pandas nor numpy
    import pandas as pd

CLIENT_SURVEY_KIND = "kolada_client_survey"


def client_survey_snapshots(catalog: dict[str, Snapshot] | None = None) -> list[Snapshot]:
    """Every catalogued Kolada client-survey snapshot, oldest access first (ties by id)."""
    catalog = catalog if catalog is not None else load_catalog()
    entries = [s for s in catalog.values() if s.meta.get("kind") == CLIENT_SURVEY_KIND]
    for s in entries:
        years = s.meta.get("years")
        if not isinstance(years, list) or not years or not all(isinstance(y, int) and 1990 <= y <= 2100 for y in years):
            raise InputError(s.meta_path, "a list of the survey years the snapshot holds, such as [2023]",
                             column="years", value=years)
    if not entries:
        from analysis.core.errors import GinoError

        raise GinoError(f"no catalog entry with 'kind: {CLIENT_SURVEY_KIND}' (Kolada's client-survey values); "
                        "run 'gino fetch --mirror DIR' or 'gino fetch-kolada --year Y'")
    return sorted(entries, key=lambda s: (str(s.meta.get("access_date", "")), s.id))


def input_paths(catalog: dict[str, Snapshot] | None = None) -> list[Path]:
    """The data files and catalog entries of every snapshot: a build step's inputs, so that a new snapshot
    (or a changed entry) reruns the steps that read Kolada's values."""
    entries = client_survey_snapshots(catalog)
    return [p for s in entries for p in (s.path, s.meta_path)]


def year_sources(entries: list[Snapshot]) -> dict[int, Snapshot]:
    """Per survey year, the snapshot that supplies it: the newest entry whose ``years`` include it."""
    sources: dict[int, Snapshot] = {}
    for entry in entries:  # oldest first: a newer entry replaces an older one
        for year in entry.meta["years"]:
            sources[int(year)] = entry
    return dict(sorted(sources.items()))


def combine(frames: dict[str, pd.DataFrame], sources: dict[int, str]) -> pd.DataFrame:
    """Each year's values from the snapshot that supplies it (``sources``: year -> snapshot id); pure."""
    import pandas as pd

    parts = [frames[snapshot_id][frames[snapshot_id]["year"] == year] for year, snapshot_id in sources.items()]
    out = pd.concat(parts, ignore_index=True) if parts else next(iter(frames.values())).iloc[0:0]
    return out.sort_values(["kpi_id", "kommun_kod", "year", "gender"]).reset_index(drop=True)


def client_survey_values(catalog: dict[str, Snapshot] | None = None, verify: bool = True) -> pd.DataFrame:
    """Kolada's client-survey values (the long frame of ``kolada.read_kpi_values``) from every snapshot,
    each year from the newest snapshot that holds it, with a ``snapshot`` column naming it."""
    from analysis.public_data.kolada import read_kpi_values

    entries = client_survey_snapshots(catalog)
    sources = year_sources(entries)
    frames = {}
    for entry in {s.id: s for s in sources.values()}.values():
        if verify:
            entry.verify()
        frames[entry.id] = read_kpi_values(entry.path).assign(snapshot=entry.id)
    return combine(frames, {year: s.id for year, s in sources.items()})
