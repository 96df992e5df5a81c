"""Internal consistency of the public snapshots, checked when the build reads them (pure functions: frames
in, one line per failed check out, each naming the file and its columns).

A snapshot can pass every cell check and still be wrong as a whole: an areas file whose total and land
columns are swapped holds only positive numbers. The checks here compare columns and files with each
other and with SCB's published national total:

* areas: land area at most the total area, and the water the file lists (lakes and sea) at most the
  rest, within ``AREA_TOLERANCE_KM2`` (total = land + water; the file leaves out the four largest lakes,
  so the listed water may be less than the rest, never more);
* land area: the areas file and the land-use statistics give the same land area within
  ``LAND_TOLERANCE_KM2`` (they agree exactly in the mirror);
* population: every kommun has inhabitants, and the national total equals SCB's published total for
  the reference date (``data/raw/published/scb_national_population.csv``) within its stated tolerance.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.core.errors import display_path, format_problem

# Rounding and the secondary source (Wikipedia's tabulation of MI0802): in the mirror the listed water exceeds
# total minus land by at most 7.35 km² (Höganäs), by 2.3 km² or less elsewhere.
AREA_TOLERANCE_KM2 = 10.0
LAND_TOLERANCE_KM2 = 0.5
SHOWN = 3  # kommuner named as examples in a line


def _examples(frame: pd.DataFrame, describe) -> str:
    shown = "; ".join(describe(r) for r in frame.head(SHOWN).itertuples(index=False))
    return shown + ("; …" if len(frame) > SHOWN else "")


def area_problems(areas: pd.DataFrame, file: str | Path, total: str, land: str, water: list[str]) -> list[str]:
    """``areas``: kommun_kod and the numeric columns named ``total``, ``land`` and ``water`` (the water columns
    the file has, possibly none)."""
    problems = []
    larger = areas[areas[land] > areas[total] + 0.005]
    if len(larger):
        swapped = " (are the two columns swapped?)" if len(larger) > len(areas) / 2 else ""
        problems.append(format_problem(
            file, f"a total area at least as large as the land area (total = land + water), but the land area is "
                  f"larger in {len(larger)} of {len(areas)} kommuner{swapped}: " + _examples(
                      larger, lambda r: f"{r.kommun_kod} total {getattr(r, total):g}, land {getattr(r, land):g}"),
            column=f"{total}, {land}"))
    if water and not len(larger):
        listed = areas[water].sum(axis=1)
        beyond = listed > areas[total] - areas[land] + AREA_TOLERANCE_KM2
        over = areas[beyond].assign(listed=listed[beyond])
        if len(over):
            problems.append(format_problem(
                file, f"land plus the listed water at most the total area (within {AREA_TOLERANCE_KM2:g} km²), but "
                      f"it is more in {len(over)} kommuner: " + _examples(
                          over, lambda r: f"{r.kommun_kod} total {getattr(r, total):g}, land {getattr(r, land):g}, "
                                          f"water {r.listed:g}"),
                column=", ".join([total, land, *water])))
    return problems


def land_area_problems(land_use: pd.DataFrame, areas: pd.DataFrame, land_use_file: str | Path,
                       areas_file: str | Path) -> list[str]:
    """The land area of the land-use statistics (``land_area_km2``) against that of the areas file (same name)."""
    both = land_use.merge(areas[["kommun_kod", "land_area_km2"]], on="kommun_kod", suffixes=("_use", "_areas"))
    differ = both[(both["land_area_km2_use"] - both["land_area_km2_areas"]).abs() > LAND_TOLERANCE_KM2]
    if differ.empty:
        return []
    return [format_problem(
        land_use_file, f"the land area of {areas_file} within {LAND_TOLERANCE_KM2:g} km² (the two agree for SCB's "
                       f"2015 figures), but {len(differ)} of {len(both)} kommuner differ: " + _examples(
                           differ, lambda r: f"{r.kommun_kod} {r.land_area_km2_use:g} against "
                                             f"{r.land_area_km2_areas:g}"),
        column="hektar_2015 (total landareal), landareal_km2_2015")]


def population_problems(population: pd.DataFrame, date: str, file: str | Path, column: str,
                        national: pd.DataFrame, reference: str | Path) -> list[str]:
    """``population``: kommun_kod, population (one row per age and sex); ``national``: SCB's published totals
    (reference_date, population, tolerance), read from ``reference``."""
    problems = []
    per_kommun = population.groupby("kommun_kod")["population"].sum()
    empty = per_kommun[per_kommun <= 0]
    if len(empty):
        problems.append(format_problem(
            file, f"inhabitants in every kommun, but {len(empty)} kommuner have none: "
                  + ", ".join(empty.index[:SHOWN]) + (", …" if len(empty) > SHOWN else ""), column=column))
    published = national[national["reference_date"] == date]
    if len(published):
        row = published.iloc[0]
        total, expected, tolerance = int(per_kommun.sum()), int(row["population"]), int(row["tolerance"])
        if abs(total - expected) > tolerance:
            problems.append(format_problem(
                file, f"the national total SCB published for {date}, {_number(expected)} inhabitants (within "
                      f"{_number(tolerance)}; {display_path(reference)}), but the file sums to {_number(total)}",
                column=column))
    return problems


def _number(n: int) -> str:
    return f"{n:,}".replace(",", " ")
