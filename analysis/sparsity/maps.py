"""Maps of the region's sparsity: density, tätorter, the population grid; no file I/O.

Static maps are drawn in SWEREF 99 TM (EPSG:3006) and carry a scale bar and a north arrow;
titles are left to the report's captions. Every function returns a ``matplotlib.figure.Figure``
(or, for :func:`interactive_map`, a folium map shown as a self-contained page, ``analysis.sparsity.map_html``).
"""

from __future__ import annotations

import geopandas as gpd
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib import colormaps, patheffects
from matplotlib.cm import ScalarMappable
from matplotlib.colors import LogNorm, to_hex
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, LogLocator
from matplotlib_scalebar.scalebar import ScaleBar

from analysis.presentation.formatting import sv_number
from analysis.presentation.plots import OKABE_ITO, SEQUENTIAL, swedish_axis
from analysis.sparsity.classes import density_classes

MAP_FIGSIZE = (6.5, 7.2)
NORTH_ARROW_LABEL = "N"
DENSITY_LABEL = "Invånare per km² land"
LAND_GREY = "#e3e3e3"
CONTEXT_GREY = "#f3f3f3"
DENSITY_CMAP = SEQUENTIAL + "_r"  # light = sparse, so the thick study outlines stay visible
CENTRE_COLOUR, TATORT_COLOUR = OKABE_ITO[4], OKABE_ITO[0]
HIGHLIGHT = "#B00020"  # dark red, clear on the light fills of the inland: the municipality a feedback document is about
HALO = [patheffects.withStroke(linewidth=2.5, foreground="white")]  # keeps labels legible over any fill


def municipality_layer(shapes: gpd.GeoDataFrame, municipalities: pd.DataFrame,
                       kommun_codes: list[str]) -> gpd.GeoDataFrame:
    """Polygons of ``kommun_codes`` with kommun_namn, population, land area and density of land."""
    facts = municipalities[["kommun_kod", "population", "land_area_km2"]]
    layer = shapes[shapes["kommun_kod"].isin(kommun_codes)][["kommun_kod", "kommun_namn", "geometry"]]
    layer = layer.merge(facts, on="kommun_kod", how="left")
    layer["density_land_per_km2"] = layer["population"] / layer["land_area_km2"]
    return layer.sort_values("kommun_kod").reset_index(drop=True)


# ---------------------------------------------------------------- map furniture
def _map_axes(layer: gpd.GeoDataFrame, context: gpd.GeoDataFrame | None, margin: float = 0.03,
              figsize: tuple[float, float] = MAP_FIGSIZE):
    """A figure with one borderless axes framed on ``layer`` (plus a margin), context drawn behind."""
    fig, ax = plt.subplots(figsize=figsize)
    xmin, ymin, xmax, ymax = layer.total_bounds
    pad = margin * max(xmax - xmin, ymax - ymin)
    if context is not None:
        context.plot(ax=ax, color=CONTEXT_GREY, edgecolor="white", linewidth=0.8, zorder=0)
    ax.set_xlim(xmin - pad, xmax + pad)
    ax.set_ylim(ymin - pad, ymax + pad)
    ax.set_aspect("equal")
    ax.set_axis_off()
    fig.subplots_adjust(left=0.01, right=0.99, bottom=0.01, top=0.99)
    return fig, ax


def add_north_arrow(ax, x: float = 0.06, y: float = 0.95, fontsize: float = 11) -> None:
    """An arrow pointing up the map (grid north of SWEREF 99 TM, within a few degrees of true north)."""
    ax.annotate(NORTH_ARROW_LABEL, xy=(x, y), xytext=(x, y - 0.09), xycoords="axes fraction",
                ha="center", va="center", fontsize=fontsize, fontweight="bold", path_effects=HALO, zorder=8,
                arrowprops={"arrowstyle": "-|>", "color": "black", "linewidth": 1.2})


def add_scale_bar(ax, location: str = "lower left", fontsize: float | None = None) -> None:
    """A metric scale bar (one data unit is one metre in EPSG:3006)."""
    ax.add_artist(ScaleBar(1, units="m", location=location, box_alpha=0.7, length_fraction=0.25,
                           **({"font_properties": {"size": fontsize}} if fontsize else {})))


