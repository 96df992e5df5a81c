"""Where people live, and how far they have to the social office in the municipal centre.

The residence model: a resident of a municipality lives in one of its populated 1 km grid
cells with probability proportional to the cell's population, at a uniformly random point
of the cell. The social office is in the municipal centre (the municipality's largest
tätort). Road distance is the straight-line distance times a detour factor.

The detour factor is an assumption, set in ``config/synthetic.yaml`` (default 1.3): published
circuity factors of national road networks (road distance over straight-line distance, e.g.
Ballou, Rahardja & Sakai 2002) mostly lie between about 1.2 and 1.4, and a sparse network
with lakes, mountains and few river crossings, as in inland Norrland, is not at the low end.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

# Travel-distance bands of the 2018 client survey (codebook scale 'distance'): code -> [low, high) km.
DISTANCE_BANDS = {1: (0, 5), 2: (5, 20), 3: (20, 50), 4: (50, 100), 5: (100, np.inf)}


def cell_corners(cells) -> np.ndarray:
    """The four corners of each (possibly slightly rotated) square grid cell, shape (n, 4, 2)."""
    return np.stack([np.asarray(g.exterior.coords)[:4] for g in cells.geometry])


def sample_residences(cells, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` residence points (x, y) in the populated ``cells`` of one municipality.

    A cell is drawn with probability proportional to its population, then a point uniformly
    inside the cell (bilinear interpolation of the corners, exact for parallelograms).
    """
    weights = cells["population"].to_numpy(dtype=float)
    if n == 0:
        return np.empty((0, 2))
    if weights.sum() <= 0:
        raise ValueError("no populated cells to place residents in")
    chosen = rng.choice(len(weights), size=n, p=weights / weights.sum())
    corners = cell_corners(cells)[chosen]
    u, v = rng.random(n)[:, None], rng.random(n)[:, None]
    return ((1 - u) * (1 - v) * corners[:, 0] + u * (1 - v) * corners[:, 1]
            + u * v * corners[:, 2] + (1 - u) * v * corners[:, 3])


def road_km(points: np.ndarray, centre: tuple[float, float], detour: float) -> np.ndarray:
    """Road distance in km from each point to ``centre`` (SWEREF 99 TM metres), via the detour factor."""
    return np.hypot(points[:, 0] - centre[0], points[:, 1] - centre[1]) * detour / 1000


def distance_band(km: np.ndarray) -> np.ndarray:
    """The survey's distance-band code for each distance in km."""
    edges = [low for low, _ in DISTANCE_BANDS.values()][1:]
    return np.searchsorted(edges, km, side="right") + 1


def weighted_distance_to_centre(cells: pd.DataFrame, centres: pd.DataFrame, detour: float) -> pd.DataFrame:
    """Population-weighted mean road distance (km) from the grid cells' centres to their municipal centre.

    ``cells``: kommun_kod, population, geometry; ``centres``: kommun_kod, centre_x, centre_y.
    The same residence model as ``sample_residences``, in expectation (up to the within-cell spread).
    """
    centroids = cells.geometry.centroid
    df = pd.DataFrame({"kommun_kod": cells["kommun_kod"].to_numpy(), "population": cells["population"].to_numpy(),
                       "x": centroids.x.to_numpy(), "y": centroids.y.to_numpy()})
    df = df.merge(centres[["kommun_kod", "centre_x", "centre_y"]], on="kommun_kod", how="inner")
    df["km"] = np.hypot(df["x"] - df["centre_x"], df["y"] - df["centre_y"]) * detour / 1000
    df["weighted"] = df["km"] * df["population"]
    out = df.groupby("kommun_kod", sort=True).agg(population=("population", "sum"), weighted=("weighted", "sum"))
    out["mean_road_km_to_centre"] = out["weighted"] / out["population"]
    return out.drop(columns="weighted").reset_index()
