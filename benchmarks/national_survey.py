"""The synthetic NATIONAL client survey of the national-scale benchmark: its codebook, published
figures and configuration (the 2018 client survey's, widened to every municipality of Sweden),
everything the project's generator needs to make it (``national_inputs``), and reading it back
(``survey_frame``). Runs inside the workload children of ``national.py``.

The residence model outside the grid (documented assumption, benchmark only): the project's
residence model draws a resident's 1 km grid cell by population. For municipalities outside
counties 24 and 25 there are no cells, so two pseudo-cells stand in for them and the generator
is used unchanged: with probability centre_population / population (the municipality's largest
tätort, capped at 1) a resident lives uniformly in a 2 km × 2 km square on the municipal centre,
otherwise uniformly in a square of the municipality's land area centred on the municipal centre.
The five municipalities without a tätort of their own (Järfälla, Salem, Tyresö, Sundbyberg,
Solna: their people live in the Stockholm tätort, coded to Stockholm) have no centre; the
representative point of their polygon is used. The ``generate`` workload prints how this
stand-in compares with the real grid where both exist.
"""

from __future__ import annotations

import copy
import dataclasses
from pathlib import Path

NATIONAL = "client_survey_national"
BASE = "client_survey_2018"
RESPONDENTS = 100_000
GRID_COUNTIES = ("24", "25")
CENTRE_SQUARE_M = 2_000.0
# Mean distance from the centre of a square of side L to a uniform point in it: L * (sqrt 2 + asinh 1) / 6.
SQUARE_MEAN = (2 ** 0.5 + 0.881373587019543) / 6
SEED = 20200401


def read_municipalities():
    """The processed table of all 290 municipalities."""
    import pandas as pd

    from analysis.core import paths

    return pd.read_csv(paths.processed("municipalities.csv"), dtype={"kommun_kod": str, "lan_kod": str})


def base_config() -> dict:
    """``config/synthetic.yaml``'s section for the 2018 client survey."""
    from analysis.core.files import read_yaml
    from analysis.survey_data.synthetic import synthetic_config_path

    return read_yaml(synthetic_config_path(), "synthetic-twin configuration")[BASE]


def codebook_and_figures(municipalities):
    """The national survey's codebook and its published "N av 10" figures."""
    from analysis.core import paths
    from analysis.survey_data.codebooks import load_codebook
    from analysis.survey_data.published import read_published_survey_figures

    codebook = national_codebook(load_codebook(BASE), municipalities)
    figures = national_figures(read_published_survey_figures(paths.published_dir() / "survey_figures.csv"))
    return codebook, figures


def survey_frame(work: Path):
    """The national survey written by the ``generate`` workload into ``work``, with its codebook and figures."""
    import pandas as pd

    codebook, figures = codebook_and_figures(read_municipalities())
    frame = pd.read_parquet(work / f"{NATIONAL}.parquet")
    return frame, codebook, figures


def national_codebook(base, municipalities):
    """The 2018 client codebook with its kommun scale replaced by every municipality of Sweden."""
    key = base.identifiers["municipality"]
    kommun = base.variable(key)
    names = dict(zip(municipalities["kommun_kod"], municipalities["kommun_namn"]))
    scale = dataclasses.replace(kommun.scale, id="kommun_sverige", labels=dict(sorted(names.items())), aliases={})
    variables = tuple(dataclasses.replace(v, scale=scale) if v.name == key else v for v in base.variables)
    return dataclasses.replace(base, dataset=NATIONAL, variables=variables,
                               title=f"{base.title} – SYNTETISK NATIONELL VERSION (benchmark)")


def national_figures(published):
    """The 2018 poster's "N av 10" figures, reused for the national survey (dataset renamed)."""
    rows = published[(published["dataset"] == BASE) & (published["rule"] == "of_ten")].copy()
    rows["dataset"] = NATIONAL
    rows["figure_id"] = "nat_" + rows["figure_id"]
    return rows.reset_index(drop=True)


def national_config(base_cfg: dict) -> dict:
    cfg = copy.deepcopy(base_cfg)
    cfg["respondents"] = RESPONDENTS
    cfg["fewest_per_municipality"] = 1
    # The twin itself is anchored to Kolada (analysis/survey_data/synthetic_client.py); the national stand-in keeps the
    # population-proportional generator with these declared rates (the twin's former assumptions).
    cfg["missing_rate"] = 0.03
    cfg["dont_know_rate"] = {"contact_ease": 0.04, "information_ease": 0.03, "shows_understanding": 0.03,
                             "asks_views": 0.05, "can_influence": 0.08, "situation_improved": 0.10,
                             "overall_satisfaction": 0.02}
    cfg["positive_share"] = {"can_influence": 0.65}
    return cfg