def _outlines(ax, layer: gpd.GeoDataFrame, study_codes: list[str]) -> None:
    """Thin grey borders for every kommun, thick black ones around the study municipalities."""
    layer.boundary.plot(ax=ax, color="#666666", linewidth=0.5, zorder=3)
    study = layer[layer["kommun_kod"].isin(study_codes)]
    # A white halo keeps the outline visible over dark fills too (a dense study region, e.g. near a city).
    study.dissolve().boundary.plot(ax=ax, color="black", linewidth=2.2, zorder=4,
                                   path_effects=[patheffects.withStroke(linewidth=4, foreground="white")])
    study.boundary.plot(ax=ax, color="black", linewidth=1.0, zorder=4)


def _finish_map(ax, scale_bar_location: str = "lower left", fontsize: float | None = None) -> None:
    add_scale_bar(ax, scale_bar_location, fontsize)
    add_north_arrow(ax, fontsize=fontsize or 11)


STUDY_LABEL = "Studieregionens kommuner"


def _study_outline_handle(label: str) -> Line2D:
    """The legend entry of the thick outline: the configured study region's name."""
    return Line2D([], [], color="black", linewidth=2.2, label=label)


# ---------------------------------------------------------------- (a) density choropleth
def class_colours(k: int, cmap: str = DENSITY_CMAP) -> list[str]:
    """``k`` evenly spaced colours of a sequential colormap, as hex strings."""
    return [to_hex(colormaps[cmap](x)) for x in np.linspace(0.05, 0.95, k)]


def _label_municipalities(ax, layer: gpd.GeoDataFrame, fontsize: float = 7) -> None:
    for point, name in zip(layer.geometry.representative_point(), layer["kommun_namn"]):
        ax.annotate(name, (point.x, point.y), ha="center", va="center", fontsize=fontsize, path_effects=HALO, zorder=5)


def density_map(layer: gpd.GeoDataFrame, study_codes: list[str], context: gpd.GeoDataFrame | None = None,
                k: int = 5, highlight: str | None = None, study_label: str = STUDY_LABEL,
                slide: tuple[float, float] | None = None, fontsize: float | None = None) -> plt.Figure:
    """Choropleth of inhabitants per km² of land (``layer`` from :func:`municipality_layer`), study area
    outlined (legend entry ``study_label``, the study region's name), and the kommun ``highlight`` (a code)
    outlined in its own colour. ``slide``: a slide's figure size (legend beside the map, study municipalities
    named, text at ``fontsize`` points)."""
    classes, labels = density_classes(layer["density_land_per_km2"], k)
    colours = class_colours(len(labels))
    fig, ax = _map_axes(layer, context, figsize=slide or MAP_FIGSIZE)
    layer.plot(ax=ax, color=[colours[c] for c in classes], linewidth=0, zorder=1)
    _outlines(ax, layer, study_codes)
    extra = []
    if highlight is not None:
        chosen = layer[layer["kommun_kod"] == highlight]
        chosen.boundary.plot(ax=ax, color=HIGHLIGHT, linewidth=3, zorder=4,
                             path_effects=[patheffects.withStroke(linewidth=5, foreground="white")])
        extra.append(Line2D([], [], color=HIGHLIGHT, linewidth=3, label=chosen["kommun_namn"].iloc[0]))
    named = layer if slide is None else layer[layer["kommun_kod"].isin(study_codes)]
    _label_municipalities(ax, named, fontsize or 7)
    handles = [Patch(facecolor=c, edgecolor="#666666", linewidth=0.5, label=lab) for c, lab in zip(colours, labels)]
    placement = {"loc": "upper right"} if slide is None else {"loc": "upper left", "bbox_to_anchor": (1.0, 1.0)}
    ax.legend(handles=[*handles, _study_outline_handle(study_label), *extra], title=DENSITY_LABEL,
              fontsize=fontsize or 8, title_fontsize=fontsize or 8, frameon=True, framealpha=0.9, **placement)
    if slide is not None:
        fig.subplots_adjust(right=0.55)
    _finish_map(ax, fontsize=fontsize)
    return fig


# ---------------------------------------------------------------- (b) tätorter
MAX_MARKER_AREA = 1500.0  # points², the largest tätort's circle at most


def marker_area(population, people_per_point: float = 120.0):
    """Marker area (points²) proportional to population, with a floor so the smallest tätorter show."""
    return 8 + np.asarray(population, dtype=float) / people_per_point


