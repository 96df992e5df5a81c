"""The configured study region as the report's chapters use it: its municipalities, the comparison
regions, the map extent, the reference town, and whether the population grid covers it.

Everything comes from ``config/regions.yaml`` (see ``analysis.public_data.regions``) and the build's outputs; the
notebooks, the article and the feedback documents take their regions from here, never by name.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.public_data.regions import RegionConfig, counties_of, map_kommuner, reference_kommun, region_kommuner

SURVEYS = ("innovation_climate_2017", "client_survey_2018", "client_survey_2019")


@dataclass(frozen=True)
class StudyArea:
    config: RegionConfig
    study_codes: list[str]
    map_codes: list[str]
    map_county_names: list[str]     # the counties the maps show (wholly or in part)
    reference_kommun: str
    reference_town: str             # the centre tätort of ``reference_kommun``
    grid_lan: list[str]             # counties the population grid covers
    uncovered_codes: list[str]      # study municipalities outside the grid's coverage

    @property
    def study_id(self) -> str:
        return self.config.study_region

    @property
    def study_name(self) -> str:
        return self.config.study.name

    @property
    def comparison_ids(self) -> list[str]:
        return list(self.config.comparisons)

    @property
    def region_ids(self) -> list[str]:
        return [self.study_id, *self.comparison_ids]

    @property
    def grid_covers_study(self) -> bool:
        return not self.uncovered_codes

    def grid_codes(self, codes: list[str]) -> list[str]:
        """Those of ``codes`` whose county the population grid covers."""
        return [c for c in codes if c[:2] in self.grid_lan]

    @property
    def study_grid_codes(self) -> list[str]:
        """The study municipalities the grid's measures are given for: all of them when the grid covers the
        whole study region, else none (a partly covered region is not described by half of it)."""
        return list(self.study_codes) if self.grid_covers_study else []


def study_area(config: RegionConfig, municipalities: pd.DataFrame, tatorter: pd.DataFrame,
               grid_lan: list[str]) -> StudyArea:
    """The study area from the configuration and the build's tables (pure: no file I/O).

    ``municipalities``: kommun_kod, kommun_namn, lan_kod, lan_namn, population; ``tatorter``: kommun_kod,
    tatort, is_centre; ``grid_lan``: the län codes the population grid covers.
    """
    codes = municipalities["kommun_kod"]
    study = region_kommuner(config, config.study_region, codes)
    shown = map_kommuner(config, codes)
    counties = (municipalities[municipalities["kommun_kod"].isin(shown)]
                .drop_duplicates("lan_kod").sort_values("lan_kod")["lan_namn"].tolist())
    hub = reference_kommun(config, municipalities)
    centre = tatorter[(tatorter["kommun_kod"] == hub) & tatorter["is_centre"]]["tatort"]
    town = str(centre.iloc[0]) if len(centre) else str(
        municipalities.set_index("kommun_kod").loc[hub, "kommun_namn"])
    uncovered = [c for c in study if c[:2] not in set(grid_lan)]
    return StudyArea(config, study, shown, counties, hub, town, sorted(grid_lan), uncovered)


# ---------------------------------------------------------------- texts

def join_sv(names: list[str]) -> str:
    """``['a', 'b', 'c'] -> 'a, b och c'``."""
    names = [str(n) for n in names]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " och " + names[-1]


def county_names_text(municipalities: pd.DataFrame, lan_codes: list[str]) -> str:
    """Swedish names of some counties, joined: 'Västerbottens län och Norrbottens län'."""
    names = municipalities.drop_duplicates("lan_kod").set_index("lan_kod")["lan_namn"]
    return join_sv([names.get(c, f"län {c}") for c in lan_codes])


def grid_missing_sentence(area: StudyArea, municipalities: pd.DataFrame) -> str:
    """Swedish: why the grid-based measures are left out, and how to add a grid (for the report)."""
    missing = county_names_text(municipalities, counties_of(area.uncovered_codes))
    where = (f"där {area.study_name} ligger" if len(area.uncovered_codes) == len(area.study_codes) else
             f"där {len(area.uncovered_codes)} av de {len(area.study_codes)} kommunerna i {area.study_name} ligger")
    return (f"Befolkningsrutnätet (befolkning i rutor om 1 km²) i projektets data täcker inte {missing}, {where}. "
            f"Därför redovisas inga mått som bygger på rutnätet för studieregionen: bebodda rutor, andel av landet utan invånare och befolkningsviktade avstånd till "
            f"centralorten; inget visas från någon annan region i deras ställe. Lägg till ett rutnät för "
            f"{missing} som en ögonblicksbild i data/raw/grid/ med en katalogpost (*.meta.yaml med kind: "
            f"population_grid och coverage_lan) och kör bygget igen; ingen kod behöver ändras.")


def twin_municipalities(frames: dict[str, pd.DataFrame], municipality_column: str = "kommun") -> set[str]:
    """Every municipality code in the survey frames."""
    return set().union(*(set(f[municipality_column].dropna().astype(str)) for f in frames.values()))


def twin_note(area: StudyArea, synthetic: bool, twin_codes: set[str], names: pd.Series) -> str | None:
    """Swedish: on the synthetic twin with a study region other than the twin's municipalities, say plainly
    that the survey chapters describe the GINO study's municipalities. None otherwise."""
    if not synthetic or set(area.study_codes) <= twin_codes:
        return None
    listed = join_sv(sorted(names.get(c, c) for c in twin_codes))
    return (f"**Enkäterna gäller GINO-kommunerna, inte {area.study_name}.** Den syntetiska tvillingen återger "
            f"GINO-studiens publicerade enkätsiffror och omfattar GINO-studiens kommuner ({listed}). "
            f"Enkätkapitlen beskriver därför dem, inte den konfigurerade studieregionen; med egna enkätfiler "
            f"(source: real i config/surveys.yaml) gäller de {area.study_name}.")