def _square(x: float, y: float, side: float):
    from shapely.geometry import box

    h = side / 2
    return box(x - h, y - h, x + h, y + h)


def national_inputs():
    """Everything ``generate_client`` needs for the national survey, from the processed data.

    Returns (codebook, figures, cfg, population, grid, centres, notes). ``grid``: the real 2018
    cells of counties 24 and 25 plus the two pseudo-cells of every other municipality (the
    residence model in the module docstring); ``centres``: centre_x, centre_y per kommun code.
    """
    import geopandas as gpd
    import numpy as np
    import pandas as pd

    from analysis.core import paths
    from analysis.core.settings import load_settings, reference_year

    municipalities = read_municipalities()
    shapes = gpd.read_parquet(paths.processed("municipalities.parquet")).set_index("kommun_kod")
    ref_year = reference_year(load_settings().grid_reference_layer)
    grid = gpd.read_parquet(paths.processed("population_grid.parquet"))
    grid = grid[(grid["ref_year"] == ref_year) & grid["kommun_kod"].str[:2].isin(GRID_COUNTIES)]

    m = municipalities.set_index("kommun_kod")
    no_centre = m.index[m["centre_x"].isna()]
    points = shapes.loc[no_centre].geometry.representative_point()
    centres = m[["centre_x", "centre_y"]].copy()
    centres.loc[no_centre, "centre_x"] = points.x.to_numpy()
    centres.loc[no_centre, "centre_y"] = points.y.to_numpy()

    outside = m[~m["lan_kod"].isin(GRID_COUNTIES)]
    pseudo = []
    for code, row in outside.iterrows():
        x, y = centres.loc[code, ["centre_x", "centre_y"]]
        in_centre = min(float(row["centre_population"]) if pd.notna(row["centre_population"]) else 0.0,
                        float(row["population"]))
        side = float(np.sqrt(row["land_area_km2"]) * 1000)
        pseudo.append({"kommun_kod": code, "population": in_centre, "geometry": _square(x, y, CENTRE_SQUARE_M)})
        pseudo.append({"kommun_kod": code, "population": float(row["population"]) - in_centre,
                       "geometry": _square(x, y, side)})
    pseudo = gpd.GeoDataFrame(pseudo, geometry="geometry", crs=grid.crs)
    cells = pd.concat([grid[["kommun_kod", "population", "geometry"]], pseudo], ignore_index=True)
    cells = gpd.GeoDataFrame(cells, geometry="geometry", crs=grid.crs)

    cfg = national_config(base_config())
    codebook, figures = codebook_and_figures(municipalities)
    population = m["population"]
    notes = [f"{len(m)} municipalities, population " + f"{int(population.sum()):,}".replace(",", " "),
             f"grid cells (ref. year {ref_year}) for {grid['kommun_kod'].nunique()} municipalities in counties "
             f"{'/'.join(GRID_COUNTIES)}; pseudo-cells (centre square + land-area square) for {len(outside)}",
             "no tätort of their own, centre = polygon's representative point: "
             + ", ".join(m.loc[no_centre, "kommun_namn"])]
    notes.append(_stand_in_check(municipalities, grid, centres, float(cfg["detour_factor"])))
    return codebook, figures, cfg, population, cells, centres, notes


def _stand_in_check(municipalities, grid, centres, detour: float) -> str:
    """How the pseudo-cell model's expected distance compares with the real grid in counties 24/25."""
    import numpy as np

    from analysis.public_data.residence import weighted_distance_to_centre

    real = weighted_distance_to_centre(grid, centres.reset_index(), detour).set_index("kommun_kod")
    m = municipalities.set_index("kommun_kod").loc[real.index]
    p_centre = (m["centre_population"].astype(float) / m["population"]).clip(upper=1)
    model = detour / 1000 * SQUARE_MEAN * (p_centre * CENTRE_SQUARE_M
                                           + (1 - p_centre) * np.sqrt(m["land_area_km2"]) * 1000)
    ratio = model / real["mean_road_km_to_centre"]
    return (f"stand-in check in counties 24/25 (pseudo-cell model's expected road km / grid's population-weighted "
            f"road km, 29 municipalities): median {ratio.median():.2f}, range {ratio.min():.2f}–{ratio.max():.2f}")