def _label_points(ax, towns: gpd.GeoDataFrame) -> None:
    for point, name in zip(towns.geometry, towns["tatort"]):
        ax.annotate(name, (point.x, point.y), xytext=(5, 3), textcoords="offset points", fontsize=7,
                    path_effects=HALO, zorder=7)


def tatort_map(layer: gpd.GeoDataFrame, tatorter: gpd.GeoDataFrame, study_codes: list[str],
               context: gpd.GeoDataFrame | None = None, label_codes: tuple[str, ...] = (),
               legend_sizes=(500, 5000, 50000), study_label: str = STUDY_LABEL) -> plt.Figure:
    """Tätorter of the mapped kommuner as circles sized by population, centres in their own colour.

    ``label_codes``: tätort codes whose names are written beside their circle (e.g. those far from
    their centre).
    """
    towns = tatorter[tatorter["kommun_kod"].isin(layer["kommun_kod"])].sort_values("population", ascending=False)
    fig, ax = _map_axes(layer, context)
    layer.plot(ax=ax, color=LAND_GREY, linewidth=0, zorder=1)
    _outlines(ax, layer, study_codes)
    colours = np.where(towns["is_centre"], CENTRE_COLOUR, TATORT_COLOUR)
    # Areas stay proportional to population; a big city (Göteborg: 580 000) must not cover its neighbours.
    per_point = max(120.0, float(towns["population"].max()) / MAX_MARKER_AREA) if len(towns) else 120.0
    ax.scatter(towns.geometry.x, towns.geometry.y, s=marker_area(towns["population"], per_point), c=colours,
               alpha=0.85, edgecolors="white", linewidths=0.5, zorder=6)
    _label_points(ax, towns[towns["tatortskod"].isin(label_codes)])
    kinds = [Line2D([], [], marker="o", linestyle="", color=col, markersize=7, label=lab)
             for col, lab in ((CENTRE_COLOUR, "Centralort"), (TATORT_COLOUR, "Annan tätort"))]
    sizes = [Line2D([], [], marker="o", linestyle="", color="#999999", markeredgecolor="white",
                    markersize=np.sqrt(marker_area(n, per_point)), label=f"{sv_number(n)} invånare")
             for n in legend_sizes]
    ax.legend(handles=[*kinds, *sizes, _study_outline_handle(study_label)], title="Tätorter 2020", loc="upper right",
              fontsize=8, title_fontsize=8, labelspacing=1.0, borderpad=0.8, framealpha=0.9)
    _finish_map(ax)
    return fig


# ---------------------------------------------------------------- (c) population grid

def population_grid_map(layer: gpd.GeoDataFrame, cells: gpd.GeoDataFrame, study_codes: list[str],
                        context: gpd.GeoDataFrame | None = None, study_label: str = STUDY_LABEL) -> plt.Figure:
    """Populated 1 km cells on a logarithmic colour scale over grey land, so land without people shows."""
    cells = cells[cells["kommun_kod"].isin(layer["kommun_kod"]) & (cells["population"] > 0)]
    norm = LogNorm(vmin=1, vmax=max(10, cells["population"].max()))
    fig, ax = _map_axes(layer, context)
    layer.plot(ax=ax, color=LAND_GREY, linewidth=0, zorder=1)
    cells.plot(ax=ax, column="population", cmap=SEQUENTIAL, norm=norm, linewidth=0, zorder=2)
    _outlines(ax, layer, study_codes)
    cax = ax.inset_axes([0.93, 0.55, 0.03, 0.38])
    bar = fig.colorbar(ScalarMappable(norm=norm, cmap=SEQUENTIAL), cax=cax)
    bar.locator = LogLocator(base=10)
    bar.formatter = FuncFormatter(lambda x, _: sv_number(x))
    bar.update_ticks()
    bar.ax.tick_params(labelsize=8)
    years = sorted(cells["ref_year"].unique()) if "ref_year" in cells else []
    year = f" ({years[0]})" if len(years) == 1 else ""
    bar.set_label(f"Invånare per km²-ruta{year}", fontsize=8)
    bar.ax.yaxis.set_label_position("left")
    no_one = Patch(facecolor=LAND_GREY, edgecolor="#999999", linewidth=0.5, label="Ingen bosatt i rutan")
    ax.legend(handles=[no_one, _study_outline_handle(study_label)], loc="lower center", fontsize=8, framealpha=0.9)
    _finish_map(ax)
    return fig


