"""Map functions on three square synthetic kommuner: the figures carry what a map needs."""

from __future__ import annotations

import folium
import geopandas as gpd
import matplotlib
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib_scalebar.scalebar import ScaleBar
from shapely.geometry import Point, box

from analysis.sparsity import maps

matplotlib.use("Agg")
NBSP = "\u00a0"
STUDY = ["0002"]


@pytest.fixture
def layer() -> gpd.GeoDataFrame:
    """Three 10 km squares side by side; densities 0.5, 1.25 and 3 inhabitants per km² of land."""
    shapes = gpd.GeoDataFrame({"kommun_kod": ["0001", "0002", "0003"], "kommun_namn": ["Ett", "Två", "Tre"]},
                              geometry=[box(i * 10000, 0, (i + 1) * 10000, 10000) for i in range(3)], crs=3006)
    municipalities = pd.DataFrame({"kommun_kod": ["0001", "0002", "0003", "0004"],
                                   "population": [50, 125, 300, 7], "land_area_km2": [100.0, 100.0, 100.0, 1.0]})
    return maps.municipality_layer(shapes, municipalities, ["0001", "0002", "0003"])


@pytest.fixture
def tatorter() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({
        "tatortskod": ["0001TC1", "0002TC1", "0002TB2"], "tatort": ["A", "B", "C"],
        "kommun_kod": ["0001", "0002", "0002"],
        "population": [300, 2000, 250], "is_centre": [True, True, False],
    }, geometry=[Point(5000, 5000), Point(15000, 5000), Point(18000, 8000)], crs=3006)


@pytest.fixture
def cells() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({"kommun_kod": ["0001", "0002", "0003"], "population": [3, 2000, 40], "ref_year": 2018},
                            geometry=[box(x, 4000, x + 1000, 5000) for x in (4000, 14000, 24000)], crs=3006)


def legend_labels(fig: Figure) -> list[str]:
    return [t.get_text() for ax in fig.axes if ax.get_legend() for t in ax.get_legend().get_texts()]


def assert_map_furniture(fig: Figure) -> None:
    ax = fig.axes[0]
    assert any(isinstance(a, ScaleBar) for a in ax.artists)
    assert maps.NORTH_ARROW_LABEL in [t.get_text() for t in ax.texts]


def test_municipality_layer_density(layer):
    assert layer["density_land_per_km2"].tolist() == pytest.approx([0.5, 1.25, 3.0])
    assert layer.crs.to_epsg() == 3006


def test_density_map(layer):
    fig = maps.density_map(layer, STUDY, study_label="Studiekommunerna")
    assert isinstance(fig, Figure)
    assert_map_furniture(fig)
    assert legend_labels(fig) == ["0,50", "1,25", "3,00", "Studiekommunerna"]  # the configured region's name


def test_tatort_map(layer, tatorter):
    fig = maps.tatort_map(layer, tatorter, STUDY, label_codes=("0002TB2",))
    assert_map_furniture(fig)
    assert "C" in [t.get_text() for t in fig.axes[0].texts]
    labels = legend_labels(fig)
    assert "Centralort" in labels and f"5{NBSP}000 invånare" in labels
    assert len(fig.axes[0].collections[-1].get_offsets()) == 3


def test_population_grid_map(layer, cells):
    fig = maps.population_grid_map(layer, cells, STUDY)
    assert_map_furniture(fig)
    assert "Ingen bosatt i rutan" in legend_labels(fig)
    fig.canvas.draw()
    colorbar = fig.axes[0].child_axes[0]
    assert colorbar.get_ylabel() == "Invånare per km²-ruta (2018)"
    assert f"1{NBSP}000" in [t.get_text() for t in colorbar.get_yticklabels()]


def test_sparsity_chart_percent_axis():
    table = pd.DataFrame({"kommun_namn": ["Ett", "Två"], "share_outside_tatorter": [0.4, 0.25],
                          "share_empty_land": [0.9, 0.85]})
    fig = maps.sparsity_chart(table)
    assert isinstance(fig, Figure)
    fig.canvas.draw()
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Två", "Ett"]  # sorted by empty land
    assert "40\u00a0%" in [t.get_text() for t in ax.get_xticklabels()]  # plots.swedish_axis
    assert legend_labels(fig) == ["Andel av befolkningen utanför tätort", "Andel av landarealen utan invånare"]


def test_sparsity_chart_without_the_grid_draws_no_empty_land():
    table = pd.DataFrame({"kommun_namn": ["Ett", "Två"], "share_outside_tatorter": [0.4, 0.25],
                          "share_empty_land": [float("nan")] * 2})
    fig = maps.sparsity_chart(table)
    fig.canvas.draw()
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["Två", "Ett"]  # sorted by people outside
    assert legend_labels(fig) == ["Andel av befolkningen utanför tätort"]


def test_interactive_map(layer, tatorter):
    shown = maps.interactive_map(layer, tatorter)
    fmap = shown.map
    assert isinstance(fmap, folium.Map)
    html = shown.get_root().render()
    assert "</span>1,25</li>" in html  # the legend's density class, with a decimal comma
    groups = [child.layer_name for child in fmap._children.values() if isinstance(child, folium.FeatureGroup)]
    assert groups == ["Tätorter 2020"]


def test_a_big_city_does_not_cover_its_neighbours(layer, tatorter):
    """Circle areas stay proportional to population, the largest at most MAX_MARKER_AREA points²."""
    big = tatorter.assign(population=[300, 600000, 250])
    sizes = maps.tatort_map(layer, big, STUDY).axes[0].collections[-1].get_sizes()
    assert sizes.max() == pytest.approx(maps.MAX_MARKER_AREA + 8)
    assert sorted(sizes) == pytest.approx(sorted(maps.marker_area([300, 600000, 250], 600000 / maps.MAX_MARKER_AREA)))
    small = maps.tatort_map(layer, tatorter, STUDY).axes[0].collections[-1].get_sizes()
    assert sorted(small) == pytest.approx(sorted(maps.marker_area([300, 2000, 250])))  # small towns: the usual scale
