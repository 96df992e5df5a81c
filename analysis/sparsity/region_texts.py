"""Swedish prose of the region chapter (notebook 04 and the article), from the configured regions.

Pure functions over the study area (``analysis.sparsity.study_area``) and the build's tables: the text names the
configured study region, comparison regions, map extent and reference town, never a region by hand.
"""

from __future__ import annotations

import pandas as pd

from analysis.presentation.formatting import sv_number, sv_percent
from analysis.sparsity.study_area import StudyArea, join_sv


def map_extent_text(area: StudyArea) -> str:
    """What the maps show: the names of the ``map_extent`` regions, or else of the counties."""
    if area.config.map_extent:
        return join_sv([area.config.regions[r].name for r in area.config.map_extent])
    return join_sv(area.map_county_names)


def intro_text(area: StudyArea) -> str:
    return (f"Det här avsnittet beskriver hur glest studieregionens {sv_number(len(area.study_codes))} kommuner "
            f"({area.study_name}) är befolkade: hur få invånarna är i förhållande till ytan, hur långt det är mellan "
            f"orterna, till centralorten och till {area.reference_town}, hur stor del av befolkningen som bor "
            f"utanför tätorterna och hur stor del av marken där ingen bor alls. Allt bygger på offentlig statistik "
            f"från SCB (befolkning, areal, tätorter och befolkningen i rutor om 1 km²); inga enkätsvar används.")


def comparison_intro(area: StudyArea) -> str:
    names = [area.config.regions[r].name for r in area.comparison_ids]
    return f"{area.study_name} jämförs med {join_sv(names)}." if names else ""


def density_text(area: StudyArea, facts: pd.DataFrame, members: pd.DataFrame) -> str:
    """Density of the study region against each comparison region, and its share of land and people of the
    first comparison region that contains it (a county before other regions; never all of Sweden)."""
    f = facts.set_index("region_id")
    study = f.loc[area.study_id]
    others = [f"{sv_number(f.loc[r, 'density_land_per_km2'], 1)} i {f.loc[r, 'region_name']}"
              for r in area.comparison_ids]
    text = f"I {study['region_name']} bor {sv_number(study['density_land_per_km2'], 1)} invånare per km² land"
    text += f", att jämföra med {join_sv(others)}." if others else "."
    study_set = set(area.study_codes)
    by_kind = sorted(area.comparison_ids, key=lambda r: not area.config.regions[r].lan)  # a county first
    for rid in by_kind:
        region = area.config.regions[rid]
        codes = set(members.loc[members["region_id"] == rid, "kommun_kod"])
        if not region.all and study_set < codes:
            text += (f" Kommunerna har tillsammans {sv_percent(study['land_area_km2'] / f.loc[rid, 'land_area_km2'])} "
                     f"av landarealen i {region.name} men {sv_percent(study['population'] / f.loc[rid, 'population'])} "
                     f"av dess befolkning.")
            break
    return text


def map_text(area: StudyArea) -> str:
    return (f"Kartan visar invånare per km² land för kommunerna i {map_extent_text(area)}; {area.study_name} har "
            f"tjock kontur. Klasserna är kvintiler (ungefär lika många kommuner i varje klass), så att skillnaderna "
            f"mellan de glesaste kommunerna syns även där de tätaste ligger mångdubbelt högre.")


def tatort_text(area: StudyArea) -> str:
    return (f"Kartan visar tätorterna 2020 i {map_extent_text(area)}. Namnen är utskrivna för tätorter i "
            f"{area.study_name} som ligger mer än 20 km fågelvägen från sin centralort. Avstånden mäts också till "
            f"{area.reference_town}, regionens referensort enligt config/regions.yaml.")


def distance_text(distances: pd.DataFrame, town: str) -> str:
    """The nearest and farthest centre from the reference ``town``, and the tätort farthest from its own centre."""
    centres = distances[distances["is_centre"]]
    nearest = centres.loc[centres["road_km_to_regional_centre"].idxmin()]
    farthest = centres.loc[centres["road_km_to_regional_centre"].idxmax()]
    far_town = distances.loc[distances["road_km_to_centre"].idxmax()]
    text = (f"Från centralorterna är det mellan {sv_number(nearest['road_km_to_regional_centre'])} km "
            f"({nearest['tatort']}) och {sv_number(farthest['road_km_to_regional_centre'])} km ({farthest['tatort']}) "
            f"till {town}.")
    if far_town["road_km_to_centre"] > 0:
        text += (f" Längst till den egna centralorten har {far_town['tatort']}: omkring "
                 f"{sv_number(far_town['road_km_to_centre'])} km till {far_town['centre_name']}.")
    return text


def measures_text(area: StudyArea) -> str:
    """What the per-municipality table's measures mean; the grid's measures only where the grid covers."""
    outside = ("*Andelen utanför tätort* jämför tätorternas folkmängd 2020 med kommunens folkmängd vid "
               "årsskiftet 2019/2020, så de två talen avser inte exakt samma tidpunkt.")
    if not area.grid_covers_study:
        return f"Tabellen nedan sammanfattar glesheten per kommun. {outside}"
    return ("Tabellen nedan sammanfattar glesheten per kommun. *Medelavståndet till centralorten* är "
            "befolkningsviktat: varje invånare antas bo i mitten av sin ruta, och avståndet till centralorten räknas "
            "som vägavstånd med samma omvägsfaktor som ovan. *Andelen av landet utan invånare* är landarealen minus "
            "ytan av de bebodda rutorna, delad med landarealen. Det är en uppskattning: en ruta kan korsa en "
            "kommungräns eller delvis ligga i en sjö, och rutor som delas med grannländer ingår inte i rutnätet. "
            + outside)


def extremes_text(table: pd.DataFrame) -> str:
    """Longest and shortest mean distance to the centre, most and least empty land (grid measures only)."""
    if table["mean_road_km_to_centre"].isna().all():
        return ""
    longest = table.loc[table["mean_road_km_to_centre"].idxmax()]
    shortest = table.loc[table["mean_road_km_to_centre"].idxmin()]
    emptiest, fullest = table.loc[table["share_empty_land"].idxmax()], table.loc[table["share_empty_land"].idxmin()]
    return (f"I genomsnitt har invånarna längst till centralorten i {longest['kommun_namn']} "
            f"({sv_number(longest['mean_road_km_to_centre'], 1)} km) och kortast i {shortest['kommun_namn']} "
            f"({sv_number(shortest['mean_road_km_to_centre'], 1)} km). Andelen av landet där ingen bor är "
            f"{sv_percent(fullest['share_empty_land'])} i {fullest['kommun_namn']} och "
            f"{sv_percent(emptiest['share_empty_land'])} i {emptiest['kommun_namn']}.")


def regions_grid_text(area: StudyArea, municipalities: pd.DataFrame) -> str:
    from analysis.sparsity.study_area import county_names_text

    if not area.grid_covers_study:
        return ("Sammantaget för regionerna: rutnätet täcker inte studieregionen, så andelen mark utan invånare "
                "redovisas bara för de regioner det täcker helt, om någon.")
    return (f"Sammantaget för regionerna: rutnätet täcker bara {county_names_text(municipalities, area.grid_lan)}, "
            f"så andelen mark utan invånare kan bara beräknas för regioner som ligger helt där.")