# ---------------------------------------------------------------- (d) shares per municipality

def sparsity_chart(table: pd.DataFrame, highlight: str | None = None) -> plt.Figure:
    """Dot chart per kommun: share of people outside tätorter and share of land without inhabitants.

    ``table`` from :func:`analysis.sparsity.measures.sparsity_table`; the kommun ``highlight`` (a code) gets a
    bold label and a shaded row. Where the population grid does not cover the municipalities (no share
    of empty land), only the share outside tätorter is drawn.
    """
    with_grid = table["share_empty_land"].notna().any()
    t = table.sort_values("share_empty_land" if with_grid else "share_outside_tatorter", kind="stable")
    y = np.arange(len(t))
    fig, ax = plt.subplots(figsize=(7.5, 0.45 * len(t) + 1.4))
    for i in y:
        ax.plot([0, 1], [i, i], color="#eeeeee", linewidth=0.8, zorder=0)
    ax.scatter(t["share_outside_tatorter"], y, color=OKABE_ITO[5], marker="s", s=40, zorder=2,
               label="Andel av befolkningen utanför tätort")
    if with_grid:
        ax.scatter(t["share_empty_land"], y, color=OKABE_ITO[4], marker="o", s=45, zorder=2,
                   label="Andel av landarealen utan invånare")
    ax.set_yticks(y, t["kommun_namn"])
    if highlight is not None:
        row = int(np.flatnonzero(t["kommun_kod"].to_numpy() == highlight)[0])
        ax.axhspan(row - 0.4, row + 0.4, color=HIGHLIGHT, alpha=0.12, zorder=0)
        ax.get_yticklabels()[row].set_fontweight("bold")
    ax.set_xlim(0, 1)
    swedish_axis(ax.xaxis, percent=True)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=2, frameon=False, fontsize=9)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------- (e) interactive

def interactive_map(layer: gpd.GeoDataFrame, tatorter: gpd.GeoDataFrame, k: int = 5):
    """A folium map: kommuner coloured by density class (Swedish tooltips and legend) and tätorter as
    circles; shown as a self-contained page that needs no network (``analysis.sparsity.map_html``)."""
    import folium

    from analysis.sparsity.map_html import OfflineMap

    classes, labels = density_classes(layer["density_land_per_km2"], k)
    shapes = layer.to_crs(4326).assign(
        density_class=pd.Categorical.from_codes(classes, categories=labels, ordered=True),
        density_text=layer["density_land_per_km2"].map(lambda x: sv_number(x, 2)),
        population_text=layer["population"].map(sv_number),
    )
    fmap = shapes.explore(column="density_class", categorical=True, cmap=class_colours(len(labels)),
                          tooltip=["kommun_namn", "population_text", "density_text"],
                          tooltip_kwds={"aliases": ["Kommun", "Folkmängd", DENSITY_LABEL]},
                          legend_kwds={"caption": DENSITY_LABEL}, style_kwds={"color": "#444444", "weight": 1},
                          name="Kommuner")
    towns = tatorter[tatorter["kommun_kod"].isin(layer["kommun_kod"])].to_crs(4326)
    group = folium.FeatureGroup(name="Tätorter 2020")
    for point, name, population, centre in zip(towns.geometry, towns["tatort"], towns["population"],
                                               towns["is_centre"]):
        colour = CENTRE_COLOUR if centre else TATORT_COLOUR
        folium.CircleMarker([point.y, point.x], radius=2 + np.sqrt(population) / 15, color=colour, fill=True,
                            fill_opacity=0.8, weight=1,
                            tooltip=f"{name}: {sv_number(population)} invånare").add_to(group)
    group.add_to(fmap)
    folium.LayerControl().add_to(fmap)
    _number_elements(fmap)
    return OfflineMap(fmap)


def _number_elements(element, counter=None) -> None:
    """Replace branca's random element ids (uuid4) by sequential ones, so the same map gives the same HTML."""
    counter = counter if counter is not None else iter(range(10**9))
    element._id = f"{next(counter):032x}"
    for child in list(getattr(element, "_children", {}).values()):
        _number_elements(child, counter)
